"""Review files as ingest writes them: a document's proposals (see extract/)
as records in the raw/records format, each with `review: unreviewed`, the
extractor's `confidence` and `cue`, and citations that resolve; and the YAML
text of the file (`dump_review`). review.py reads them back for the build.
"""

from __future__ import annotations

import re

import yaml

from .citations import SourceText, fold
from .extract import name_key
from .ids import free_id, record_slug
from .load import KINDS
from .validate import DATE


# --- writing a review file -------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, value: str):
    if DATE.match(value) or value in ("yes", "no", "true", "false", "on", "off", "null", "~") or value[:1] in "*&!%@`|>'\"#{}[],?:-" \
            or ": " in value or " #" in value or value != value.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _str)


def dump_review(records: dict[str, list[dict]], header: str = "") -> str:
    """The YAML text of a review file (kinds in load order, records in the
    order given, fields in the order given)."""
    parts = [header.rstrip() + "\n\n"] if header else []
    for kind in KINDS:
        recs = records.get(kind) or []
        if not recs:
            continue
        body = yaml.dump({kind: recs}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110,
                         default_flow_style=False, indent=2)
        head, _, items = body.partition("\n")
        parts.append(head + "\n" + re.sub(r"\n(- )", r"\n\n\1", items) + "\n")
    return "".join(parts) if parts else "{}\n"


# --- proposals as records ----------------------------------------------------------------

