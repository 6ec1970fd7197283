"""A row page shows the source passages behind its row, each in its surrounding text.

For templates/row.html, each passage with up to CONTEXT_CHARS characters of its source on
either side:

- `entanglement_citations`: the passages cited for the row (its citations);
- `entanglement_inferred`: the row's links that no cited passage states (inferred_links, the
  curators' inferences), each with the passages it rests on (evidence rule 2);
- `entanglement_span`: for a row that is itself a span of a source (a citation, quote printing,
  mention, segment...), that span, unless a citation of the row already shows it.
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

CONTEXT_CHARS = 240
# The citations of one fact, as the spans `passages` reads
FACT_CITATIONS = ("select id, fact_table, fact_id, field, source_id, start, \"end\" from citations "
                  "where fact_table = :t and fact_id = :id")


async def passages(datasette, db, where: str, params: dict) -> list[dict]:
    """The spans that the query `where` selects (id, fact_table, fact_id, field, source_id, start,
    end), each with its source's title and publisher and its text before, in and after the span."""
    sql = f"""
        select c.id, c.fact_table, c.fact_id, c.field, c.source_id, s.title as source_title,
               s.publisher as source_publisher, c.start, c."end",
               substr(s.text, max(c.start - {CONTEXT_CHARS}, 0) + 1, c.start - max(c.start - {CONTEXT_CHARS}, 0)) as before,
               substr(s.text, c.start + 1, c."end" - c.start) as passage,
               substr(s.text, c."end" + 1, {CONTEXT_CHARS}) as after,
               c.start > {CONTEXT_CHARS} as cut_before,
               length(s.text) > c."end" + {CONTEXT_CHARS} as cut_after
        from ({where}) c join sources s on s.id = c.source_id
        order by c.source_id, c.start, c.id
    """
    rows = [dict(r) for r in (await db.execute(sql, params)).rows]
    for r in rows:
        r["source_url"] = datasette.urls.row(db.name, "sources", tilde_encode(r["source_id"]))
        r["citation_url"] = datasette.urls.row(db.name, "citations", tilde_encode(r["id"]))
    return rows


async def passage_vars(datasette, db, table: str, pk: str) -> dict:
    """The row's cited passages, its inferences with theirs, and its own span."""
    extra = {}
    tables = await db.table_names()
    if "citations" in tables:
        extra["entanglement_citations"] = await passages(datasette, db, FACT_CITATIONS, {"t": table, "id": pk})
    if "inferred_links" in tables:
        inferred = (await db.execute(
            "select id, link, coalesce(person_id, organization_id) as entity, basis, note from inferred_links "
            "where fact_table = :t and fact_id = :id order by id", {"t": table, "id": pk})).rows
        extra["entanglement_inferred"] = [
            {**dict(r), "url": datasette.urls.row(db.name, "inferred_links", tilde_encode(r["id"])),
             "passages": await passages(datasette, db, FACT_CITATIONS, {"t": "inferred_links", "id": r["id"]})}
            for r in inferred]
    if {"id", "source_id", "start", "end"} <= set(await db.table_columns(table)):
        span = await passages(
            datasette, db, f"select id, :t as fact_table, id as fact_id, 'span' as field, source_id, "
                f"start, \"end\" from {escape_sqlite(table)} where id = :id and start is not null",
            {"t": table, "id": pk})
        cited = {(c["source_id"], c["start"], c["end"]) for c in extra.get("entanglement_citations") or []}
        extra["entanglement_span"] = [p for p in span if (p["source_id"], p["start"], p["end"]) not in cited]
    return extra


extra_template_vars = hookimpl(row_page_vars(passage_vars))
