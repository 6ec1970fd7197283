"""Rules about one name or phrase, with no state: titles and roles stripped
from a name, whether a capitalised phrase is a person, a place, a group, an
organization; an organization's type and jurisdiction; a person's category
from their role; `name_key`, the form under which two spellings of a name
are the same (quote styles, full stops and case aside).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from ..citations import fold
from .lexicon import (
    ABBREVIATIONS, ABBREV_TITLES, ADVERBS, CAPWORD, CONNECTORS, NOT_NAME, PARTICLE_WORDS, PARTICLES, ORG_GLOSS, ORG_HEADS, ORG_LEADS, ORG_NOUNS,
    PERSON_NOUNS, SPEECH_VERBS, STOPWORDS, STOP_CAPS, TITLES, UP, VERB, WORD)


def unaccented(word: str) -> str:
    """A word without its accents: Unión -> union."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def org_head(name: str) -> str | None:
    """The organization head word ('department', 'coalition', ...) a name ends on or contains last, or None."""
    words = [unaccented(w.lower().strip(".,")) for w in name.split()]
    for w in reversed(words):
        if w in ORG_HEADS:
            return w
    return None


def token_text(text: str, span: tuple[int, int]) -> str:
    """The text of one token (start, end)."""
    return text[span[0]:span[1]]


def trim_caps(text: str, tokens: list[tuple[int, int]], keep_first: bool = False) -> list[tuple[int, int]]:
    """A capitalised phrase without its leading stop words (sentence starts,
    determiners) and lowercase connectors, and without trailing lowercase words."""
    while tokens and not keep_first and (token_text(text, tokens[0]).lower() in STOP_CAPS
                                         or not token_text(text, tokens[0])[:1].isupper()):
        tokens = tokens[1:]
    while tokens and not token_text(text, tokens[-1])[:1].isupper():
        tokens = tokens[:-1]
    return tokens


def span_of(text: str, tokens: list[tuple[int, int]]) -> tuple[int, int]:
    """The span of a phrase of tokens, without a possessive or punctuation at its end."""
    start = tokens[0][0]
    return start, start + len(clean_tail(text[start:tokens[-1][1]]))


def overlaps_any(covered: list[tuple[int, int]], s: int, e: int) -> bool:
    """Does (s, e) overlap any span of `covered` (sorted, non-overlapping)?"""
    i = bisect.bisect_right(covered, (e, 10 ** 12))
    for a, b in covered[max(0, i - 8):i]:
        if a < e and b > s:
            return True
    return False


def ends_sentence(token: str) -> bool:
    """A word that ends with a full stop that is not an abbreviation's or an initial's."""
    if not token.endswith("."):
        return False
    core = token.rstrip(".")
    return len(core) > 1 and "." not in core and core.lower() not in ABBREVIATIONS


def within_any(covered: list[tuple[int, int]], s: int, e: int) -> bool:
    """Is (s, e) inside one span of `covered` (sorted, non-overlapping)?"""
    i = bisect.bisect_right(covered, (s, 10 ** 12))
    return any(a <= s and e <= b for a, b in covered[max(0, i - 8):i])


def clean_tail(s: str) -> str:
    """Trailing possessive and sentence punctuation off a name."""
    s = s.rstrip(",;:")
    s = re.sub(r"(?:’s|'s|’|')$", "", s)
    if s.endswith("."):
        last = s.split()[-1] if s.split() else s
        core = last[:-1]
        if not (len(core) == 1 or "." in core or core.lower() in ABBREV_TITLES):
            s = re.sub(r"(?:’s|'s|’|')$", "", s[:-1])     # "families like Rogelio's."
    return s


def strip_titles(phrase: str) -> tuple[str, str]:
    """('Hugo Soto-Martinez', 'Councilmember') from 'Councilmember Hugo Soto-Martinez';
    ('Mark Feldman', 'Deputy County Counsel') from 'Deputy County Counsel Mark Feldman'."""
    name, title = _strip_title_words(phrase)
    toks = name.split()
    if title and len(toks) > 2:
        # office words after the title ("County Counsel"): the name is the trailing part
        for k in range(len(toks) - 2, 0, -1):
            tail = toks[k:]
            if all(_name_token(t) or t.lower() in PARTICLES for t in tail) and tail[0].lower() not in PARTICLES \
                    and not _name_token(toks[k - 1]) and toks[k - 1].lower() not in PARTICLES:
                return " ".join(tail), " ".join(phrase.split()[:len(phrase.split()) - len(tail)])
    return name, title


