"""A search box on views: `?_search=` through the base tables' full-text indexes.

The schema's views do not expose the rowid that Datasette's `fts_table`/`fts_pk` needs, so the
search goes through the base table's full-text index and its `id` column instead. Configured by
`searchable_views` under `plugins: entanglement-publication:` in metadata.yml: for each view,
the (fts_table, table, column) triples to search, any of which may match.
"""

from __future__ import annotations

import sys
from pathlib import Path

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import escape_fts, escape_sqlite

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.settings import plugin_settings  # noqa: E402


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    """trylast: runs after Datasette's own search filter, whose extra_context
    (supports_search False for a view) this one must override."""
    via = (plugin_settings(datasette).get("searchable_views") or {}).get(table)
    if not via:
        return None
    search = (request.args.get("_search") or "").strip()
    context = {"supports_search": True, "search": search}
    if not search:
        return FilterArguments([], extra_context=context)
    match = escape_fts(search) or '""'
    clauses = [
        "{col} in (select id from {base} where rowid in (select rowid from {fts} where {fts} match :entanglement_search))".format(
            col=escape_sqlite(v["column"]), base=escape_sqlite(v["table"]), fts=escape_sqlite(v["fts_table"]))
        for v in via
    ]
    return FilterArguments(["(" + " or ".join(clauses) + ")"], {"entanglement_search": match},
                           [f'search matches "{search}"'], extra_context=context)
