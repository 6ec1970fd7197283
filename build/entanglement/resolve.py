"""Resolve stage: every reference names a record that exists, and every
document is where its source says, inside raw/documents/, and referenced."""

from __future__ import annotations

import os
from pathlib import Path

from .load import document_name
from .problems import Problems
from .validate import SPECS, Field


def id_index(records: dict[str, list[dict]]) -> dict[str, set[str]]:
    ids = {kind: {r["id"] for r in recs if r.get("id")} for kind, recs in records.items()}
    party = ids.get("people", set()) | ids.get("organizations", set())
    return {
        "source": ids.get("sources", set()),
        "person": ids.get("people", set()),
        "organization": ids.get("organizations", set()),
        "party": party,
        "policy": ids.get("policies", set()),
        "any": party | ids.get("policies", set()) | ids.get("quotes", set()) | ids.get("cases", set())
        | ids.get("data_flows", set()) | ids.get("demands", set()),
    }


TARGET_NAMES = {"source": "source", "person": "person", "organization": "organization",
                "party": "person or organization", "policy": "policy", "any": "record"}


def check_references(records: dict[str, list[dict]], problems: Problems) -> None:
    ids = id_index(records)
    held = {r["id"] for r in records.get("sources", []) if r.get("document") is not False}
    for shared in sorted(ids["person"] & ids["organization"]):
        for rec in records["people"]:
            if rec.get("id") == shared:
                problems.add(rec["_path"], rec["_line"], f"id '{shared}' is both a person and an organization; ids must be unique across both")
    for kind, recs in records.items():
        for rec in recs:
            _walk(rec, SPECS[kind], ids, held, problems)


def _walk(rec: dict, spec: dict[str, Field], ids, held, problems: Problems) -> None:
    for name, fld in spec.items():
        value = rec.get(name)
        if not value:
            continue
        if fld.type in ("ref", "refs"):
            for v in value if isinstance(value, list) else [value]:
                if v not in ids[fld.ref]:
                    problems.add(rec["_path"], rec["_line"], f"field '{name}' refers to unknown {TARGET_NAMES[fld.ref]} '{v}'")
        elif fld.type == "cite":
            for c in value:
                src = c.get("source")
                if src and src not in ids["source"]:
                    problems.add(c["_path"], c["_line"], f"citation refers to unknown source '{src}'")
                elif src and src not in held:
                    problems.add(c["_path"], c["_line"], f"citation refers to source '{src}', whose text is not held (document: false)")
        elif fld.type == "records":
            for child in value:
                _walk(child, fld.spec, ids, held, problems)


def document_paths(root: Path, documents_dir: Path, sources: list[dict], problems: Problems,
                   held_back: list[dict] = ()) -> dict[str, Path]:
    """Each held source's document path, checked to stay inside raw/documents/;
    and every file in raw/documents/ checked to belong to a source. The
    documents of `held_back` sources (proposed, not accepted yet: see
    review.held_back_sources) are checked alike where they are present, and
    belong to their source, but are not published: not in the result."""
    published = {s.get("id") for s in sources}
    held = [h for h in held_back if h["id"] not in published and document_name(h) is not None
            and (documents_dir / document_name(h)).is_file()]
    paths = _document_paths(root, documents_dir, sources + held, problems)
    return {sid: path for sid, path in paths.items() if sid not in {h["id"] for h in held}}


def _document_paths(root: Path, documents_dir: Path, sources: list[dict], problems: Problems) -> dict[str, Path]:
    docs_real = documents_dir.resolve()
    paths: dict[str, Path] = {}
    named: set[str] = set()
    for src in sources:
        name = document_name(src) if src.get("id") else None
        if name is None:
            continue
        where = f"document '{name}'"
        named.add(str(name))
        if os.path.isabs(name) or ".." in Path(name).parts:
            problems.add(src["_path"], src["_line"], f"{where} must be a file name inside raw/documents/")
            continue
        path = documents_dir / name
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            problems.add(src["_path"], src["_line"], f"{where} cannot be resolved")
            continue
        if docs_real not in real.parents:
            problems.add(src["_path"], src["_line"], f"{where} resolves outside raw/documents/ (a link pointing out?)")
            continue
        if not path.is_file():
            problems.add(src["_path"], src["_line"], f"{where} is missing from raw/documents/")
            continue
        paths[src["id"]] = path
    if documents_dir.is_dir():
        for path in sorted(documents_dir.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            if path.name not in named:
                problems.add(os.path.relpath(path, root), 0, "document is not referenced by any source in sources.yml")
    _check_originals(root, documents_dir.parent / "originals", sources, problems)
    return paths


def _check_originals(root: Path, originals_dir: Path, sources: list[dict], problems: Problems) -> None:
    """raw/originals/ keeps the web pages and PDFs documents were converted
    from: each source's `converted_from` is a file there, and each file there
    belongs to a source."""
    named: set[str] = set()
    for src in sources:
        name = src.get("converted_from")
        if not isinstance(name, str) or not src.get("id"):
            continue
        named.add(name)
        where = f"converted_from '{name}'"
        if os.path.isabs(name) or len(Path(name).parts) != 1 or name in (".", ".."):
            problems.add(src["_path"], src["_line"], f"{where} must be a file name inside raw/originals/")
        elif not (originals_dir / name).is_file():
            problems.add(src["_path"], src["_line"], f"{where} is missing from raw/originals/")
    if originals_dir.is_dir():
        for path in sorted(originals_dir.iterdir()):
            if not path.name.startswith(".") and not path.is_dir() and path.name not in named:
                problems.add(os.path.relpath(path, root), 0,
                             "original is not referenced by any source's converted_from in sources.yml")