def _name_token(t: str) -> bool:
    """A capitalised word that can be part of a person's name (no stop word, title or organization word)."""
    lw = t.lower()
    return t[:1].isupper() and lw not in STOP_CAPS and lw not in NOT_NAME and lw not in ORG_HEADS \
        and lw not in TITLES and lw.rstrip("s") not in TITLES


def _strip_title_words(phrase: str) -> tuple[str, str]:
    """(name, titles): the words after the last title word of a phrase, and the titles."""
    words = phrase.split()
    last_title = -1
    for i, w in enumerate(words[:-1]):
        lw = w.lower().rstrip(",")
        if lw in TITLES or _plural_title(lw) or (i + 1 < len(words) and f"{lw} {words[i + 1].lower()}" in TITLES):
            last_title = i
    if last_title >= 0 and words[last_title + 1:]:
        nxt = words[last_title + 1].lower()
        if nxt in TITLES:  # "Council member"
            last_title += 1
        return " ".join(words[last_title + 1:]), " ".join(words[:last_title + 1])
    return phrase, ""


# Words that make a capitalised phrase a group of people, never one person.
GROUP_WORDS = {
    "american", "americans", "latino", "latinos", "latina", "latinas", "latinx", "latine", "hispanic", "hispanics",
    "asian", "asians", "african", "africans", "black", "white", "indigenous", "native", "natives", "angeleno",
    "angelenos", "californian", "californians", "mexican", "mexicans", "salvadoran", "salvadorans", "guatemalan",
    "guatemalans", "honduran", "hondurans", "nicaraguan", "nicaraguans", "cuban", "cubans", "haitian", "haitians",
    "armenian", "armenians", "korean", "koreans", "chinese", "filipino", "filipinos", "filipina", "vietnamese",
    "japanese", "cambodian", "cambodians", "thai", "iranian", "iranians", "ethiopian", "ethiopians", "oaxacan",
    "oaxacans", "venezuelan", "venezuelans", "colombian", "colombians", "peruvian", "peruvians", "dreamers",
    "democrats", "republicans", "catholics", "muslims", "jews", "christians", "residents", "families", "voters",
}
# Last words of place names ("Monterey Park", "Long Beach", "Boyle Heights").
PLACE_WORDS = {"park", "beach", "valley", "hills", "heights", "springs", "gardens", "canyon", "harbor", "vista",
               "island", "bay", "nuys", "gate", "grove", "village", "ranch", "mesa", "county", "city", "boulevard",
               "avenue", "street", "square", "plaza", "district", "estates", "pines", "palms", "angeles"}
# "in Van Nuys", "the people of Glendale", "residents of Pomona": a place follows
PLACE_BEFORE = re.compile(r"""(?:\b(?:in|at|near|across|outside|throughout|around|into|toward|towards)
                                  (?:(?:[ \t]+[A-Z][\w\-]*)*[ \t]+(?:and|or))?   # (South and) Southeast Los Angeles
                               |\b(?:people|residents|city|town|streets|neighborhoods?|suburbs?|communities|community
                                     |citizens|mayor|county|state|voters|families)[ \t]+of)[ \t]+$""", re.VERBOSE)
# ", where …", ", a city of …": the name before is a place
PLACE_AFTER = re.compile(r""",[ \t]+(?:where\b|(?:a|the|an)[ \t]+(?:[\w\-]+[ \t]+){0,2}?
                               (?:city|town|neighborhood|suburb|community|county|state|country|district|enclave|region)\b)""",
                         re.VERBOSE)


RELATIVE_BY_GIVEN_NAME = re.compile(rf"""
    \b(?:[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Mm]y)[ \t]+(?:(?:oldest|eldest|youngest|older|younger|little|baby|only|teenage)[ \t]+)?
    (?P<rel>son|daughter|nephew|niece|brother|sister|grandson|granddaughter|cousin|stepson|stepdaughter|child|boy|girl)
    ,?[ \t]+(?P<name>{UP}[a-z’'\-]+)                 # a given name alone
    (?=,[ \t]+\d{{1,2}}\b|[ \t]*,|[ \t]+(?:who|was|is|had|has|watched|said|told)\b)""", re.VERBOSE)


