"""Ingest: a new article into raw/documents/ and its proposals into raw/review/.

`run_ingest` copies the article verbatim into raw/documents/<source-id>.txt
(a saved web page or a PDF is kept byte for byte in raw/originals/ and its
article text, see convert.py, becomes the document), reads what the records
know (curated records, accepted proposals, and the people and organizations
other review files propose), runs the extractor on the text, and writes
raw/review/<source-id>.yml: the proposals as records (see review_records.py),
each `review: unreviewed`. Bad input is an IngestError (`path:line: message`)
and nothing is written: both files are written to temporary names first and
renamed at the end. The `entanglement ingest` command (cli_review.py) only
parses options and calls run_ingest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from .citations import NotFound, SourceText, fold
from .convert import ConversionError, Converted, html_to_text, kind_of, pdf_to_text
from .extract import Knowledge, extract
from .load import MAX_DOCUMENT_BYTES, document_name, load_records, read_texts, record_files
from .pipeline import Layout, no_cyclic_gc
from .problems import Problems, not_utf8, short
from .progress import PLAIN, Progress
from .review import load_reviews, merge_accepted
from .review_records import dump_review, records_from_proposals
from .validate import DATE, SLUG, validate_records


REVIEW_HEADER = """\
# Proposed records for {sid}, made by `entanglement ingest` from {original}.
#
# Every record below is a machine proposal in the raw/records format (see
# raw/records/README.md) with three extra fields: `review` (unreviewed, accepted
# or rejected), and the extractor's `confidence` (0-1) and `cue` (what it went
# by). Check each record against raw/documents/{sid}.txt, correct it, and set
# `review: accepted` (or `rejected`). `entanglement build` publishes accepted
# records only and counts the rest in the review_coverage table;
# `entanglement check --strict` fails while anything is unreviewed.
#
# A record whose id already exists (a known quotation printed again, a new
# spelling of a known name) extends that record when accepted.
{extra}"""


class IngestError(Exception):
    """Bad input to ingest; str() is `where:line: message`."""

    def __init__(self, where: str, line: int, message: str):
        super().__init__(message)
        self.where, self.line, self.message = where, line, message

    def __str__(self) -> str:
        return f"{self.where}:{self.line}: {self.message}"



def read_input(path: Path) -> tuple[bytes, bytes, str, Converted | None]:
    """(the file as received, the document's bytes, its text, the conversion):
    a text file is its own document; a saved web page or a PDF is converted
    (see convert.py) and kept as the original."""
    shown = str(path)
    if path.is_file() and kind_of(path.name, _head(path)) is not None:
        data = _read_bytes(path)
        try:
            converted = (pdf_to_text if kind_of(path.name, data) == "pdf" else html_to_text)(data)
        except ConversionError as exc:
            raise IngestError(shown, exc.line, exc.message) from None
        return data, converted.text.encode("utf-8"), converted.text, converted
    data, text = read_article(path)
    return data, data, text, None


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(1024)
    except OSError:
        return b""      # read_article reports it


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise IngestError(str(path), 1, f"document is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), 0, f"cannot read: {exc.strerror}") from None


def read_article(path: Path) -> tuple[bytes, str]:
    """(bytes, text) of a plain-text article: it must exist, be a file within
    the size limit, be UTF-8 and not be empty."""
    shown = str(path)
    if not path.exists():
        raise IngestError(shown, 0, "no such file")
    if path.is_dir():
        raise IngestError(shown, 0, "is a folder, not a document")
    data = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, where = not_utf8(data, exc)
        raise IngestError(shown, line, f"document is not valid UTF-8 ({where}); "
                                       "convert it to UTF-8 first (e.g. iconv -f windows-1252 -t utf-8)") from None
    if not text.strip():
        raise IngestError(shown, 1, "the document is empty; nothing to ingest")
    return data, text


def load_knowledge(layout: Layout, exclude_review: str | None = None, progress: Progress = PLAIN):
    """What the records know, for proposals: curated records, accepted
    proposals, and (so that two new articles do not propose the same new
    person twice) the unreviewed proposals of other review files. Problems in
    the records do not stop ingest; they are the build's business."""
    problems = Problems()
    files = sum(map(len, record_files(layout.records).values()))
    with progress.stage("load records", files, "files") as advance:
        raw = load_records(layout.root, layout.records, problems, advance=advance)
        reviews = [rf for rf in load_reviews(layout.root, layout.review, problems) if rf.source_id != exclude_review]
        merge_accepted(raw, reviews, problems)
        for rf in reviews:
            for p in rf.by_status("unreviewed"):
                if p.kind in ("people", "organizations") and not any(r.get("id") == p.record.get("id")
                                                                     for r in raw[p.kind]):
                    raw[p.kind].append(p.record)
    with progress.stage("validate", sum(map(len, raw.values())), "records") as advance:
        records = validate_records(raw, Problems(), advance=advance)
    sources = records.get("sources", [])
    with progress.stage("read documents", len(sources), "sources") as advance:
        texts = read_texts(layout.root, layout.documents, sources, Problems(), advance)
    return records, texts


@no_cyclic_gc()   # as the build: the records are millions of objects and no cycles
def run_ingest(layout: Layout, path: Path, sid: str, *, title=None, publisher=None, author=None, date=None, url=None,
               kind=None, language="en", force=False, progress: Progress = PLAIN) -> list[str]:
    """Ingest the article at `path` as source `sid` (see the module's
    docstring); the lines to show the user. Raises IngestError on bad input,
    having written nothing."""
    if not SLUG.match(sid or ""):
        raise IngestError("--source-id", 0, f"'{sid}' is not an id; ids are lowercase slugs like 'lat-fingerprints'")
    if date is not None and not DATE.match(date):
        raise IngestError("--date", 0, f"'{date}' is not a date; write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
    title_given, date_basis = title is not None, None
    given = {"publisher": publisher, "author": author, "url": url}
    original, data, text, converted = read_input(path)
    records, texts = load_knowledge(layout, exclude_review=sid, progress=progress)
    existing = next((s for s in records.get("sources", []) if s.get("id") == sid), None)
    if existing is not None and existing.get("document") is False:
        raise IngestError(existing["_path"], existing["_line"], f"source '{sid}' is recorded without a document; "
                                                               "choose another --source-id")
    doc_name = document_name(existing or {"id": sid})
    target = layout.documents / doc_name
    rel_target = os.path.relpath(target, layout.root)
    if target.exists():
        if target.read_bytes() != data:
            raise IngestError(rel_target, 0, f"a different document is already stored as '{sid}'; choose another "
                                             "--source-id (existing documents are never replaced)")
    elif existing is not None:
        pass  # recorded source whose document is missing: the build reports it; we supply it
    kept = layout.root / "raw" / "originals" / f"{sid}{converted.extension}" if converted else None
    if kept is not None and kept.exists() and kept.read_bytes() != original:
        raise IngestError(os.path.relpath(kept, layout.root), 0, f"a different original is already kept for '{sid}'; "
                                                                 "choose another --source-id")
    review_path = layout.review / f"{sid}.yml"
    rel_review = os.path.relpath(review_path, layout.root)
    if review_path.exists() and not force:
        raise IngestError(rel_review, 0, "a review file for this source exists and may hold a curator's edits; "
                                         "pass --force to replace it")

    with progress.stage("prepare knowledge"):
        knowledge = Knowledge.from_records(records, {k: v for k, v in texts.items() if k != sid})
    with progress.stage("propose records"):   # names, quotations, and the article against every held text
        props = extract(text, knowledge, sid, source_kind=kind or (existing or {}).get("kind"))
    source = None
    if existing is None:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        guessed = first if len(first) <= 200 and not first.endswith((".", ":", ";")) else None
        chosen_kind = kind or ("repost" if props.copies and props.copies[0].share >= 0.6
                               else "summary" if props.derived_from else "original_report")
        byline = next((e.name for e in props.new_entities() if e.cue == "byline"), None)
        if converted is not None:
            # what the page's or PDF's own metadata says, where no option gave it
            meta = "the page's metadata" if converted.extension == ".html" else "the PDF's metadata"
            if not title and converted.title:
                title, guessed = converted.title, None
            publisher = publisher or converted.publisher
            author = author or converted.author
            url = url or converted.url
            if date is None and converted.date and DATE.match(converted.date):
                date = converted.date
                date_basis = f"{meta} (machine-proposed)"
        source = {
            "_confidence": 0.5, "_cue": "given at ingest; title, kind and lineage proposed by the extractor",
            "id": sid, "original_file": path.name,
            "title": title or guessed or f"[untitled document {sid}]",
            "title_basis": None if title else ("the document's first line (machine-proposed)" if guessed
                                               else "supplied: the document has no headline line"),
            "publisher": publisher, "author": author or byline, "url": url,
            "date": date, "date_basis": (date_basis if date_basis else "given at ingest") if date else None,
            "kind": chosen_kind, "language": language,
            "notes": f"Ingested with `entanglement ingest` from {path.name}.",
        }
        if converted is not None:
            source["converted_from"] = kept.name
            if not title_given and converted.title and source["title"] == converted.title:
                source["title_basis"] = f"{meta} (machine-proposed)"
            given_meta = [k for k in ("publisher", "author", "url") if source.get(k) and source[k] == getattr(converted, k)
                          and not given.get(k)]
            source["notes"] = (f"Ingested with `entanglement ingest` from {path.name}, kept byte for byte as "
                               f"raw/originals/{kept.name}; the document is the text {converted.tool} extracted from it"
                               + (f" (left out: {'; '.join(converted.left_out)})" if converted.left_out else "")
                               + (f". Machine-proposed from {meta}: {', '.join(given_meta)}." if given_meta else "."))
    spans, nqs = _already_recorded(records, sid, text)
    out = records_from_proposals(props, knowledge, source, spans, nqs)
    _self_check(out, text, sid, rel_review)

    extra = []
    for c in props.copies[:5]:
        extra.append(f"# shares {c.share:.0%} of its word 5-grams with {c.source_id}"
                     + (f"; longest shared passage: \"{short(text[c.passages[0][0]:c.passages[0][1]], 80)}\"" if c.passages else ""))
    known = sorted({props.entities[m.key].name for m in props.mentions if props.entities.get(m.key) and props.entities[m.key].known})
    if known:
        extra.append("# known names mentioned (linked by the build): " + ", ".join(known))
    header = REVIEW_HEADER.format(sid=sid, original=path.name, extra="\n".join(extra))
    yaml_text = dump_review(out, header)

    # Write both to temporary files first, then rename: a failure leaves nothing behind.
    layout.review.mkdir(parents=True, exist_ok=True)
    layout.documents.mkdir(parents=True, exist_ok=True)
    tmp_review = layout.review / f".{sid}.yml.tmp-{os.getpid()}"
    tmp_doc = layout.documents / f".{doc_name}.tmp-{os.getpid()}"
    tmp_kept = kept.parent / f".{kept.name}.tmp-{os.getpid()}" if kept is not None else None
    wrote_doc = False
    try:
        tmp_review.write_text(yaml_text, encoding="utf-8")
        if kept is not None and not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, tmp_kept)
            if hashlib.sha256(tmp_kept.read_bytes()).digest() != hashlib.sha256(original).digest():
                raise IngestError(str(path), 0, "the file changed while it was being ingested; try again")
        if not target.exists():
            if converted is not None:
                tmp_doc.write_bytes(data)
            else:
                shutil.copyfile(path, tmp_doc)
            if hashlib.sha256(tmp_doc.read_bytes()).digest() != hashlib.sha256(data).digest():
                raise IngestError(str(path), 0, "the file changed while it was being ingested; try again")
        os.replace(tmp_review, review_path)
        if tmp_kept is not None and tmp_kept.exists():
            os.replace(tmp_kept, kept)
        if tmp_doc.exists():
            os.replace(tmp_doc, target)
            wrote_doc = True
    except OSError as exc:
        raise IngestError(rel_review, 0, f"cannot write: {exc.strerror}") from None
    finally:
        for tmp in (tmp_review, tmp_doc, tmp_kept):
            if tmp is not None and tmp.exists():
                tmp.unlink()
    counts = {k: len(v) for k, v in out.items()}
    if converted is not None:
        lines = [f"kept {os.path.relpath(kept, layout.root)} ({len(original):,} bytes, verbatim: the received original)",
                 f"{'wrote' if wrote_doc else 'kept (identical)'} {os.path.relpath(target, layout.root)} "
                 f"({len(data):,} bytes: the text {converted.tool} extracted)"]
    else:
        lines = [f"{'copied' if wrote_doc else 'kept (identical)'} {os.path.relpath(target, layout.root)} "
                 f"({len(data):,} bytes, verbatim)"]
    lines += [
             f"wrote {rel_review}: " + (", ".join(f"{n} {k}" for k, n in counts.items()) or "no proposals")
             + " — all unreviewed"]
    if not props.quotations and not props.non_quotations:
        lines.append("  no quotation marks found: no quotations proposed")
    if props.derived_from:
        lines.append(f"  proposed derived_from: {props.derived_from} ({props.relation})")
    lines.append("  review it, set `review: accepted` on what is right, then run `entanglement build`")
    return lines


def _already_recorded(records, sid: str, text: str):
    """Quotation spans and non-quotation texts the records already account for in this source."""
    st = SourceText(text)
    spans = []
    for q in records.get("quotes", []):
        for app in q.get("appearances") or []:
            if app.get("source") != sid:
                continue
            for piece in app.get("text") or []:
                for loc in st.find_all(piece):
                    spans.append((loc.start, loc.end))
    nqs = {fold(n["text"]).strip() for n in records.get("non_quotations", []) if n.get("source") == sid and n.get("text")}
    return spans, nqs


def _self_check(out: dict, text: str, sid: str, where: str) -> None:
    """Every excerpt the proposals cite must be found where the build will look."""
    st = SourceText(text)

    def walk(value):
        if isinstance(value, dict):
            if value.get("source") == sid and isinstance(value.get("excerpt"), str):
                try:
                    st.locate(value["excerpt"], value.get("occurrence"))
                except NotFound as exc:
                    raise IngestError(where, 0, f"internal: a proposed citation does not resolve: {exc.message}")
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(out)

