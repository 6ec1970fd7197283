"""The downloaded file stands on its own: the database as fetched from the
running publication (/entanglement.db) is searched by plain Datasette (no
metadata, no templates, none of this project's plugins) and by sqlite-utils,
and it carries its own documentation (tables about, about_tables,
about_columns), redacted in the public profile."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
import sqlite_utils

from conftest import free_port, serve_command, wait_until_serving
from test_public_profile import secret_strings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOC_TABLES = ("about", "about_tables", "about_columns")
# A word for each table with a full-text index that matches some of its rows, not all.
SEARCH_WORDS = {"sources": "fingerprints", "quotes": "trust", "quote_appearances": "trust", "people": "LAPD",
                "organizations": "immigrant", "policies": "LAPD", "policy_provisions": "ICE", "cases": "deported",
                "case_events": "ICE", "data_flows": "fingerprints"}


@contextlib.contextmanager
def serving(argv: list[str], log: Path):
    """`datasette serve` (argv) on its own loopback port, in its own session; yields its URL."""
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen([a.replace("{port}", str(port)) for a in argv], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, proc)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)     # its own session: datasette and nothing else
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def download(db: Path, into: Path) -> Path:
    """db served as `make serve` serves it, fetched from /entanglement.db like a reader would."""
    argv = serve_command(db, 0)
    argv[argv.index("-p") + 1] = "{port}"
    with serving(argv, into / "publication.log") as url:
        response = httpx.get(f"{url}/entanglement.db", timeout=60)
        assert response.status_code == 200
        tables = httpx.get(f"{url}/entanglement.json").json()["tables"]
    hidden = {t["name"] for t in tables if t["hidden"]}
    assert set(DOC_TABLES) <= hidden, "the documentation tables are hidden in the publication's table list"
    out = into / "entanglement.db"
    out.write_bytes(response.content)
    return out


@pytest.fixture(scope="module")
def downloaded(built_database, tmp_path_factory) -> Path:
    out = download(built_database, tmp_path_factory.mktemp("download"))
    assert out.read_bytes() == built_database.read_bytes()
    return out


@pytest.fixture(scope="module")
def public_downloaded(tmp_path_factory) -> Path:
    built = tmp_path_factory.mktemp("public-build") / "entanglement.db"
    result = subprocess.run([str(BIN / "entanglement"), "build", "--profile", "public", "--root", str(ROOT),
                             "--output", str(built)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return download(built, tmp_path_factory.mktemp("public-download"))


@pytest.fixture(scope="module")
def plain_datasette(downloaded, tmp_path_factory):
    """`datasette serve entanglement.db`: what someone who downloaded the file runs."""
    log = tmp_path_factory.mktemp("plain") / "datasette.log"
    with serving([str(BIN / "datasette"), "serve", str(downloaded), "-h", "127.0.0.1", "-p", "{port}"], log) as url:
        yield url


def fts_tables(db: Path) -> dict[str, str]:
    """Every base table of the file with a full-text index, and its index, as sqlite-utils detects them."""
    database = sqlite_utils.Database(db)
    found = {t.name: t.detect_fts() for t in database.tables if not t.name.endswith(("_fts", "_data", "_idx",
                                                                                     "_docsize", "_config"))}
    return {table: fts for table, fts in found.items() if fts}


def test_every_full_text_index_is_detected(downloaded):
    conn = sqlite3.connect(downloaded)
    declared = {name for (name,) in conn.execute("select name from sqlite_master where sql like 'CREATE VIRTUAL TABLE%fts5(%'")}
    assert fts_tables(downloaded) == {table: f"{table}_fts" for table in SEARCH_WORDS}
    assert set(fts_tables(downloaded).values()) == declared


def test_plain_datasette_loads_none_of_this_projects_plugins(plain_datasette):
    plugins = {p["name"] for p in httpx.get(f"{plain_datasette}/-/plugins.json").json()}
    ours = {path.name for path in (ROOT / "plugins").glob("*.py")}
    assert {"datasette_patches.py", "limits.py", "response_cache.py"} <= ours and not plugins & ours


@pytest.mark.parametrize("table", sorted(SEARCH_WORDS))
def test_plain_datasette_searches_every_table_with_an_index(plain_datasette, downloaded, table):
    conn = sqlite3.connect(downloaded)
    word = SEARCH_WORDS[table]
    total = conn.execute(f"select count(*) from {table}").fetchone()[0]
    expected = sorted(r for (r,) in conn.execute(
        f"select t.id from {table} t join {table}_fts f on f.rowid = t.rowid where {table}_fts match ?", (word,)))
    assert 0 < len(expected) < total, "the word must tell a search from no search"
    html = httpx.get(f"{plain_datasette}/entanglement/{table}").text
    assert 'name="_search"' in html
    response = httpx.get(f"{plain_datasette}/entanglement/{table}.json?"
                         + urlencode({"_search": word, "_shape": "array", "_size": "max"}))
    assert response.status_code == 200, response.text[:300]
    assert sorted(r["id"] for r in response.json()) == expected


def test_sqlite_utils_search_finds_a_known_quote(downloaded):
    result = subprocess.run([str(BIN / "sqlite-utils"), "search", str(downloaded), "quotes", "keep the city safe",
                             "-c", "id", "-c", "speaker_name"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"id": "lopez-keep-city-safe", "speaker_name": "Christy Lopez"}]


def described(db: Path) -> tuple[set, set, dict]:
    conn = sqlite3.connect(db)
    real = {(t, c) for (t,) in conn.execute("select name from sqlite_master where type in ('table', 'view')")
            for (c,) in conn.execute("select name from pragma_table_info(?)", (t,))}
    columns = {(t, c) for t, c, d in conn.execute("select table_name, column_name, description from about_columns")
               if d.strip()}
    tables = {t for (t,) in conn.execute("select name from about_tables where description <> ''")}
    about = dict(conn.execute("select id, text from about"))
    assert tables == {t for (t,) in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    return real, columns, about


def test_documentation_tables_describe_every_column_the_file_holds(downloaded):
    real, columns, about = described(downloaded)
    assert columns == real
    assert {"title", "summary", "license", "source", "about", "cite", "limits"} <= set(about)
    assert "CC BY 4.0" in about["license"] and "quotes/lopez-keep-city-safe" in about["cite"]
    assert "<" not in about["limits"]   # plain text, not the site's HTML
    conn = sqlite3.connect(downloaded)
    build = dict(conn.execute("select key, value from build_info"))
    assert set(build) == {"inputs_sha256", "entanglement_version", "profile", "data_as_of"}
    assert build["profile"] == "full" and build["data_as_of"] == "2025-07"


def documentation_text(db: Path) -> str:
    conn = sqlite3.connect(db)
    return "\n".join(v for table in DOC_TABLES for row in conn.execute(f"select * from {table}")
                     for v in row if isinstance(v, str)).lower()


def test_full_file_documentation_names_a_redacted_person(downloaded):
    # metadata.yml cites the case juarez-basilio as an example: so the public file's check below checks something
    assert any(secret.lower() in documentation_text(downloaded) for secret in secret_strings())


def test_public_file_documents_itself_and_names_nobody_redacted(public_downloaded):
    real, columns, about = described(public_downloaded)
    assert columns == real and "quotes/lopez-keep-city-safe" in about["cite"]
    conn = sqlite3.connect(public_downloaded)
    assert conn.execute("select value from build_info where key = 'profile'").fetchone() == ("public",)
    text = documentation_text(public_downloaded)
    assert "case-subject-a" in text     # the example, under its pseudonym
    for secret in secret_strings():
        assert secret.lower() not in text, secret


def test_metadata_is_an_input_of_the_build(tmp_path):
    """Editing metadata.yml changes the inputs hash (so `build --if-changed` rebuilds the documentation);
    a project without one gets empty documentation tables."""
    from test_build_errors import make_project

    from entanglement.pipeline import Layout, build, inputs_hash
    root = make_project(tmp_path)
    layout = Layout(root)
    build(layout, root / "entanglement.db")
    conn = sqlite3.connect(root / "entanglement.db")
    assert [conn.execute(f"select count(*) from {t}").fetchone()[0] for t in DOC_TABLES] == [0, 0, 0]
    conn.close()
    without = inputs_hash(layout)
    (root / "metadata.yml").write_text((ROOT / "metadata.yml").read_text(encoding="utf-8"), encoding="utf-8")
    with_metadata = inputs_hash(layout)
    (root / "metadata.yml").write_text((ROOT / "metadata.yml").read_text(encoding="utf-8") + "# edited\n",
                                       encoding="utf-8")
    assert len({without, with_metadata, inputs_hash(layout)}) == 3