# A person the article names by a given name only, and says so: "a vendor who gave
# her name only as Graciela", "Luis, a painter who asked that his last name not be
# used", "a worker named Rubén"
_GIVEN = rf"(?P<name>{UP}[a-záéíóúñü’'\-]+)(?![ \t]+{UP})"
GIVEN_NAME_ONLY = (
    re.compile(rf"""\b(?:gave|gives|giving|identified|identifies|identifying|identify)[ \t]+
        (?:(?:herself|himself|themselves|her|his|their)[ \t]+)?(?:(?:her|his|their)[ \t]+)?
        (?:(?:first|given)[ \t]+)?(?:name[ \t]+)?(?:only[ \t]+)?(?:as|by)[ \t]+{_GIVEN}""", re.VERBOSE),
    re.compile(rf"""(?<![\w’']){_GIVEN},[ \t]+[^.\n“”"]{{0,160}}?
        \b(?:(?:last|family|first|given|full)[ \t]+name|surname)s?\b""", re.VERBOSE),
    re.compile(rf"""(?<![\w’']){_GIVEN},[ \t]+\d{{1,2}},[ \t]+(?=[a-z])""", re.VERBOSE),   # "Abril, 9, had done …"
    re.compile(rf"""\b(?:first|given)[ \t]+name[ \t]*,?[ \t]+{_GIVEN},""", re.VERBOSE),      # "only his first name, Wilmer, be used"
    re.compile(rf"""\b(?:a|an|one)[ \t]+(?:[\w\-]+[ \t]+){{0,3}}?(?:man|woman|worker|vendor|mother|father|resident|
        student|laborer|driver|neighbor|immigrant|painter|cook|nanny|gardener|teenager|girl|boy)[ \t]+named[ \t]+{_GIVEN}""",
               re.VERBOSE),
)

# "… whose family asked that her last name not be published": the text says it
# withholds a surname; the given name is the one named just before
WITHHELD_SURNAME = re.compile(r"""\b(?:his|her|their)[ \t]+(?:last|family|full)[ \t]+names?[ \t]+(?:not[ \t]+be|be[ \t]+withheld
    |(?:is|was|were|are)[ \t]+(?:being[ \t]+)?(?:withheld|not[ \t]+(?:being[ \t]+)?(?:published|used|given|disclosed)))""", re.VERBOSE)
GIVEN_BEFORE_WITHHELD = re.compile(rf"(?<=[a-z,][ \t]){_GIVEN}(?![\w’'])")


def place_or_group(tokens: list[str], before: str, after: str, described: bool = False) -> bool:
    """An untitled capitalised phrase that names a place or a group of people,
    not a person: a demonym or group word in it ('Chinese American',
    'Salvadorans'), a place word at its end ('Monterey Park'), a place
    preposition before it ('in Van Nuys', 'the people of Glendale') or a place
    apposition after it ('Pasadena, a city of …', 'X, where …'). A name
    described as a person ('Grace Park, a 34-year-old mother') keeps its
    place word."""
    words = [unaccented(t.lower().strip(".,’'")) for t in tokens]
    if any(w in GROUP_WORDS for w in words):
        return True
    if described:
        return False
    return words[-1] in PLACE_WORDS or bool(PLACE_BEFORE.search(before) or PLACE_AFTER.match(after))


TITLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant",
                       "sgt": "sergeant", "capt": "captain", "det": "detective", "supt": "superintendent",
                       "atty": "attorney", "prof": "professor", "dr": "doctor", "rev": "reverend",
                       "asst": "assistant", "pres": "president", "gen": "general", "cmdr": "commander"}


def spelled_out(names: str) -> str:
    """A party's names and roles, lowercased, with title abbreviations spelled
    out and Spanish organization words glossed, so that 'the governor' finds
    'Gov. Warren Hale' and 'the clinic' finds 'Clinica Esperanza'."""
    out = []
    for w in unaccented(names.lower()).split():
        core = w.strip(".,;:")
        out.append(w)
        if core in TITLE_ABBREVIATIONS and (w.endswith(".") or core in ("gov", "sen", "rep")):
            out.append(TITLE_ABBREVIATIONS[core])
        if core in ORG_GLOSS:
            out.append(ORG_GLOSS[core])
    return " ".join(out)


def _plural_title(word: str) -> bool:
    """'councilmembers', 'officers', 'attorneys': a title in the plural, before
    two or more names ('Councilmembers Owen Pak and Graciela Munoz')."""
    return word.endswith("s") and len(word) > 4 and word[:-1] in TITLES


# "Councilmembers Owen Pak and " before a second name: the plural title covers it
PLURAL_TITLE_BEFORE = re.compile(
    rf"""(?<!\S)(?P<title>(?i:{'|'.join(sorted((re.escape(t + 's') for t in TITLES if t.isalpha()), key=len, reverse=True))}))
         [ \t]+{CAPWORD}(?:[ \t]+{CAPWORD}){{1,3}}     # the first name
         ,?[ \t]+and[ \t]+$""", re.VERBOSE)


