"""Mentions stage: every occurrence of every known name or alias in every source.

All names are compiled into one regular expression shaped as a trie (names that
share a prefix share a branch), so each source is scanned once whatever the
number of names, and the longest name wins where names overlap ("Jim McDonnell"
over "McDonnell"). Matching is case-sensitive and on word boundaries: "ICE" the
agency, not "ice" or "police".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    text: str
    person_id: str | None
    organization_id: str | None


def _trie_pattern(words: list[str]) -> str:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def render(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + render(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        # Longer continuations are tried first by the regex engine only if
        # listed first; a trie branch consumes greedily, and the optional group
        # below backs off to the shorter name when the longer one fails.
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return render(trie)


class Matcher:
    def __init__(self, names: list[Name]):
        self.by_text: dict[str, list[Name]] = {}
        for name in names:
            if name.text.strip():
                self.by_text.setdefault(name.text, []).append(name)
        texts = sorted(self.by_text)
        self.pattern = re.compile(r"(?<!\w)(?:" + _trie_pattern(texts) + r")(?!\w)") if texts else None

    def find(self, text: str):
        """(start, end, Name) for each mention, in text order; a name shared by
        two entities (an ambiguous alias) yields one mention per entity."""
        if self.pattern is None:
            return
        for m in self.pattern.finditer(text):
            if m.end() == m.start():
                continue
            for name in self.by_text.get(m.group(0), ()):
                yield m.start(), m.end(), name


def matcher_for(tables: dict[str, list[dict]]) -> Matcher:
    """One matcher of every name and alias of every person and organization."""
    names = [Name(p["name"], p["id"], None) for p in tables["people"]]
    names += [Name(o["name"], None, o["id"]) for o in tables["organizations"]]
    names += [Name(a["name"], a["person_id"], a["organization_id"]) for a in tables["aliases"]]
    return Matcher(names)


def names_within(matcher: Matcher, text: str) -> set[str]:
    """Every entity named anywhere inside text, including names that a longer
    one covers ("LAPD" inside the title "LAPD Chief Jim McDonnell"): every
    name at every word start, not only the longest overall."""
    found: set[str] = set()
    if matcher.pattern is None:
        return found
    for start in (m.start() for m in re.finditer(r"(?<!\w)\w", text)):
        end = len(text)
        # every name starting here, longest first: "LAPD Chief Jim McDonnell", then "LAPD"
        while (m := matcher.pattern.match(text, start, end)) and m.end() > start:
            found.update(n.person_id or n.organization_id for n in matcher.by_text.get(m.group(0), ()))
            end = m.end() - 1
    return found


def segment_kind_at(segments: list[tuple[int, int, str]], starts: list[int], pos: int) -> str | None:
    """The kind of the segment (caption, teaser, ...) containing pos, if any."""
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and segments[i][0] <= pos < segments[i][1]:
        return segments[i][2]
    return None
