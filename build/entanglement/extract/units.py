"""Quotation units and attribution cues: each top-level span between
quotation marks (found by quotespans) as a QuoteUnit, split into pieces at
the paragraphs it runs over; and the Cue an attribution clause gives (the
subject phrase, the kind of words, the attribution's span, a confidence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..quotespans import find_spans
from .proposals import Entity


@dataclass
class QuoteUnit:
    """One top-level span between quotation marks, in pieces (one per paragraph it runs over)."""
    pieces: list[tuple[int, int]]
    open_mark: int               # position of the first opening mark
    close_mark: int | None       # position of the last closing mark (None if unbalanced)
    unbalanced: bool


def quote_units(text: str) -> list[QuoteUnit]:
    """Top-level quotation spans, each split into pieces at the paragraphs a
    quotation runs over (the reopening mark is not part of the text)."""
    units = []
    for sp in find_spans(text):
        if sp.depth:
            continue
        pieces = []
        pos = sp.start
        for m in re.finditer(r"\n\s*", text[sp.start:sp.end]):
            a, b = pos, sp.start + m.start()
            if text[a:b].strip():
                pieces.append(_trim(text, a, b))
            pos = sp.start + m.end()
            if pos < sp.end and text[pos] in "“\"":
                pos += 1
        if text[pos:sp.end].strip():
            pieces.append(_trim(text, pos, sp.end))
        if not pieces:
            continue
        # a wrapped line inside one paragraph is one piece, not two
        merged = [pieces[0]]
        for a, b in pieces[1:]:
            gap = text[merged[-1][1]:a]
            if gap.strip() == "" and not gap.count("\n") > 1 and not re.search(r"\n\s*[“\"]", text[merged[-1][1]:a + 1]) \
                    and not re.search(r"[.!?]$", text[merged[-1][0]:merged[-1][1]]):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        close = None if sp.unbalanced or sp.end >= len(text) else sp.end
        units.append(QuoteUnit(merged, sp.start - 1, close, sp.unbalanced))
    return units


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """(a, b) without the white space at either end of text[a:b]."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


@dataclass
class Cue:
    """What an attribution clause says: the subject phrase and its span, the kind of words,
    the attribution's span, the cue in words, a confidence, and the speaker if already found."""
    subject: str | None          # the subject phrase
    s_start: int
    s_end: int
    kind: str                    # spoken / written / statement
    attribution: tuple[int, int]
    cue: str
    confidence: float
    end: int                     # where the attribution clause ends
    entity: Entity | None = None   # the speaker, when the cue found it already