def looks_titled_person(words: list[str]) -> bool:
    """A title before the last word ('Council President Ana Soto'), no organization head
    after it ('Data Justice Coalition of Los Angeles' is no Justice) and a name, not a
    title, at the end ('Office of the Inspector General' is no one)."""
    first = next((i for i, w in enumerate(words[:-1]) if w.lower() in TITLES), None)
    return first is not None and not any(w.lower() in ORG_HEADS for w in words[first + 1:]) \
        and words[-1].lower() not in TITLES \
        and not (words[0].lower() in ORG_LEADS and first + 1 < len(words) and words[first + 1].lower() in ("of", "for"))
    # (the last: "Consulate General of Guatemala" is an office, "Council President Ana Ruiz" a person)


def all_caps_shout(words: list[str]) -> bool:
    """Every word in capitals: a headline or a shout, not a name."""
    return all(w.isupper() for w in words)


def looks_like_person(part: str) -> bool:
    """Two to four capitalised words, titles aside, none of them an organization head,
    a stop word or a word that never names a person."""
    name, title = strip_titles(part)
    words = name.split()
    toks = [t for t in words if t.lower() not in PARTICLES]      # "Graciela Ochoa de la Torre"
    if words and (words[0].lower() in PARTICLES or words[-1].lower() in PARTICLES):
        return False
    return 2 <= len(toks) <= 4 and all(t[:1].isupper() for t in toks) and not all_caps_shout(toks) \
        and not any(t.lower() in ORG_HEADS or t.lower() in STOP_CAPS or t.lower() in NOT_NAME for t in toks)


def is_name_line(line: str) -> bool:
    """A short line of capitalised words with no closing punctuation: a byline or credit line."""
    if len(line) > 120 or line.endswith((".", "?", "!", ":", ";")) or "“" in line or '"' in line:
        return False
    words = re.findall(r"[\w’'\-&.]+", line)
    if not words or len(words) > 14:
        return False
    caps = [w for w in words if w[:1].isupper() or w in ("&", "-")]
    lowers = [w for w in words if w[:1].islower() and w.lower() not in CONNECTORS]
    return len(caps) >= max(1, len(words) - len([w for w in words if w.lower() in CONNECTORS])) * 0.75 and len(lowers) <= 1 \
        and not (len(words) <= 3 and all(w.lower() in STOP_CAPS for w in words))


def org_like(name: str) -> bool:
    """Does the name read as an organization's (a head word at its end, a lead word
    at its start, an acronym, 'City of …')?"""
    lower = [w.lower() for w in name.split()]
    return bool(lower) and (lower[-1] in ORG_HEADS or lower[0] in ORG_LEADS or name.isupper() and len(name) >= 2
                            or len(lower) >= 3 and lower[0] in ("city", "county", "town", "state") and lower[1] == "of")


def apposition_after(text: str, end: int) -> tuple[str, int] | None:
    """', a 35-year-old undocumented man from Mexico,' after a name: (role, length)."""
    m = re.match(r",[ \t]+([^,.;:\n“”\"]{2,120}?)(?=[,.;:\n“”\"]|$)", text[end:end + 200])
    if not m:
        return None
    role = m.group(1).strip()
    words = [w.lower() for w in WORD.findall(role)]
    if not words:
        return None
    if words[0] in ("who", "whose") or re.fullmatch(r"\d{1,3}", role):
        return role, m.end()
    if words[0] in SPEECH_VERBS:
        return None     # "of Sun Valley, said his brother …": the sentence goes on, no apposition
    if any(w in PERSON_NOUNS for w in words) or re.search(r"\d+-year-old", role):
        return role, m.end()
    return None


ORG_APPOSITION = re.compile(rf""",[ \t]+(?:a|an|the)[ \t]+
    (?:(?!(?:of|at|for|with|in|from|who|whose)\b)[\w\-]+[ \t]+){{0,3}}?   # (local volunteer); no "director of the"
    (?:{'|'.join(sorted((re.escape(n) for n in ORG_NOUNS), key=len, reverse=True))})\b
    (?=[ \t]*(?:[,.;:)\n]|$)|[ \t]+(?:that|which|who|whose|of|for|in|at|on|based|founded|formed|led|run|with|from)\b)
    """, re.VERBOSE)        # the apposition ends there: ", the coalition wrote" is a clause, not an apposition


def org_apposition_after(text: str, end: int) -> bool:
    """', a volunteer group,' or ', an advocacy organization' after a name: the name is an organization's."""
    return bool(ORG_APPOSITION.match(text, end, min(len(text), end + 120)))


