"""Copy detection: the share of a document's word 5-grams (shingles) found in
each held source's text, and the shared passages, longest first. A large
share makes the document a copy (repost, rewrite) of that source.
"""

from __future__ import annotations

import re

from ..citations import QUOTE_FOLD
from .knowledge import Knowledge
from .proposals import Copy


SHINGLE_WORD = re.compile(r"\w[\w’'\-]*")


def _shingle_words(text: str) -> list[str]:
    """The words of a text as shingles compare them (quote styles folded, lower case)."""
    # a word has no whitespace in it, so folding it is only the quote translation
    return [w.translate(QUOTE_FOLD).lower() for w in SHINGLE_WORD.findall(text)]


def _shingle_keys(words: list[str], n: int = 5) -> list[tuple[str, ...]]:
    """Every run of n consecutive words (compared only within one process)."""
    return list(zip(*(words[i:] for i in range(n))))


def _shingles(text: str, n: int = 5) -> tuple[list[tuple[str, ...]], list[tuple[int, int]]]:
    """The document's shingles, with the span each covers."""
    found = list(SHINGLE_WORD.finditer(text))
    keys = _shingle_keys([m.group(0).translate(QUOTE_FOLD).lower() for m in found], n)
    spans = [(found[i].start(), found[i + n - 1].end()) for i in range(len(keys))]
    return keys, spans


def find_copies(text: str, knowledge: Knowledge, min_share: float = 0.02) -> list[Copy]:
    """Every held source that shares at least `min_share` of this text's word
    5-grams, with the share and the shared passages, largest share first."""
    keys, spans = _shingles(text)
    if not keys:
        return []
    out = []
    for src in sorted(knowledge.sources, key=lambda s: s.id):
        if not src.text:
            continue
        theirs = set(_shingle_keys(_shingle_words(src.text)))
        shared = [k in theirs for k in keys]
        n = sum(shared)
        if not n:
            continue
        share = n / len(keys)
        if share < min_share:
            continue
        passages = []
        i = 0
        while i < len(keys):
            if shared[i]:
                j = i
                while j + 1 < len(keys) and shared[j + 1]:
                    j += 1
                passages.append((spans[i][0], spans[j][1]))
                i = j + 1
            else:
                i += 1
        passages.sort(key=lambda p: (-(p[1] - p[0]), p[0]))
        out.append(Copy(src.id, round(share, 4), passages, []))
    out.sort(key=lambda c: (-c.share, c.source_id))
    return out