def _excerpt(st: SourceText, text: str, start: int, end: int, pad: int = 60) -> dict:
    """A citation of text[start:end] widened to whole words within its line (at
    most `pad` characters each side, fewer if the line ends), with
    `occurrence:` when the excerpt is not unique."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    a, b = start, end
    if b - a < 60:
        a = max(line_start, start - pad)
        b = min(line_end, end + pad)
        while a > line_start and not text[a - 1].isspace():
            a -= 1
        while b < line_end and not text[b].isspace():
            b += 1
    excerpt = text[a:b].strip()
    a = a + (len(text[a:b]) - len(text[a:b].lstrip()))
    return _with_occurrence(st, excerpt, a)


def _with_occurrence(st: SourceText, excerpt: str, start: int) -> dict:
    found = st.find_all(excerpt)
    out = {"excerpt": excerpt}
    if len(found) > 1:
        n = next((i for i, f in enumerate(found, 1) if f.start == start), 1)
        out["occurrence"] = n
    return out


def _cite(st: SourceText, text: str, sid: str, start: int, end: int) -> list[dict]:
    return [{"source": sid, **_excerpt(st, text, start, end)}]


def _meta(confidence: float | None, cue: str | None) -> dict:
    out: dict = {"review": "unreviewed"}
    if confidence is not None:
        out["confidence"] = round(float(confidence), 2)
    if cue:
        out["cue"] = cue
    return out


def records_from_proposals(props, knowledge, source: dict | None, existing_spans: list[tuple[int, int]] | None = None,
                           existing_non_quotes: set[str] | None = None) -> dict[str, list[dict]]:
    """The review file's records for a document's proposals. `source` is the
    proposed source record (None when the source is already recorded);
    proposals already covered by records (existing_spans, existing_non_quotes)
    are left out."""

    text, sid = props.text, props.source_id
    st = SourceText(text)
    out: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    known_ids = {e.id for e in knowledge.entities}
    known_names = {e.id: {e.name} | {a for a, _ in e.aliases} for e in knowledge.entities}
    taken = set(knowledge.taken_ids) | {e.key for e in props.entities.values()}

    if source is not None:
        rec = _meta(source.pop("_confidence", None), source.pop("_cue", None))
        rec.update({k: v for k, v in source.items() if v not in (None, "", [])})
        if props.derived_from and "derived_from" not in rec:
            rec["derived_from"] = props.derived_from
            rec["relation"] = props.relation
        out["sources"].append(rec)

    ents = props.entities
    for ent in ents.values():
        if ent.known:
            # new spellings of a known name: an extension of its record
            new_forms = [(f, span) for f, span in ent.forms.items()
                         if f not in known_names.get(ent.key, set()) and f.strip() and ent.key in known_ids
                         and not any(name_key(f) == name_key(k) for k in known_names[ent.key])]
            if not new_forms:
                continue
            kind = "people" if ent.kind == "person" else "organizations"
            aliases = [{"name": f, "kind": _alias_kind(f, ent.name, fuzzy=True), "cite": _cite(st, text, sid, *span)}
                       for f, span in new_forms]
            rec = _meta(0.5, f"new form(s) of the known name {ent.name}")
            rec.update({"id": ent.key, "aliases": aliases})
            out[kind].append(rec)
            continue
        cite = _cite(st, text, sid, *(_widest_role(ent) or ent.first))
        aliases = [{"name": f, "kind": _alias_kind(f, ent.name), "cite": _cite(st, text, sid, *span)}
                   for f, span in ent.forms.items() if f != ent.name and name_key(f) != name_key(ent.name)]
        role_text = "; ".join(dict.fromkeys(r for r, _, _ in ent.roles))
        if ent.kind == "person":
            rec = _meta(ent.confidence, ent.cue)
            rec.update({"id": ent.key, "name": ent.name, "category": ent.category,
                        "description": (f"An unnamed person: {sid} reports '{ent.name}' speaking without naming them."
                                        if ent.unnamed else
                                        f"{role_text} (as stated in {sid})" if role_text else f"Named in {sid}."),
                        "cite": cite})
            if aliases:
                rec["aliases"] = aliases
            affs = []
            for org_key, role, rs, re_ in ent.orgs:
                if org_key in ents or org_key in known_ids:
                    affs.append({"organization": org_key, "role": role, "cite": _cite(st, text, sid, rs, re_)})
            if affs:
                rec["affiliations"] = affs
            out["people"].append(rec)
        else:
            rec = _meta(ent.confidence, ent.cue)
            rec.update({"id": ent.key, "name": ent.name, "type": ent.org_type, "jurisdiction": ent.jurisdiction,
                        "description": (f"An unnamed group: {sid} reports '{ent.name}' speaking without naming them."
                                        if ent.unnamed else
                                        f"Named in {sid}" + (f" ({role_text})" if role_text else "") + "."),
                        "cite": cite})
            if aliases:
                rec["aliases"] = aliases
            out["organizations"].append(rec)

    forms_of = {ent.key: {ent.name, *ent.forms} for ent in ents.values()}
    spans = existing_spans or []
    seen_nq = set(existing_non_quotes or ())
    quote_ids: set[str] = set()
    for q in props.quotations:
        if any(a < e and s < b for a, b in q.pieces for s, e in spans):
            continue
        pieces = [text[a:b] for a, b in q.pieces]
        if q.speaker is None:
            key = fold(" ".join(pieces)).strip()
            if key in seen_nq:
                continue
            seen_nq.add(key)
            rec = _meta(0.2, (q.cue + "; " if q.cue else "") + "no speaker found: recorded as 'other' until somebody is")
            rec.update({"source": sid, "text": text[q.pieces[0][0]:q.pieces[-1][1]], "kind": "other",
                        "note": "between quotation marks, but the extractor found no speaker; make it a quote if you know who said it"})
            out["non_quotations"].append(rec)
            continue
        app: dict = {"source": sid, "text": pieces if len(pieces) > 1 else pieces[0]}
        occ = _with_occurrence(st, pieces[0], q.pieces[0][0]).get("occurrence")
        if occ:
            app["occurrence"] = occ
        if q.attribution:
            app["attribution"] = text[q.attribution[0]:q.attribution[1]].strip()
        app["fidelity"] = q.fidelity if q.known_quote else "verbatim"
        rec = _meta(q.confidence, q.cue)
        if q.known_quote:
            rec.update({"id": q.known_quote, "speaker": q.speaker, "appearances": [app]})
        else:
            base = record_slug(f"{q.speaker} {' '.join(pieces[0].split()[:5])}")[:60].strip("-")
            qid = free_id(base, taken | quote_ids)
            quote_ids.add(qid)
            names = forms_of.get(q.speaker) or known_names.get(q.speaker, set())
            inferred = _speaker_inference(st, text, sid, q, names)
            rec.update({"id": qid, "speaker": q.speaker, **({"inferred": [inferred]} if inferred else {}),
                        "kind": q.kind, "appearances": [app]})
        out["quotes"].append(rec)
    for n in props.non_quotations:
        inner = text[n.start:n.end]
        key = fold(inner).strip()
        if not key or key in seen_nq:
            continue
        seen_nq.add(key)
        rec = _meta(n.confidence, n.cue)
        rec.update({"source": sid, "text": inner.strip(), "kind": n.kind})
        out["non_quotations"].append(rec)
    return {k: v for k, v in out.items() if v}


_PRONOUN = re.compile(r"\b(?:he|she|they|we|I)\b", re.IGNORECASE)


def _speaker_inference(st: SourceText, text: str, sid: str, q, names) -> dict | None:
    """When the attribution does not name the proposed speaker ("she said",
    "the department said", or none at all), the speaker is the extractor's
    inference: say so, with the nearest passage that names them (evidence
    rule 2), so that a proposal accepted unchanged is honest about it."""
    names = [n for n in names if n and n.strip()]
    attribution = text[q.attribution[0]:q.attribution[1]] if q.attribution else ""
    if any(re.search(r"(?<!\w)" + re.escape(n) + r"(?!\w)", attribution) for n in names):
        return None
    start, end = q.pieces[0][0], q.pieces[-1][1]
    found = [(m.start(), m.end()) for n in names for m in re.finditer(r"(?<!\w)" + re.escape(n) + r"(?!\w)", text)]
    before = [f for f in found if f[1] <= start]
    after = [f for f in found if f[0] >= end]
    where = max(before) if before else (min(after) if after else None)
    basis = "pronoun" if _PRONOUN.search(attribution) else "context"
    note = (f"machine-proposed: the attribution ({attribution.strip()!r}) does not name the speaker"
            if attribution.strip() else "machine-proposed: the quotation has no attribution")
    note += f"; {q.cue}" if q.cue else ""
    cite = _cite(st, text, sid, *where) if where else _cite(st, text, sid, start, end)
    return {"link": "speaker", "basis": basis if where else "other", "note": note, "cite": cite}


def _widest_role(ent) -> tuple[int, int] | None:
    if not ent.roles:
        return None
    _, a, b = max(ent.roles, key=lambda r: (r[2] - r[1], -r[1]))
    return (min(a, ent.first[0]), max(b, ent.first[1])) if abs(a - ent.first[0]) < 200 else (a, b)


def _alias_kind(form: str, name: str, fuzzy: bool = False) -> str:
    f, n = name_key(form), name_key(name)
    if n and n in f and f != n:
        return "title_form"
    if f and f == n.split()[-1] if n.split() else False:
        return "short_name"
    if len(form.split()) == 1 and form.isupper() and len(form) <= 8:
        return "short_name"
    return "misspelling" if fuzzy else "variant"