def speech_adjacent(text: str, s: int, e: int) -> bool:
    """Is the phrase at (s, e) the subject of a speech verb ('X said', 'X of the Y said', 'said X')?"""
    after = text[e:e + 140]
    before = text[max(0, s - 40):s]
    if re.match(rf"(?:,[^,.\n“”\"]{{1,120}},|,)?[ \t]+(?:{ADVERBS}[ \t]+)?{VERB}\b", after):
        return True
    if re.match(rf"[ \t]+(?:of|with|at|from)[ \t]+(?:the[ \t]+)?{CAPWORD}(?:[ \t]+(?:(?:of|for|and|the|{PARTICLE_WORDS})[ \t]+)*{CAPWORD}){{0,7}}"
                rf"[ \t]+(?:{ADVERBS}[ \t]+)?{VERB}\b", after):
        return True     # "Tomas Iverson of the Eastside Workers Center said"
    return bool(re.search(rf"\b{VERB}[ \t]+$", before))


def distinctive_words(name: str) -> list[str]:
    """The words of a name that tell it apart (generic organization and place words left out)."""
    generic = ORG_HEADS | STOPWORDS | {"los", "angeles", "la", "l.a.", "national", "american", "california", "city",
                                       "county", "united", "states", "u.s."}
    return sorted({w for w in (x.lower().strip(".") for x in WORD.findall(name)) if w and w not in generic})


def same_stem(a: str, b: str) -> bool:
    """Are two words the same up to an ending of at most three letters?"""
    if a == b:
        return True
    n = min(len(a), len(b))
    return n >= 3 and a[:n] == b[:n] and max(len(a), len(b)) - n <= 3


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The form under which two spellings of a name are the same (quote styles, full stops and case aside).
    Cached: the registry compares the same few hundred names again and again."""
    return fold(name).replace("'", "").replace(".", "").casefold().strip()


def person_category(role: str) -> str:
    """A person's category (public_official, public_figure, private_individual) from their role as stated."""
    r = role.lower()
    if re.search(r"\b(mayor|council|chief|sheriff|commissioner|senator|governor|president|judge|official|officer|"
                 r"deputy|secretary|assembly|congress|district attorney|supervisor|superintendent|minister|"
                 r"ambassador|detective|sergeant|captain|lieutenant|agent)", r):
        return "public_official"
    if re.search(r"\b(professor|attorney|lawyer|organizer|director|pastor|rev|executive|activist|advocate|"
                 r"journalist|reporter|author|researcher|founder|spokes|leader|member|coordinator|"
                 r"chair|dean|analyst|economist|historian)", r):
        return "public_figure"
    return "private_individual"


def org_type_of(name: str) -> str:
    """An organization's type, from the words of its name (the first rule that matches)."""
    n = name.lower()
    for pattern, kind in ((r"sheriff", "sheriff"), (r"police|lapd|patrol\b", "local_police"),
                          (r"\bcourt\b", "court"), (r"times|news|post|press|journal|tribune|herald|magazine|radio|media", "media"),
                          (r"universit|college|school|academy|institute|professor", "academic"),
                          (r"church|methodist|catholic|faith|clergy|synagogue|mosque|ministr", "faith"),
                          (r"union|federation of labor|workers|seiu|labor", "labor"),
                          (r"coalition|alliance", "coalition"),
                          (r"legal|law center|lawyers|counsel|bar association|clinic", "legal_services"),
                          (r"immigration and customs|homeland|federal|u\.s\.|marshals|fbi|dhs|hsi|cbp|uscis|\bdoj\b|\batf\b"
                           r"|\bdea\b|\bero\b|border|removal operations", "federal_agency"),
                          (r"county of|county board", "county_government"),
                          (r"city of|city council|mayor", "city_government"),
                          (r"state of|legislature|assembly|senate", "state_government"),
                          (r"rights|justice|network|project|action|advocates|campaign", "advocacy_group"),
                          (r"center|community|council|association", "community_group")):
        if re.search(pattern, n):
            return kind
    return "other"


def jurisdiction_of(name: str) -> str:
    """An organization's jurisdiction (national, state, county, city, none) from its name."""
    n = name.lower()
    if re.search(r"\bu\.s\.|federal|united states|national|america", n):
        return "national"
    if re.search(r"\bcounty\b", n):
        return "county"
    if re.search(r"california|state\b", n):
        return "state"
    if re.search(r"los angeles|\bl\.?a\.?\b|city\b|lapd", n):
        return "city"
    return "none"
