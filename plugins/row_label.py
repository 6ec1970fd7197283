"""A row page names its row: the `entanglement_label` and `entanglement_pk` of templates/row.html.

For people, organizations, cases, policies and sources, the row's name (or title) follows its id
in the page's heading and leads the "More about ..." links to the canned queries about it (what a
person is quoted as saying, every passage that names them, a case's timeline...).
"""

from __future__ import annotations

import sys
from pathlib import Path

from datasette import hookimpl

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.row_pages import row_page_vars  # noqa: E402

LABEL_COLUMNS = {"people": "name", "organizations": "name", "policies": "name", "cases": "title", "sources": "title"}


async def label_vars(datasette, db, table: str, pk: str) -> dict:
    """The row's key, and its label where its table has a label column."""
    extra = {"entanglement_pk": pk}
    if table in LABEL_COLUMNS:
        rows = (await db.execute(f"select {LABEL_COLUMNS[table]} from {table} where id = :id", {"id": pk})).rows
        extra["entanglement_label"] = rows[0][0] if rows else None
    return extra


extra_template_vars = hookimpl(row_page_vars(label_vars))
