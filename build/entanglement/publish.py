"""Publish stage: a ready-to-deploy folder for the public profile.

1. Build the public profile (redacted, rights-respecting) as entanglement.db,
   so that metadata.yml, written for the database named `entanglement`, applies.
2. Redact metadata.yml and the canned queries (schema/queries/*.sql) with the
   same rules as the database, so that their links point at the pseudonymised
   ids ("case-subject-a") and they name nobody the database does not.
3. Write Datasette's inspect file (row counts, hashes) for the immutable file.
4. Generate the deploy folder with Datasette's own publishing machinery
   (datasette-publish-fly's --generate-dir): Dockerfile, fly.toml, metadata,
   plugins and templates, the database served immutable (-i) with the same
   settings as `make serve`; then the redacted canned queries beside its
   plugins, in schema/queries/ as in the project (plugins/canned_queries.py
   reads them from there). `flyctl deploy` in that folder puts it online; the
   same Dockerfile runs on Cloud Run (`gcloud run deploy --source`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .load import load_records
from .pipeline import Layout, build
from .problems import BuildFailed, Problems
from .progress import PLAIN, Progress
from .profiles import Redactor
from .validate import validate_records

PLUGINS = ("datasette-vega", "datasette-block-robots", "datasette~=0.65.0")


class PublishError(Exception):
    pass


QUERIES = Path("schema") / "queries"    # the canned queries, relative to the project and the deploy folder


def public_redactor(layout: Layout) -> Redactor:
    """The public profile's redaction rules, for the texts served beside the database."""
    problems = Problems()
    records = validate_records({"people": load_records(layout.root, layout.records, problems)["people"]}, problems)
    if problems:
        raise BuildFailed(problems)
    return Redactor(records["people"])


def generate(layout: Layout, deploy_dir: Path, app: str, settings: list[str], progress: Progress = PLAIN) -> Path:
    dist = deploy_dir.parent
    dist.mkdir(parents=True, exist_ok=True)
    db = dist / "entanglement.db"
    build(layout, db, profile="public", progress=progress)   # the build's own stages
    metadata = dist / "metadata.yml"
    with progress.stage("redact metadata"):
        redactor = public_redactor(layout)
        metadata.write_text(redactor.text((layout.root / "metadata.yml").read_text(encoding="utf-8")), encoding="utf-8")
    inspect = dist / "inspect-data.json"
    with progress.stage("datasette inspect"):
        _run([sys.executable, "-m", "datasette", "inspect", str(db), "--inspect-file", str(inspect)])
    if deploy_dir.exists():
        shutil.rmtree(deploy_dir)
    command = [sys.executable, "-m", "datasette", "publish", "fly", str(db), "--app", app,
               "--generate-dir", str(deploy_dir), "--metadata", str(metadata),
               "--plugins-dir", str(layout.root / "plugins"), "--template-dir", str(layout.root / "templates")]
    for package in PLUGINS:
        command += ["--install", package]
    with progress.stage("deploy folder"):
        _run(command + list(settings))
    shutil.copyfile(inspect, deploy_dir / "inspect-data.json")
    queries = deploy_dir / QUERIES
    queries.mkdir(parents=True)
    for path in sorted((layout.root / QUERIES).glob("*.sql")):
        (queries / path.name).write_text(redactor.text(path.read_text(encoding="utf-8")), encoding="utf-8")
    return deploy_dir


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PublishError(f"{' '.join(command[2:4])} failed: {result.stderr.strip() or result.stdout.strip()}")
