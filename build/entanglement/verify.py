"""Verify stage: resolve every citation request to offsets in its source, and
check that every quotation in every document is accounted for."""

from __future__ import annotations

from dataclasses import dataclass, field

from .citations import NotFound, SourceText, fold
from .problems import Problems, short
from .progress import Advance, batched, nothing
from .quotespans import find_spans
from .rows import CiteRequest


def verify_citations(requests: list[CiteRequest], texts: dict[str, SourceText], problems: Problems,
                     advance: Advance = nothing) -> list[dict]:
    """Citation rows; fills the offsets of the rows the requests point to (advance: per request)."""
    rows: list[dict] = []
    numbers: dict[tuple[str, str], int] = {}
    for req in batched(requests, advance):
        st = texts.get(req.source_id)
        if st is None:
            continue  # unknown or unheld source: already reported by the resolve stage
        try:
            loc = _locate(req, st)
        except NotFound as exc:
            problems.add(req.path, req.line, f"{req.source_id}: {exc.message}")
            continue
        if req.fill is not None:
            start_key, end_key = req.prefix + "start", req.prefix + "end"
            if req.mode == "extend" and req.fill.get(start_key) is not None:
                req.fill[end_key] = max(req.fill[end_key], loc.end)
            else:
                req.fill[start_key], req.fill[end_key] = loc.start, loc.end
        if req.cite:
            key = (req.fact_table, req.fact_id)
            numbers[key] = numbers.get(key, 0) + 1
            rows.append({
                "id": f"{req.fact_table}--{req.fact_id}--{numbers[key]}", "fact_table": req.fact_table,
                "fact_id": req.fact_id, "field": req.field, "source_id": req.source_id, "excerpt": req.excerpt,
                "start": loc.start, "end": loc.end, "match": loc.match, "records_file": req.path,
                "records_line": req.line})
    return rows


def _locate(req: CiteRequest, st: SourceText):
    if req.mode == "one":
        return st.locate(req.excerpt, req.occurrence)
    found = st.find_all(req.excerpt)
    if not found:
        st.locate(req.excerpt)  # raises NotFound with the nearest passage
    if req.mode == "all":
        req.fill["occurrences"] = len(found)
        return found[0]
    if req.mode == "extend":
        after = req.fill.get("end")
        later = [f for f in found if after is None or f.start >= after]
        if not later:
            raise NotFound(f"this piece of the quotation does not follow the previous piece: \"{req.excerpt[:80]}\"")
        return later[0]
    # near: the occurrence closest to the row's own passage (an attribution next to its quote):
    # one in the quotation's own paragraph first, then by distance to the passage's nearer end, so
    # a "she said" right after a quotation beats one that ends the paragraph before.
    start = req.fill.get("start") or 0
    end = req.fill.get("end") or start

    def distance(f):
        gap = st.text[min(end, f.end):max(start, f.start)]
        return ("\n" in gap, max(0, start - f.end, f.start - end), f.start)   # its own paragraph first
    return min(found, key=distance)


@dataclass
class PendingQuotations:
    """What unreviewed proposals would account for (see review.pending_quotations):
    the pieces of proposed quote appearances, by source, and the folded texts of
    proposed non-quotations, by source."""
    pieces: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    non_quotations: dict[str, set[str]] = field(default_factory=dict)


def account_for_quotations(tables: dict[str, list[dict]], citations: list[dict], texts: dict[str, SourceText],
                           document_paths: dict[str, str], problems: Problems,
                           pending: PendingQuotations | None = None,
                           advance: Advance = nothing) -> tuple[list[dict], dict[str, int]]:
    """Every span between quotation marks must be a quote appearance or a listed
    non-quotation, or be pending review: accounted for only by an unreviewed
    proposal (`pending`), when it links neither and is no problem. A span
    nested in another is accounted for by the outer one. Returns the
    quotation_spans rows and, by source, the number of top-level spans pending
    (advance: per source)."""
    pending = pending or PendingQuotations()
    # (start, end, appearance id), the id None for a proposed piece
    pieces: dict[str, list[tuple[int, int, str | None]]] = {}
    for c in citations:
        if c["fact_table"] == "quote_appearances" and c["field"] == "text":
            pieces.setdefault(c["source_id"], []).append((c["start"], c["end"], c["fact_id"]))
    for sid, proposed in pending.pieces.items():
        pieces.setdefault(sid, []).extend((a, b, None) for a, b in proposed)
    non_quotes: dict[str, dict[str, str]] = {}
    for nq in tables["non_quotations"]:
        non_quotes.setdefault(nq["source_id"], {})[fold(nq["text"]).strip()] = nq["id"]
    rows: list[dict] = []
    pending_spans: dict[str, int] = {}
    for sid in batched(sorted(texts), advance, 64):
        text = texts[sid].text
        mine = sorted(pieces.get(sid, []), key=lambda p: (p[0], p[1], p[2] or ""))
        proposed_non_quotes = pending.non_quotations.get(sid, set())
        parents: list[tuple[dict, bool]] = []     # (row, pending)
        for span in find_spans(text):
            inner = text[span.start:span.end]
            piece = next((p for p in mine if p[0] < span.end and p[1] > span.start), None)
            if piece is not None:
                appearance, non_quote, is_pending = piece[2], None, piece[2] is None
            elif fold(inner).strip() in proposed_non_quotes:
                # a proposed non-quotation of these words makes the span pending,
                # even where a recorded one has the same words
                appearance, non_quote, is_pending = None, None, True
            else:
                appearance, non_quote, is_pending = None, non_quotes.get(sid, {}).get(fold(inner).strip()), False
            parent = next(((p, pp) for p, pp in reversed(parents)
                           if p["start"] <= span.start and span.end <= p["end"]), None)
            if appearance is None and non_quote is None and not is_pending and parent is not None:
                (p, is_pending) = parent
                appearance, non_quote = p["quote_appearance_id"], p["non_quotation_id"]
            if appearance is None and non_quote is None and not is_pending:
                line = text.count("\n", 0, span.start) + 1
                problems.add(document_paths.get(sid, sid), line,
                             f"quotation \"{short(inner, 90)}\" is not accounted for: add it to quotes.yml as an "
                             "appearance, or to non_quotations.yml")
            if is_pending and span.depth == 0:
                pending_spans[sid] = pending_spans.get(sid, 0) + 1
            row = {"id": f"{sid}--{span.start}", "source_id": sid, "start": span.start, "end": span.end,
                   "depth": span.depth, "text": inner, "quote_appearance_id": appearance,
                   "non_quotation_id": non_quote}
            rows.append(row)
            parents.append((row, is_pending))
    return rows, pending_spans
