"""Verify-citations stage: find each cited excerpt in its source text.

An excerpt is found exactly, or else after folding (runs of whitespace to one
space; the quote styles " “ ” ' ‘ ’ to one form each). Its start/end offsets
are always into the stored, verbatim text. When an excerpt cannot be found the
problem names the nearest passage, so a curator can see the typo.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

from .problems import short

QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
                            "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'"})
WHITESPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Quote styles and whitespace runs folded, for comparing text that may differ only in those."""
    return WHITESPACE.sub(" ", text.translate(QUOTE_FOLD))


@dataclass
class Located:
    start: int
    end: int
    match: str          # 'exact' or 'folded'


class NotFound(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SourceText:
    """A source's text with what is needed to find excerpts in it."""

    def __init__(self, text: str):
        self.text = text
        self._folded: str | None = None
        self._fold_starts: list[int] = []   # start of each folded piece in the folded text
        self._orig_starts: list[int] = []   # ... and in the original text

    def _build_folded(self) -> None:
        # Fold whitespace runs to one space, keeping a piecewise map back to the
        # original offsets (one entry per run, so linear in the text).
        text = self.text.translate(QUOTE_FOLD)
        parts, fold_starts, orig_starts = [], [0], [0]
        pos = flen = 0
        for m in WHITESPACE.finditer(text):
            parts.append(text[pos:m.start()])
            flen += m.start() - pos
            parts.append(" ")
            flen += 1
            pos = m.end()
            fold_starts.append(flen)
            orig_starts.append(pos)
        parts.append(text[pos:])
        self._folded = "".join(parts)
        self._fold_starts, self._orig_starts = fold_starts, orig_starts

    def find_all(self, excerpt: str) -> list[Located]:
        """Every place the excerpt occurs (exactly, else folded), in text order."""
        found = []
        start = self.text.find(excerpt)
        while start != -1:
            found.append(Located(start, start + len(excerpt), "exact"))
            start = self.text.find(excerpt, start + 1)
        if found:
            return found
        needle = fold(excerpt).strip()
        if not needle:
            return []
        if self._folded is None:
            self._build_folded()
        start = self._folded.find(needle)
        while start != -1:
            fend = start + len(needle)
            found.append(Located(self._map(start), self._map(fend - 1) + 1, "folded"))
            start = self._folded.find(needle, start + 1)
        return found

    def _map(self, folded_offset: int) -> int:
        """Original offset of the character at folded_offset."""
        i = bisect.bisect_right(self._fold_starts, folded_offset) - 1
        return self._orig_starts[i] + (folded_offset - self._fold_starts[i])

    def locate(self, excerpt: str, occurrence: int | None = None) -> Located:
        found = self.find_all(excerpt)
        if not found:
            raise NotFound(f"excerpt not found in source: \"{short(excerpt, 160)}\"; nearest passage: \"{short(self.nearest(excerpt), 160)}\"")
        if occurrence is None:
            if len(found) > 1:
                raise NotFound(f"excerpt occurs {len(found)} times in the source; add 'occurrence:' (1 to {len(found)}) or lengthen it: \"{short(excerpt, 160)}\"")
            return found[0]
        if occurrence > len(found):
            raise NotFound(f"excerpt occurs {len(found)} time(s), not {occurrence}: \"{short(excerpt, 160)}\"")
        return found[occurrence - 1]

    def nearest(self, excerpt: str) -> str:
        """The passage of the source most like the excerpt (for error messages only)."""
        text = self.text
        if not text:
            return ""
        n = len(excerpt)
        matcher = difflib.SequenceMatcher(None, text, excerpt, autojunk=False)
        block = matcher.find_longest_match(0, len(text), 0, n)
        anchor = max(0, block.a - block.b)
        best, best_ratio = text[anchor:anchor + n], -1.0
        # Slide a little around the anchor to find the best-aligned window.
        for shift in range(-min(anchor, 40), 41, 4):
            cand = text[max(0, anchor + shift):max(0, anchor + shift) + n]
            ratio = difflib.SequenceMatcher(None, cand, excerpt, autojunk=False).ratio()
            if ratio > best_ratio:
                best, best_ratio = cand, ratio
        return best
