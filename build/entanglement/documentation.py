"""Documentation stage: what metadata.yml says of the database, as tables in
the database itself, so that a downloaded copy describes itself.

metadata.yml stays the one source (Datasette shows it on the site); these rows
are generated from it by every build, never written by hand:

- `about`: the title, summary, license and source statements, and the home
  page's sections on how the file was made, how to cite a row and its known
  limits, as plain text;
- `about_tables`: every table and view with its description;
- `about_columns`: every column with its description.

The public profile passes metadata.yml through the same Redactor as its rows
(as `entanglement publish` does for the metadata it serves), so its file names
nobody its rows do not. A project without metadata.yml (the test fixtures and
the benchmark's synthetic corpora) gets empty documentation tables.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import yaml

from .load import add_yaml_problem
from .problems import Problems

try:  # the C loader where present, as for the records
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

DATABASE = "entanglement"
# Sections of the home page (description_html, <h2 id="...">) that describe the
# file itself; the others ("start", "charts", "download") are links into the site.
SECTIONS = ("about", "cite", "limits")


class _Text(HTMLParser):
    """HTML of a description as plain text: paragraphs separated by a blank line,
    list items on lines of their own starting with '- ', the address of an
    outside link after its text."""

    BLOCKS = {"p", "ul", "ol", "h1", "h2", "h3", "div"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = [[]]
        self.href: list[str | None] = []

    def _new_block(self, prefix: str = "") -> None:
        if "".join(self.blocks[-1]).strip():
            self.blocks.append([])
        self.blocks[-1][:] = [prefix]

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._new_block()
        elif tag == "li":
            self._new_block("- ")
        elif tag == "br":
            self.blocks[-1].append(" ")
        elif tag == "a":
            self.href.append(dict(attrs).get("href"))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS or tag == "li":
            self._new_block()
        elif tag == "a" and self.href:
            href = self.href.pop()
            if href and href.startswith(("http://", "https://")):
                self.blocks[-1].append(f" ({href})")

    def handle_data(self, data):
        self.blocks[-1].append(data)

    def text(self) -> str:
        self.close()
        lines = []
        for block in self.blocks:
            line = " ".join("".join(block).split())
            if line.strip("- "):
                lines.append(line)
        # list items stay on consecutive lines; paragraphs get a blank line between them
        return "".join(line if i == 0 else ("\n" if line.startswith("- ") else "\n\n") + line
                       for i, line in enumerate(lines))


def plain_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return parser.text()


def description_of(meta: dict) -> str:
    if meta.get("description"):
        return " ".join(str(meta["description"]).split())
    return plain_text(meta.get("description_html") or "")


def home_sections(html: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """The summary (what comes before the first <h2>) and each <h2 id="..."> section
    as (heading, plain text)."""
    parts = re.split(r'<h2 id="([^"]+)">(.*?)</h2>', html, flags=re.S)
    sections = {parts[i]: (plain_text(parts[i + 1]), plain_text(parts[i + 2])) for i in range(1, len(parts), 3)}
    return plain_text(parts[0]), sections


def documentation_rows(metadata: dict) -> dict[str, list[dict]]:
    """Rows of `about`, `about_tables` and `about_columns` from parsed metadata."""
    database = metadata["databases"][DATABASE]
    summary, sections = home_sections(metadata.get("description_html") or "")
    about = [{"id": "title", "heading": "Title", "text": metadata.get("title") or database.get("title")},
             {"id": "summary", "heading": "What this is", "text": summary}]
    for key, heading in (("license", "License"), ("source", "Source")):
        value = database.get(key) or metadata.get(key)
        url = database.get(f"{key}_url") or metadata.get(f"{key}_url") or ""
        if value:
            text = f"{value} ({url})" if url.startswith(("http://", "https://")) else value
            about.append({"id": key, "heading": heading, "text": text})
    for section in SECTIONS:
        if section in sections:
            heading, text = sections[section]
            about.append({"id": section, "heading": heading, "text": text})
    tables, columns = [], []
    for name, meta in (database.get("tables") or {}).items():
        meta = meta or {}
        tables.append({"name": name, "description": description_of(meta), "internal": int(bool(meta.get("hidden"))),
                       "fts_table": meta.get("fts_table")})
        for column, text in (meta.get("columns") or {}).items():
            columns.append({"id": f"{name}--{column}", "table_name": name, "column_name": column,
                            "description": " ".join(str(text).split())})
    return {"about": about, "about_tables": tables, "about_columns": columns}


def documentation_tables(path: Path, shown_path: str, problems: Problems, redact=None) -> dict[str, list[dict]]:
    """The documentation tables from metadata.yml at `path` (redacted by `redact`,
    a str -> str function, when given); empty tables if there is no such file."""
    empty = {"about": [], "about_tables": [], "about_columns": []}
    if not path.is_file():
        return empty
    text = path.read_text(encoding="utf-8")
    if redact is not None:
        text = redact(text)
    try:
        metadata = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        add_yaml_problem(problems, shown_path, exc)
        return empty
    if not (isinstance(metadata, dict) and isinstance((metadata.get("databases") or {}).get(DATABASE), dict)):
        problems.add(shown_path, 1, f"no databases: {DATABASE}: section to document the database from")
        return empty
    return documentation_rows(metadata)
