"""The extractor's entry point, `extract()`: it reads the document's names
(Registry), its quotation units, decides for each unit whether it is a
quotation or a non-quotation, joins the pieces of one quotation, finds each
quotation's speaker (Quoter) and any known quotation it prints again, and
estimates the document's lineage from shared wording (copies).
"""

from __future__ import annotations

import re

from .attribution import Quoter
from .copies import find_copies
from .document import Doc
from .knowledge import Knowledge
# QUOTE_CANDIDATES is read here at each call, so that an experiment (bench/experiments.py) can vary it on this module
from .known_quotes import QUOTE_CANDIDATES, QuoteIndex, match_known_quote
from .lexicon import PRONOUNS, WRITTEN_NOUNS
from .nonquotes import classify_nonquote, looks_like_words, nonquote_kind, title_case
from .proposals import Entity, NonQuotation, Proposals, Quotation
from .registry import Registry
from .units import Cue, QuoteUnit, quote_units


def extract(text: str, knowledge: Knowledge, source_id: str, source_kind: str | None = None) -> Proposals:
    """Every proposal for one document. source_kind (e.g. press_release) may
    refine the kind of its quotations (statements supplied for a release)."""
    doc = Doc(text)
    props = Proposals(source_id, text)
    if not text.strip():
        props.notes.append("the document is empty")
        return props
    reg = Registry(doc, knowledge, source_id)
    units = quote_units(text)
    quoter = Quoter(doc, reg, units)
    qindex = knowledge.prepared("quote index", QuoteIndex)
    cues_after = {id(u): quoter.after_cue(u.close_mark) if u.close_mark is not None else None for u in units}
    decided = _decide(text, doc, units, quoter, cues_after)
    groups, props.non_quotations = _group(text, doc, decided, cues_after)
    props.quotations = _attribute(text, doc, groups, quoter, reg, qindex, source_kind)
    _keep_article_entities(props, reg)
    _estimate_lineage(props, text, knowledge)
    return props


def _decide(text: str, doc: Doc, units: list[QuoteUnit], quoter: Quoter,
            cues_after: dict[int, Cue | None]) -> list[tuple[QuoteUnit, str, object]]:
    """For each quotation unit, in order: (unit, 'quote', its cue or None) or
    (unit, 'non', (non-quotation kind, cue)). `cues_after` holds each unit's
    attribution after it (by id of the unit)."""
    decided: list[tuple[QuoteUnit, str, object]] = []   # (unit, 'quote'|'non', cue or (kind, cue))
    for u in units:
        nq = classify_nonquote(text, u, doc)
        if nq is None or nq[0] in ("term", "scare_quote"):
            lead = re.search(r"\b(call|calls|called|described)\b(?:[ \t]+[\w’'\-]+){0,4}?[ \t]+(?:as[ \t]+)?$",
                             text[max(0, u.open_mark - 80):u.open_mark])
            if lead and not text[max(0, u.open_mark - 80):u.open_mark][:lead.start()].rstrip().lower().endswith("so"):
                vpos = max(0, u.open_mark - 80) + lead.start(1)
                subject = quoter.immediate_subject(vpos, vpos + len(lead.group(1)))
                if subject is not None:
                    cue = Cue(None, 0, 0, "spoken", (vpos, u.open_mark), f"'{subject.name} {lead.group(1)} … “…”': "
                               "the words are the subject's", 0.7, u.open_mark)
                    cue.entity = subject
                    decided.append((u, "quote", cue))
                    continue
        owner = quoter.owner_of_words(u.open_mark) if nq is None or nq[0] != "title" else None
        if owner is not None:
            decided.append((u, "quote", owner))
            continue
        if nq:
            decided.append((u, "non", nq))
            continue
        prev = decided[-1] if decided else None
        if prev and prev[1] == "non" and prev[0].close_mark is not None \
                and re.fullmatch(r"[ \t]*(?:,|;|and|or|,[ \t]*and|,[ \t]*or)[ \t]*", text[prev[0].close_mark + 1:u.open_mark]):
            # "signs that read “A” and “B”": the same kind as the one before
            decided.append((u, "non", (prev[2][0], "listed with the one before")))
            continue
        cue = cues_after[id(u)] or quoter.before_cue(u.open_mark) or quoter.colon_cue(u.open_mark)
        if cue is not None and cue is cues_after[id(u)] and _ends_its_sentence_inside(text, doc, u):
            # 'the alliance said that the answer left “more questions than it
            # settled.” Baek, of the alliance, said …': the words end the
            # sentence that reports them; the next sentence is another's
            inline = quoter.inline_cue(u.open_mark)
            if inline is not None:
                cue = inline
        if cue:
            decided.append((u, "quote", cue))
            continue
        prev = decided[-1] if decided else None
        if prev and prev[1] == "quote" and prev[0].close_mark is not None \
                and doc.line_of(prev[0].close_mark) == doc.line_of(u.open_mark) \
                and _continues(text, doc, prev[0], u, prev[2], None, cues_after[id(prev[0])]):
            # "“…,” Ferreira said. “Eleven.”": a quotation continued after its attribution
            decided.append((u, "quote", None))
            continue
        inline = quoter.inline_cue(u.open_mark)
        starts = looks_like_words(text, u, doc)
        if title_case(text[u.pieces[0][0]:u.pieces[-1][1]]):
            decided.append((u, "non", ("title", "title case, no attribution")))
            continue
        if inline and (len(text[u.pieces[0][0]:u.pieces[-1][1]].split()) >= 2 or starts):
            decided.append((u, "quote", inline))
        elif starts:
            decided.append((u, "quote", None))
        else:
            decided.append((u, "non", nonquote_kind(text, u)))
    return decided


