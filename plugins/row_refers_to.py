"""A row page lists the rows its row points to, each by its label: `entanglement_refers_to`.

Datasette 0.65 shows a row's foreign keys on its page as bare ids, and knows nothing of the
publication's (table, id) pairs: a citation's fact_table and fact_id, a discrepancy's
subject_table and subject_id. templates/row.html lists them all, linked to their row pages.
"""

from __future__ import annotations

import sys
from pathlib import Path

from datasette import hookimpl
from datasette.utils import escape_sqlite, tilde_encode

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.row_pages import row_page_vars  # noqa: E402

LABEL_CHARS = 120


async def _label(db, table: str, column: str, value) -> str | None:
    label_column = await db.label_column_for_table(table)
    if not label_column:
        return None
    row = (await db.execute(f"select {escape_sqlite(label_column)} from {escape_sqlite(table)} "
                            f"where {escape_sqlite(column)} = :v", {"v": value})).first()
    if not row or row[0] is None:
        return None
    label = str(row[0])
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


async def references(datasette, db, table: str, pk: str) -> list[dict]:
    """The rows this row points to: its foreign keys, and the (table, id)
    pairs of citations (fact_table, fact_id) and discrepancies (subject_table,
    subject_id)."""
    pks = await db.primary_keys(table)
    if len(pks) != 1:
        return []
    row = (await db.execute(f"select * from {escape_sqlite(table)} where {escape_sqlite(pks[0])} = :pk",
                            {"pk": pk})).first()
    if row is None:
        return []
    row = dict(row)
    refs = []
    for fk in await db.foreign_keys_for_table(table):
        value = row.get(fk["column"])
        if value is None:
            continue
        refs.append({"column": fk["column"], "table": fk["other_table"], "value": value,
                     "label": await _label(db, fk["other_table"], fk["other_column"], value),
                     "url": datasette.urls.row(db.name, fk["other_table"], tilde_encode(str(value)))})
    tables = set(await db.table_names())
    for prefix in ("fact", "subject"):
        other, value = row.get(f"{prefix}_table"), row.get(f"{prefix}_id")
        if other in tables and value is not None:
            refs.append({"column": f"{prefix}_table, {prefix}_id", "table": other, "value": value,
                         "label": await _label(db, other, "id", value),
                         "url": datasette.urls.row(db.name, other, tilde_encode(str(value)))})
    return refs


async def refers_to_vars(datasette, db, table: str, pk: str) -> dict:
    """The rows the row points to."""
    return {"entanglement_refers_to": await references(datasette, db, table, pk)}


extra_template_vars = hookimpl(row_page_vars(refers_to_vars))
