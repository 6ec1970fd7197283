"""Find every span of text between quotation marks, the way a reader would.

Handles straight and curly double quotes (also a quotation opened with one
and closed with the other), single quotes nested inside them,
`’` used as an apostrophe (Don’t, residents’), and the news convention of a
quotation that runs over several paragraphs: each new paragraph reopens the
quote and only the last one closes it. A quote left open at the end of a
paragraph that is not continued is reported as unbalanced and ends there.

Only the quotation-mark characters and line breaks are visited (found with one
regular expression), so the cost is linear in the text and small.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKS = re.compile(r"[\n\"“”‘’']")
OPENING_DOUBLE = "“\""


@dataclass
class Span:
    start: int          # first character inside the marks
    end: int            # the closing mark (exclusive end of the inside)
    depth: int          # 0 for a top-level quotation, 1 inside another, ...
    double: bool        # double quotes (True) or single (False)
    unbalanced: bool = False

    def text(self, source: str) -> str:
        return source[self.start:self.end]


@dataclass
class _Open:
    mark_pos: int
    double: bool
    straight: bool


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def find_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    stack: list[_Open] = []
    n = len(text)
    line_start = 0

    def close(idx: int, end: int, unbalanced: bool = False) -> None:
        # Close stack[idx] and everything opened inside it.
        while len(stack) > idx:
            o = stack.pop()
            spans.append(Span(o.mark_pos + 1, end, len(stack), o.double, unbalanced or len(stack) > idx))

    def innermost(double: bool) -> int:
        for i in range(len(stack) - 1, -1, -1):
            if stack[i].double == double:
                return i
        return -1

    for m in MARKS.finditer(text):
        pos = m.start()
        ch = text[pos]
        prev = text[pos - 1] if pos > 0 else "\n"
        nxt = text[pos + 1] if pos + 1 < n else "\n"
        at_line_start = not text[line_start:pos].strip()
        if ch == "\n":
            _end_of_line(text, pos, stack, close, spans)
            line_start = pos + 1
            continue
        if ch == "“":
            if stack and stack[-1].double and at_line_start and pos > 0:
                continue  # a continued quotation reopened at a new paragraph
            stack.append(_Open(pos, True, False))
        elif ch == "”":
            i = innermost(True)
            if i >= 0:
                close(i, pos)
        elif ch == '"':
            i = innermost(True)
            if i >= 0 and stack[i].straight and not (at_line_start and pos > 0):
                if not prev.isspace() or not _is_word(nxt):
                    close(i, pos)
                    continue
            if i >= 0 and not stack[i].straight and not prev.isspace() and not _is_word(nxt):
                # “…" : a quotation opened with a curly mark and closed with a
                # straight one (a mark placed as a closer: after a word or
                # punctuation, before a space or punctuation)
                close(i, pos)
                continue
            if i >= 0 and at_line_start:
                continue  # continued quotation reopened at a new paragraph
            stack.append(_Open(pos, True, True))
        elif ch == "‘":
            if not nxt.isspace():
                stack.append(_Open(pos, False, False))
        elif ch in "’'":
            i = innermost(False)
            if i >= 0 and not _is_word(nxt) and (ch == "’" or stack[i].straight):
                close(i, pos)
            elif ch == "'" and stack and stack[-1].double and (prev.isspace() or prev in OPENING_DOUBLE) and _is_word(nxt):
                stack.append(_Open(pos, False, True))
            # otherwise an apostrophe
    if stack:
        close(0, _line_end(text, stack[0].mark_pos), unbalanced=True)
    spans.sort(key=lambda s: (s.start, s.depth))
    return spans


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _end_of_line(text, pos, stack, close, spans) -> None:
    """At a line break: keep a double quote open only if it plausibly continues."""
    if not stack:
        return
    # Single quotes never run across lines here: an unclosed one was an apostrophe
    # or a typo; drop it silently only if it opened on this line without content.
    for i, o in enumerate(stack):
        if not o.double:
            close(i, pos, unbalanced=True)
            break
    if not stack:
        return
    rest = text[pos + 1:pos + 400].lstrip()
    before = text[:pos].rstrip()
    last = before[-1:] if before else ""
    if rest[:1] in OPENING_DOUBLE:
        return  # the next paragraph reopens the quotation: news convention
    if last and (last.isalnum() or last in ",;:-–—"):
        return  # the line was wrapped mid-sentence
    close(0, pos, unbalanced=True)
