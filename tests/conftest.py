"""Shared fixtures: the real database, built once per session, and the exact
command `make serve` runs to publish it."""

from __future__ import annotations

import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_database(tmp_path_factory) -> Path:
    """The real records built into a fresh entanglement.db (same file name, so
    Datasette calls the database 'entanglement' as `make serve` does)."""
    out = tmp_path_factory.mktemp("built") / "entanglement.db"
    script = Path(sys.executable).with_name("entanglement")     # the console script, as `make build` runs it
    command = [str(script)] if script.exists() else [sys.executable, "-m", "entanglement.cli"]
    result = subprocess.run(command + ["build", "--root", str(ROOT), "--output", str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return out


def serve_command(db: Path, port: int) -> list[str]:
    """The `datasette serve` command line of the Makefile's serve target, for
    this database file and port (read with `make -n`, so tests serve exactly
    what `make serve` serves)."""
    result = subprocess.run(["make", "--no-print-directory", "-n", "serve", f"DB={db}", f"PORT={port}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if " serve " in line and "datasette" in line]
    assert len(lines) == 1, result.stdout
    return shlex.split(lines[0])


def query_files() -> dict[str, dict]:
    """The canned queries as their files in schema/queries/ say (title, description_html, params,
    fragment, hide_sql, sql), in order: read by the module plugins/canned_queries.py serves them with."""
    plugins = str(ROOT / "plugins")
    if plugins not in sys.path:
        sys.path.append(plugins)     # as the plugin files reach entanglement_shared/
    from entanglement_shared.canned_queries import read_queries
    return read_queries()


def wait_until_serving(url: str, proc) -> None:
    """Wait (up to about 20 s) until the Datasette at url answers; fail with its
    stderr if it exits or never answers."""
    import time

    import httpx
    for _ in range(100):
        try:
            if httpx.get(f"{url}/-/versions.json").status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
        if proc.poll() is not None:
            break
    pytest.fail(f"datasette did not start: {proc.stderr.read() if proc.poll() is not None and proc.stderr else ''}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HTML_VALUE = '<script>alert("entanglement")</script><b>bold</b>'


@pytest.fixture(scope="session")
def database_with_html(built_database, tmp_path_factory) -> Path:
    """A copy of the real database in which a few values contain HTML: a quote
    as printed, a person's description, and the headline of a source (replaced
    by the same number of characters, so every offset stays right)."""
    import shutil
    import sqlite3
    out = tmp_path_factory.mktemp("html") / "entanglement.db"
    shutil.copy(built_database, out)
    conn = sqlite3.connect(out)
    with conn:
        conn.execute("update quote_appearances set text = :v || ' ' || text where id = "
                     "(select min(id) from quote_appearances where quote_id like 'lopez-%')", {"v": HTML_VALUE})
        conn.execute("update people set description = :v || ' ' || description where id = 'jim-mcdonnell'",
                     {"v": HTML_VALUE})
        (text,) = conn.execute("select text from sources where id = 'rewrite-fingerprints'").fetchone()
        headline = text.split("\n", 1)[0]
        assert len(headline) >= len(HTML_VALUE)
        conn.execute("update sources set text = :t where id = 'rewrite-fingerprints'",
                     {"t": HTML_VALUE.ljust(len(headline)) + text[len(headline):]})
        for fts in ("sources_fts", "quote_appearances_fts", "people_fts"):
            conn.execute(f"insert into {fts}({fts}) values ('rebuild')")
    conn.close()
    return out


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A copy of the real project's raw/ (without review files) and schema/, for ingest tests."""
    import shutil
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "raw", root / "raw", ignore=shutil.ignore_patterns("review"))
    shutil.copytree(ROOT / "schema", root / "schema")
    return root


def run_cli(*args: str, root: Path):
    """The entanglement command line in-process, on the project at root; exceptions other than
    the command's own exit are raised (a traceback is a bug)."""
    from click.testing import CliRunner

    from entanglement.cli import cli
    result = CliRunner().invoke(cli, [*args, "--root", str(root)], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