def _group(text: str, doc: Doc, decided: list[tuple[QuoteUnit, str, object]], cues_after: dict[int, Cue | None]
           ) -> tuple[list[tuple[list[QuoteUnit], Cue | None, str | None]], list[NonQuotation]]:
    """The quotations as groups of units (units, cue, how they were grouped),
    and the non-quotations."""
    groups: list[tuple[list[QuoteUnit], Cue | None, str | None]] = []   # (units, cue, how it was grouped)
    non_quotations: list[NonQuotation] = []
    # group the pieces of one quotation: split by its attribution, continued after
    # it in the same paragraph, or two fragments of one sentence of reported speech
    for u, verdict, info in decided:
        if verdict == "non":
            kind, cue = info
            a, b = u.pieces[0][0], u.pieces[-1][1]
            non_quotations.append(NonQuotation(a, b, kind, cue, 0.6 if "before it" in cue else 0.5))
            continue
        cue = info
        if groups:
            prev_units, prev_cue, _ = groups[-1]
            last = prev_units[-1]
            if last.close_mark is not None and doc.line_of(last.close_mark) == doc.line_of(u.open_mark) \
                    and _continues(text, doc, last, u, prev_cue, cue, cues_after[id(last)]):
                prev_units.append(u)
                if prev_cue is None and cue is not None:
                    groups[-1] = (prev_units, cue, "joined")
                continue
        groups.append(([u], cue, None))
    return groups, non_quotations


