"""Load stage: read the curated YAML records and the verbatim documents.

YAML is parsed with PyYAML's C loader where present, safely (no tags that build
Python objects), with no anchors or aliases (so no "billion laughs"), with a size
limit checked before reading, and with the line of every mapping and key kept so
that later stages can report `path:line: message`. Large record sets are parsed on
both cores (see load_records).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path

import yaml
from yaml.nodes import ScalarNode

from .problems import Problems, not_utf8
from .progress import Advance, batched, nothing

try:  # the C loader is an order of magnitude faster; fall back when libyaml is absent
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader

MAX_YAML_BYTES = 128 * 1024 * 1024
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

# Record kinds, in the order they are loaded. A kind's records live in
# raw/records/<kind>.yml and, for large corpora, raw/records/<kind>/*.yml.
KINDS = (
    "sources",
    "organizations",
    "people",
    "policies",
    "demands",
    "cases",
    "quotes",
    "non_quotations",
    "data_flows",
    "discrepancies",
)


class Mapping(dict):
    """A YAML mapping that remembers where it was written."""

    path: str = ""
    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class _RefusedYAML(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _LineLoader(_BaseLoader):
    """Safe loader whose mappings carry line numbers; refuses aliases and duplicate keys."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            # A node reached twice is an alias (*name). Curated records never need
            # them, and refusing them here stops alias bombs before they expand.
            raise _RefusedYAML(node.start_mark.line + 1, "YAML anchors and aliases (&name, *name) are not allowed in records")
        return super().construct_object(node, deep=deep)


def _construct_mapping(loader, node):
    seen: dict = {}
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode):
            if key_node.value in seen:
                raise _RefusedYAML(key_node.start_mark.line + 1, f"duplicate key '{key_node.value}' (first on line {seen[key_node.value]})")
            seen[key_node.value] = key_node.start_mark.line + 1
    mapping = Mapping(loader.construct_mapping(node, deep=True))
    mapping.path = loader.source_path
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = seen
    return mapping


def _refuse_tag(loader, suffix, node):
    raise _RefusedYAML(node.start_mark.line + 1, f"YAML tag '{node.tag}' is not allowed in records")


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_multi_constructor("!", _refuse_tag)
_LineLoader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse_tag)


def load_yaml_file(path: Path, display: str, problems: Problems):
    """Parse one YAML file into Python data, or record why it could not be."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add(display, 0, f"cannot read: {exc.strerror}")
        return None
    if size > MAX_YAML_BYTES:
        problems.add(display, 1, f"file is {size:,} bytes; records files are limited to {MAX_YAML_BYTES:,} bytes (split it into {path.stem}/*.yml)")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.add(display, not_utf8(raw, exc)[0], "file is not valid UTF-8")
        return None
    loader = _LineLoader(text)
    loader.source_path = display
    try:
        return loader.get_single_data()
    except _RefusedYAML as exc:
        problems.add(display, exc.line, exc.message)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        problems.add(display, line, f"character U+{ord(exc.character) if isinstance(exc.character, str) else exc.character:04X} is not allowed in YAML")
    except yaml.YAMLError as exc:
        add_yaml_problem(problems, display, exc)
    except RecursionError:
        problems.add(display, 0, "YAML nesting is too deep")
    finally:
        loader.dispose()
    return None


def add_yaml_problem(problems: Problems, display: str, exc: yaml.YAMLError) -> None:
    """A YAML parse error as one `path:line: message` problem."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # an unclosed quote or bracket: point at where it opened
        line = mark.line + 1 if mark else 0
        what = " ".join(x for x in (exc.context, exc.problem) if x)
        problems.add(display, line, f"YAML syntax error: {what}")
    else:
        problems.add(display, 0, f"YAML error: {exc}")


def record_files(records_dir: Path) -> dict[str, list[Path]]:
    """The YAML files of each kind, in a stable order."""
    files: dict[str, list[Path]] = {kind: [] for kind in KINDS}
    for kind in KINDS:
        single = records_dir / f"{kind}.yml"
        if single.is_file():
            files[kind].append(single)
        folder = records_dir / kind
        if folder.is_dir():
            files[kind].extend(sorted(folder.glob("*.yml")))
    return files


