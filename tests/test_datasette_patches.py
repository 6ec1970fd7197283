"""plugins/datasette_patches.py: every replacement of a Datasette internal is made there and only
there, each is applied and does what it says, and a Datasette other than the one the patches were
written for refuses to start with a message that names both versions."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlencode

import datasette.database
import datasette.facets
import datasette.renderer
import datasette.version
import pytest
from click.testing import CliRunner
from datasette.app import Datasette
from datasette.cli import cli
from datasette.plugins import pm
from datasette.utils import StartupError
from datasette.utils.asgi import Request

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ROOT / "plugins"
ENDLESS = "with recursive n(i) as (select 1 union all select i + 1 from n) select count(*) from n"
SIX_ROWS = [("a", "x", "2024-01-01", '["p", "q"]'), ("a", "x", "2024-01-02", '["p"]'), ("a", "y", "2024-01-01", '["q"]'),
            ("b", "y", "2024-01-02", '["p"]'), ("b", "z", "2024-01-01", '["q", "p"]'), ("b", "z", "2024-01-02", '["q"]')]


def datasette_with_plugins(settings: dict | None = None, **options) -> Datasette:
    metadata = {"plugins": {"entanglement-publication": settings or {}}}
    return Datasette(plugins_dir=str(PLUGINS), metadata=metadata, **options)


@pytest.fixture(scope="module")
def patches():
    """The patches module as Datasette loaded it (a plugin of plugins/)."""
    datasette_with_plugins()
    module = pm.get_plugin("datasette_patches.py")
    assert module is not None, "Datasette did not load plugins/datasette_patches.py"
    return module


def patched(owner, name: str):
    replacement = getattr(owner, name)
    return replacement, getattr(replacement, "_entanglement_original", None)


# ------------------------------------------------------------------ one module, every patch applied

def test_the_patches_are_the_four_this_file_tests(patches):
    assert [(getattr(owner, "__name__"), name) for owner, name, _ in patches.PATCHES] == [
        ("datasette.facets", "load_facet_configs"),
        ("ColumnFacet", "suggest"), ("DateFacet", "suggest"), ("ArrayFacet", "suggest"),
        ("datasette.renderer", "remove_infinites"),
        ("datasette.database", "sqlite_timelimit"),
    ]


def test_every_patch_is_applied_once(patches):
    for owner, name, _ in patches.PATCHES:
        replacement, original = patched(owner, name)
        assert original is not None, f"{owner.__name__}.{name} is not replaced"
        assert getattr(original, "_entanglement_original", None) is None, f"{owner.__name__}.{name} replaced twice"
    before = [getattr(owner, name) for owner, name, _ in patches.PATCHES]
    datasette_with_plugins()     # Datasette executes the plugin files again for every instance
    assert [getattr(owner, name) for owner, name, _ in patches.PATCHES] == before


def _datasette_imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name.split(".")[0] == "datasette"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "datasette":
            names |= {a.asname or a.name for a in node.names}
    return names


def _root_name(node) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def test_no_other_plugin_file_assigns_to_datasette():
    """Every replacement of a Datasette internal is in datasette_patches.py, where the version is checked."""
    offenders = []
    for path in sorted(PLUGINS.rglob("*.py")):
        if path.name == "datasette_patches.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _datasette_imports(tree)
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else \
                [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                if isinstance(target, ast.Attribute) and _root_name(target) in imported:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr" and node.args \
                    and _root_name(node.args[0]) in imported:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def _datasette_internals() -> dict:
    """Every attribute of every loaded datasette module and of the classes they define, by identity."""
    import sys
    seen = {}
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "datasette" or module is None:
            continue
        for attr, value in list(vars(module).items()):
            seen[(name, attr)] = id(value)
            if isinstance(value, type) and value.__module__ == name:
                seen.update({(name, attr, a): id(v) for a, v in vars(value).items()})
    return seen


def test_loading_the_other_plugin_files_replaces_nothing_of_datasette(patches):
    """The same rule at run time: executing every other plugin file, as Datasette does, leaves every
    attribute of Datasette's modules and classes as it was."""
    from datasette.utils import module_from_path
    before = _datasette_internals()
    others = [p for p in sorted(PLUGINS.glob("*.py")) if p.name != "datasette_patches.py"]
    assert len(others) >= 5
    for path in others:
        module_from_path(str(path), name="check_" + path.name)
    after = _datasette_internals()
    assert [key for key in before if after.get(key) != before[key]] == []


# ------------------------------------------------------------------ each patch does what it says

def test_a_facet_in_the_metadata_and_the_url_is_computed_once(patches):
    load, original = patched(datasette.facets, "load_facet_configs")
    request = Request.fake("/t/items?_facet=kind&_facet=shade")
    metadata = {"facets": ["kind"]}
    assert [e["config"]["simple"] for e in original(request, metadata)["column"]] == ["kind", "kind", "shade"]
    assert [e["config"]["simple"] for e in load(request, metadata)["column"]] == ["kind", "shade"]