def _attribute(text: str, doc: Doc, groups: list[tuple[list[QuoteUnit], Cue | None, str | None]], quoter: Quoter,
               reg: Registry, qindex: QuoteIndex, source_kind: str | None) -> list[Quotation]:
    """Each group as a Quotation with its speaker: from its cue, else the
    paragraph's last speaker or issuer, else the last party reported speaking;
    a copy of a known quotation takes that quotation's speaker unless the text
    names another."""
    quotations: list[Quotation] = []
    last_speaker: tuple[int, Entity | None] = (-1, None)
    for us, cue, _ in groups:
        q = Quotation([p for u in us for p in u.pieces], unbalanced=any(u.unbalanced for u in us))
        pos = us[0].open_mark
        line = doc.line_of(pos)
        ent, how, conf = None, "", 0.0
        if cue is not None:
            ent, how, conf = quoter.speaker_of(cue, pos)
            q.attribution = cue.attribution if cue.attribution[1] > cue.attribution[0] else None
            q.kind = cue.kind
            q.cue = cue.cue + (f"; {how}" if how else "")
            q.confidence = round(cue.confidence * conf, 2) if ent else 0.0
        if ent is None:
            # no attribution of its own: a quotation continuing the paragraph's
            # (or the previous paragraph's) speaker, or a letter's words
            issuer, noun = quoter.last_issuer(pos, max(doc.line_starts[max(0, line - 1)], pos - 1500))
            if last_speaker[1] is not None and last_speaker[0] >= line - 1 and not issuer:
                ent = last_speaker[1]
                q.cue = "continues the previous quotation's speaker"
                q.confidence = 0.6
            elif issuer is not None:
                ent = issuer
                q.kind = "written" if noun in WRITTEN_NOUNS or noun == "open letter" else "statement"
                q.cue = f"follows the {noun} that {issuer.name} sent or issued"
                q.confidence = 0.6
            else:
                said_at, ent = quoter.nearest_speaker(pos) or (None, None)
                if ent is not None and doc.line_of(said_at) == line:
                    # "X said the logs show … “…”": reported speaking in the
                    # quotation's own paragraph, just before it
                    q.cue = "no attribution: the party reported speaking earlier in its paragraph"
                    q.confidence = 0.55
                elif ent is not None:
                    q.cue = "no attribution: the last person reported speaking before it"
                    q.confidence = 0.3
        # a copy of a known quotation: its speaker, unless the text names another
        texts = [text[a:b] for a, b in q.pieces]
        known, score, fid = match_known_quote(texts, qindex, QUOTE_CANDIDATES)
        if known is not None:
            named = cue is not None and ent is not None and not (cue.subject or "").lower() in PRONOUNS \
                and q.confidence >= 0.8
            if not named or ent.key == known.speaker:
                q.known_quote, q.fidelity, q.similarity = known.id, fid, score
                if ent is None or ent.key != known.speaker:
                    spk = reg.entity_for(known.speaker)
                    if spk is not None:
                        ent = spk
                        q.cue = f"{fid} copy of known quotation {known.id} (similarity {score:.2f})" + (
                            f"; overrides: {q.cue}" if q.cue else "")
                        q.confidence = round(min(0.95, 0.5 + score / 2), 2)
                        q.kind = known.kind
                else:
                    q.cue += f"; {fid} copy of known quotation {known.id}"
        if ent is not None:
            q.speaker = ent.key
            last_speaker = (doc.line_of(q.pieces[-1][1]), ent)
        if source_kind == "press_release" and q.kind == "spoken":
            q.kind = "statement"
        if q.unbalanced:
            q.cue = (q.cue + "; " if q.cue else "") + "quotation marks not balanced: the quotation is taken to end with its paragraph"
            q.confidence = round(q.confidence * 0.7, 2)
        quotations.append(q)
    return quotations


def _keep_article_entities(props: Proposals, reg: Registry) -> None:
    """props.entities and props.mentions: the registry's, in text order, without
    known ones never mentioned or speaking here, and without new ones named only
    inside non-quotations."""
    props.entities = {k: reg.entities[k] for k in sorted(reg.entities, key=lambda k: (reg.entities[k].first, k))}
    seen = set()
    mentions = []
    for m in sorted(reg.mentions, key=lambda m: (m.start, m.end, m.key)):
        if (m.start, m.end, m.key) not in seen:
            seen.add((m.start, m.end, m.key))
            mentions.append(m)
    props.mentions = mentions
    # known entities reached only through knowledge (a quote's speaker, a fuzzy
    # match) and never mentioned here are not article entities
    mentioned = {m.key for m in mentions} | {q.speaker for q in props.quotations if q.speaker}
    props.entities = {k: e for k, e in props.entities.items() if k in mentioned}

    inside_nonquote = [(n.start, n.end) for n in props.non_quotations]
    # an unnamed person or group is a record only as the speaker of a quotation
    speakers = {q.speaker for q in props.quotations}
    drop = {key for key, ent in props.entities.items() if ent.unnamed and key not in speakers}
    for key, ent in props.entities.items():
        if ent.known:
            continue
        ms = [m for m in props.mentions if m.key == key]
        if ms and all(any(a <= m.start and m.end <= b for a, b in inside_nonquote) for m in ms):
            drop.add(key)
    props.entities = {k: e for k, e in props.entities.items() if k not in drop}
    props.mentions = [m for m in props.mentions if m.key not in drop]


