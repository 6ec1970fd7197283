"""Two copies of one story compared: /<database>/compare?copy=<source id>&against=<source id>.

With no parameters: the machine rewrite against the repost (rewrite-fingerprints against
repost-fingerprints) when both exist, else the pair of sources with the most recorded discrepancies.

- Passage by passage (when both texts may be shown whole): the two texts are cut into paragraphs and
  compared word by word with Python's difflib.SequenceMatcher (the standard library's, well kept and
  deterministic). Paragraphs that share a run of at least MIN_RUN words are aligned in one row (runs
  are in the same order in both texts, so the rows are too); the paragraphs between two aligned rows
  are paired in order as rewritten, the rest shown as dropped or added. In each row, what the copy
  drops or changes is <del>, what it adds or changes it to is <ins>.
- Every passage that a recorded discrepancy cites, and every quotation a copy prints reworded or
  garbled, is marked in the texts and links to its entry below, which links to its row page.
- Recorded changes: the discrepancies between the two sources with their cited excerpts compared
  word by word; quotations printed differently: each altered printing against the most faithful
  printing of the same quote in the other source (or, if it does not print it, in any other copy).
- The public profile: a source whose rights are reserved has no text in the database (profiles.py),
  so the page shows the cited excerpts only (already cut to 50 words), never a whole text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

SHOWCASE = ("rewrite-fingerprints", "repost-fingerprints")
MIN_RUN = 3                          # words in common that tie two paragraphs together
WORD = re.compile(r"\S+")
PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
FIDELITY_ORDER = "case r2.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end"


# ------------------------------------------------------------------ words and marks

def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    end = len(text) if end is None else end
    return [(start + m.start(), start + m.end(), m.group()) for m in WORD.finditer(text[start:end])]


def changed_spans(a: list, b: list) -> tuple[list, list]:
    """The character spans of a's words that b drops or replaces, and of b's words that it adds or puts
    instead (a and b are words() lists), each run of changed words as one span."""
    sm = SequenceMatcher(None, [w[2] for w in a], [w[2] for w in b], autojunk=False)
    dels, ins = [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag in ("delete", "replace") and i2 > i1:
            dels.append((a[i1][0], a[i2 - 1][1]))
        if tag in ("insert", "replace") and j2 > j1:
            ins.append((b[j1][0], b[j2 - 1][1]))
    return dels, ins


def render(text: str, start: int, end: int, changed: list, tag: str, notes: list) -> Markup:
    """text[start:end] as HTML: the changed spans in <tag> (del or ins), the noted spans (start, end,
    href, title) as links; everything escaped."""
    cuts = {start, end}
    for s, e in changed:
        cuts.update(x for x in (s, e) if start < x < end)
    for n in notes:
        cuts.update(x for x in (n[0], n[1]) if start < x < end)
    cuts = sorted(cuts)
    out, open_note = [], None
    for s, e in zip(cuts, cuts[1:]):
        note = next((n for n in notes if n[0] <= s and e <= n[1]), None)
        is_changed = any(cs <= s and e <= ce for cs, ce in changed)
        if note is not open_note:
            if open_note is not None:
                out.append("</a>")
            if note is not None:
                out.append(f'<a class="noted" href="{escape(note[2])}" title="{escape(note[3])}">')
            open_note = note
        piece = escape(text[s:e])
        out.append(f"<{tag}>{piece}</{tag}>" if is_changed and text[s:e].strip() else str(piece))
    if open_note is not None:
        out.append("</a>")
    return Markup("".join(out))


def compare_excerpts(a: str, b: str) -> tuple[Markup, Markup]:
    wa, wb = words(a), words(b)
    dels, ins = changed_spans(wa, wb)
    return render(a, 0, len(a), dels, "del", []), render(b, 0, len(b), ins, "ins", [])


# ------------------------------------------------------------------ passage alignment

def paragraphs(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PARAGRAPH.finditer(text)]


def align(a_text: str, b_text: str) -> list[dict]:
    """Rows of aligned paragraphs: {"a": (first, last) or None, "b": (first, last) or None, "kind"}."""
    pa, pb = paragraphs(a_text), paragraphs(b_text)
    wa, wb = words(a_text), words(b_text)
    ia, ib = list(_paragraph_index(pa, wa)), list(_paragraph_index(pb, wb))
    sm = SequenceMatcher(None, [w[2] for w in wa], [w[2] for w in wb], autojunk=False)
    links = sorted({(ia[blk.a + k], ib[blk.b + k]) for blk in sm.get_matching_blocks() if blk.size >= MIN_RUN
                    for k in range(blk.size)})
    groups: list[list[int]] = []
    for i, j in links:
        if groups and (i <= groups[-1][1] or j <= groups[-1][3]):
            g = groups[-1]
            g[1], g[3] = max(g[1], i), max(g[3], j)
        else:
            groups.append([i, i, j, j])
    rows, next_a, next_b = [], 0, 0
    for a0, a1, b0, b1 in groups + [[len(pa), None, len(pb), None]]:
        gap_a, gap_b = list(range(next_a, a0)), list(range(next_b, b0))
        for k in range(max(len(gap_a), len(gap_b))):
            ra = (gap_a[k], gap_a[k]) if k < len(gap_a) else None
            rb = (gap_b[k], gap_b[k]) if k < len(gap_b) else None
            rows.append({"a": ra, "b": rb, "kind": "rewritten" if ra and rb else ("dropped" if ra else "added")})
        if a1 is not None:
            rows.append({"a": (a0, a1), "b": (b0, b1), "kind": "aligned"})
            next_a, next_b = a1 + 1, b1 + 1
    return [{**r, "a_span": _span(pa, r["a"]), "b_span": _span(pb, r["b"])} for r in rows]


def _paragraph_index(spans, ws):
    k = 0
    for s, _, _ in ws:
        while k + 1 < len(spans) and s >= spans[k][1]:
            k += 1
        yield k


def _span(paras, pair):
    return (paras[pair[0]][0], paras[pair[1]][1]) if pair else None


# ------------------------------------------------------------------ the page

async def _source(db, source_id: str) -> dict | None:
    row = (await db.execute("select id, title, publisher, kind, date, held, text, derived_from, relation "
                            "from sources where id = :id", {"id": source_id})).first()
    return dict(row) if row else None


async def _default_pair(db) -> tuple[str, str] | None:
    ids = {r[0] for r in (await db.execute("select id from sources where id in (:a, :b)",
                                           {"a": SHOWCASE[0], "b": SHOWCASE[1]})).rows}
    if ids == set(SHOWCASE):
        return SHOWCASE
    row = (await db.execute("select source_id, compared_to_source_id from discrepancies "
                            "group by 1, 2 order by count(*) desc, 1, 2 limit 1")).first()
    return (row[0], row[1]) if row else None


async def _partner(db, source_id: str) -> str | None:
    """The source to compare this one with: the one it has most recorded discrepancies with, else a held
    source of the same story (its original, a copy of it, or another copy of the same original)."""
    row = (await db.execute("""
        select other from (
            select compared_to_source_id as other from discrepancies where source_id = :s
            union all select source_id from discrepancies where compared_to_source_id = :s)
        group by other order by count(*) desc, other limit 1""", {"s": source_id})).first()
    if row:
        return row[0]
    row = (await db.execute("""
        select o.id from sources s join sources o on o.id <> s.id and o.held = 1
          and (o.id = s.derived_from or o.derived_from = s.id or o.derived_from = s.derived_from)
        where s.id = :s order by o.id limit 1""", {"s": source_id})).first()
    return row[0] if row else None


async def _discrepancies(datasette, db, a: str, b: str) -> list[dict]:
    rows = (await db.execute("""
        select id, kind, source_id, compared_to_source_id, subject_table, subject_id, description
        from discrepancies where (source_id = :a and compared_to_source_id = :b)
                              or (source_id = :b and compared_to_source_id = :a)
        order by kind, id""", {"a": a, "b": b})).rows
    out = {r[0]: {"id": r[0], "kind": r[1], "description": r[6], "cited": {a: [], b: []},
                  "url": datasette.urls.row(db.name, "discrepancies", tilde_encode(r[0])),
                  "subject_url": datasette.urls.row(db.name, r[4], tilde_encode(r[5])) if r[4] and r[5] else None}
           for r in rows}
    if out:
        marks = ", ".join(f":d{i}" for i in range(len(out)))
        for fact_id, source_id, start, end, excerpt in (await db.execute(
                f"select fact_id, source_id, start, \"end\", excerpt from citations where fact_table = 'discrepancies' "
                f"and fact_id in ({marks}) and source_id in (:a, :b) order by fact_id, source_id, start",
                {**{f"d{i}": d for i, d in enumerate(out)}, "a": a, "b": b})).rows:
            out[fact_id]["cited"][source_id].append({"start": start, "end": end, "excerpt": excerpt})
    for n, d in enumerate(out.values(), 1):
        d["n"] = n
        d["a_html"], d["b_html"] = compare_excerpts(" … ".join(c["excerpt"] for c in d["cited"][a]),
                                                    " … ".join(c["excerpt"] for c in d["cited"][b]))
    return list(out.values())


async def _altered_quotes(datasette, db, a: str, b: str) -> list[dict]:
    rows = (await db.execute(f"""
        with altered as (
            select v.id, v.quote_id, v.source_id, v.text, v.fidelity, v.start, v."end",
                   (select r2.id from quote_appearances r2
                    where r2.quote_id = v.quote_id and r2.source_id <> v.source_id
                    order by r2.source_id in (:a, :b) desc, {FIDELITY_ORDER}, r2.id limit 1) as ref_id
            from quote_appearances v
            where v.source_id in (:a, :b) and v.fidelity <> 'verbatim')
        select v.id, v.quote_id, v.source_id, v.text, v.fidelity, v.start, v."end", q.speaker_name,
               r.id, r.source_id, r.text, r.fidelity, sr.title
        from altered v
        join quotes q on q.id = v.quote_id
        left join quote_appearances r on r.id = v.ref_id
        left join sources sr on sr.id = r.source_id
        order by v.source_id = :a, v.source_id, v.start""", {"a": a, "b": b})).rows
    out = []
    for n, r in enumerate(rows, 1):
        ref_html, copy_html = compare_excerpts(r[10] or "", r[3])
        out.append({"n": n, "id": r[0], "quote_id": r[1], "source_id": r[2], "fidelity": r[4], "start": r[5],
                    "end": r[6], "speaker": r[7], "ref_id": r[8], "ref_source_id": r[9], "ref_fidelity": r[11],
                    "ref_title": r[12], "ref_html": ref_html, "copy_html": copy_html,
                    "url": datasette.urls.row(db.name, "quote_appearances", tilde_encode(r[0])),
                    "quote_url": datasette.urls.row(db.name, "quotes", tilde_encode(r[1])),
                    "ref_url": datasette.urls.row(db.name, "quote_appearances", tilde_encode(r[8])) if r[8] else None})
    return out


def _notes(source_id: str, changes: list[dict], quotes: list[dict]) -> list[tuple]:
    notes = []
    for d in changes:
        for c in d["cited"][source_id]:
            notes.append((c["start"], c["end"], f"#change-{d['id']}", f"{d['n']}. {d['kind'].replace('_', ' ')}"))
    for q in quotes:
        if q["source_id"] == source_id:
            notes.append((q["start"], q["end"], f"#quote-{q['id']}", f"quotation printed {q['fidelity']}"))
    return sorted(notes)


def aligned_rows(a: dict, b: dict, changes: list[dict], quotes: list[dict]) -> list[dict]:
    notes_a, notes_b = _notes(a["id"], changes, quotes), _notes(b["id"], changes, quotes)
    rows = []
    for r in align(a["text"], b["text"]):
        wa = words(a["text"], *r["a_span"]) if r["a_span"] else []
        wb = words(b["text"], *r["b_span"]) if r["b_span"] else []
        dels, ins = changed_spans(wa, wb)
        row = {"kind": r["kind"], "a_html": None, "b_html": None, "changes": []}
        for side, text, span, changed, tag, notes in (("a", a["text"], r["a_span"], dels, "del", notes_a),
                                                      ("b", b["text"], r["b_span"], ins, "ins", notes_b)):
            if span:
                inside = [n for n in notes if n[0] < span[1] and n[1] > span[0]]
                row[f"{side}_html"] = render(text, span[0], span[1], changed, tag, inside)
                row["changes"] += [n for n in inside if n[2] not in {c[2] for c in row["changes"]}]
        row["identical"] = not dels and not ins
        rows.append(row)
    return rows


async def compare(datasette, request):
    database = request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound(f"Database not found: {database}")
    if "discrepancies" not in await db.table_names():
        raise NotFound("This database has no sources to compare")
    copy_id = (request.args.get("copy") or "").strip()
    against_id = (request.args.get("against") or "").strip()
    if not copy_id and not against_id:
        pair = await _default_pair(db)
        if pair is None:
            raise NotFound("No two sources to compare")
        copy_id, against_id = pair
    if copy_id and not against_id:
        against_id = await _partner(db, copy_id) or ""
    elif against_id and not copy_id:
        copy_id = await _partner(db, against_id) or ""
    b, a = await _source(db, copy_id), await _source(db, against_id)
    if a is None or b is None:
        raise NotFound(f"No source {copy_id if b is None else against_id!r}: give ?copy= and ?against= source ids")
    changes = await _discrepancies(datasette, db, a["id"], b["id"])
    quotes = await _altered_quotes(datasette, db, a["id"], b["id"])
    whole = bool(a["text"]) and bool(b["text"])
    rows = aligned_rows(a, b, changes, quotes) if whole else []
    pairs = (await db.execute("""
        select d.source_id, d.compared_to_source_id, count(*), s.title, c.title from discrepancies d
        join sources s on s.id = d.source_id join sources c on c.id = d.compared_to_source_id
        where :s in (d.source_id, d.compared_to_source_id) or :t in (d.source_id, d.compared_to_source_id)
        group by 1, 2 order by 3 desc, 1, 2 limit 12""", {"s": a["id"], "t": b["id"]})).rows
    url = lambda c, g: datasette.urls.database(database) + "/compare?" + urlencode({"copy": c, "against": g})
    context = {
        "database": database, "a": a, "b": b, "whole": whole, "rows": rows, "changes": changes, "quotes": quotes,
        "counts": {k: sum(1 for r in rows if r["kind"] == k) for k in ("aligned", "rewritten", "dropped", "added")},
        "swap_url": url(a["id"], b["id"]),
        "pairs": [{"url": url(p[0], p[1]), "copy_title": p[3], "against_title": p[4], "n": p[2],
                   "current": (p[0], p[1]) == (b["id"], a["id"])} for p in pairs],
        "source_url": lambda s: datasette.urls.row(database, "sources", tilde_encode(s)),
        "credits": datasette.metadata() or {},
    }
    return Response.html(await datasette.render_template("pages/compare.html", context, request=request))


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    """A source's row page links to its comparison with the source it is best compared with."""
    if view_name != "row" or table != "sources" or request is None:
        return {}

    async def inner():
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {}
        partner = await _partner(datasette.get_database(database), pks[0])
        if not partner:
            return {}
        return {"entanglement_compare_url": datasette.urls.database(database) + "/compare?"
                + urlencode({"copy": pks[0], "against": partner})}

    return inner


@hookimpl
def register_routes():
    return [(r"^/(?P<database>[^/]+)/compare$", compare)]
