"""<mark> highlights in canned-query results, and no other HTML.

The columns named in `marked_columns` under `plugins: entanglement-publication:` in
metadata.yml (search snippets, a passage in its context) may contain <mark>…</mark>. Their value
is HTML-escaped and only the exact <mark> and </mark> tags are restored, so any other HTML in the
texts shows as text. HTML only: JSON and CSV keep the plain values; table and row pages keep
Datasette's own rendering.

tryfirst: a column that is also in `query_links` (plugins/query_links.py) shows as marked text,
whichever of the two files Datasette happens to load first.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from datasette import hookimpl
from markupsafe import Markup, escape

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.settings import plugin_settings  # noqa: E402

LINE_BREAKS = re.compile(r"[ \t]*\n\s*")


def marked(value: str) -> Markup:
    """Escape everything, then restore only <mark> and </mark>; a run of blank
    lines becomes one line break (table cells are white-space: pre-wrap)."""
    html = str(escape(value))
    html = html.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    return Markup(LINE_BREAKS.sub("\n", html))


@hookimpl(tryfirst=True)
def render_cell(row, value, column, table, database, datasette):
    if table is not None or not isinstance(value, str):
        return None   # table and row pages: Datasette's own rendering
    if column in (plugin_settings(datasette).get("marked_columns") or []):
        return marked(value)
    return None
