"""Links in canned-query results: a column shown as a link to a row page or to another canned query.

Configured by `query_links` under `plugins: entanglement-publication:` in metadata.yml (a
column: one or a list of candidate targets; the comments there say what each key means), e.g. a
quote's source title links to the source's row page. HTML only: JSON and CSV keep the plain
values; table and row pages keep Datasette's own rendering (foreign keys as labels).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from markupsafe import Markup, escape

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.settings import plugin_settings  # noqa: E402


def _row_value(row, column):
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is not None or value is None:
        return None   # table and row pages: Datasette's own rendering (foreign keys as labels)
    targets = (plugin_settings(datasette).get("query_links") or {}).get(column)
    if not targets:
        return None
    for target in targets if isinstance(targets, list) else [targets]:
        key = _row_value(row, target.get("key", column))
        if key in (None, ""):
            continue
        if "query" in target:
            href = datasette.urls.query(database, target["query"]) + "?" + urlencode({target.get("param", "id"): key})
        else:
            link_table = target.get("table") or _row_value(row, target.get("table_column"))
            if not link_table:
                continue
            href = datasette.urls.row(database, link_table, tilde_encode(str(key)))
        label = target.get("label") or value
        return Markup('<a href="{}">{}</a>'.format(escape(href), escape(label)))
    return None
