"""The build, stage by stage: load (with accepted review proposals) → validate →
resolve → read documents → (redact, public profile) → documentation → rows →
verify citations → account for quotations → mentions → evidence → write.

Each stage is a plain function over plain data (see its module); this module
only runs them in order, times them, tells the `Progress` it is given which
stage runs and how far it has gone (progress.py), and stops before writing if
any stage found a problem.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .citations import SourceText
from .documentation import documentation_tables
from .evidence import check_evidence
from .load import load_records, read_document, record_files
from .mentions import Matcher, matcher_for, segment_kind_at
from .problems import BuildFailed, Problems
from .progress import PLAIN, Advance, Progress, batched, nothing
from .profiles import redact_inputs, restrict_for_public
from .review import (add_accepted_proposals, coverage_rows, held_back_sources, pending_quotations, review_files,
                     summary_lines)
from .resolve import check_references, document_paths
from .rows import make_rows
from .validate import validate_records
from .verify import account_for_quotations, verify_citations
from .write import build_lock, remove_leftovers, write_database


@dataclass
class Layout:
    root: Path

    @property
    def records(self) -> Path:
        return self.root / "raw" / "records"

    @property
    def documents(self) -> Path:
        return self.root / "raw" / "documents"

    @property
    def schema(self) -> Path:
        return self.root / "schema"

    @property
    def review(self) -> Path:
        return self.root / "raw" / "review"

    @property
    def metadata(self) -> Path:
        return self.root / "metadata.yml"


@dataclass
class Result:
    tables: dict[str, list[dict]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    inputs_sha256: str = ""
    written: bool = False
    up_to_date: bool = False


def _timer(timings: dict[str, float], progress: Progress = PLAIN):
    """timed = _timer(timings, progress); `with timed("stage", total, unit) as advance:`
    shows the stage on progress and adds its seconds to timings."""
    @contextlib.contextmanager
    def timed(name: str, total: int | None = None, unit: str = ""):
        t0 = time.perf_counter()
        try:
            with progress.stage(name, total, unit) as advance:
                yield advance
        finally:
            timings[name] = timings.get(name, 0.0) + time.perf_counter() - t0

    return timed


def inputs_hash(layout: Layout, profile: str = "full") -> str:
    """A hash of everything the database is built from: records, documents,
    the originals they were converted from, schema, metadata.yml (the documentation tables)
    and the build code itself, subpackages included."""
    paths = [p for ps in record_files(layout.records).values() for p in ps]
    paths += review_files(layout.review)
    paths += sorted(p for p in layout.documents.glob("*") if p.is_file()) if layout.documents.is_dir() else []
    originals = layout.root / "raw" / "originals"     # checked by the build (converted_from)
    paths += sorted(p for p in originals.glob("*") if p.is_file()) if originals.is_dir() else []
    # schema/*.sql only: the canned queries of schema/queries/ change what is served, not the
    # database (Datasette reads them at start), so editing one needs no rebuild
    paths += sorted(layout.schema.glob("*.sql"))
    paths += [layout.metadata] if layout.metadata.is_file() else []
    paths += sorted(Path(__file__).parent.rglob("*.py"))
    h = hashlib.sha256(f"entanglement {__version__} {profile}\n".encode())
    for p in paths:
        h.update(os.path.relpath(p, layout.root).encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def compile_tables(layout: Layout, result: Result, profile: str = "full",
                   progress: Progress = PLAIN) -> dict[str, list[dict]]:
    """Every stage before writing. Raises BuildFailed with all problems found."""
    timed = _timer(result.timings, progress)
    problems = Problems()
    record_paths = [p for ps in record_files(layout.records).values() for p in ps]
    with timed("load records", len(record_paths), "files") as advance:
        raw = load_records(layout.root, layout.records, problems, advance=advance)
        reviews = add_accepted_proposals(layout.root, layout.review, raw, problems)
    with timed("validate", sum(map(len, raw.values())), "records") as advance:
        records = validate_records(raw, problems, advance=advance)
        del raw  # the YAML mappings: the validated records hold all that is needed (and memory is the limit)
    with timed("resolve"):
        check_references(records, problems)
        # documents of sources still under review are held back: not published, not unreferenced
        doc_paths = document_paths(layout.root, layout.documents, records.get("sources", []), problems,
                                   held_back=held_back_sources(reviews))
        records = {kind: [r for r in recs if not r.get("_invalid")] for kind, recs in records.items()}
    with timed("read documents", len(doc_paths), "documents") as advance:
        texts: dict[str, str] = {}
        for sid, path in batched(doc_paths.items(), advance, 256):
            text = read_document(path, os.path.relpath(path, layout.root), problems)
            if text is not None:
                texts[sid] = text
        rel_docs = {sid: os.path.relpath(p, layout.root) for sid, p in doc_paths.items()}
    redactor = None
    if profile == "public":
        with timed("redact"):
            records, texts, redactor = redact_inputs(records, texts, problems)
    with timed("documentation"):
        documentation = documentation_tables(layout.metadata, os.path.relpath(layout.metadata, layout.root), problems,
                                             redact=redactor.text if redactor else None)
    full_text_sources = {s["id"] for s in records.get("sources", []) if s.get("publish_full_text")}
    voices = {s["id"]: s["voice"] for s in records.get("sources", []) if s.get("voice")}
    with timed("rows"):
        tables, requests, checks = make_rows(records, texts, rel_docs)
        tables.update(documentation)
        del records
    with timed("verify citations", len(requests), "citations") as advance:
        source_texts = {sid: SourceText(t) for sid, t in texts.items()}
        tables["citations"] = verify_citations(requests, source_texts, problems, advance=advance)
        del requests
    with timed("quotations", len(source_texts), "documents") as advance:
        # spans that only unreviewed proposals account for are pending, not unaccounted for
        pending = pending_quotations(reviews, source_texts, tables["citations"])
        tables["quotation_spans"], pending_spans = account_for_quotations(tables, tables["citations"], source_texts,
                                                                          rel_docs, problems, pending, advance=advance)
        tables["review_coverage"] = coverage_rows(reviews, pending_spans)
    for line in summary_lines(tables["review_coverage"]):
        progress.note(line)
    if problems:
        raise BuildFailed(problems)
    with timed("mentions", len(texts), "documents") as advance:
        matcher = matcher_for(tables)       # every name and alias: the mentions and the evidence read them
        tables["mentions"] = find_mentions(tables, texts, matcher, advance)
    with timed("evidence"):
        # once every passage is found: whether the passages support the facts
        check_evidence(tables, checks, texts, voices, matcher, problems)
        del checks
    if problems:
        raise BuildFailed(problems)
    if profile == "public":
        restrict_for_public(tables, full_text_sources)
    return tables


def find_mentions(tables: dict[str, list[dict]], texts: dict[str, str], matcher: Matcher,
                  advance: Advance = nothing) -> list[dict]:
    segments: dict[str, list[tuple[int, int, str]]] = {}
    for seg in tables["segments"]:
        if seg["start"] is not None:
            segments.setdefault(seg["source_id"], []).append((seg["start"], seg["end"], seg["kind"]))
    rows = []
    for sid in batched(sorted(texts), advance, 64):
        segs = sorted(segments.get(sid, []))
        starts = [s[0] for s in segs]
        for start, end, name in matcher.find(texts[sid]):
            entity = name.person_id or name.organization_id
            rows.append({"id": f"{sid}--{start}--{entity}", "source_id": sid, "person_id": name.person_id,
                         "organization_id": name.organization_id, "name": texts[sid][start:end],
                         "start": start, "end": end, "segment_kind": segment_kind_at(segs, starts, start)})
    # The same entity can be reached by two names at one place only if the
    # records list a name twice; keep one row per (place, entity).
    return list({r["id"]: r for r in rows}.values())


def stored_inputs_hash(db_path: Path) -> str | None:
    if not db_path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("select value from build_info where key = 'inputs_sha256'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


@contextlib.contextmanager
def no_cyclic_gc():
    """The build makes millions of small objects and no reference cycles;
    Python's cyclic collector would rescan them all again and again (two thirds
    of the YAML loading time at 10,000 documents), so it is paused meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check(layout: Layout, profile: str = "full", progress: Progress = PLAIN) -> Result:
    result = Result()
    with no_cyclic_gc():
        result.tables = compile_tables(layout, result, profile, progress)
    return result


def build(layout: Layout, output: Path, if_changed: bool = False, wait: bool = True, profile: str = "full",
          progress: Progress = PLAIN) -> Result:
    result = Result()
    t0 = time.perf_counter()
    with progress.stage("hash inputs"):
        result.inputs_sha256 = inputs_hash(layout, profile)
    if if_changed and stored_inputs_hash(output) == result.inputs_sha256:
        result.up_to_date = True
        return result
    with no_cyclic_gc():
        tables = compile_tables(layout, result, profile, progress)
        tables["build_info"] = [
            {"key": "inputs_sha256", "value": result.inputs_sha256},
            {"key": "entanglement_version", "value": __version__},
            {"key": "profile", "value": profile},
        ]
        # The build's date comes from its inputs, not the clock, so that two builds
        # of the same inputs stay byte-identical: the newest source's publication date.
        newest = max((s["date"] for s in tables["sources"] if s["date"]), default=None)
        if newest:
            tables["build_info"].append({"key": "data_as_of", "value": newest})
        result.tables = tables
        with build_lock(output, wait=wait):
            remove_leftovers(output)
            write_database(output, layout.schema, tables, result.timings, progress)
    result.timings["total"] = time.perf_counter() - t0
    result.written = True
    return result

