"""Datasette plugin for the Entanglement publication (loaded with --plugins-dir plugins).

Three small things Datasette 0.65 does not do by itself, all configured under
`plugins: entanglement-publication:` in metadata.yml:

- query_links: in canned-query results (HTML only; JSON and CSV keep the plain
  values) show a column as a link to a row page or to another canned query,
  e.g. a quote's source title links to the source's row page.
- marked_columns: query-result columns whose only markup is <mark>…</mark>
  (search snippets, a passage in its context). The value is HTML-escaped and
  only the exact <mark> and </mark> tags are restored, so any other HTML in the
  texts shows as text.
- searchable_views: a search box on views. The schema's views do not expose
  the rowid that Datasette's `fts_table`/`fts_pk` needs, so the search goes
  through the base table's full-text index and its `id` column instead.

Facets on large tables and JSON rendering: see datasette_patches.py.

Connections map the database file into memory (PRAGMA mmap_size, setting
`mmap_size`): the database is served immutable, and a query that reads source
texts or scans an index then copies pages from the OS cache without a system
call per page.

Row pages also get the license, source and about links that Datasette 0.65
leaves out of them, and the passages that support the row (citations with their
surrounding text) and, for a row that is itself a span of a source (a
citation, quote appearance, mention, segment), that span in context; see
templates/row.html.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.filters import FilterArguments
from datasette.utils import escape_fts, escape_sqlite, tilde_encode, urlsafe_components
from markupsafe import Markup, escape

_PLUGINS = str(Path(__file__).resolve().parent)   # plugins/: see entanglement_shared/__init__.py
if _PLUGINS not in sys.path:
    sys.path.append(_PLUGINS)
from entanglement_shared.settings import plugin_settings as _config  # noqa: E402

LINE_BREAKS = re.compile(r"[ \t]*\n\s*")
CONTEXT_CHARS = 240


def marked(value: str) -> Markup:
    """Escape everything, then restore only <mark> and </mark>; a run of blank
    lines becomes one line break (table cells are white-space: pre-wrap)."""
    html = str(escape(value))
    html = html.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    return Markup(LINE_BREAKS.sub("\n", html))


def _row_value(row, column):
    try:
        return row[column]
    except (IndexError, KeyError, TypeError):
        return None



@hookimpl
def prepare_connection(conn, database, datasette):
    mmap_size = _config(datasette).get("mmap_size")
    if mmap_size and database != "_internal":
        conn.execute(f"PRAGMA mmap_size = {int(mmap_size)}")


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if table is not None or value is None:
        return None   # table and row pages: Datasette's own rendering (foreign keys as labels)
    config = _config(datasette)
    if column in (config.get("marked_columns") or []) and isinstance(value, str):
        return marked(value)
    targets = (config.get("query_links") or {}).get(column)
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


@hookimpl(specname="filters_from_request", tryfirst=True)
def drop_empty_search(request, database, table, datasette):
    """Runs before Datasette's own search filter (tryfirst). A search that
    escapes to nothing ('"', '""') would make SQLite's FTS5 raise a syntax
    error and Datasette answer 400 on a table page: drop it from the request
    instead, as if the box had been left empty."""
    pairs = parse_qsl(request.scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not (k.startswith("_search") and k != "_searchmode" and not escape_fts(v))]
    if len(kept) != len(pairs):
        request.scope["query_string"] = urlencode(kept).encode("latin-1")
    return None


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    """`?_search=` on a view, through its base tables' full-text indexes.
    trylast: runs after Datasette's own search filter, whose extra_context
    (supports_search False for a view) this one must override."""
    via = (_config(datasette).get("searchable_views") or {}).get(table)
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


async def _passages(datasette, db, where: str, params: dict) -> list[dict]:
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


async def _label(db, table: str, column: str, value) -> str | None:
    label_column = await db.label_column_for_table(table)
    if not label_column:
        return None
    row = (await db.execute(f"select {escape_sqlite(label_column)} from {escape_sqlite(table)} "
                            f"where {escape_sqlite(column)} = :v", {"v": value})).first()
    if not row or row[0] is None:
        return None
    label = str(row[0])
    return label if len(label) <= 120 else label[:119] + "…"


async def _references(datasette, db, table: str, pk: str) -> list[dict]:
    """The rows this row points to: its foreign keys, and the (table, id)
    pairs of citations (fact_table, fact_id) and discrepancies (subject_table,
    subject_id). Datasette 0.65 shows foreign keys on row pages as bare ids."""
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


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or not database or not table or request is None:
        return {}

    async def inner():
        db = datasette.get_database(database)
        # Datasette 0.65 gives row pages the table's metadata without the
        # instance's license/source/about; add them, as table pages have them.
        metadata = dict(datasette.table_metadata(database, table))
        datasette.update_with_inherited_metadata(metadata)
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {"metadata": metadata}
        pk = pks[0]
        extra = {"entanglement_pk": pk, "metadata": metadata}
        columns = await db.table_columns(table)
        extra["entanglement_refers_to"] = await _references(datasette, db, table, pk)
        if "citations" in await db.table_names():
            extra["entanglement_citations"] = await _passages(
                datasette, db, "select id, fact_table, fact_id, field, source_id, start, \"end\" from citations "
                    "where fact_table = :t and fact_id = :id", {"t": table, "id": pk})
        if "inferred_links" in await db.table_names():
            # Links of this row that no cited passage states: the curators' inferences, each with the
            # passage it rests on (evidence rule 2).
            inferred = (await db.execute(
                "select id, link, coalesce(person_id, organization_id) as entity, basis, note from inferred_links "
                "where fact_table = :t and fact_id = :id order by id", {"t": table, "id": pk})).rows
            extra["entanglement_inferred"] = [
                {**dict(r), "url": datasette.urls.row(db.name, "inferred_links", tilde_encode(r["id"])),
                 "passages": await _passages(datasette, db, "select id, fact_table, fact_id, field, source_id, start, "
                                             "\"end\" from citations where fact_table = 'inferred_links' and fact_id = :id",
                                             {"id": r["id"]})}
                for r in inferred]
        if {"id", "source_id", "start", "end"} <= set(columns):
            # The row is itself a span of a source: a citation, quote printing, mention, segment...
            extra["entanglement_span"] = await _passages(
                datasette, db, f"select id, :t as fact_table, id as fact_id, 'span' as field, source_id, "
                    f"start, \"end\" from {escape_sqlite(table)} where id = :id and start is not null",
                {"t": table, "id": pk})
            cited = {(c["source_id"], c["start"], c["end"]) for c in extra.get("entanglement_citations") or []}
            extra["entanglement_span"] = [p for p in extra["entanglement_span"]
                                          if (p["source_id"], p["start"], p["end"]) not in cited]
        if table in ("people", "organizations", "cases", "policies", "sources"):
            label = {"cases": "title", "sources": "title"}.get(table, "name")
            rows = (await db.execute(f"select {label} from {table} where id = :id", {"id": pk})).rows
            extra["entanglement_label"] = rows[0][0] if rows else None
        return extra

    return inner
