"""Publication profiles.

`full` is the research build: every text as received. `public` is the build
for the open web, and it must not repeat what the sources and the people in
them did not agree to:

- People marked `redact: true` (private individuals: case subjects and their
  relatives) have every form of their name (name, aliases, the extra strings
  in `redact_also`, and the slugs made from them) replaced everywhere by a stable pseudonym ("case subject A"). The
  replacement happens on the inputs, before any row is made, so offsets,
  mentions, ids and full-text indexes are all computed from redacted text and
  nothing else needs patching.
- Sources whose rights are reserved (every source without
  `publish_full_text: true`) keep their metadata, URL and cited excerpts, each
  cut to at most 50 words; their full text is not published.
"""

from __future__ import annotations

import re
import string

from .problems import Problems
from .ids import slug

PROFILES = ("full", "public")
MAX_EXCERPT_WORDS = 50


class Redactor:
    def __init__(self, people: list[dict]):
        redacted = sorted((p for p in people if p.get("redact") and p.get("id")), key=lambda p: p["id"])
        self.pseudonyms: dict[str, str] = {}
        replacements: dict[str, str] = {}
        slug_replacements: dict[str, str] = {}
        for n, person in enumerate(redacted):
            pseudonym = person.get("pseudonym") or f"case subject {string.ascii_uppercase[n % 26]}{'' if n < 26 else n // 26}"
            self.pseudonyms[person["id"]] = pseudonym
            names = [person.get("name") or ""] + [a["name"] for a in person.get("aliases") or []]
            names += person.get("redact_also") or []
            for name in names:
                if name.strip():
                    replacements[name] = pseudonym
                    slug_replacements[slug(name)] = slug(pseudonym)
            slug_replacements[person["id"]] = slug(pseudonym)
        self.names = sorted(replacements, key=len, reverse=True)
        self._text = self._compile(replacements, r"(?<!\w)", r"(?!\w)", re.IGNORECASE)
        self._slugs = self._compile(slug_replacements, r"(?<![a-z0-9])", r"(?![a-z0-9])", 0)

    @staticmethod
    def _compile(mapping: dict[str, str], before: str, after: str, flags: int):
        if not mapping:
            return None
        keys = sorted(mapping, key=len, reverse=True)
        lowered = {k.lower(): v for k, v in mapping.items()}
        pattern = re.compile(before + "(?:" + "|".join(re.escape(k) for k in keys) + ")" + after, flags)
        return pattern, lowered

    def __bool__(self) -> bool:
        return bool(self.pseudonyms)

    def text(self, value: str) -> str:
        # Slugs first, so that the case-insensitive name pass never meets a
        # name inside an id ("jose-juarez-basilio").
        for compiled in (self._slugs, self._text):
            if compiled:
                pattern, mapping = compiled
                value = pattern.sub(lambda m: mapping[m.group(0).lower()], value)
        return value

    def records(self, value):
        """The same structure with every string redacted (dict keys are field names, kept)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.records(v) for v in value]
        if isinstance(value, dict):
            return {k: (v if k in ("_path", "_line") else self.records(v)) for k, v in value.items()}
        return value


def redact_inputs(records: dict[str, list[dict]], texts: dict[str, str], problems: Problems):
    """Records and texts with redacted people's names replaced by pseudonyms."""
    redactor = Redactor(records.get("people", []))
    if not redactor:
        return records, texts, redactor
    records = {kind: redactor.records(recs) for kind, recs in records.items()}
    for kind, recs in records.items():
        seen: dict[str, dict] = {}
        for rec in recs:
            rid = rec.get("id")
            if rid and rid in seen:
                problems.add(rec["_path"], rec["_line"], f"redaction makes this id equal to the one on line "
                             f"{seen[rid]['_line']} ('{rid}'); rename one of them")
            seen.setdefault(rid, rec)
    texts = {sid: redactor.text(text) for sid, text in texts.items()}
    return records, texts, redactor


def cut_words(text: str | None, limit: int = MAX_EXCERPT_WORDS) -> str | None:
    if text is None:
        return None
    words = text.split()
    return text if len(words) <= limit else " ".join(words[:limit]) + " …"


def restrict_for_public(tables: dict[str, list[dict]], full_text_sources: set[str]) -> None:
    """Drop the full text of sources whose rights are reserved; cut every excerpt
    from them to at most 50 words. Changes the rows in place."""
    restricted = {s["id"] for s in tables["sources"] if s["id"] not in full_text_sources}
    for src in tables["sources"]:
        if src["id"] in restricted:
            src["text"] = None
    quote_sources: dict[str, set[str]] = {}
    for table, column in (("citations", "excerpt"), ("segments", "excerpt"), ("quote_appearances", "text"),
                          ("quotation_spans", "text"), ("non_quotations", "text")):
        for row in tables[table]:
            if row["source_id"] in restricted:
                row[column] = cut_words(row[column])
    for app in tables["quote_appearances"]:
        quote_sources.setdefault(app["quote_id"], set()).add(app["source_id"])
    for quote in tables["quotes"]:
        if quote_sources.get(quote["id"], set()) & restricted:
            quote["text"] = cut_words(quote["text"])