def _estimate_lineage(props: Proposals, text: str, knowledge: Knowledge) -> None:
    """props.copies, and derived_from and relation: from shared word 5-grams
    with a held source, else from two or more known quotations printed that
    are known from copies of one original."""
    props.copies = find_copies(text, knowledge)
    shared_quotes = sorted({q.known_quote for q in props.quotations if q.known_quote})
    if not (props.copies and props.copies[0].share >= 0.1) and len(shared_quotes) >= 2:
        # no shared passages, but it prints two or more quotations known from
        # copies of one original: a summary or rewrite of that original
        roots: dict[str, list[str]] = {}
        by_id = {s.id: s for s in knowledge.sources}
        for qid in shared_quotes:
            kq = next(q for q in knowledge.quotes if q.id == qid)
            for sid in sorted({a[0] for a in kq.appearances}):
                src = by_id.get(sid)
                if src is not None:
                    roots.setdefault(src.derived_from or src.id, []).append(qid)
        if roots:
            root, qids = sorted(roots.items(), key=lambda kv: (-len(set(kv[1])), kv[0]))[0]
            if len(set(qids)) >= 2:
                props.derived_from = root
                props.relation = (f"machine-estimated: prints {len(set(qids))} quotations known from copies of {root} "
                                  f"({', '.join(sorted(set(qids)))}), with little shared wording")
    if props.copies and props.copies[0].share >= 0.1:
        best = props.copies[0]
        src = next(s for s in knowledge.sources if s.id == best.source_id)
        root = src.derived_from or src.id
        props.derived_from = root
        via = f" (via the held copy {src.id}, itself derived from {root})" if src.derived_from else ""
        props.relation = (f"machine-estimated: shares {best.share:.0%} of its word 5-grams with {src.id}{via}"
                          + (f"; prints known quotations {', '.join(shared_quotes)}" if shared_quotes else ""))
        best.quotes = shared_quotes


def _ends_its_sentence_inside(text: str, doc: Doc, u: QuoteUnit) -> bool:
    """A quotation that does not open its sentence and whose last words end
    that sentence inside the marks (‘… that the answer left “more questions.”’)."""
    if u.close_mark is None:
        return False
    inner = text[u.pieces[-1][0]:u.pieces[-1][1]].rstrip()
    if not inner.endswith((".", "!", "?")):
        return False
    start = max(doc.sentence_start(u.open_mark), doc.line_bounds(u.open_mark)[0])
    return bool(text[start:u.open_mark].strip())


def _continues(text: str, doc: Doc, prev: QuoteUnit, cur: QuoteUnit, prev_cue: Cue | None, cue: Cue | None,
               prev_after: Cue | None) -> bool:
    """Is `cur` the next piece of the quotation `prev` belongs to?"""
    between = text[prev.close_mark + 1:cur.open_mark]
    if len(between) > 400:
        return False
    if not between.strip(" \t,;:—–-"):
        return True
    if prev_after is not None and prev_after.end <= cur.open_mark:
        rest = text[prev_after.end:cur.open_mark].rstrip().rstrip(".,;:—–-")
        if not re.search(r"[.!?][”\"’]?\s", rest):
            # "“A,” X said, “B”" or "“A,” X said. “B.”": B continues A
            own = cue is not None and cue is not prev_after and cue.attribution[0] > cur.open_mark
            return not own
    if cue is not None and prev_cue is not None and "partial" in cue.cue and "partial" in prev_cue.cue \
            and cue.entity is prev_cue.entity and doc.sentence_start(prev.open_mark) == doc.sentence_start(cur.open_mark):
        return True
    return False
