"""What the records know, as the extractor reads it: known people and
organizations with their aliases and roles, known quotations with every
appearance, the held sources' texts and lineage, and the ids already taken.
Made once from validated records (`Knowledge.from_records`, optionally
hiding one source for leave-one-out evaluation) and read, never changed, by
every document extracted with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class KnownEntity:
    """A person or organization of the records, with its aliases and its roles as cited."""
    id: str
    kind: str                                  # person | organization
    name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)   # (name, alias kind)
    roles: list[str] = field(default_factory=list)


@dataclass
class KnownQuote:
    """A quotation of the records, with the text of each appearance."""
    id: str
    speaker: str
    kind: str
    appearances: list[tuple[str, str, str]]     # (source id, text with pieces joined by a space, fidelity)
    pieces: list[str] = field(default_factory=list)   # every piece of every appearance


@dataclass
class KnownSource:
    """A source of the records, with its text (None when it has none or is hidden)."""
    id: str
    text: str | None
    derived_from: str | None = None
    kind: str | None = None


@dataclass
class Knowledge:
    """What the records know, for the extractor (see the module's docstring)."""
    entities: list[KnownEntity] = field(default_factory=list)
    quotes: list[KnownQuote] = field(default_factory=list)
    sources: list[KnownSource] = field(default_factory=list)
    taken_ids: set[str] = field(default_factory=set)   # ids already used by any record kind
    # Prepared on first use and kept for every later document (evaluate extracts many
    # with one Knowledge): knowledge is not changed once from_records has made it.
    _prepared: dict = field(default_factory=dict, repr=False, compare=False)

    def prepared(self, what: str, make):
        """make(self), computed on first use and kept: an index built once for every document."""
        if what not in self._prepared:
            self._prepared[what] = make(self)
        return self._prepared[what]

    @classmethod
    def from_records(cls, records: dict[str, list[dict]], texts: dict[str, str],
                     hide_source: str | None = None) -> "Knowledge":
        """Knowledge from validated records. With hide_source, everything known
        only from that source is left out (its text, the aliases cited only
        there, the quote appearances there, people and organizations cited only
        there): what the records would know had that source never been read."""
        def cited_elsewhere(rec: dict) -> bool:
            cites = [c for key in ("cite", "rights_cite") for c in rec.get(key) or []]
            for key in ("aliases", "affiliations", "members"):
                for child in rec.get(key) or []:
                    cites += child.get("cite") or []
            return any(c.get("source") != hide_source for c in cites) if cites else True

        know = cls()
        other_texts = {sid: t for sid, t in texts.items() if sid != hide_source}
        for kind, ekind in (("people", "person"), ("organizations", "organization")):
            for rec in records.get(kind, []):
                if not rec.get("id") or not rec.get("name"):
                    continue
                if hide_source and not cited_elsewhere(rec) and not _named_in(rec, other_texts):
                    continue
                aliases = []
                for a in rec.get("aliases") or []:
                    if not a.get("name"):
                        continue
                    if hide_source and a.get("cite") and all(c.get("source") == hide_source for c in a["cite"]):
                        continue
                    aliases.append((a["name"], a.get("kind") or "variant"))
                roles = [af["role"] for af in rec.get("affiliations") or [] if af.get("role")
                         and not (hide_source and af.get("cite") and all(c.get("source") == hide_source for c in af["cite"]))]
                know.entities.append(KnownEntity(rec["id"], ekind, rec["name"], aliases, roles))
        for rec in records.get("quotes", []):
            apps = [(a["source"], " ".join(a["text"] if isinstance(a["text"], list) else [a["text"]]),
                     a.get("fidelity") or "verbatim")
                    for a in rec.get("appearances") or [] if a.get("source") != hide_source and a.get("text")]
            pieces = [p for a in rec.get("appearances") or [] if a.get("source") != hide_source and a.get("text")
                      for p in (a["text"] if isinstance(a["text"], list) else [a["text"]])]
            if rec.get("id") and rec.get("speaker") and apps:
                know.quotes.append(KnownQuote(rec["id"], rec["speaker"], rec.get("kind") or "spoken", apps, pieces))
        for rec in records.get("sources", []):
            if rec.get("id") and rec["id"] != hide_source:
                know.sources.append(KnownSource(rec["id"], other_texts.get(rec["id"]), rec.get("derived_from"),
                                                rec.get("kind")))
        for kind, recs in records.items():
            for rec in recs:
                if rec.get("id") and not (hide_source and kind == "sources" and rec["id"] == hide_source):
                    know.taken_ids.add(rec["id"])
        if hide_source:
            # ids of records known only from the hidden source are free again
            known_ids = {e.id for e in know.entities} | {q.id for q in know.quotes} | {s.id for s in know.sources}
            hidden = {r["id"] for k in ("people", "organizations", "quotes") for r in records.get(k, [])
                      if r.get("id") and r["id"] not in known_ids}
            know.taken_ids -= hidden
        return know


def _named_in(rec: dict, texts: dict[str, str]) -> bool:
    """Does any of the texts name the record (its name or an alias, as a whole word)?"""
    names = [rec["name"]] + [a["name"] for a in rec.get("aliases") or [] if a.get("name")]
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", t) for n in names for t in texts.values() if t)