def load_records(root: Path, records_dir: Path, problems: Problems,
                 parallel_from_bytes: int | None = None, advance: Advance = nothing) -> dict[str, list[Mapping]]:
    """All records by kind. Each record is a Mapping with .path and .line.
    advance(1) after each file.

    Large record sets are parsed by two processes, a file each at a time (the
    machine has two cores and parsing is nearly all of the time); the records and
    problems come back in file order, exactly as one process would find them."""
    known = set(KINDS)
    for stray in sorted(records_dir.glob("*.yml")) + sorted(records_dir.glob("*.yaml")):
        if stray.stem not in known:
            problems.add(_display(root, stray), 1, f"unknown records file; expected one of: {', '.join(k + '.yml' for k in KINDS)}")
    jobs = [(kind, path, _display(root, path)) for kind, paths in record_files(records_dir).items() for path in paths]
    threshold = PARALLEL_FROM_BYTES if parallel_from_bytes is None else parallel_from_bytes
    records: dict[str, list[Mapping]] = {kind: [] for kind in KINDS}
    for (kind, _, display), (data, found) in zip(jobs, _parse_all(jobs, threshold)):
        problems.extend(found)
        advance(1)
        if data is None:
            continue
        if not isinstance(data, list):
            problems.add(display, getattr(data, "line", 1), "expected a list of records (each starting with '- ')")
            continue
        for item in data:
            if not isinstance(item, Mapping):
                problems.add(display, 0, f"expected a record (a mapping of field: value), got {type(item).__name__}")
                continue
            records[kind].append(item)
    return records


# Below this many bytes of YAML, starting a second process costs more than it saves.
PARALLEL_FROM_BYTES = 8 * 1024 * 1024
PARSERS = 2


def _parse_one(job: tuple[str, Path, str]) -> tuple[object, Problems]:
    _, path, display = job
    found = Problems()
    return load_yaml_file(path, display, found), found


def _parse_all(jobs: list[tuple[str, Path, str]], threshold: int):
    """(data, problems) of each file, in order; in two processes when there is enough YAML."""
    total = 0
    for _, path, _ in jobs:
        with contextlib.suppress(OSError):
            total += path.stat().st_size
    if total < threshold or len(jobs) < 2 or (os.cpu_count() or 1) < 2 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return map(_parse_one, jobs)
    return _parsed_in_processes(jobs)


def _parsed_in_processes(jobs):
    # fork: the workers start as copies of this process (no threads of ours run in
    # it); results come back pickled, in file order.
    with multiprocessing.get_context("fork").Pool(PARSERS) as pool:
        yield from pool.imap(_parse_one, jobs)


def document_name(source: dict) -> str | None:
    """The file name of a source's document in raw/documents/: its `document:`
    when that is a name, else <id>.txt; None when it has none (document: false)."""
    doc = source.get("document")
    if doc is False:
        return None
    return doc if isinstance(doc, str) else f"{source['id']}.txt"


def read_texts(root: Path, documents_dir: Path, sources: list[dict], problems: Problems,
               advance: Advance = nothing) -> dict[str, str]:
    """The text of every source whose document is in documents_dir, by source
    id (read with read_document); a document that is not there is left out
    without a problem (the resolve stage is the one that reports it).
    advance: per source."""
    texts: dict[str, str] = {}
    for src in batched(sources, advance, 256):
        name = document_name(src) if src.get("id") else None
        path = documents_dir / name if name else None
        if path is None or not path.is_file():
            continue
        text = read_document(path, _display(root, path), problems)
        if text is not None:
            texts[src["id"]] = text
    return texts


def read_document(path: Path, display: str, problems: Problems) -> str | None:
    """A document's text, decoded strictly as UTF-8 (its bytes are never changed)."""
    try:
        size = path.stat().st_size
    except OSError:
        problems.add(display, 0, "document file is missing")
        return None
    if size > MAX_DOCUMENT_BYTES:
        problems.add(display, 1, f"document is {size:,} bytes; the limit is {MAX_DOCUMENT_BYTES:,}")
        return None
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, where = not_utf8(raw, exc)
        problems.add(display, line, f"document is not valid UTF-8 ({where})")
        return None


def _display(root: Path, path: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)
