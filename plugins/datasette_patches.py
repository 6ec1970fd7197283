"""Every replacement of a Datasette internal, in one place, applied only to the Datasette they were written for.

Datasette 0.65 has no plugin hook for these four costs, so this module replaces the functions
themselves; each was read against Datasette 0.65's source, and another version may have renamed,
moved or changed what it replaces. So, when Datasette loads this file (at start, while it builds
its instance, before any request), it first checks the installed version: anything but
WRITTEN_FOR refuses to start with a message naming both versions (`datasette serve` prints it as
"Error: ..." and exits 1, without a traceback). pyproject.toml pins the same versions
(datasette>=0.65,<0.66). tests/test_datasette_patches.py checks each patch: that it is applied,
that it does what it says, and that another version is refused.

The patches (owner, attribute: what and why):

- datasette.facets.load_facet_configs: a facet named both in a table's metadata `facets` and in
  the URL's `_facet=` was computed (and shown) twice; it is computed once.
- ColumnFacet.suggest, DateFacet.suggest, ArrayFacet.suggest: suggested facets run up to three
  queries per column (column, date, JSON array), each over the whole filtered table and each
  allowed facet_suggest_time_limit_ms, which costs seconds at 10,000 documents. They are
  suggested only when the table, as filtered, has at most `suggest_facets_max_rows` rows (setting
  under `plugins: entanglement-publication:`; unset: always).
- datasette.renderer.remove_infinites: the JSON renderer checks every cell of every row for an
  infinite float (a Python generator per row, a few ms per 1,000 rows); rows without any float
  skip that check (same output).
- datasette.database.sqlite_timelimit: sql_time_limit_ms is enforced with a Python progress
  handler called every 1,000 SQLite instructions (about every 0.08 ms). Each call must take the
  GIL, so a handful of long hostile queries starve the event loop: every other page waits seconds
  (measured with bench/load.py). Checking every 100,000 instructions (about every 8 ms) keeps the
  limit as exact as anyone can notice and leaves the GIL to the pages.

Datasette executes this file again for every Datasette instance a process creates (tests create
many): each replacement is made once per process, and the replacement keeps the function it
replaced as its `_entanglement_original` attribute (which is how a second run, and the tests,
recognise it).
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

import datasette.database
import datasette.facets
import datasette.renderer
import datasette.version
from datasette.utils import StartupError

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.settings import plugin_settings  # noqa: E402

WRITTEN_FOR = "0.65"          # major.minor of the Datasette whose source these patches were read against
ORIGINAL = "_entanglement_original"
CHECK_EVERY_INSTRUCTIONS = 100_000


def check_datasette_version() -> None:
    """Refuse to start (StartupError, which `datasette serve` prints as its error) unless the
    installed Datasette is the WRITTEN_FOR series."""
    installed = datasette.version.__version__
    if installed.split(".")[:2] != WRITTEN_FOR.split("."):
        raise StartupError(
            f"plugins/datasette_patches.py replaces Datasette internals as written in Datasette "
            f"{WRITTEN_FOR}.x, but Datasette {installed} is installed. Install the version pyproject.toml "
            f"pins (datasette>=0.65,<0.66), or check each patch against Datasette {installed} "
            f"(tests/test_datasette_patches.py) and update WRITTEN_FOR.")


def replace(owner, name: str, make) -> None:
    """owner.name = make(original), unless an earlier run of this file has replaced it already."""
    original = getattr(owner, name)
    if getattr(original, ORIGINAL, None) is not None:
        return
    replacement = make(original)
    setattr(replacement, ORIGINAL, original)
    setattr(owner, name, replacement)


# ---------------------------------------------------------------- the replacements

def facet_configs_once(load_facet_configs):
    def facet_configs_once(request, table_metadata):
        """Datasette's facet configs without the URL's repeats of facets the
        metadata already shows (it would compute and show them twice)."""
        configs = load_facet_configs(request, table_metadata)
        for type_, entries in configs.items():
            seen, kept = set(), []
            for entry in entries:
                key = repr(sorted(entry["config"].items()))
                if key not in seen:
                    seen.add(key)
                    kept.append(entry)
            configs[type_] = kept
        return configs

    return facet_configs_once


def suggest_only_on_small_tables(suggest):
    async def limited_suggest(self):
        """Datasette's facet suggestions, only for tables (as filtered) of at most
        suggest_facets_max_rows rows."""
        limit = plugin_settings(self.ds).get("suggest_facets_max_rows")
        if limit is not None and (self.row_count is None or self.row_count > int(limit)):
            return []   # row_count None: Datasette's count of the rows timed out
        return await suggest(self)

    return limited_suggest


def remove_infinites_of_floats(remove_infinites):
    def remove_infinites_of_floats(row):
        """Datasette's remove_infinites, skipped for rows without a float (map and `in` run in C)."""
        if float not in map(type, row):
            return row
        return remove_infinites(row)

    return remove_infinites_of_floats


def coarse_sqlite_timelimit(_sqlite_timelimit):
    @contextlib.contextmanager
    def coarse_sqlite_timelimit(conn, ms):
        """Datasette's time limit, checked every CHECK_EVERY_INSTRUCTIONS SQLite instructions
        (every 1,000 for limits of 20 ms or less)."""
        deadline = time.perf_counter() + ms / 1000
        n = CHECK_EVERY_INSTRUCTIONS if ms > 20 else 1_000

        def handler():
            if time.perf_counter() >= deadline:
                return 1  # terminates the query: "interrupted"

        conn.set_progress_handler(handler, n)
        try:
            yield
        finally:
            conn.set_progress_handler(None, n)

    return coarse_sqlite_timelimit


PATCHES = (
    (datasette.facets, "load_facet_configs", facet_configs_once),
    (datasette.facets.ColumnFacet, "suggest", suggest_only_on_small_tables),
    (datasette.facets.DateFacet, "suggest", suggest_only_on_small_tables),
    (datasette.facets.ArrayFacet, "suggest", suggest_only_on_small_tables),
    (datasette.renderer, "remove_infinites", remove_infinites_of_floats),
    (datasette.database, "sqlite_timelimit", coarse_sqlite_timelimit),
)

check_datasette_version()
for _owner, _name, _make in PATCHES:
    replace(_owner, _name, _make)
