"""Bad input: every problem reported at once as `path:line: message`, exit 1,
no traceback, and the last good database left exactly as it was.

Each folder in build_errors/ (except base/) is one case: files that replace
those of the minimal valid project in build_errors/base/, an optional DELETE
list, and expected.txt with the lines the output must contain.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
CASES_DIR = HERE / "build_errors"
SCHEMA = HERE.parent / "schema"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir() and p.name != "base")
ENTANGLEMENT = [sys.executable, "-m", "entanglement.cli"]


def make_project(tmp_path: Path, case: str | None = None) -> Path:
    root = tmp_path / "project"
    shutil.copytree(CASES_DIR / "base", root)
    os.symlink(SCHEMA, root / "schema")
    if case:
        overlay = CASES_DIR / case
        for path in overlay.rglob("*"):
            rel = path.relative_to(overlay)
            if path.is_file() and (rel.parts[0] == "raw" or rel == Path("metadata.yml")):
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, root / rel)
        delete = overlay / "DELETE"
        if delete.exists():
            for rel in delete.read_text().split():
                (root / rel).unlink()
    return root


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ENTANGLEMENT, *args, "--root", str(root)], capture_output=True, text=True, cwd=root,
                          timeout=120)


def test_base_project_is_valid(tmp_path):
    root = make_project(tmp_path)
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert (root / "entanglement.db").is_file()


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_with_file_and_line(tmp_path, case):
    root = make_project(tmp_path, case)
    for command in ("check", "build"):
        result = run(root, command)
        assert result.returncode == 1, f"{command} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr + result.stdout
        for expected in (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines():
            assert expected in result.stderr, f"missing {expected!r} in:\n{result.stderr}"
        assert "nothing was written" in result.stderr
        assert not (root / "entanglement.db").exists()


@pytest.mark.parametrize("case", ["excerpt_not_found", "yaml_syntax", "document_not_utf8"])
def test_failed_build_leaves_previous_database_untouched(tmp_path, case):
    root = make_project(tmp_path)
    assert run(root, "build").returncode == 0
    before = (root / "entanglement.db").read_bytes()
    broken = make_project(tmp_path / "broken", case)
    shutil.rmtree(root / "raw")
    shutil.copytree(broken / "raw", root / "raw")
    result = run(root, "build")
    assert result.returncode == 1
    assert (root / "entanglement.db").read_bytes() == before
    assert not list(root.glob(".entanglement.db.tmp-*"))


def test_symlink_pointing_out_of_documents_is_refused(tmp_path):
    root = make_project(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text("not a source\n")
    (root / "raw/documents/story.txt").unlink()
    os.symlink(outside, root / "raw/documents/story.txt")
    result = run(root, "check")
    assert result.returncode == 1
    assert "raw/records/sources.yml:2: document 'story.txt' resolves outside raw/documents/" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_one_line_in_path_line_message_form(tmp_path):
    root = make_project(tmp_path, "many_problems")
    result = run(root, "check")
    lines = result.stderr.strip().splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert len(problems) == 3
    for line in problems:
        path, lineno, message = line.split(":", 2)
        assert path.startswith("raw/") and lineno.isdigit() and message.strip()
    assert summary == "3 problem(s); nothing was written."


@pytest.mark.parametrize("case", ["yaml_syntax", "yaml_alias_bomb", "yaml_python_tag", "many_problems", "wrong_type"])
def test_records_parsed_in_two_processes_are_the_same_records_and_problems(tmp_path, case):
    # Large record sets are parsed by two processes; the threshold set to 0 makes these small
    # ones take that path: the same records (with their lines) and the same problems, in order.
    from entanglement.load import load_records
    from entanglement.problems import Problems

    root = make_project(tmp_path, case)
    found = []
    for threshold in (None, 0):
        problems = Problems()
        records = load_records(root, root / "raw" / "records", problems, parallel_from_bytes=threshold)
        lines = [(r.path, r.line, sorted(r.key_lines.items())) for recs in records.values() for r in recs]
        found.append((records, lines, list(problems)))
    assert found[0] == found[1]
    assert bool(found[0][2]) == case.startswith("yaml_")     # the YAML cases are refused while loading
