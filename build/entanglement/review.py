"""Review files: machine-proposed records waiting for a curator.

`entanglement ingest` writes raw/review/<source-id>.yml: a YAML mapping from
record kind (sources, people, organizations, quotes, non_quotations, ...) to
a list of records in exactly the raw/records format, each with one more field,

    review: unreviewed | accepted | rejected

and, optionally, the extractor's notes `confidence:` (0 to 1) and `cue:` (why
it proposed the record). A curator edits a record and sets `review: accepted`
(or `rejected`).

How the build treats them:

- Accepted records are published: they join the curated records before
  validation and pass exactly the same validation, reference and citation
  checks. A review record whose id already exists (in raw/records, or accepted
  in an earlier review file) extends that record: its list fields
  (appearances, aliases, affiliations, members, ...) are appended, and any
  other field it repeats must be equal. This is how a new copy of a known
  quotation, or a new spelling of a known name, is proposed.
- Unreviewed and rejected records are not published and not validated.
- A document whose source record is not accepted yet is held back: it is
  neither published nor reported as unreferenced.
- Quotation spans in a published source that only an unreviewed proposal
  (quote appearance or non-quotation) accounts for are pending: the build
  passes, the spans are listed in quotation_spans with neither link, and
  counted in review_coverage. A span that only a rejected proposal covers is
  unaccounted for, as before: the build fails until it is recorded.
- review_coverage has, per review file and kind, the numbers of unreviewed,
  accepted and rejected proposals (kind 'quotation_spans': spans pending);
  `entanglement check --strict` fails while any number is unreviewed.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .citations import NotFound, SourceText, fold
from .load import KINDS, Mapping, load_yaml_file
from .problems import Problem, Problems
from .validate import DATE, SPECS
from .verify import PendingQuotations

STATUSES = ("unreviewed", "accepted", "rejected")
META_FIELDS = ("review", "confidence", "cue")
_SINGULAR = {"people": "person", "organizations": "organization", "sources": "source", "policies": "policy",
             "demands": "demand", "cases": "case", "quotes": "quote", "non_quotations": "non-quotation",
             "data_flows": "data flow", "discrepancies": "discrepancy"}


@dataclass
class Proposal:
    kind: str
    status: str
    record: Mapping                 # the record without the review fields
    confidence: float | None = None
    cue: str | None = None

    @property
    def path(self) -> str:
        return self.record.path

    @property
    def line(self) -> int:
        return self.record.line


@dataclass
class ReviewFile:
    path: Path
    display: str
    source_id: str
    proposals: list[Proposal] = field(default_factory=list)

    def by_status(self, status: str) -> list[Proposal]:
        return [p for p in self.proposals if p.status == status]


def review_files(review_dir: Path) -> list[Path]:
    if not review_dir.is_dir():
        return []
    return sorted(p for p in review_dir.glob("*.yml") if p.is_file() and not p.name.startswith("."))


def load_reviews(root: Path, review_dir: Path, problems: Problems) -> list[ReviewFile]:
    """Every review file, its proposals split by status. Problems in a file
    (syntax, an unknown kind, a missing or wrong `review:`) are reported as
    path:line: message."""
    out = []
    for path in review_files(review_dir):
        display = os.path.relpath(path, root)
        rf = ReviewFile(path, display, path.stem)
        out.append(rf)
        data = load_yaml_file(path, display, problems)
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.add(display, getattr(data, "line", 1),
                         "a review file is a mapping of record kind to a list of records (sources:, people:, quotes:, ...)")
            continue
        for kind, items in data.items():
            line = data.line_of(kind) if isinstance(data, Mapping) else 1
            if kind not in KINDS:
                problems.add(display, line, f"unknown record kind '{kind}'; expected one of: {', '.join(KINDS)}")
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                problems.add(display, line, f"'{kind}' must be a list of records (each starting with '- ')")
                continue
            for item in items:
                if not isinstance(item, Mapping):
                    problems.add(display, line, f"each item of '{kind}' must be a record (a mapping of field: value)")
                    continue
                rf.proposals.append(_proposal(kind, item, problems))
    return out


def _proposal(kind: str, item: Mapping, problems: Problems) -> Proposal:
    status = item.get("review")
    if status not in STATUSES:
        problems.add(item.path, item.line_of("review") if "review" in item else item.line,
                     f"field 'review' is {status!r}; expected one of: {', '.join(STATUSES)}" if "review" in item
                     else "missing field 'review' (unreviewed, accepted or rejected)")
        status = "unreviewed"
    conf = item.get("confidence")
    if conf is not None and (isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 <= conf <= 1):
        problems.add(item.path, item.line_of("confidence"), f"field 'confidence' must be a number from 0 to 1, got {conf!r}")
        conf = None
    cue = item.get("cue")
    if cue is not None and not isinstance(cue, str):
        problems.add(item.path, item.line_of("cue"), "field 'cue' must be text")
        cue = None
    record = Mapping({k: v for k, v in item.items() if k not in META_FIELDS})
    record.path, record.line = item.path, item.line
    record.key_lines = {k: v for k, v in item.key_lines.items() if k not in META_FIELDS}
    return Proposal(kind, status, record, conf, cue)


def add_accepted_proposals(root: Path, review_dir: Path, raw: dict[str, list[Mapping]],
                           problems: Problems) -> list[ReviewFile]:
    """The load stage for raw/review/: every review file (load_reviews), and
    its accepted proposals added to the curated records `raw`, in place
    (merge_accepted), so that from here on they are records like any other."""
    reviews = load_reviews(root, review_dir, problems)
    merge_accepted(raw, reviews, problems)
    return reviews


def merge_accepted(raw: dict[str, list[Mapping]], reviews: list[ReviewFile], problems: Problems) -> None:
    """Add the accepted proposals to the curated records, in place. A record
    whose id exists already extends it (see the module's docstring)."""
    pending_ids = {(p.kind, p.record.get("id")): p for rf in reviews for p in rf.proposals
                   if p.status != "accepted" and p.record.get("id")}
    for kind in KINDS:
        raw.setdefault(kind, [])
    index = {kind: {r.get("id"): r for r in recs if isinstance(r, Mapping) and isinstance(r.get("id"), str)}
             for kind, recs in raw.items()}
    for rf in reviews:
        for p in rf.by_status("accepted"):
            rec = p.record
            rid = rec.get("id")
            base = index[p.kind].get(rid) if isinstance(rid, str) else None
            if base is not None:
                _extend(base, rec, p.kind, problems)
                continue
            if isinstance(rid, str) and (p.kind, rid) in pending_ids and _missing_required(rec, p.kind):
                other = pending_ids[(p.kind, rid)]
                problems.add(rec.path, rec.line, f"{p.kind} '{rid}' extends a record that is not accepted yet "
                                                 f"({other.path}:{other.line}, {other.status})")
                continue
            raw[p.kind].append(rec)
            if isinstance(rid, str):
                index[p.kind][rid] = rec


def _missing_required(rec: Mapping, kind: str) -> bool:
    return any(f.required and rec.get(name) in (None, "", []) for name, f in SPECS[kind].items())


def _extend(base: Mapping, ext: Mapping, kind: str, problems: Problems) -> None:
    spec = SPECS[kind]
    for key, value in ext.items():
        if key == "id":
            continue
        fld = spec.get(key)
        if fld is not None and fld.type in ("records", "cite") and isinstance(value, list):
            base[key] = list(base.get(key) or []) + value
            base.key_lines.setdefault(key, ext.line_of(key))
        elif key in base and base[key] != value:
            problems.add(ext.path, ext.line_of(key),
                         f"field '{key}' differs from the {_SINGULAR.get(kind, kind)} '{ext['id']}' it extends "
                         f"({base.path}:{base.line_of(key)}); an extension may only add to list fields")
        elif key not in base:
            base[key] = value
            base.key_lines[key] = ext.line_of(key)


def held_back_sources(reviews: list[ReviewFile]) -> list[dict]:
    """Source records proposed but not accepted: their documents are held back
    (see resolve.document_paths, which leaves out those published after all)."""
    out = []
    for rf in reviews:
        for p in rf.proposals:
            rid = p.record.get("id")
            if p.kind == "sources" and p.status != "accepted" and isinstance(rid, str):
                doc = p.record.get("document")
                conv = p.record.get("converted_from")
                out.append({"id": rid, "document": doc if isinstance(doc, (str, bool)) else None,
                            "converted_from": conv if isinstance(conv, str) else None,
                            "_path": p.path, "_line": p.line})
    return out


def pending_quotations(reviews: list[ReviewFile], texts: dict[str, SourceText],
                       citations: list[dict]) -> PendingQuotations:
    """What the unreviewed proposals account for in the published sources: the
    pieces of their quote appearances (where no recorded appearance is) and
    the texts of their non-quotations; verify.account_for_quotations counts
    the spans only these account for as pending review."""
    accepted: dict[str, list[tuple[int, int]]] = {}
    for c in citations:
        if c["fact_table"] == "quote_appearances" and c["field"] == "text":
            accepted.setdefault(c["source_id"], []).append((c["start"], c["end"]))
    pending = PendingQuotations()
    for rf in reviews:
        for p in rf.by_status("unreviewed"):
            if p.kind == "quotes":
                for app in p.record.get("appearances") or []:
                    if not isinstance(app, dict) or app.get("source") not in texts:
                        continue
                    pieces = app.get("text")
                    pieces = pieces if isinstance(pieces, list) else [pieces]
                    if not all(isinstance(x, str) and x.strip() for x in pieces):
                        continue
                    located = _locate(texts[app["source"]], pieces, app.get("occurrence"))
                    for a, b in located:
                        if any(s < b and a < e for s, e in accepted.get(app["source"], [])):
                            continue
                        pending.pieces.setdefault(app["source"], []).append((a, b))
            elif p.kind == "non_quotations":
                src, txt = p.record.get("source"), p.record.get("text")
                if src in texts and isinstance(txt, str) and txt.strip():
                    pending.non_quotations.setdefault(src, set()).add(fold(txt).strip())
    return pending


def _locate(st: SourceText, pieces: list[str], occurrence) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    try:
        for i, piece in enumerate(pieces):
            if i == 0:
                loc = st.locate(piece, occurrence if isinstance(occurrence, int) and not isinstance(occurrence, bool) else None)
            else:
                later = [f for f in st.find_all(piece) if f.start >= out[-1][1]]
                if not later:
                    break
                loc = later[0]
            out.append((loc.start, loc.end))
    except NotFound:
        pass
    return out


def coverage_rows(reviews: list[ReviewFile], pending_spans: dict[str, int]) -> list[dict]:
    """review_coverage rows: per review file and kind, the numbers of
    unreviewed, accepted and rejected proposals; per source, the quotation
    spans pending review (kind 'quotation_spans')."""
    rows = []
    for rf in reviews:
        counts: dict[str, dict] = {}
        for p in rf.proposals:
            c = counts.setdefault(p.kind, {"unreviewed": 0, "accepted": 0, "rejected": 0, "first": None})
            c[p.status] += 1
            if p.status == "unreviewed" and c["first"] is None:
                c["first"] = p.line
        for kind in sorted(counts):
            c = counts[kind]
            rows.append({"id": f"{rf.source_id}--{kind.replace('_', '-')}", "source_id": rf.source_id,
                         "review_file": rf.display, "kind": kind, "unreviewed": c["unreviewed"],
                         "accepted": c["accepted"], "rejected": c["rejected"], "first_unreviewed_line": c["first"]})
        if pending_spans.get(rf.source_id):
            rows.append({"id": f"{rf.source_id}--quotation-spans", "source_id": rf.source_id,
                         "review_file": rf.display, "kind": "quotation_spans",
                         "unreviewed": pending_spans[rf.source_id], "accepted": 0, "rejected": 0,
                         "first_unreviewed_line": None})
    for sid in sorted(set(pending_spans) - {rf.source_id for rf in reviews}):
        rows.append({"id": f"{sid}--quotation-spans", "source_id": sid, "review_file": "", "kind": "quotation_spans",
                     "unreviewed": pending_spans[sid], "accepted": 0, "rejected": 0, "first_unreviewed_line": None})
    return rows


def summary_lines(rows: list[dict]) -> list[str]:
    """One line per review file for the build summary."""
    by_file: dict[str, list[dict]] = {}
    for r in rows:
        by_file.setdefault(r["review_file"] or r["source_id"], []).append(r)
    lines = []
    for name in sorted(by_file):
        rs = [r for r in by_file[name] if r["kind"] != "quotation_spans"]
        un = sum(r["unreviewed"] for r in rs)
        detail = ", ".join(f"{r['kind']} {r['unreviewed']}" for r in rs if r["unreviewed"])
        spans = sum(r["unreviewed"] for r in by_file[name] if r["kind"] == "quotation_spans")
        line = (f"  review {name}: {un} unreviewed" + (f" ({detail})" if detail else "")
                + f", {sum(r['accepted'] for r in rs)} accepted, {sum(r['rejected'] for r in rs)} rejected")
        if spans:
            line += f"; {spans} quotation span(s) pending review"
        lines.append(line)
    return lines


def strict_problems(rows: list[dict]) -> list[Problem]:
    """For `check --strict`: everything still unreviewed, as path:line: message."""
    out = []
    for r in rows:
        if not r["unreviewed"]:
            continue
        if r["kind"] == "quotation_spans":
            out.append(Problem(r["review_file"] or r["source_id"], 0,
                               f"{r['unreviewed']} quotation span(s) of {r['source_id']} are accounted for only by "
                               "unreviewed proposals"))
        else:
            out.append(Problem(r["review_file"], r["first_unreviewed_line"] or 0,
                               f"{r['unreviewed']} {r['kind']} proposal(s) still unreviewed (first on this line)"))
    return sorted(out)


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
    from .citations import fold
    from .extract.names import name_key as _name_key
    from .ids import record_slug as _slug, free_id as _free_id

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
                         and not any(_name_key(f) == _name_key(k) for k in known_names[ent.key])]
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
                   for f, span in ent.forms.items() if f != ent.name and _name_key(f) != _name_key(ent.name)]
        role_text = "; ".join(dict.fromkeys(r for r, _, _ in ent.roles))
        if ent.kind == "person":
            rec = _meta(ent.confidence, ent.cue)
            rec.update({"id": ent.key, "name": ent.name, "category": ent.category,
                        "description": (f"{role_text} (as stated in {sid})" if role_text else f"Named in {sid}."),
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
                        "description": f"Named in {sid}" + (f" ({role_text})" if role_text else "") + ".",
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
            base = _slug(f"{q.speaker} {' '.join(pieces[0].split()[:5])}")[:60].strip("-")
            qid = _free_id(base, taken | quote_ids)
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
    from .extract.names import name_key as _name_key
    f, n = _name_key(form), _name_key(name)
    if n and n in f and f != n:
        return "title_form"
    if f and f == n.split()[-1] if n.split() else False:
        return "short_name"
    if len(form.split()) == 1 and form.isupper() and len(form) <= 8:
        return "short_name"
    return "misspelling" if fuzzy else "variant"
