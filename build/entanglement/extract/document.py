"""The document's geometry: where its lines and sentences start and end (a
full stop after an abbreviation or an initial does not end a sentence), so
that every rule looks at a bounded window around a position.
"""

from __future__ import annotations

import bisect
import re

from .lexicon import ABBREVIATIONS, SENTENCE_END


class Doc:
    """The text with its lines and sentences, for bounded windows around a position."""

    def __init__(self, text: str):
        """The text's line starts and sentence ends, computed once."""
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        ends = []
        for m in SENTENCE_END.finditer(text):
            if m.group(0) != "\n" and self._abbreviation_before(m.start()):
                continue
            ends.append(m.end())
        self.sentence_ends = ends

    def _abbreviation_before(self, dot: int) -> bool:
        """Is the full stop at `dot` one of an abbreviation or an initial (so no sentence end)?"""
        if self.text[dot] != ".":
            return False
        j = dot
        while j > 0 and (self.text[j - 1].isalnum() or self.text[j - 1] == "."):
            j -= 1
        word = self.text[j:dot].lower()
        if not word:
            return False
        if len(word) == 1 and word.isalpha():
            return True      # an initial: "Patrick T. Fallon"
        return word in ABBREVIATIONS or "." in word

    def line_of(self, pos: int) -> int:
        """The index of the line that holds pos."""
        return bisect.bisect_right(self.line_starts, pos) - 1

    def line_bounds(self, pos: int) -> tuple[int, int]:
        """(start, end) of the line that holds pos, without its newline."""
        i = self.line_of(pos)
        start = self.line_starts[i]
        end = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def sentence_start(self, pos: int) -> int:
        """Start of the sentence that contains pos (the last boundary before it)."""
        i = bisect.bisect_right(self.sentence_ends, pos) - 1
        return self.sentence_ends[i] if i >= 0 else 0

    def sentence_end(self, pos: int) -> int:
        """End of the sentence that contains pos (the first boundary at or after it)."""
        i = bisect.bisect_right(self.sentence_ends, pos)
        return self.sentence_ends[i] if i < len(self.sentence_ends) else len(self.text)
