"""Spans between quotation marks that are not somebody's words: scare quotes,
terms ('the so-called "sanctuary" law') and titles (of reports, signs,
campaigns), with the kind and the cue that decided it.
"""

from __future__ import annotations

import re

from .document import Doc
from .lexicon import VERB
from .units import QuoteUnit


# Right before the opening mark: "the so-called “…”", "known as “…”", "the phrase “…”"
NONQUOTE_LEAD = re.compile(r"""
    (?P<kw>so-called|so\ called|called|call|calls|known\ as|dubbed|termed|labeled|labelled|nicknamed
          |branded|the\ term|the\ word|the\ words|the\ phrase|the\ slogan|titled|entitled|headlined|named
          |the\ hashtag|the\ label|the\ abbreviation|the\ acronym|the\ code|the\ notation|the\ heading)
    (?:[ \t]+(?:the|a|an|it|them|this|that))?        # (it / the)
    [ \t]*$""", re.VERBOSE | re.I)
# Right before the opening mark: "a banner that read “…”", "signs saying: “…”"
SIGN_LEAD = re.compile(r"""
    \b(?:sign|banner|placard|poster|t-shirt|shirt|mural|graffiti|button|sticker)s?\b
    [^.\n“”"]{0,80}?                                  # within the sentence
    \b(?:read|reads|reading|said|says|saying|declared|declaring)[ \t]*:?
    [ \t]*$""", re.VERBOSE | re.I)


# A label used as a modifier: "a “know your rights” training", "the “zero tolerance” policy"
MODIFIER_BEFORE = re.compile(r"\b(?:a|an|the|its|their|this|that|our)[ \t]+(?:(?P<word>[a-z][\w\-]*)[ \t]+)?$", re.I)
MODIFIER_AFTER = re.compile(r"""[ \t]+(?!(?:that|which|who|whom|whose|is|was|are|were|be|been|has|had|have|and|or|but|of|to|in|on|at|for|from|by|with|as|he|she|they|it|we|said|says|not|than|because|if|when|while)\b)
    [a-z][a-z\-]+(?<!ed)\b""", re.VERBOSE)       # a noun, not a participle ("a “…” designed to")


# Reported speech before the mark: "X said … that its officers “never, ever” look into …" (words, not a label)
REPORTED_THAT = re.compile(rf"\b{VERB}\b[^“”\"\n]*\bthat\b")
# Right before the opening mark, a named thing in apposition: "a workshop, “…,” on Saturday"
TITLE_OF_THING = re.compile(r"""\b(?:workshop|forum|report|campaign|event|program|programme|training|class|series
    |exhibit|exhibition|film|documentary|book|album|song|play|podcast|newsletter|guide|toolkit|handbook|study|fair
    |festival|march|vigil|initiative|slogan)[ \t]*,[ \t]*$""", re.VERBOSE | re.I)


def classify_nonquote(text: str, unit: QuoteUnit, doc: Doc) -> tuple[str, str] | None:
    """(kind, cue) when the span reads as a scare quote, term or title rather
    than somebody's words; None when it does not."""
    a, b = unit.pieces[0][0], unit.pieces[-1][1]
    inner = text[a:b]
    before = text[max(0, unit.open_mark - 30):unit.open_mark]
    if SIGN_LEAD.search(text[max(0, unit.open_mark - 120):unit.open_mark]):
        return "other", "the text of a sign or banner"
    if TITLE_OF_THING.search(before) and len(inner.split()) <= 12:
        return "title", "the name of the thing named just before it ('a workshop, “…,”')"
    m = NONQUOTE_LEAD.search(before)
    if m:
        kw = m.group("kw").lower()
        if kw.startswith("so"):
            return "scare_quote", f"'{m.group('kw')}' before it"
        if kw in ("titled", "entitled", "headlined"):
            return "title", f"'{m.group('kw')}' before it"
        if title_case(inner) and kw.split()[0] in ("called", "call", "calls", "named", "dubbed", "known", "nicknamed", "branded"):
            return "name", f"a name in title case after '{m.group('kw')}'"
        return "term", f"'{m.group('kw')}' before it"
    if unit.close_mark is not None and len(inner.split()) <= 4 \
            and re.match(r"[ \t]+(?:field|fields|box|column|category|checkbox|drop-down|dropdown|code|tag|flag|menu)\b",
                         text[unit.close_mark + 1:unit.close_mark + 14]):
        return "term", "the name of a field or box on a form ('the “…” field')"
    modifier = MODIFIER_BEFORE.search(text[max(0, unit.open_mark - 40):unit.open_mark])
    if unit.close_mark is not None and 2 <= len(inner.split()) <= 6 and not re.search(r"[.!?,;:]\s*$", inner) \
            and modifier and MODIFIER_AFTER.match(text, unit.close_mark + 1) \
            and not (modifier.group("word") and REPORTED_THAT.search(text, doc.sentence_start(unit.open_mark),
                                                                      unit.open_mark)):
        # (but "Ruiz said that its officers “never, ever” look into …": words after a noun, in reported speech)
        return "term", "a label used before a noun ('a “…” training')"
    return None


def looks_like_words(text: str, unit: QuoteUnit, doc: Doc) -> bool:
    """Without an attribution: does the span read as somebody's words (a clause,
    a sentence) rather than a label?"""
    a, b = unit.pieces[0][0], unit.pieces[-1][1]
    inner = text[a:b]
    words = inner.split()
    line_start = doc.line_bounds(unit.open_mark)[0]
    starts_sentence = not text[line_start:unit.open_mark].strip() or doc.sentence_start(unit.open_mark) >= unit.open_mark - 1 \
        or not text[doc.sentence_start(unit.open_mark):unit.open_mark].strip()
    if starts_sentence and len(words) >= 3:
        return True
    if len(words) >= 8:
        return True
    return bool(re.search(r"[.!?,]$", inner.strip())) and len(words) >= 5


def title_case(inner: str) -> bool:
    """Are the significant words of a 2- to 12-word span all capitalised (a title)?"""
    words = re.findall(r"[\w’'\-]+", inner)
    significant = [w for w in words if len(w) > 3 or w[:1].isupper()]
    return 2 <= len(words) <= 12 and bool(significant) and all(w[:1].isupper() for w in significant) \
        and not re.search(r"[.!?]\s+\S", inner.strip())


def nonquote_kind(text: str, unit: QuoteUnit) -> tuple[str, str]:
    """(kind, cue) of a span with no attribution: a title when title case, else a scare quote."""
    a, b = unit.pieces[0][0], unit.pieces[-1][1]
    inner = text[a:b].strip()
    words = inner.split()
    significant = [w for w in words if len(w) > 3 or w[:1].isupper()]
    if len(words) >= 2 and significant and all(w[:1].isupper() for w in significant) and len(words) <= 12:
        return "title", "title case, no attribution"
    return "scare_quote", "short phrase inside a sentence, no attribution"
