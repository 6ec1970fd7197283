"""Measure the extractor honestly: its proposals for a document against the
records curators wrote for it.

Curated documents are read leave-one-out: for each source, the knowledge the
extractor gets is what the records would know had that source never been
read (its text, and the people, organizations, aliases and quotation
appearances known only from it, are hidden; see Knowledge.from_records). The
proposals are then compared with that source's curated records:

- quotation spans: the pieces of its quote appearances (what stands inside the
  marks) against the pieces proposed as quotations, exactly (same offsets) and
  by overlap;
- non-quotations: spans curated as scare quotes, terms, titles against those
  proposed as such;
- speakers: for each curated appearance some proposed quotation overlaps, is
  the proposed speaker the curated one (by id, or for a proposed new record by
  one of the curated person's or organization's names; for one the text does
  not name, "a detective", by the description the curated speaker starts with);
- names: the people and organizations the curated records name in the text
  (the build's mentions) against the extractor's, for all of them and for
  those new to the (leave-one-out) knowledge alone;
- copies: the proposed derived_from against the curated one;
- calibration: every proposal that carries a confidence (quotation, new name,
  non-quotation), judged right or wrong as above, counted per confidence band.

Held-out test articles (tests/extraction_articles/) are scored the same way
against expected results written by hand, with their own small knowledge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .citations import NotFound, SourceText, fold
from .extract import Knowledge, Proposals, extract
from .load import load_records, load_yaml_file, read_texts
from .mentions import Matcher, Name
from .problems import Problems
from .progress import PLAIN, Progress
from .quotespans import find_spans
from .validate import validate_records


@dataclass
class TruthQuote:
    pieces: list[tuple[int, int]]
    speaker: str                      # id or name
    speaker_names: set[str]
    label: str = ""


@dataclass
class Truth:
    quotes: list[TruthQuote] = field(default_factory=list)
    non_quotes: list[tuple[int, int, str]] = field(default_factory=list)
    entities: dict[str, set[str]] = field(default_factory=dict)   # id (or name) -> acceptable names
    new: set[str] = field(default_factory=set)                     # entities not in the knowledge
    derived_from: str | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Score:
    label: str
    exact_tp: int = 0
    proposed: int = 0
    truth: int = 0
    overlap_p: int = 0          # proposed pieces overlapping a true piece
    overlap_r: int = 0          # true pieces overlapped by a proposed piece
    speakers_found: int = 0     # true quotations found (overlap)
    speakers_right: int = 0
    nq_proposed: int = 0
    nq_truth: int = 0
    nq_tp: int = 0
    nq_kind_right: int = 0
    names_proposed: int = 0
    names_truth: int = 0
    names_p_ok: int = 0
    names_r_ok: int = 0
    new_proposed: int = 0
    new_truth: int = 0
    new_p_ok: int = 0
    new_r_ok: int = 0
    derived_total: int = 0
    derived_right: int = 0
    errors: list[str] = field(default_factory=list)
    # (what, confidence, right) for every proposal that carries a confidence:
    # a quotation (right: a true quotation with the right speaker), a new name
    # (right: a person or organization the text names), a non-quotation (right:
    # the curated span and kind)
    judged: list[tuple[str, float, bool]] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        for k, v in vars(other).items():
            if isinstance(v, int):
                setattr(self, k, getattr(self, k) + v)
            elif isinstance(v, list):
                getattr(self, k).extend(v)

    # figures -------------------------------------------------------------------------
    @staticmethod
    def _div(a: int, b: int) -> float | None:
        return a / b if b else None

    @property
    def exact_precision(self):
        return self._div(self.exact_tp, self.proposed)

    @property
    def exact_recall(self):
        return self._div(self.exact_tp, self.truth)

    @property
    def overlap_precision(self):
        return self._div(self.overlap_p, self.proposed)

    @property
    def overlap_recall(self):
        return self._div(self.overlap_r, self.truth)

    @property
    def overlap_f1(self):
        p, r = self.overlap_precision, self.overlap_recall
        return 2 * p * r / (p + r) if p and r else None

    @property
    def speaker_accuracy(self):
        return self._div(self.speakers_right, self.speakers_found)

    def figures(self) -> dict[str, float | None]:
        return {
            "span_exact_precision": self.exact_precision, "span_exact_recall": self.exact_recall,
            "span_overlap_precision": self.overlap_precision, "span_overlap_recall": self.overlap_recall,
            "span_overlap_f1": self.overlap_f1, "speaker_accuracy": self.speaker_accuracy,
            "nonquote_precision": self._div(self.nq_tp, self.nq_proposed),
            "nonquote_recall": self._div(self.nq_tp, self.nq_truth),
            "nonquote_kind_accuracy": self._div(self.nq_kind_right, self.nq_tp),
            "names_precision": self._div(self.names_p_ok, self.names_proposed),
            "names_recall": self._div(self.names_r_ok, self.names_truth),
            "new_names_precision": self._div(self.new_p_ok, self.new_proposed),
            "new_names_recall": self._div(self.new_r_ok, self.new_truth),
            "derived_from_accuracy": self._div(self.derived_right, self.derived_total),
        }


def norm_name(name: str) -> str:
    n = fold(name).casefold().strip()
    n = re.sub(r"^the\s+", "", n)
    n = re.sub(r"(?:'s|')$", "", n)
    return " ".join(n.replace(".", "").split())


# --- truth from the curated records -----------------------------------------------------

def load_corpus(root: Path) -> tuple[dict[str, list[dict]], dict[str, str], list[str]]:
    """Validated records and held texts; problems are returned, not raised, so
    that evaluation can say the records are not complete yet."""
    problems = Problems()
    raw = load_records(root, root / "raw" / "records", problems)
    records = validate_records(raw, problems)
    texts = read_texts(root, root / "raw" / "documents", records.get("sources", []), problems)
    return records, texts, [str(p) for p in problems.sorted()]


def _locate_pieces(st: SourceText, pieces: list[str], occurrence: int | None) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i, piece in enumerate(pieces):
        if i == 0:
            loc = st.locate(piece, occurrence)
        else:
            later = [f for f in st.find_all(piece) if f.start >= out[-1][1]]
            if not later:
                raise NotFound(f"piece not found after the previous one: {piece[:60]!r}")
            loc = later[0]
        out.append((loc.start, loc.end))
    return out


def truth_from_records(records: dict[str, list[dict]], texts: dict[str, str], sid: str,
                       knowledge: Knowledge) -> Truth:
    truth = Truth()
    text = texts[sid]
    st = SourceText(text)
    names: dict[str, set[str]] = {}
    for kind in ("people", "organizations"):
        for rec in records.get(kind, []):
            if rec.get("id"):
                names[rec["id"]] = {rec["name"]} | {a["name"] for a in rec.get("aliases") or [] if a.get("name")}
    for rec in records.get("quotes", []):
        for app in rec.get("appearances") or []:
            if app.get("source") != sid:
                continue
            try:
                pieces = _locate_pieces(st, app["text"], app.get("occurrence"))
            except NotFound as exc:
                truth.problems.append(f"{rec['id']}: {exc.message}")
                continue
            truth.quotes.append(TruthQuote(pieces, rec["speaker"], {norm_name(n) for n in names.get(rec["speaker"], set())},
                                           rec["id"]))
    spans = find_spans(text)
    for nq in records.get("non_quotations", []):
        if nq.get("source") != sid:
            continue
        want = fold(nq["text"]).strip()
        for sp in spans:
            if fold(text[sp.start:sp.end]).strip() == want:
                truth.non_quotes.append((sp.start, sp.end, nq["kind"]))
    all_names = [Name(n, ident, None) for ident, ns in names.items() for n in ns]
    known_ids = {e.id for e in knowledge.entities}
    for _, _, name in Matcher(all_names).find(text):
        ident = name.person_id
        truth.entities[ident] = {norm_name(n) for n in names[ident]}
        if ident not in known_ids:
            truth.new.add(ident)
    src = next((s for s in records.get("sources", []) if s.get("id") == sid), {})
    truth.derived_from = src.get("derived_from")
    return truth


# --- truth from a test article's expected results ------------------------------------------

def truth_from_expected(expected: dict, text: str, knowledge: Knowledge, label: str) -> Truth:
    truth = Truth()
    st = SourceText(text)
    known = {e.id: e for e in knowledge.entities}
    by_name = {}
    for e in knowledge.entities:
        for n in [e.name] + [a for a, _ in e.aliases]:
            by_name.setdefault(norm_name(n), e.id)

    def names_of(who) -> tuple[str, set[str]]:
        alts = who if isinstance(who, list) else [who]
        alts = [str(a) for a in alts]
        ident = next((a for a in alts if a in known), None) or next((by_name[norm_name(a)] for a in alts
                                                                    if norm_name(a) in by_name), None)
        ns = {norm_name(a) for a in alts if a not in known}
        if ident:
            ns |= {norm_name(n) for n in [known[ident].name] + [a for a, _ in known[ident].aliases]}
            return ident, ns
        return alts[0], ns

    for q in expected.get("quotes") or []:
        pieces = q["text"] if isinstance(q["text"], list) else [q["text"]]
        try:
            located = _locate_pieces(st, pieces, q.get("occurrence"))
        except NotFound as exc:
            truth.problems.append(f"{label}: expected quotation: {exc.message}")
            continue
        ident, ns = names_of(q["speaker"])
        truth.quotes.append(TruthQuote(located, ident, ns, pieces[0][:40]))
    spans = find_spans(text)
    for nq in expected.get("non_quotations") or []:
        want = fold(nq["text"]).strip()
        hits = [(sp.start, sp.end) for sp in spans if fold(text[sp.start:sp.end]).strip() == want]
        if not hits:
            truth.problems.append(f"{label}: expected non-quotation not between quotation marks: {nq['text']!r}")
        for a, b in hits:
            truth.non_quotes.append((a, b, nq.get("kind", "scare_quote")))
    for kind in ("people", "organizations"):
        for who in expected.get(kind) or []:
            ident, ns = names_of(who)
            truth.entities[ident] = ns
            if ident not in known:
                truth.new.add(ident)
    truth.derived_from = expected.get("derived_from")
    return truth


# --- scoring -------------------------------------------------------------------------------

def score(props: Proposals, truth: Truth, label: str) -> Score:
    sc = Score(label)
    sc.errors.extend(truth.problems)
    prop_pieces = [(a, b, i) for i, q in enumerate(props.quotations) for a, b in q.pieces]
    true_pieces = [(a, b, i) for i, q in enumerate(truth.quotes) for a, b in q.pieces]
    sc.proposed, sc.truth = len(prop_pieces), len(true_pieces)
    true_set = {(a, b) for a, b, _ in true_pieces}
    sc.exact_tp = sum(1 for a, b, _ in prop_pieces if (a, b) in true_set)
    sc.overlap_p = sum(1 for a, b, _ in prop_pieces if any(a < tb and ta < b for ta, tb, _ in true_pieces))
    sc.overlap_r = sum(1 for ta, tb, _ in true_pieces if any(a < tb and ta < b for a, b, _ in prop_pieces))
    for tq in truth.quotes:
        best, best_len = None, 0
        for a, b, i in prop_pieces:
            for ta, tb in tq.pieces:
                ov = min(b, tb) - max(a, ta)
                if ov > best_len:
                    best, best_len = i, ov
        if best is None:
            sc.errors.append(f"{label}: quotation not found: {tq.label or truth_text(props.text, tq)}")
            continue
        sc.speakers_found += 1
        q = props.quotations[best]
        if _speaker_ok(props, q.speaker, tq):
            sc.speakers_right += 1
        else:
            got = props.entities[q.speaker].name if q.speaker in props.entities else q.speaker
            sc.errors.append(f"{label}: speaker of {tq.label or truth_text(props.text, tq)!r}: proposed {got!r} "
                             f"({q.cue}), curated {tq.speaker!r}")
    for q in props.quotations:
        best, best_len = None, 0
        for tq in truth.quotes:
            ov = max((min(b, tb) - max(a, ta) for a, b in q.pieces for ta, tb in tq.pieces), default=0)
            if ov > best_len:
                best, best_len = tq, ov
        sc.judged.append(("quotation", q.confidence, best is not None and _speaker_ok(props, q.speaker, best)))
    true_nq = {(a, b): k for a, b, k in truth.non_quotes}
    for n in props.non_quotations:
        sc.judged.append(("non-quotation", n.confidence, true_nq.get((n.start, n.end)) == n.kind))
    for a, b, _ in prop_pieces:
        if not any(a < tb and ta < b for ta, tb, _ in true_pieces):
            sc.errors.append(f"{label}: proposed quotation is not one: {props.text[a:b][:70]!r}")
    for ta, tb, _ in true_pieces:
        if not any((a, b) == (ta, tb) for a, b, _ in prop_pieces) and any(a < tb and ta < b for a, b, _ in prop_pieces):
            sc.errors.append(f"{label}: quotation piece found with other bounds: {props.text[ta:tb][:70]!r}")
        elif not any(a < tb and ta < b for a, b, _ in prop_pieces):
            sc.errors.append(f"{label}: quotation piece missed: {props.text[ta:tb][:70]!r}")
    nq_true = {(a, b) for a, b, _ in truth.non_quotes}
    nq_prop = {(n.start, n.end) for n in props.non_quotations}
    sc.nq_truth, sc.nq_proposed, sc.nq_tp = len(nq_true), len(nq_prop), len(nq_true & nq_prop)
    true_kind = {(a, b): k for a, b, k in truth.non_quotes}
    for n in props.non_quotations:
        if (n.start, n.end) in true_kind:
            if true_kind[(n.start, n.end)] == n.kind:
                sc.nq_kind_right += 1
            else:
                sc.errors.append(f"{label}: non-quotation {props.text[n.start:n.end]!r} proposed as {n.kind}, "
                                 f"curated {true_kind[(n.start, n.end)]}")
    # names
    # an unnamed group proposed as a speaker ("the officers") names no one: it
    # is judged as a speaker, not as a name
    proposed = [(k, e) for k, e in props.entities.items() if not e.unnamed]
    sc.names_proposed = len(proposed)
    sc.names_truth = len(truth.entities)
    matched_truth: set[str] = set()
    for key, ent in proposed:
        hits = _entity_hits(ent, truth)
        if hits:
            sc.names_p_ok += 1
            matched_truth |= hits
        elif ent.known:
            sc.errors.append(f"{label}: known {ent.kind} linked but not named in the text per the records: {ent.name!r}")
        if not ent.known:
            sc.judged.append(("name", ent.confidence, bool(hits)))
            sc.new_proposed += 1
            if hits:
                sc.new_p_ok += 1
            else:
                sc.errors.append(f"{label}: proposed {ent.kind} not in the records: {ent.name!r} ({ent.cue})")
    sc.names_r_ok = len(matched_truth)
    sc.new_truth = len(truth.new)
    sc.new_r_ok = len(matched_truth & truth.new)
    for ident in sorted(truth.new - matched_truth):
        sc.errors.append(f"{label}: name missed: {ident}")
    if truth.derived_from is not None or props.derived_from is not None:
        sc.derived_total = 1
        sc.derived_right = int(truth.derived_from == props.derived_from)
        if not sc.derived_right:
            sc.errors.append(f"{label}: derived_from proposed {props.derived_from!r}, curated {truth.derived_from!r}")
    return sc


def truth_text(text: str, tq: TruthQuote) -> str:
    a, b = tq.pieces[0]
    return text[a:b][:50]


def _entity_names(ent) -> set[str]:
    return {norm_name(ent.name)} | {norm_name(f) for f in ent.forms}


def _entity_hits(ent, truth: Truth) -> set[str]:
    if ent.known:
        return {ent.key} if ent.key in truth.entities else set()
    mine = _entity_names(ent)
    return {ident for ident, names in truth.entities.items() if mine & names}


def _speaker_ok(props: Proposals, key: str | None, tq: TruthQuote) -> bool:
    if key is None:
        return False
    if key == tq.speaker:
        return True
    ent = props.entities.get(key)
    if ent is None or ent.known:
        return False
    if ent.unnamed:
        # one the text does not name: right when the curated speaker is the same
        # description ("a detective" for "a detective who worked on the task force")
        head = _description_head(ent.name)
        return any(_description_head(n) == head or _description_head(n).startswith(head + " ")
                   for n in tq.speaker_names)
    return bool(_entity_names(ent) & tq.speaker_names)


def _description_head(name: str) -> str:
    """'a detective who …' -> 'detective who …': a description without its article."""
    return re.sub(r"^(?:a|an|one|the)\s+", "", norm_name(name))


# --- runs -----------------------------------------------------------------------------------

def evaluate_corpus(root: Path, only: list[str] | None = None,
                    progress: Progress = PLAIN) -> tuple[list[Score], list[str]]:
    with progress.stage("load records"):
        records, texts, problems = load_corpus(root)
    kinds = {s["id"]: s.get("kind") for s in records.get("sources", []) if s.get("id")}
    chosen = [sid for sid in sorted(texts) if not only or sid in only]
    scores = []
    with progress.stage("curated documents", len(chosen), "documents") as advance:
        for sid in chosen:
            know = Knowledge.from_records(records, texts, hide_source=sid)
            props = extract(texts[sid], know, sid, source_kind=kinds.get(sid))
            scores.append(score(props, truth_from_records(records, texts, sid, know), sid))
            advance(1)
    return scores, problems


def article_batches(folder: Path) -> list[Path]:
    """The folder of held-out test articles and each subfolder of it that holds
    expected results (a later batch), in order; none when there is no folder."""
    if not folder.is_dir():
        return []
    return [folder] + sorted(p for p in folder.iterdir() if p.is_dir() and any(p.glob("*.expected.yml")))


def evaluate_articles(folder: Path, progress: Progress = PLAIN) -> tuple[list[Score], list[str]]:
    """Every <name>.txt in folder with its <name>.expected.yml; the folder's
    known.yml (records in the raw/records format, by kind) and known/*.txt (the
    texts of its sources) are the knowledge."""
    problems = Problems()
    records: dict[str, list[dict]] = {}
    # the folder's own knowledge, else its parent's (a later batch shares it)
    home = folder if (folder / "known.yml").is_file() else folder.parent
    known_path = home / "known.yml"
    if known_path.is_file():
        data = load_yaml_file(known_path, str(known_path), problems) or {}
        raw = {kind: [r for r in data.get(kind) or []] for kind in data} if isinstance(data, dict) else {}
        records = validate_records({k: v for k, v in raw.items()}, problems)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted((home / "known").glob("*.txt"))} \
        if (home / "known").is_dir() else {}
    know = Knowledge.from_records(records, texts)
    scores = []
    articles = [p for p in sorted(folder.glob("*.txt")) if p.with_suffix(".expected.yml").is_file()]
    with progress.stage(f"articles {folder.name}", len(articles), "articles") as advance:
        for path in articles:
            exp_path = path.with_suffix(".expected.yml")
            expected = load_yaml_file(exp_path, str(exp_path), problems) or {}
            text = path.read_text(encoding="utf-8")
            props = extract(text, know, path.stem, source_kind=expected.get("source_kind"))
            scores.append(score(props, truth_from_expected(expected, text, know, path.stem), path.stem))
            advance(1)
    return scores, [str(p) for p in problems.sorted()]


# The bars the curated documents must meet (`entanglement evaluate --bars`):
# (what it is, how the bars' text calls it, the figure, at least)
BARS = (("span recall", "span recall", "span_overlap_recall", 0.97),
        ("span precision", "precision", "span_overlap_precision", 0.95),
        ("speaker accuracy", "speaker accuracy", "speaker_accuracy", 0.90))


def bars_text() -> str:
    """The bars in words: 'span recall >= 0.97, precision >= 0.95, ...'."""
    return ", ".join(f"{label} >= {bar:.2f}" for _, label, _, bar in BARS)


def unmet_bars(score: Score) -> list[str]:
    """The bars a (total) score does not meet; a figure with nothing to measure meets none."""
    figures = score.figures()
    return [name for name, _, figure, bar in BARS if figures[figure] is None or figures[figure] < bar]


def total(scores: list[Score], label: str = "all") -> Score:
    """The scores added up, as one Score named `label`."""
    t = Score(label)
    for s in scores:
        t.add(s)
    return t


def _pct(x: float | None) -> str:
    return "   -" if x is None else f"{x:4.2f}"


def format_table(title: str, scores: list[Score]) -> list[str]:
    lines = [title,
             f"  {'source':28} {'pieces':>6} {'exactP':>6} {'exactR':>6} {'overP':>6} {'overR':>6} {'F1':>5} "
             f"{'speak':>6} {'nonqP':>6} {'nonqR':>6} {'nqKind':>6} {'nameP':>6} {'nameR':>6} {'newP':>5} {'newR':>5} {'deriv':>5}"]
    for s in scores + [total(scores)]:
        f = s.figures()
        lines.append(
            f"  {s.label:28} {s.truth:6d} {_pct(f['span_exact_precision']):>6} {_pct(f['span_exact_recall']):>6} "
            f"{_pct(f['span_overlap_precision']):>6} {_pct(f['span_overlap_recall']):>6} {_pct(f['span_overlap_f1']):>5} "
            f"{_pct(f['speaker_accuracy']):>6} {_pct(f['nonquote_precision']):>6} {_pct(f['nonquote_recall']):>6} "
            f"{_pct(f['nonquote_kind_accuracy']):>6} "
            f"{_pct(f['names_precision']):>6} {_pct(f['names_recall']):>6} {_pct(f['new_names_precision']):>5} "
            f"{_pct(f['new_names_recall']):>5} {_pct(f['derived_from_accuracy']):>5}")
    return lines


CONFIDENCE_BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.85), (0.85, 1.01))


def calibration(scores: list[Score]) -> dict[str, list[tuple[str, int, int]]]:
    """For each kind of proposal and for all of them: (band, proposals, right)
    per confidence band."""
    judged = [j for s in scores for j in s.judged]
    out: dict[str, list[tuple[str, int, int]]] = {}
    for what in ("quotation", "name", "non-quotation", "all"):
        rows = []
        for lo, hi in CONFIDENCE_BANDS:
            inside = [right for w, c, right in judged if (what == "all" or w == what) and lo <= c < hi]
            label = f"{lo:.2f}-{min(hi, 1.0):.2f}"
            rows.append((label, len(inside), sum(inside)))
        out[what] = rows
    return out


def format_calibration(title: str, scores: list[Score]) -> list[str]:
    """How often proposals at each confidence band were right."""
    cal = calibration(scores)
    bands = [label for label, _, _ in cal["all"]]
    lines = [title, f"  {'proposals':14} " + " ".join(f"{b:>15}" for b in bands)]
    for what, rows in cal.items():
        cells = [f"{right:>4}/{n:<4} {right / n:4.2f}" if n else f"{'-':>15}" for _, n, right in rows]
        lines.append(f"  {what:14} " + " ".join(f"{c:>15}" for c in cells))
    return lines
