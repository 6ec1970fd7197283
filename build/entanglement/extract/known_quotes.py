"""Known quotations printed again: an index of every known quotation text by
content-word stems (QuoteIndex, made once per Knowledge), and
`match_known_quote`, which finds the known quotation a new one prints again
and how faithfully (verbatim, reworded, garbled).
"""

from __future__ import annotations

import difflib
import re

from ..citations import fold
from .knowledge import Knowledge, KnownQuote
from .lexicon import STOPWORDS, WORD
from .names import same_stem


def _content(text: str) -> list[str]:
    """The content words of a text (folded, lower case, stop words left out)."""
    return [w for w in (fold(x).lower() for x in WORD.findall(text)) if w not in STOPWORDS]


def _stem_dice(a: list[str], b: list[str]) -> tuple[float, int]:
    """(Dice coefficient, count) of the shared five-letter stems of two word lists."""
    sa = sorted(set(w[:5] for w in a if len(w) > 2))
    sb = set(w[:5] for w in b if len(w) > 2)
    if not sa or not sb:
        return 0.0, 0
    shared = 0
    for w in sa:
        if w in sb or any(same_stem(w, x) for x in sb if x[:3] == w[:3]):
            shared += 1
    return 2 * shared / (len(sa) + len(sb)), shared


class QuoteIndex:
    """Known quotations prepared once: normalised texts, content words, and an
    index from content-word stems to the texts that have them."""

    def __init__(self, knowledge: Knowledge):
        """Index every appearance and piece of every known quotation."""
        self.entries: list[tuple[KnownQuote, str, str, list[str], bool]] = []   # quote, text, normalised, content, faithful
        self.by_stem: dict[str, list[int]] = {}
        for q in knowledge.quotes:
            knowns = list(q.appearances)
            if len(q.pieces) > 1:
                fids = {t: f for _, t, f in q.appearances}
                knowns += [("", p, next((f for t, f in fids.items() if p in t), "verbatim")) for p in q.pieces]
            has_faithful = any(f == "verbatim" for _, _, f in q.appearances)
            for _, known_text, known_fid in knowns:
                i = len(self.entries)
                content = _content(known_text)
                self.entries.append((q, known_text, _norm_quote(known_text), content,
                                     known_fid == "verbatim" or has_faithful))
                for stem in sorted({w[:4] for w in content if len(w) > 3}):
                    self.by_stem.setdefault(stem, []).append(i)


QUOTE_CANDIDATES = 100   # known texts compared word by word with each quotation, most shared stems first


def match_known_quote(pieces: list[str], index: QuoteIndex,
                      candidates: int = QUOTE_CANDIDATES) -> tuple[KnownQuote | None, float, str]:
    """The known quotation these pieces print again, its similarity and the
    fidelity; `candidates` known texts at most are compared word by word."""
    best, best_score, best_fid = None, 0.0, "verbatim"
    whole = " ".join(pieces)
    cands = [whole] + (pieces if len(pieces) > 1 else [])
    for cand in cands:
        cf = _norm_quote(cand)
        content = _content(cand)
        if not cf:
            continue
        hits: dict[int, int] = {}
        for stem in sorted({w[:4] for w in content if len(w) > 3}):
            for i in index.by_stem.get(stem, ()):
                hits[i] = hits.get(i, 0) + 1
        # Every known text sharing a stem is checked for equality and containment (cheap);
        # only those sharing the most stems are compared word by word (the costly part:
        # otherwise every quotation would be compared with a share of all known ones).
        closest = set(sorted(hits, key=lambda i: (-hits[i], i))[:candidates])
        for i in sorted(hits):
            q, known_text, kf, kcontent, faithful = index.entries[i]
            if not kf:
                continue
            if cf == kf or (len(cf) > 20 and (cf in kf or kf in cf)):
                score, fid = 1.0, "verbatim"
            elif i not in closest:
                continue
            else:
                aw, bw = cf.split(), kf.split()
                seq = difflib.SequenceMatcher(None, aw, bw, autojunk=False).ratio()
                dice, shared = _stem_dice(content, kcontent)
                score = max(seq, dice)
                if shared < 4 and seq < 0.6:
                    continue
                fid = "reworded" if seq >= 0.8 else "garbled"
                if not faithful:
                    # only unfaithful copies are known: this one may be the faithful one
                    fid = "verbatim"
            if score > best_score:
                best, best_score, best_fid = q, score, fid
    if best_score < 0.55:
        return None, best_score, "verbatim"
    return best, round(best_score, 3), best_fid


def _norm_quote(text: str) -> str:
    """A quotation's text for comparison: folded, lower case, punctuation as spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text).lower().replace("'", "")).split())
