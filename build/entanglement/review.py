"""Review files in the build: machine-proposed records waiting for a curator
(review_records.py writes them; this module reads them back).

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
from dataclasses import dataclass, field
from pathlib import Path

from .citations import NotFound, SourceText, fold
from .load import KINDS, Mapping, load_yaml_file
from .problems import Problem, Problems
from .validate import SPECS
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
