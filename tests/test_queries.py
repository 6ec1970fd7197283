"""The canned queries as files (schema/queries/NN_<name>.sql): what Datasette serves is exactly
what the files say, each file runs alone with sqlite-utils and with the sqlite3 shell and returns
the rows the site returns, a broken file is reported by file and line, and the files are neither
applied to the database nor among the build's inputs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, query_files
from test_publication import CREDITS, METADATA, Site

QUERIES = query_files()
BIN = Path(sys.executable).parent
# Datasette's escape_fts() (used by the search query), for sqlite-utils; the sqlite3 shell has no such function
ESCAPE_FTS = "from datasette.utils import escape_fts"


@pytest.fixture(scope="module")
def site(built_database):
    s = Site(built_database)
    yield s
    s.close()


def query_path(name: str) -> Path:
    (path,) = (ROOT / "schema" / "queries").glob(f"[0-9][0-9]_{name}.sql")
    return path


def test_metadata_yml_holds_no_canned_queries():
    # one copy of each query: its file
    assert "queries" not in METADATA["databases"]["entanglement"]
    assert len(QUERIES) >= 16


def test_datasette_serves_exactly_the_query_files(site):
    served = site.loop.run_until_complete(site.ds.get_canned_queries("entanglement", None))
    credits = {key: METADATA[key] for key in CREDITS}
    assert served == {name: {**credits, **query, "name": name} for name, query in QUERIES.items()}
    assert list(served) == list(QUERIES)     # in file-name order, on the database page too
    listed = site.get("/entanglement.json").json()["queries"]
    assert [q["name"] for q in listed] == list(QUERIES)


def served_rows(site, name: str) -> list[dict]:
    params = {p: "" for p in QUERIES[name].get("params") or []}
    data = site.get(f"/entanglement/{name}.json?" + "&".join(f"{p}=" for p in params)
                    + ("&" if params else "") + "_shape=objects&_size=max").json()
    assert not data.get("truncated"), name
    return data["rows"]


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_query_file_runs_alone_with_sqlite_utils(site, built_database, name):
    # as docs show it: sqlite-utils query entanglement.db - -p name value < schema/queries/…
    # (the SQL from standard input: as an argument, the opening `--` would be read as an option)
    command = [str(BIN / "sqlite-utils"), "query", str(built_database), "-"]
    for param in QUERIES[name].get("params") or []:
        command += ["-p", param, ""]
    if "escape_fts(" in QUERIES[name]["sql"]:
        command += ["--functions", ESCAPE_FTS]
    with query_path(name).open(encoding="utf-8") as sql:
        result = subprocess.run(command, stdin=sql, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == served_rows(site, name)


@pytest.mark.parametrize("name", [n for n, q in QUERIES.items() if "escape_fts(" not in q["sql"]])
def test_every_query_file_runs_alone_with_the_sqlite3_shell(site, built_database, name):
    # as docs show it: sqlite3 entanglement.db -cmd ".param set :name ''" < schema/queries/…
    # (an unset parameter would be NULL, not the '' Datasette passes: every one is set)
    sqlite3 = shutil.which("sqlite3")
    assert sqlite3, "the sqlite3 shell is missing: `make test` installs it (Debian's sqlite3)"
    command = [sqlite3, "-json", "-bail", str(built_database)]
    for param in QUERIES[name].get("params") or []:
        command += ["-cmd", f".param set :{param} ''"]
    with query_path(name).open(encoding="utf-8") as sql:
        result = subprocess.run(command, stdin=sql, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert json.loads(result.stdout or "[]") == served_rows(site, name)


def test_only_the_search_query_needs_escape_fts():
    # the one function the sqlite3 shell lacks (Datasette and sqlite-utils --functions provide it)
    assert [n for n, q in QUERIES.items() if "escape_fts(" in q["sql"]] == ["search"]


def test_query_file_problems_are_listed_with_file_and_line(tmp_path):
    from entanglement_shared.canned_queries import QueryFileError, read_queries
    (tmp_path / "01_good.sql").write_text("-- title: Good\n-- params: [a]\n\nselect :a as a\n")
    (tmp_path / "2_badname.sql").write_text("-- title: x\nselect 1\n")
    (tmp_path / "03_yaml.sql").write_text("-- title: x\n-- params: [a\n\nselect 1\n")
    (tmp_path / "04_keys.sql").write_text("-- title: Keys\n-- sqll: select 1\n-- params: [b, c]\n\nselect :b, :d as 'x:y'\n")
    (tmp_path / "05_bare.sql").write_text("select 1\n")
    (tmp_path / "06_empty.sql").write_text("-- title: Empty\n")
    (tmp_path / "07_other.sql").write_text("-- title: Other\n\nselect 1\n")
    (tmp_path / "08_good.sql").write_text("-- title: Again\n\nselect 1\n")
    with pytest.raises(QueryFileError) as failure:
        read_queries(tmp_path)
    lines = str(failure.value).splitlines()
    assert all(re.match(rf"{re.escape(str(tmp_path))}/\d\d?_\w+\.sql:\d+: \S", line) for line in lines), lines
    text = str(failure.value)
    assert "2_badname.sql:1: the file name must be NN_<name>.sql" in text
    assert "03_yaml.sql:3: the opening comment is not valid YAML" in text
    assert "04_keys.sql:2: unknown key 'sqll'" in text
    assert "04_keys.sql:5: the SQL uses :d, which is not in params" in text
    assert "04_keys.sql:3: params names c, which the SQL does not use" in text
    assert "05_bare.sql:1: the file must open with its metadata" in text
    assert "06_empty.sql:2: no SQL after the opening comment" in text
    assert "08_good.sql:1: a second query named good" in text
    assert len(lines) == 8
    with pytest.raises(QueryFileError, match="no query files"):
        read_queries(tmp_path / "missing")


def test_query_files_are_not_applied_to_the_database_nor_build_inputs(tmp_path):
    from entanglement.pipeline import Layout, inputs_hash
    from entanglement.write import schema_files
    # the build applies schema/*.sql only, never a file of schema/queries/
    assert [p.parent for p in schema_files(ROOT / "schema")] == [ROOT / "schema"] * len(list((ROOT / "schema").glob("*.sql")))
    # a query changes what is served, not the database: no rebuild for it (make serve reads the files at start)
    root = tmp_path / "project"
    (root / "schema").mkdir(parents=True)
    (root / "raw").symlink_to(ROOT / "raw")
    shutil.copy(ROOT / "metadata.yml", root / "metadata.yml")
    for path in (ROOT / "schema").glob("*.sql"):
        shutil.copy(path, root / "schema" / path.name)
    shutil.copytree(ROOT / "schema" / "queries", root / "schema" / "queries")
    before = inputs_hash(Layout(root))
    (root / "schema" / "queries" / "99_new.sql").write_text("-- title: New\n\nselect 1\n")
    (root / "schema" / "queries" / "01_quotes_by_speaker.sql").write_text("-- title: Changed\n\nselect 2\n")
    assert inputs_hash(Layout(root)) == before
    (root / "schema" / "02_indexes.sql").write_text("-- changed\n")
    assert inputs_hash(Layout(root)) != before



def test_serve_stops_at_start_on_a_broken_query_file(tmp_path, built_database):
    from conftest import free_port
    shutil.copytree(ROOT / "plugins", tmp_path / "plugins")
    shutil.copytree(ROOT / "schema" / "queries", tmp_path / "schema" / "queries")
    broken = tmp_path / "schema" / "queries" / query_path("case_timeline").name
    broken.write_text(broken.read_text(encoding="utf-8").replace("-- params: [case]", "-- params: [case, extra]"))
    result = subprocess.run([str(BIN / "datasette"), "serve", "-p", str(free_port()), "--metadata", str(ROOT / "metadata.yml"),
                             "--plugins-dir", str(tmp_path / "plugins"), str(built_database)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr and "params names extra, which the SQL does not use" in result.stderr
    assert "Traceback" not in result.stderr
