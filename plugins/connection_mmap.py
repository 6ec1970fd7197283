"""Connections map the database file into memory (PRAGMA mmap_size).

The database is served immutable, and a query that reads source texts or scans an index then
copies pages from the OS cache without a system call per page. The size is `mmap_size` under
`plugins: entanglement-publication:` in metadata.yml (unset or 0: the connection keeps SQLite's default);
Datasette's own in-memory _internal database is left alone.
"""

from __future__ import annotations

import sys
from pathlib import Path

from datasette import hookimpl

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.settings import plugin_settings  # noqa: E402


@hookimpl
def prepare_connection(conn, database, datasette):
    mmap_size = plugin_settings(datasette).get("mmap_size")
    if mmap_size and database != "_internal":
        conn.execute(f"PRAGMA mmap_size = {int(mmap_size)}")