async def _suggested(path: str, settings: dict) -> list[tuple]:
    ds = datasette_with_plugins(settings)
    db = ds.add_memory_database("facets_" + str(id(ds)))
    await db.execute_write("create table items (id integer primary key, kind text, shade text, day text, tags text)")
    for row in SIX_ROWS:
        await db.execute_write("insert into items (kind, shade, day, tags) values (?, ?, ?, ?)", row)
    response = await ds.client.get(f"/{db.name}/items.json{path}")
    assert response.status_code == 200, response.text
    return sorted((f["name"], f.get("type", "column")) for f in response.json()["suggested_facets"])


def test_facets_are_suggested_only_on_tables_of_at_most_the_limit(patches):
    for owner in (datasette.facets.ColumnFacet, datasette.facets.DateFacet, datasette.facets.ArrayFacet):
        assert patched(owner, "suggest")[1] is not None
    unlimited = asyncio.run(_suggested("", {}))
    # all three facet classes suggest something on this table (column, date, array)
    assert {"column", "date", "array"} == {kind for _, kind in unlimited}
    assert asyncio.run(_suggested("", {"suggest_facets_max_rows": 6})) == unlimited
    assert asyncio.run(_suggested("", {"suggest_facets_max_rows": 5})) == []
    # the table as filtered counts: three rows of kind a
    filtered = asyncio.run(_suggested("?kind=a", {"suggest_facets_max_rows": 3}))
    assert filtered == asyncio.run(_suggested("?kind=a", {})) and {"date", "array"} <= {kind for _, kind in filtered}


def test_rows_without_floats_skip_the_infinity_check_with_the_same_output(patches):
    remove, original = patched(datasette.renderer, "remove_infinites")
    plain = ["id-1", 3, None, b"blob"]
    assert remove(plain) is plain                  # not checked cell by cell
    for row in (plain, [1.5, "x"], [float("inf"), 2, float("-inf")], [], ["a", float("nan")]):
        assert repr(remove(row)) == repr(original(row))
    assert remove([float("inf"), 2]) == [None, 2]


class ProgressHandlerSpy:
    """Stands in for a connection and records how often the time limit is checked."""

    def __init__(self):
        self.calls = []

    def set_progress_handler(self, handler, n):
        self.calls.append((handler is not None, n))


def test_the_time_limit_is_checked_every_100000_instructions(patches):
    timelimit, original = patched(datasette.database, "sqlite_timelimit")
    for function, ms, every in ((original, 1000, 1_000), (timelimit, 1000, 100_000), (timelimit, 20, 1_000)):
        spy = ProgressHandlerSpy()
        with function(spy, ms):
            pass
        assert spy.calls == [(True, every), (False, every)]


def test_the_coarse_time_limit_still_stops_an_endless_query(patches):
    conn = sqlite3.connect(":memory:")
    started = time.perf_counter()
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        with datasette.database.sqlite_timelimit(conn, 200):
            conn.execute(ENDLESS).fetchall()
    assert time.perf_counter() - started < 5
    with datasette.database.sqlite_timelimit(conn, 200):     # the handler is removed afterwards
        assert conn.execute("select count(*) from (select 1 union all select 2)").fetchone() == (2,)


def test_datasette_still_stops_an_endless_query_at_its_time_limit(patches):
    ds = Datasette(plugins_dir=str(PLUGINS), memory=True, settings={"sql_time_limit_ms": 200})
    started = time.perf_counter()
    response = asyncio.run(ds.client.get("/_memory.json?" + urlencode({"sql": ENDLESS})))
    assert response.status_code == 400 and "took too long" in response.text
    assert time.perf_counter() - started < 5


# ------------------------------------------------------------------ another Datasette is refused

@contextlib.contextmanager
def unpatched(patches, monkeypatch):
    """Datasette's own functions back in place (restored afterwards), to see that nothing is replaced."""
    for owner, name, _ in patches.PATCHES:
        monkeypatch.setattr(owner, name, patched(owner, name)[1])
    yield
    for owner, name, _ in patches.PATCHES:
        assert getattr(getattr(owner, name), "_entanglement_original", None) is None, f"{owner.__name__}.{name}"


@pytest.mark.parametrize("version", ["0.64.8", "0.66", "1.0a7", "0.650"])
def test_another_datasette_version_is_refused_before_anything_is_replaced(patches, monkeypatch, version):
    monkeypatch.setattr(datasette.version, "__version__", version)
    with unpatched(patches, monkeypatch):
        with pytest.raises(StartupError) as refused:
            Datasette(plugins_dir=str(PLUGINS), memory=True)
    message = str(refused.value)
    assert f"Datasette {version} is installed" in message
    assert "written in Datasette 0.65.x" in message and "datasette>=0.65,<0.66" in message


def test_datasette_serve_refuses_another_version_with_a_clear_error(patches, monkeypatch):
    monkeypatch.setattr(datasette.version, "__version__", "1.0a7")
    with unpatched(patches, monkeypatch):
        result = CliRunner().invoke(cli, ["serve", "--memory", "--plugins-dir", str(PLUGINS), "--get", "/"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: plugins/datasette_patches.py replaces Datasette internals")
    assert "Datasette 1.0a7 is installed" in result.output and "Traceback" not in result.output


def test_every_0_65_release_is_accepted(patches, monkeypatch):
    for version in ("0.65", "0.65.0", "0.65.5", "0.65.17"):
        monkeypatch.setattr(datasette.version, "__version__", version)
        Datasette(plugins_dir=str(PLUGINS), memory=True)
