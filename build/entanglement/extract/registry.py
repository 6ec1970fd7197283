"""Every person and organization of one document, known or new, with its
mentions: the Registry reads the document's names when it is made (known
names first, then credits, member lists, capitalised phrases, bare surnames,
relatives, acronyms), and then resolves a phrase ('Ms. Soto', 'the
department', 'McDonell') to one of them, creating new ones where asked.
"""

from __future__ import annotations

import bisect
import difflib
import re

from ..ids import free_id, record_slug
from ..mentions import Matcher, Name
from .document import Doc
from .knowledge import Knowledge, KnownEntity
from .lexicon import (
    ABBREVIATIONS, AGENCY_ACRONYMS, CAPWORD, CONNECTORS, FEMALE, FUNCTION_CAPS, LAW_WORDS, MALE, NOT_NAME, NUMBERED_UNITS, OFFICE_WORDS,
    ORG_HEADS, ORG_LEADS, PARTICLE_WORDS, PARTICLES, PERSON_NOUNS,
    PHRASE, ROLE_WORDS, STOP_CAPS, TITLES, UP, WORD)
from .names import (
    GIVEN_BEFORE_WITHHELD, GIVEN_NAME_ONLY, GROUP_WORDS, PLURAL_TITLE_BEFORE, RELATIVE_BY_GIVEN_NAME, all_caps_shout, apposition_after, clean_tail,
    distinctive_words, ends_sentence, is_name_line, org_apposition_after, jurisdiction_of, looks_like_person, looks_titled_person,
    name_key, org_head, org_like, org_type_of, overlaps_any, person_category, place_or_group, same_stem, span_of,
    speech_adjacent, strip_titles, token_text, trim_caps, unaccented, within_any, WITHHELD_SURNAME)
from .proposals import Entity, Mention


def _known_names(knowledge: Knowledge) -> tuple[dict[str, KnownEntity], Matcher]:
    """Known people and organizations by id, and one matcher for all their names."""
    names = []
    for e in knowledge.entities:
        pid, oid = (e.id, None) if e.kind == "person" else (None, e.id)
        for n in [e.name] + [a for a, _ in e.aliases]:
            names.append(Name(n, pid, oid))
            for a, b in (("'", "’"), ("’", "'")):
                if a in n:
                    names.append(Name(n.replace(a, b), pid, oid))
    return {e.id: e for e in knowledge.entities}, Matcher(names)


# The person nouns as a plain (not verbose) group: "council member" has a space;
# unescaped, as they always were ("dr." matches "dr" and any one character)
_PERSON_NOUNS = "(?-x:" + "|".join(sorted(PERSON_NOUNS - {"who", "whose"})) + ")"
# Right before a name: "former police chief Jane Doe", "(Councilmember Jane Doe"
TITLE_BEFORE = re.compile(r"""
    (?:^|[\s(])
    ((?:[a-z][\w\-]*[ \t]+){0,2}                      # up to two lowercase words: "former police"
     (?:""" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + r"""))   # a title: "chief"
    [ \t]+$""", re.VERBOSE)
# Right before a name: "her longtime attorney, Jane Doe"
ROLE_BEFORE = re.compile(r"""
    ((?:[\w’'\-]+[ \t]+){0,3}""" + _PERSON_NOUNS + r""")   # up to three words and a person noun
    ,[ \t]*$""", re.VERBOSE)
# Right after a name: " is a longtime organizer"
ROLE_AFTER_IS = re.compile(r"""
    [ \t]+(?:is|was|has\ been|had\ been)[ \t]+(?:a|an|the)[ \t]+
    (?:[\w\-]+[ \t]+){0,3}?                            # up to three words: "longtime"
    """ + _PERSON_NOUNS + r"""\b""", re.VERBOSE)


class Registry:
    """Every person and organization of the article, known or new, with mentions."""

    def __init__(self, doc: Doc, knowledge: Knowledge, source_id: str):
        """The registry of one document: its names are read at once (see _scan)."""
        self.doc = doc
        self.know = knowledge
        self.source_id = source_id
        self.entities: dict[str, Entity] = {}
        self.mentions: list[Mention] = []
        self.known_by_id, self.matcher = knowledge.prepared("known names", _known_names)
        self.taken = set(knowledge.taken_ids)
        self.by_name: dict[str, str] = {}       # folded name -> key (new entities)
        self._headline_end = self._title_case_headline()
        self._scan()

    # registry ------------------------------------------------------------------
    def known(self, ident: str, start: int, end: int) -> Entity:
        """The document's entity for the known id `ident`, with the form at (start, end) noted."""
        ent = self.entities.get(ident)
        if ent is None:
            ent = self._known_entity(self.known_by_id[ident], (start, end))
        ent.forms.setdefault(self.doc.text[start:end], (start, end))
        return ent

    def new(self, kind: str, name: str, start: int, end: int, cue: str, confidence: float) -> Entity:
        """A new entity of this kind and name (one per name: the same name gives the same
        entity, its confidence raised), with a free proposed id."""
        folded = name_key(name)
        if folded in self.by_name:
            ent = self.entities[self.by_name[folded]]
            ent.confidence = max(ent.confidence, confidence)
            return ent
        key = free_id(record_slug(name), self.taken)
        self.taken.add(key)
        ent = Entity(key, kind, name, False, cue, confidence, first=(start, end))
        if kind == "organization":
            ent.org_type, ent.jurisdiction = org_type_of(name), jurisdiction_of(name)
        self.entities[key] = ent
        self.by_name[folded] = key
        return ent

    def _title_case_headline(self) -> int:
        """The end of the first line when it is a headline in title case ('Records Show LAPD
        Scans Were Open to Federal Agents'), whose capitals mark no names; else 0."""
        text = self.doc.text
        end = text.find("\n")
        end = len(text) if end < 0 else end
        words = re.findall(r"[A-Za-z][\w’'\-]*", text[:end])
        significant = [w for w in words if len(w) > 3]
        if len(words) >= 6 and significant and sum(w[:1].isupper() for w in significant) >= 0.9 * len(significant) \
                and not text[:end].isupper() and not text[:end].rstrip().endswith("."):   # a sentence is no headline
            return end
        return 0

    def mention(self, start: int, end: int, key: str) -> None:
        """Note that (start, end) names the entity `key`."""
        self.mentions.append(Mention(start, end, key))

    # scans ---------------------------------------------------------------------
    def _scan(self) -> None:
        """Every name of the document: known names first, then credits, member lists,
        capitalised phrases, bare surnames, relatives and acronyms, then genders."""
        text = self.doc.text
        covered: list[tuple[int, int]] = []
        for start, end, name in self.matcher.find(text):
            ident = name.person_id or name.organization_id
            self.known(ident, start, end)
            self.mention(start, end, ident)
            covered.append((start, end))
        covered.sort()
        self._credits(covered)
        self._member_lists(covered)
        self._titled_offices(covered)
        self._agency_acronyms(covered)
        for m in PHRASE.finditer(text):
            self._phrase(m.start(), m.end(), covered)
        self._relatives(covered)
        self._relatives_by_given_name(covered)
        self._given_names_only(covered)
        self._bare_surnames(covered)
        self._coordinated_acronyms(covered)
        self._surnames_found_first()
        self.mentions.sort(key=lambda m: (m.start, m.end, m.key))
        for ent in list(self.entities.values()):
            if ent.kind == "person" and not ent.known:
                self._role_orgs(ent)
        self._genders()

    def _credits(self, covered) -> None:
        """Photo credits ("Photo by NAME/AGENCY via ORG", "(Name/Org)"), bylines
        ("By NAME", "Author: NAME") and syndication lines ("appeared first on ORG")."""
        text = self.doc.text
        name = rf"{CAPWORD}(?:[ \t]+{CAPWORD}){{1,3}}"
        word = rf"{UP}(?:[\w’'&\-]|\.(?=\w))*"    # no trailing period: names end at a sentence's end
        org = rf"{word}(?:[ \t]+(?:(?:of|the|and|&)[ \t]+)?{word}){{0,5}}"
        titles = "|".join(sorted((re.escape(t) for t in TITLES if " " not in t), key=len, reverse=True))
        outlet = rf"{word}(?:[ \t]+(?:(?:of|the|and|&|{'|'.join(PARTICLES)})[ \t]+)*{word}){{0,5}}"   # "El Faro del Valle"
        patterns = (
            (rf"(?:Photo|Photograph|Image|Video|Illustration)s?[ \t]+(?:by|courtesy of|:)[ \t]+(?P<p>{name})[ \t]*/[ \t]*(?P<o>{org})(?:[ \t]+via[ \t]+(?P<o2>{org}))?", "photo credit"),
            (rf"\((?P<p>{name})[ \t]*/[ \t]*(?P<o>{org})\)", "photo credit"),
            (rf"(?m)^[ \t]*(?:By|Author:|Written by|Reporting by)[ \t]+(?P<p>{name})[ \t]*(?:$|[|—–,])", "byline"),
            (rf"(?m)^[ \t]*(?:By|Author:|Written by|Reporting by)[ \t]+{name}[ \t]*[|—–,][ \t]*(?P<o>{outlet})[ \t]*(?:$|[|—–,])",
             "news outlet on the byline"),
            (rf"(?m)^[ \t]*(?:An?[ \t]+)?(?:[\w\-]+[ \t]+)?(?:[Nn]ewsletter|[Mm]essage|[Ll]etter|[Cc]olumn|[Uu]pdate)[ \t]+from[ \t]+"
             rf"(?:the[ \t]+desk[ \t]+of[ \t]+)?(?:(?i:{titles})[ \t]+)?(?P<p>{name})", "author of a newsletter"),
            (rf"(?:(?<=\()|(?<=;[ \t]))(?:[Aa]dditional[ \t]+)?(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Ee]dited)[ \t]+by[ \t]+(?P<p>{name})",
             "credit line"),
            (rf"(?m)^[ \t]*(?:Media|Press)[ \t]+[Cc]ontacts?:[ \t]+(?P<p>{name})\b", "media contact"),
            (rf"\b(?:told|reported by|according to|in an interview with)[ \t]+(?P<o>The[ \t]+{org})", "news outlet after 'told'"),
            (rf"appeared first on[ \t]+(?P<o>{org})", "syndication line"),
            (rf"(?:©|\([cC]\)|Copyright)[ \t]*(?:\d{{4}}[ \t]+)?(?P<o>{org})", "copyright line"),
        )
        found = [(m, cue) for pattern, cue in patterns for m in re.finditer(pattern, text)]
        for m, cue in sorted(found, key=lambda x: x[0].start()):
            for g in ("p", "o", "o2"):
                if g not in m.groupdict() or not m.group(g):
                    continue
                gs, ge = m.start(g), m.start(g) + len(clean_tail(m.group(g)))
                if overlaps_any(covered, gs, ge):
                    continue
                surface = text[gs:ge]
                if cue == "news outlet on the byline" and (re.sub(r"^The[ \t]+", "", surface).split()[0].lower() in STOP_CAPS
                                                           or surface.split()[-1].lower() in PERSON_NOUNS):
                    continue    # "By Ana Ruiz | March 3", "By Ana Ruiz, Staff Writer"
                if g == "p":
                    display = " ".join(w if not w.isupper() or len(w) <= 2 else w.capitalize() for w in surface.split())
                    ent = self.new("person", display, gs, ge, cue, 0.8)
                    ent.category = "public_figure"
                    ent.roles.append(({"photo credit": "photographer", "media contact": "media contact",
                                       "credit line": "credited on the story"}.get(cue, "author"),
                                      gs, ge))
                else:
                    known = self._fuzzy_org(surface)
                    ent = known if known is not None else self.new("organization", surface, gs, ge, cue, 0.7)
                    if not ent.known:
                        ent.org_type = "media"
                self._link(ent, gs, ge, covered)
        # a broadcaster's call sign, with its channel or frequency: "KPLA 90.3 FM", "KCNL 6 News"
        shown = set(re.findall(r"\(([KW][A-Z]{2,3})\)", text))    # "(KSCV)": call signs the text shows as such
        for m in re.finditer(r"(?<![\w’'])[KW][A-Z]{2,3}(?:-(?:TV|FM|AM))?(?:[ \t]+Channel)?(?:[ \t]+\d{1,3}(?:\.\d)?)?"
                             r"(?:[ \t]+(?:FM|AM|TV|News))*(?![\w’'])", text):
            name = m.group(0)
            if overlaps_any(covered, m.start(), m.end()) or name.isalpha() and len(name) < 4 \
                    or not re.search(r"\d|FM|AM|TV|News", name) and name not in shown:
                continue    # a bare call sign only where the text shows it as one ("(KSCV)")
            ent = self._fuzzy_org(name) or self.new("organization", name, m.start(), m.end(), "a broadcaster's call sign", 0.65)
            ent.org_type = "media"
            self._link(ent, m.start(), m.end(), covered)
        # the source line under the headline: "Los Angeles Ledger | Metro | Sunday, Oct. 12",
        # "El Puente del Valle — English Edition | Week of Oct. 23"
        for ls in self.doc.line_starts[:6]:
            le = text.find("\n", ls)
            line = text[ls:le if le >= 0 else len(text)]
            sm = re.match(rf"(?P<o>{UP}[\w’'\-]*(?:[ \t]+(?:(?:of|the|del|de|la|los|el)[ \t]+)*{UP}[\w’'\-.]*){{0,5}})"
                          r"(?:,[ \t]+[A-Za-z][\w \t]{0,30}?)?[ \t]+(?:\||—|–|·|•)[ \t]+\S", line)   # (, English edition)
            if not sm or sm.group("o").isupper() or sm.group("o").split()[0] in ("By", "Author") \
                    or not re.search(r"\b(?:19|20)\d\d\b|[|·•]", line):
                continue
            gs, ge = ls + sm.start("o"), ls + sm.end("o")
            if overlaps_any(covered, gs, ge) or len(sm.group("o").split()) < 2:
                continue
            ent = self._fuzzy_org(sm.group("o")) or self.new("organization", sm.group("o"), gs, ge,
                                                             "the publisher on the source line under the headline", 0.6)
            if not ent.known:
                ent.org_type = "media"
            self._link(ent, gs, ge, covered)
        for m in re.finditer(r"(?<![\w.])[A-Z][\w\-]*\.(?:com|org|net|news)\b", text):
            if not overlaps_any(covered, m.start(), m.end()):
                ent = self.new("organization", m.group(0), m.start(), m.end(), "web domain name", 0.6)
                ent.org_type = "media"
                self._link(ent, m.start(), m.end(), covered)

    def _member_lists(self, covered) -> None:
        """Lists of names, one a line (a coalition's members), after a line ending in ':'
        or as a run of three or more such lines."""
        doc, text = self.doc, self.doc.text
        lines = []
        for i, start in enumerate(doc.line_starts):
            end = doc.line_starts[i + 1] - 1 if i + 1 < len(doc.line_starts) else len(text)
            lines.append((start, end))
        run: list[tuple[int, int]] = []

        def flush():
            if len(run) >= 3:
                for s, e in run:
                    self._list_item(s, e, covered)
            run.clear()

        for s, e in lines:
            line = text[s:e].strip()
            if not line:
                continue
            if is_name_line(line):
                lead = len(text[s:e]) - len(text[s:e].lstrip())
                run.append((s + lead, s + lead + len(line)))
            else:
                flush()
        flush()

    def _list_item(self, s: int, e: int, covered) -> None:
        """One line of a member list: 'Name, role, Organization' is a person with that
        role (and affiliation); anything else an organization, with the acronym
        in parentheses after it as another form."""
        text = self.doc.text
        item = text[s:e]
        if within_any(covered, s, e):
            return
        parts = [p.strip() for p in item.split(",")]
        acro = re.search(r"\s*\(([^()]{2,15})\)\s*$", item)
        name_end = s + (acro.start() if acro else len(item))
        if len(parts) >= 2 and looks_like_person(parts[0]):
            pname = strip_titles(parts[0])[0]
            ps = s + item.index(parts[0]) + parts[0].index(pname)
            if overlaps_any(covered, ps, ps + len(pname)):
                return
            ent = self.new("person", pname, ps, ps + len(pname), "member list: 'Name, role, organization'", 0.7)
            self.mention(ps, ps + len(pname), ent.key)
            role = ", ".join(parts[1:])
            ent.roles.append((role, s, e))
            title_form = parts[0]
            if title_form != pname:
                ent.forms.setdefault(title_form, (s, s + len(title_form)))
            org_name = parts[-1]
            if len(parts) >= 3 and org_like(org_name):
                os_ = s + item.rindex(org_name)
                org = self._org_at(os_, os_ + len(org_name), covered, "member list entry", 0.6)
                if org:
                    ent.orgs.append((org.key, ", ".join(parts[1:-1]), s, e))
            ent.category = person_category(role)
            bisect.insort(covered, (s, e))
            return
        name = text[s:name_end].strip()
        if not name or overlaps_any(covered, s, s + len(name)):
            return
        ent = self.new("organization", name, s, s + len(name), "member list line", 0.75)
        self.mention(s, s + len(name), ent.key)
        bisect.insort(covered, (s, e))
        if acro:
            a = acro.group(1)
            a_start = s + acro.start(1)
            ent.forms.setdefault(a, (a_start, a_start + len(a)))

    def _org_at(self, s: int, e: int, covered, cue: str, conf: float) -> Entity | None:
        """The known party whose name is all of [s, e), or the first known name inside
        it when a covered span lies inside; else a new organization named [s, e)."""
        for start, end, name in self.matcher.find(self.doc.text[s:e]):
            if start == 0 and end == e - s:
                return self.entities.get(name.person_id or name.organization_id)
        inner = [(a, b) for a, b in covered if s <= a and b <= e]
        if inner:
            for start, end, name in self.matcher.find(self.doc.text[s:e]):
                return self.entities.get(name.person_id or name.organization_id)
        name = self.doc.text[s:e]
        ent = self.new("organization", name, s, e, cue, conf)
        self.mention(s, e, ent.key)
        return ent

    def _phrase(self, s: int, e: int, covered) -> None:
        """One capitalised phrase: split at a possessive ('Sheriff Department's Biscailuz
        Training Center': two names) and where it holds more than one name, each run
        of tokens then read by _run; none in a headline written in title case."""
        text = self.doc.text
        if s < self._headline_end:
            return
        first = text[s:e].split()[0].lower() if text[s:e].split() else ""
        if first in ("our", "my", "your") and org_head(text[s:e]) and len(text[s:e].split()) >= 3:
            self._run([(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])], covered, keep_first=True)
            return
        poss = re.search(r"(?:’s|'s)(?=[ \t])", text[s:e])
        if poss and text[s + poss.end():e].split()[:1] and text[s + poss.end():e].split()[0].lower() in ORG_LEADS \
                and text[s:s + poss.start()].split()[-1].lower() not in ORG_HEADS:
            poss = None     # "Mayor's Office of Immigrant Affairs": one name; "the Commission’s Office of …": two
        if poss:
            # "Sheriff Department's Biscailuz Training Center": two names
            self._phrase(s, s + poss.start(), covered)
            self._phrase(s + poss.end(), e, covered)
            return
        tokens = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
        for i, t in enumerate(tokens[:-1]):
            if ends_sentence(token_text(text, t)):
                # "Lincoln High School. Minutes later": two phrases
                self._phrase(s, t[1], covered)
                self._phrase(tokens[i + 1][0], e, covered)
                return
        ftoks = list(tokens)
        while ftoks and (token_text(text, ftoks[0]).lower() in FUNCTION_CAPS or not token_text(text, ftoks[0])[:1].isupper()):
            ftoks = ftoks[1:]
        if len(ftoks) >= 2 and token_text(text, ftoks[0]).lower() in STOP_CAPS \
                and not any(token_text(text, t).lower() in CONNECTORS for t in ftoks) \
                and clean_tail(token_text(text, ftoks[-1])).lower() in ORG_HEADS and not overlaps_any(covered, ftoks[0][0], ftoks[-1][1]):
            # "the Police Commission": an organization whose name starts with a common word
            self._run(ftoks, covered, keep_first=True)
            return
        tokens = trim_caps(text, tokens)
        if not tokens:
            return
        s2, e2 = span_of(text, tokens)
        if within_any(covered, s2, e2):
            return
        if overlaps_any(covered, s2, e2) and org_like(text[s2:e2]):
            # "LAPD Spy Alliance": a name around a known one, ending in an organization word
            org = self._fuzzy_org(text[s2:e2])
            if org is not None:
                self._link(org, s2, e2, covered)
                return
            inner = [t for t in tokens if overlaps_any(covered, *t)]
            if all(token_text(text, t).isupper() and within_any(covered, *t) for t in inner) \
                    and not overlaps_any(covered, tokens[0][0], tokens[0][1]) and len(inner) < len(tokens) - 1:
                # "Adelanto ICE Processing Center": a place named with an agency's acronym
                self._new_org(s2, e2, "organization word in the name, around an agency's acronym", 0.6, covered)
                bisect.insort(covered, (s2, e2))
                return
        # split the phrase around known mentions; keep the uncovered runs
        runs, cur = [], []
        for a, b in tokens:
            if overlaps_any(covered, a, b):
                if cur:
                    runs.append(cur)
                cur = []
            else:
                cur.append((a, b))
        if cur:
            runs.append(cur)
        for run in runs:
            self._run(run, covered)

    def _link(self, ent: Entity, s: int, e: int, covered) -> None:
        """Note that [s, e) names `ent` (adding a new one to the registry), and cover the span."""
        if not ent.known and ent.key not in self.entities:
            self.entities[ent.key] = ent
        self.mention(s, e, ent.key)
        ent.forms.setdefault(self.doc.text[s:e], (s, e))
        bisect.insort(covered, (s, e))

    def _run(self, run: list[tuple[int, int]], covered, keep_first: bool = False) -> None:
        """A run of capitalised tokens: trimmed, then a known name, an organization or a person candidate."""
        text = self.doc.text
        run = trim_caps(text, run, keep_first)
        if not run:
            return
        s, e = span_of(text, run)
        if e <= s:
            return
        phrase = text[s:e]
        words = phrase.split()
        lower = [unaccented(w.lower().strip(",")) for w in words]
        # "… Union Local 307", "KSCV Channel 9": a number after the last word ends the name
        num = re.match(r"[ \t]+\d{1,5}\b", text[e:e + 12]) if lower[-1] in NUMBERED_UNITS else None
        # "Priya Raman of the National Immigration Law Center": a person, then an organization
        for i in range(2, min(len(words) - 1, 8)):
            if lower[i] in ("of", "with", "at", "from"):
                rest = [w for w in words[i + 1:]]
                while rest and rest[0].lower() in ("the", "a", "an"):
                    rest = rest[1:]
                # "Leticia Arreola-Munguía of Madres Unidas de Sylmar told": a person of
                # an organization when its name reads as one or the phrase is a speaker
                if looks_like_person(" ".join(words[:i])) and rest \
                        and (org_like(" ".join(rest)) or num or speech_adjacent(text, s, e)):
                    head_end = s + len(" ".join(words[:i]))
                    self._run([t for t in run if t[1] <= head_end], covered)
                    if not any(s <= m.start and m.end <= head_end for m in self.mentions):
                        # "Nadia Oduya of the … Union Local 88": a person of an organization
                        name, _ = strip_titles(text[s:head_end])
                        ns = head_end - len(name)
                        ent = self.new("person", name, ns, head_end, "a person of an organization ('X of the Y')", 0.6)
                        self.mention(ns, head_end, ent.key)
                    tail_start = s + phrase.rindex(" ".join(rest))
                    if org_like(" ".join(rest)) or num:
                        self._run([t for t in run if t[0] >= tail_start], covered, keep_first=True)
                    elif not overlaps_any(covered, tail_start, e):
                        self._new_org(tail_start, e, "the organization of a speaker ('X of Y said')", 0.6, covered)
                    return
        # two organizations joined: "the Pico-Union Tenants Alliance and the Interfaith Sanctuary Network"
        for i in range(1, len(words) - 2):
            if lower[i] == "and" and lower[i - 1] in ORG_HEADS and lower[-1] in ORG_HEADS:
                left_end = s + len(" ".join(words[:i]))
                self._run([t for t in run if t[1] <= left_end], covered)
                self._run([t for t in run if t[0] > left_end + 4], covered)
                return
        # a law, then what it went to: "the California Public Records Act to the Surveillance
        # Accountability Project" (a law is no organization)
        for i in range(1, len(words) - 1):
            if lower[i] in ("to", "by", "from") and lower[i - 1] in LAW_WORDS:
                left_end = s + len(" ".join(words[:i]))
                self._run([t for t in run if t[0] > left_end + len(words[i])], covered)
                return
        # a government named for its place: "City of Compton", "County of Los Angeles"
        government = len(words) >= 3 and lower[0] in ("city", "county", "town", "state") and lower[1] == "of"
        # a role before the organization: "Executive Director of the Pueblo Workers Center"
        k = 0
        while not government and k < len(words) and (lower[k] in ROLE_WORDS or lower[k].rstrip("s") in ROLE_WORDS):
            k += 1
        if 0 < k < len(words) and lower[k] in ("of", "at", "for", "with", "the"):
            while k < len(words) and lower[k] in ("of", "at", "for", "with", "the"):
                k += 1
            if k < len(words):
                ns = s + phrase.index(" ".join(words[k:]))
                self._run([t for t in run if t[0] >= ns], covered)
            return
        if num and len(words) >= 2 and not looks_titled_person(words):
            self._new_org(s, e + num.end(), "organization name ending in a numbered unit", 0.6, covered)
            return
        if len(words) >= 2 and org_apposition_after(text, e) and not looks_titled_person(words):
            # "Northeast LA Neighbors for Accountability, a volunteer group,"
            self._new_org(s, e, "apposition naming an organization after the name", 0.65, covered)
            return
        head_of = government or any(lower[i] in ORG_HEADS and lower[i + 1] in ("of", "for") for i in range(len(words) - 2))
        if "-" in lower[-1] and lower[-1].rsplit("-", 1)[1] in ORG_HEADS:
            lower[-1] = lower[-1].rsplit("-", 1)[1]
        if len(words) >= 2 and not looks_titled_person(words) and not all_caps_shout(words) \
                and (lower[-1] in ORG_HEADS or lower[0] in ORG_LEADS or head_of) and lower[0] not in TITLES:
            seat = re.match(rf"[ \t]+in[ \t]+{CAPWORD}(?:[ \t]+{CAPWORD}){{0,2}}", text[e:e + 60]) \
                if lower[0] in ("consulate", "embassy") else None
            if seat:
                e += len(clean_tail(seat.group(0)))   # "Consulate General of Guatemala in Los Angeles": its seat is in its name
            self._new_org(s, e, "organization word in the name", 0.6, covered)
            return
        # an acronym defined in parentheses right after: "Name (ABC)"
        acro = re.match(r"\s*\(([A-Z][A-Za-z&\-]{1,12})\)", text[e:e + 20])
        if acro and len(words) >= 2 and not looks_titled_person(words) and not looks_like_person(phrase):
            ent = self._new_org(s, e, "name followed by its acronym in parentheses", 0.65, covered)
            a_s = e + acro.start(1)
            ent.forms.setdefault(acro.group(1), (a_s, a_s + len(acro.group(1))))
            return
        # people: split at connectors that are not name particles ("Chief Beck and Mayor Garcetti")
        sub: list[tuple[int, int]] = []
        for t in run:
            w = token_text(text, t)
            if w.lower() in CONNECTORS and w.lower() not in PARTICLES:
                if sub:
                    self._person_candidate(sub[0][0], sub[0][0] + len(clean_tail(text[sub[0][0]:sub[-1][1]])), covered)
                sub = []
            else:
                sub.append(t)
        if sub:
            self._person_candidate(sub[0][0], sub[0][0] + len(clean_tail(text[sub[0][0]:sub[-1][1]])), covered)

    def _new_org(self, s: int, e: int, cue: str, conf: float, covered=None) -> Entity:
        """A new organization named [s, e) (or a known one it misspells), mentioned there."""
        name = self.doc.text[s:e]
        known = self._fuzzy_org(name)
        if known is not None:
            self._link(known, s, e, covered if covered is not None else [])
            return known
        ent = self.new("organization", name, s, e, cue, conf)
        self.mention(s, e, ent.key)
        return ent

    def _person_candidate(self, s: int, e: int, covered) -> None:
        """A phrase that may name a person: its title or role before or after, and the person
        it names (known, a surname of one named before, or new)."""
        text = self.doc.text
        phrase = text[s:e]
        name, title = strip_titles(phrase)
        if not name:
            return
        ns = s + phrase.rindex(name)
        ne = ns + len(name)
        tokens = name.split()
        if len([t for t in tokens if t.lower() not in PARTICLES]) > 4 \
                or all(t.lower() in ROLE_WORDS or t.lower() in PERSON_NOUNS for t in tokens) \
                or any(t.lower() in STOP_CAPS or t.lower() in NOT_NAME or t.lower() in ORG_HEADS for t in tokens) \
                or all_caps_shout(tokens):
            return
        whole = self._person_by_name_tail(tokens)
        if whole is not None:
            # "Fuentes Montoya" after "Delia Fuentes Montoya": her surname, not a relative
            self.mention(ns, ne, whole.key)
            whole.forms.setdefault(name, (ns, ne))
            return
        before = text[max(0, s - 60):s]
        lead = TITLE_BEFORE.search(before)
        role, cue, conf = None, "", 0.0
        if title:
            role, cue, conf = title, f"title '{title}' before the name", 0.8
        elif lead:
            role = lead.group(1)
            # "Stop LAPD Spying organizer Hamid Khan": include a known name just before the role
            cue, conf = f"role '{lead.group(1).split()[-1]}' before the name", 0.75
        appos = apposition_after(text, ne)
        rb = ROLE_BEFORE.search(before)
        if not cue and rb and len(tokens) >= 2:
            role, cue, conf = rb.group(1), "role or relation stated before the name", 0.7
        if not cue and len(tokens) >= 2 and ROLE_AFTER_IS.match(text[ne:ne + 80]):
            cue, conf = "'is a <role>' after the name", 0.65
        shared = PLURAL_TITLE_BEFORE.search(before)
        if not cue and shared and len(tokens) >= 2:
            # "Councilmembers Owen Pak and Graciela Munoz": the title covers both names
            role, cue, conf = shared.group("title")[:-1], f"title '{shared.group('title')}' before two names", 0.75
        if not cue and re.search(r"\baccording[ \t]+to[ \t]+$", before, re.I) and len(tokens) >= 2:
            cue, conf = "'according to' before the name", 0.6
        named = re.search(rf"\b(?P<noun>{_PERSON_NOUNS})[ \t]+named[ \t]+$", before)
        if not cue and named and len(tokens) >= 2:
            # "a sheriff’s lieutenant named Carolyn Moffitt-Ames"
            role, cue, conf = named.group("noun"), f"'a {named.group('noun')} named' before the name", 0.7
        if not cue and len(tokens) >= 2 and self.doc.sentence_start(s) >= s - 1 \
                and re.match(r"[ \t]+(?!(?:and|or|of|in|on|at|for|to|the|a|an|with|from|by)\b)[a-z]+\b", text[ne:ne + 30]) \
                and re.match(r"[^.!?\n]*[.!?][ \t]+(?:He|She)[ \t]+[a-z]", text[ne:ne + 300]):
            # "Thomas McAllister Reyes spent six years at the center. He said …": the next
            # sentence refers back to the name that opens this one
            cue, conf = "a name opening a sentence that the next refers back to as he or she", 0.6
        if not cue and len(tokens) >= 2 and self._person_by_surname(tokens[-1]) is not None \
                and name_key(self._person_by_surname(tokens[-1]).name) != name_key(name):
            cue, conf = "shares a surname with a person of the article", 0.6
        if appos and not cue:
            role, cue, conf = appos[0], "apposition after the name", 0.7
        elif appos and role is not None and appos[0]:
            pass
        described = appos is not None and appos[0].split()[0].lower() not in ("who", "whose")
        if not title and not lead and place_or_group(tokens, before, text[ne:ne + 80], described):
            return
        speech = speech_adjacent(text, s, e)
        if not cue and speech:
            cue, conf = "subject of a speech verb", 0.65
        if not cue:
            return
        if len(tokens) == 1:
            # A single word with a title: a surname ("Chief Beck"); keep it if no
            # person of the article already ends with it.
            other = self._person_by_surname(name, ns) or self._person_by_given_name(name)
            if other:
                self.mention(ns, ne, other.key)
                self._add_title_form(other, s, e, phrase)
                return
            if not title:
                return
            # name only ever with a title: the surname is the name, the titled form an alias
        elif len(tokens) == 1:
            return
        fuzzy = self._fuzzy_person(name)
        if fuzzy:
            self.mention(ns, ne, fuzzy.key)
            fuzzy.forms.setdefault(name, (ns, ne))
            return
        ent = self.new("person", name, ns, ne, cue, conf)
        self.mention(ns, ne, ent.key)
        if phrase != name:
            ent.forms.setdefault(phrase, (s, e))
        if role:
            role_start = s if title else s - len(before) + lead.start(1) if lead else ns
            passage_end = ne + (appos[1] if appos else 0)
            ent.roles.append((role, min(role_start, ns), max(passage_end, ne)))
        if appos and role != appos[0]:
            ent.roles.append((appos[0], ns, ne + appos[1]))
        ent.category = person_category(" ".join(r for r, _, _ in ent.roles))

    def _add_title_form(self, ent: Entity, s: int, e: int, phrase: str) -> None:
        """Note the titled form of a person's name ('Councilmember Soto') among its forms."""
        if phrase not in ent.forms:
            ent.forms[phrase] = (s, e)

    def _role_orgs(self, ent: Entity) -> None:
        """Organizations named in a person's role become affiliations."""
        for role, rs, re_ in ent.roles:
            for m in self.mentions:
                if rs <= m.start and m.end <= re_ and m.key in self.entities and self.entities[m.key].kind == "organization":
                    if not any(o[0] == m.key for o in ent.orgs):
                        ent.orgs.append((m.key, role, rs, re_))

    def _person_by_surname(self, surname: str, before: int | None = None) -> Entity | None:
        """The person of the document (else the one known person) with this surname,
        named before `before` when given."""
        folded = name_key(surname)
        found = None
        for ent in self.entities.values():
            if ent.kind != "person":
                continue
            names = [ent.name] + list(ent.forms)
            if ent.known:
                names += [a for a, _ in self.known_by_id[ent.key].aliases]
            if any(n.split() and name_key(n.split()[-1]) == folded and len(n.split()) > 1 for n in names) \
                    or name_key(ent.name) == folded:
                found = ent
                break
        if found:
            return found
        # a known person of the records, not yet seen in this article
        cands = [e for e in self.know.entities if e.kind == "person" and e.name.split()
                 and name_key(e.name.split()[-1]) == folded]
        if len(cands) == 1:
            ke = cands[0]
            return self.entity_for(ke.id)
        return None

    def _person_by_name_tail(self, tokens: list[str]) -> Entity | None:
        """'Van der Berg' or 'Fuentes Montoya' after 'Cornelius Van der Berg' or
        'Delia Fuentes Montoya': the one person of the article whose longer name
        ends with these two or more words (a surname of several words); when
        several share it (a mother and her sister), the one named first, whom
        news text calls by the surname alone and the other by a given name."""
        if len(tokens) < 2:
            return None
        found = self._persons_named_ending(tokens, self.entities.values())
        return min(found, key=lambda ent: ent.first) if found else None

    @staticmethod
    def _persons_named_ending(tokens: list[str], among) -> list[Entity]:
        """The persons of `among` whose name is longer than `tokens` and ends with them."""
        want = [name_key(t) for t in tokens]
        return [ent for ent in among if ent.kind == "person" and len(ent.name.split()) > len(want)
                and [name_key(t) for t in ent.name.split()[-len(want):]] == want]

    def _surnames_found_first(self) -> None:
        """'Ibarra Solís told …' read as a person before 'Tomás Ibarra Solís, who
        chairs …' was: a new person whose name of two or more words ends the
        name of one other person of the article is that person."""
        persons = [e for e in self.entities.values() if e.kind == "person" and not e.known and not e.unnamed]
        for short in persons:
            if len(short.name.split()) < 2:
                continue
            longer = self._persons_named_ending(short.name.split(), persons)
            if len(longer) != 1:
                continue
            whole = longer[0]
            for m in self.mentions:
                if m.key == short.key:
                    m.key = whole.key
            for form, span in short.forms.items():
                whole.forms.setdefault(form, span)
            whole.roles.extend(short.roles)
            whole.first = min(whole.first, short.first)
            del self.entities[short.key]
            self.by_name = {k: (whole.key if v == short.key else v) for k, v in self.by_name.items()}

    def _person_by_given_name(self, given: str) -> Entity | None:
        """'President Barnaby' after 'President Barnaby Quill': the one person of
        the article whose name starts with this given name (never a new person
        cut from a whole name)."""
        folded = name_key(given)
        found = [ent for ent in self.entities.values() if ent.kind == "person" and len(ent.name.split()) > 1
                 and name_key(ent.name.split()[0]) == folded]
        return found[0] if len(found) == 1 else None


    def _fuzzy_person(self, name: str) -> Entity | None:
        """A known or article person whose name is this one misspelt (McDonald / McDonnell)."""
        toks = name.split()
        best, best_r = None, 0.0
        for ent in self.entities.values():
            if ent.kind != "person":
                continue
            et = ent.name.split()
            if len(et) != len(toks) or len(toks) < 2:
                continue
            if name_key(et[0]) != name_key(toks[0]):
                continue
            r = difflib.SequenceMatcher(None, name_key(et[-1]), name_key(toks[-1])).ratio()
            if r > best_r:
                best, best_r = ent, r
        return best if best_r >= 0.8 else None

    def _bare_surnames(self, covered) -> None:
        """Single capitalised words that are the surname of a person of the article,
        or the given name of one the article names by it alone ("Rogelio")."""
        surnames: dict[str, str] = {}
        for ent in self.entities.values():
            if ent.kind == "person" and not ent.unnamed:
                surnames.setdefault(name_key(ent.name.split()[-1]), ent.key)
        self._link_bare_words(surnames, covered)

    def _link_bare_words(self, words: dict[str, str], covered) -> None:
        """Mention the entity words[name_key(w)] wherever a capitalised word w stands
        alone, outside other mentions and not as a word of a longer name."""
        if not words:
            return
        text = self.doc.text
        have = {(m.start, m.end) for m in self.mentions}
        spans = sorted(have)
        for m in re.finditer(rf"(?<![\w’']){CAPWORD}", text):
            word = clean_tail(m.group(0))
            key = words.get(name_key(word))
            if not key:
                continue
            s, e = m.start(), m.start() + len(word)
            i = bisect.bisect_right(spans, (s, 10 ** 12)) - 1
            if i >= 0 and spans[i][0] <= s < spans[i][1]:
                continue
            if (s, e) in have or overlaps_any(covered, s, e) or self._inside_mention(s, e):
                continue
            prev_word = re.search(rf"({UP}[\w’'\-.]*)[ \t]+$", text[max(0, s - 30):s])
            if (prev_word and prev_word.group(1).lower() not in TITLES) or re.match(rf"[ \t]+{UP}", text[e:e + 3]):
                continue    # part of a longer name ("Valeria Salgado")
            self.mention(s, e, key)
            self.entities[key].forms.setdefault(word, (s, e))

    def _relatives(self, covered) -> None:
        """'Marta Lozano' before her husband 'Efrain Lozano' is introduced: a
        two- or three-word name that ends with the surname of a person of the
        article is a person too (a relative)."""
        text = self.doc.text
        surnames = {name_key(e.name.split()[-1]) for e in self.entities.values()
                    if e.kind == "person" and len(e.name.split()) > 1}
        if not surnames:
            return
        for m in re.finditer(rf"(?<![\w’']){CAPWORD}(?:[ \t]+{CAPWORD}){{1,2}}", text):
            cand = clean_tail(m.group(0))
            s, e = m.start(), m.start() + len(cand)
            if overlaps_any(covered, s, e) or name_key(cand.split()[-1]) not in surnames \
                    or any(ends_sentence(w) for w in cand.split()[:-1]):
                continue    # "by December. Ventimiglia said": two sentences, no name
            core, title = strip_titles(cand)
            known = self.by_name.get(name_key(core))
            if known is not None and self.entities[known].kind == "person":
                cs = s + cand.rindex(core)
                if not overlaps_any(covered, cs, cs + len(core)):
                    self._link(self.entities[known], cs, cs + len(core), covered)   # an earlier mention
                continue
            if title or not looks_like_person(cand) \
                    or any(name_key(ent.name) == name_key(core) for ent in self.entities.values()):
                continue
            whole = self._person_by_name_tail(cand.split())
            if whole is not None:
                # "Torres Beltrán" after "Ignacio Torres Beltrán": his surname, not a relative
                self._link(whole, s, e, covered)
                continue
            ent = self.new("person", cand, s, e, "shares a surname with a person of the article", 0.6)
            self._link(ent, s, e, covered)

    def _relatives_by_given_name(self, covered) -> None:
        """'Her oldest son, Daniel, 15,' and 'His nephew Mateo, 9,': a relative
        named by a given name only, after a possessive and a kinship noun."""
        text = self.doc.text
        for m in RELATIVE_BY_GIVEN_NAME.finditer(text):
            s, e = m.start("name"), m.end("name")
            if overlaps_any(covered, s, e) or m.group("name").lower() in STOP_CAPS or m.group("name").lower() in GROUP_WORDS:
                continue
            ent = self.new("person", m.group("name"), s, e, f"a relative ('{m.group('rel')}') named by a given name", 0.6)
            self._link(ent, s, e, covered)
            ent.roles.append((f"{m.group('rel')}", m.start(), e))

    def _given_names_only(self, covered) -> None:
        """'A street vendor who gave her name only as Graciela', 'Luis, a painter
        who asked that his last name not be used': a person the article names,
        and says it names, by a given name alone."""
        text = self.doc.text
        for pattern in GIVEN_NAME_ONLY:
            for m in pattern.finditer(text):
                s, e = m.start("name"), m.end("name")
                word = m.group("name").lower()
                if overlaps_any(covered, s, e) or word in STOP_CAPS or word in GROUP_WORDS or word in ORG_HEADS \
                        or word in NOT_NAME or word in TITLES \
                        or re.search(rf"(?:(?<![\w’']){UP}[\w’'\-]*|\b(?:{PARTICLE_WORDS}))[ \t]+$", text[max(0, s - 40):s]):
                    continue    # a word of a longer name ("Ana Luis, ...", "Ruiz de la Torre, 34,"), or no name
                other = self._person_by_given_name(m.group("name"))
                ent = other or self.new("person", m.group("name"), s, e, "named by a given name only, as the text says", 0.6)
                self._link(ent, s, e, covered)
        for w in WITHHELD_SURNAME.finditer(text):
            # "The last thing Yesenia remembers … The 9-year-old, whose family asked that
            # her last name not be published": the nearest given name before, in the paragraph
            floor = max(self.doc.line_bounds(w.start())[0], w.start() - 300)
            sentence = self.doc.sentence_start(w.start())
            if any(m.start >= sentence and self.entities[m.key].kind == "person" for m in self.mentions_within(floor, w.start())):
                continue    # "Luis, a painter from Guatemala who asked …": the sentence names its person
            for m in reversed(list(GIVEN_BEFORE_WITHHELD.finditer(text, floor, w.start()))):
                s, e = m.start("name"), m.end("name")
                word = m.group("name").lower()
                if word in STOP_CAPS or word in GROUP_WORDS or word in ORG_HEADS or word in NOT_NAME \
                        or word in TITLES or word.rstrip(".") in ABBREVIATIONS or self._inside_mention(s, e) \
                        or place_or_group([m.group("name")], text[max(0, s - 60):s], text[e:e + 80]):
                    continue
                if not overlaps_any(covered, s, e):
                    ent = self._person_by_given_name(m.group("name")) or self.new(
                        "person", m.group("name"), s, e, "named by a given name only, as the text says", 0.6)
                    self._link(ent, s, e, covered)
                break

    def _titled_offices(self, covered) -> None:
        """"The City Attorney's office", "the Inspector General's office": an office
        named for the title of the one who heads it is an organization."""
        text = self.doc.text
        for m in re.finditer(rf"(?<![\w’'])(?P<name>(?:{CAPWORD}[ \t]+){{0,2}}{CAPWORD}(?:’s|'s)[ \t]+[Oo]ffice)\b", text):
            s, e = m.start("name"), m.end("name")
            holder = re.split(r"’s|'s", m.group("name"))[0].split()
            while holder and holder[0].lower() in FUNCTION_CAPS:
                s += len(holder[0]) + len(text[s + len(holder[0]):]) - len(text[s + len(holder[0]):].lstrip(" \t"))
                holder = holder[1:]
            if re.match(rf"[ \t]+(?:of|for|on)[ \t]+(?:the[ \t]+)?{UP}", text[e:e + 40]):
                continue    # "the Mayor's Office of Immigrant Affairs": a longer name, read as a phrase
            if not holder or overlaps_any(covered, s, e) or not all(
                    w.lower() in TITLES or w.lower() in ROLE_WORDS or w.lower() in OFFICE_WORDS for w in holder):
                continue
            self._new_org(s, e, "an office named for the title of its head", 0.65, covered)
            bisect.insort(covered, (s, e))
        # "the office of Mayor Vivian Reid", "the Office of Councilmember Ana Ruiz": the office of a titled person
        for m in re.finditer(rf"(?<![\w’'])(?P<name>[Oo]ffice[ \t]+of[ \t]+(?P<t>{CAPWORD})[ \t]+{CAPWORD}(?:[ \t]+{CAPWORD}){{0,2}})", text):
            s, e = m.start("name"), m.start("name") + len(clean_tail(m.group("name")))
            if m.group("t").lower() not in TITLES or overlaps_any(covered, s, e):
                continue
            self._new_org(s, e, "an office named for the one who heads it", 0.6, covered)
        # "the mayor’s office", "the state attorney general's office": the same, in lower case
        for m in re.finditer(r"\b[Tt]he[ \t]+(?P<name>(?:[a-z]+[ \t]+){0,2}[a-z]+(?:’s|'s)[ \t]+office)\b", text):
            s, e = m.start("name"), m.end("name")
            holder = re.split(r"’s|'s", m.group("name"))[0].split()
            if overlaps_any(covered, s, e) or not all(w in TITLES or w in OFFICE_WORDS for w in holder):
                continue
            self._new_org(s, e, "an office named for the title of its head", 0.6, covered)
            bisect.insort(covered, (s, e))

    def _agency_acronyms(self, covered) -> None:
        """'FBI', 'DHS', 'HSI': the acronym of an agency of the beat, standing alone."""
        text = self.doc.text
        for m in re.finditer(rf"(?<![\w.’'])(?:{'|'.join(sorted(AGENCY_ACRONYMS))})(?![\w’'])", text):
            s, e = m.start(), m.end()
            if overlaps_any(covered, s, e):
                continue
            ent = self._fuzzy_org(m.group(0)) or self.new("organization", m.group(0), s, e,
                                                           "the acronym of a federal or state agency", 0.7)
            self._link(ent, s, e, covered)

    def _coordinated_acronyms(self, covered) -> None:
        """An unknown acronym joined by 'or', 'and' or a comma to an organization
        ("ICE or CBP") is an organization too."""
        text = self.doc.text
        orgs = sorted((m.start, m.end) for m in self.mentions if self.entities[m.key].kind == "organization")
        ends = {e for _, e in orgs}
        starts = {s for s, _ in orgs}
        for m in re.finditer(r"(?<![\w.’'])[A-Z]{2,6}(?![\w’'])", text):
            s, e = m.start(), m.end()
            if overlaps_any(covered, s, e) or m.group(0) in ("US", "USA", "TV", "OK", "AM", "PM", "ID", "LA", "DC", "UK", "EU", "UN", "CEO", "DNA", "GPS", "FAQ", "PDF", "AI"):
                continue
            before = re.search(r"([ \t]*(?:,|or|and|&)[ \t]+)$", text[max(0, s - 8):s])
            after = re.match(r"[ \t]*(?:,|or|and|&)[ \t]+", text[e:e + 8])
            if (before and (s - len(before.group(1))) in ends) or (after and (e + after.end()) in starts):
                ent = self.new("organization", m.group(0), s, e, "acronym coordinated with an organization", 0.55)
                self._link(ent, s, e, covered)

    def _inside_mention(self, s: int, e: int) -> bool:
        """Is [s, e) inside a mention already made?"""
        return any(m.start <= s and e <= m.end for m in self.mentions if m.start <= s)

    def _genders(self) -> None:
        """He or she, from the pronouns that follow each mention of a person
        within its sentence and the next (until another person is mentioned)."""
        text = self.doc.text
        persons = sorted({(m.start, m.end, m.key): m for m in self.mentions
                          if self.entities[m.key].kind == "person"}.values(), key=lambda m: (m.start, m.end))
        for ent in self.entities.values():
            ent.male = ent.female = 0       # counted afresh: this runs again when a speaker is found late
        for i, m in enumerate(persons):
            limit = min(self.doc.sentence_end(self.doc.sentence_end(m.end) + 1), m.end + 400)
            if i + 1 < len(persons):
                limit = min(limit, persons[i + 1].start)
            # a pronoun opening a sentence ("… by City Controller Hal Bieder. She had asked …") refers
            # to the subject of the sentence before, not to whoever it named last
            opener = i == 0 or self.doc.sentence_start(persons[i - 1].start) != self.doc.sentence_start(m.start)
            ent = self.entities[m.key]
            for w in WORD.finditer(text, m.end, limit):
                word = w.group(0).lower()
                if word not in MALE and word not in FEMALE:
                    continue
                if not opener and w.group(0)[:1].isupper() and self.doc.sentence_start(w.start()) >= w.start() - 1 \
                        and self.doc.sentence_start(w.start()) > m.start:
                    continue
                if word in MALE:
                    ent.male += 1
                else:
                    ent.female += 1
            pre = text[max(0, m.start - 6):m.start].lower()
            if re.search(r"(?<![\w’'])mr\.?[ \t]$", pre):
                ent.male += 3
            if re.search(r"(?<![\w’'])mr?s\.?[ \t]$", pre):     # not "… the forms. Yanez"
                ent.female += 3

    # resolving a subject phrase -------------------------------------------------------
    def resolve(self, phrase: str, start: int, end: int, create: bool = True) -> tuple[Entity | None, str]:
        """The entity a subject phrase names ("Councilmember Hugo Soto-Martinez",
        "the activist group Stop LAPD Spying and others", "Khan", "McDonald")."""
        # a mention already found inside the phrase: the last one is the head
        inside = self.mentions_within(start, end)
        if inside:
            head = inside[-1]
            persons = [m for m in inside if self.entities[m.key].kind == "person"]
            if persons:
                head = persons[-1]
            return self.entities[head.key], "named"
        core = phrase.strip()
        core = re.sub(r"\s+and others$", "", core)
        core = re.sub(r"^(?:(?:the|a|an)\s+)?(?:[a-z][\w\-]*\s+){0,3}(?=" + UP + ")", "", core)
        if not core or not core[:1].isupper():
            return None, ""
        name, title = strip_titles(core)
        if not name:
            return None, ""
        cs = start + phrase.find(core)
        ns = cs + core.rfind(name)
        toks = name.split()
        if len(toks) == 1:
            ent = self._person_by_surname(name, ns)
            if ent:
                self.mention(ns, ns + len(name), ent.key)
                ent.forms.setdefault(name, (ns, ns + len(name)))
                return ent, "surname of a person named in the article"
            fuzzy = self._fuzzy_surname(name)
            if fuzzy:
                self.mention(ns, ns + len(name), fuzzy.key)
                fuzzy.forms.setdefault(name, (ns, ns + len(name)))
                return fuzzy, f"'{name}' read as a misspelling of {fuzzy.name}"
            org = self._fuzzy_org(name)
            if org:
                return org, "organization name"
            if not create or name.lower() in STOP_CAPS or name.lower() in NOT_NAME:
                return None, ""
            full = self._full_name_before(name, ns)
            if full is not None:
                fs, fe = full
                ent = self.new("person", self.doc.text[fs:fe], fs, fe, "full name earlier in the article", 0.6)
                self.mention(fs, fe, ent.key)
                self.mention(ns, ns + len(name), ent.key)
                ent.forms.setdefault(name, (ns, ns + len(name)))
                return ent, "surname of a person named earlier in the article"
            display = f"{title} {name}" if title else name
            ent = self.new("person", name, ns, ns + len(name), "named as speaker", 0.5)
            if title:
                ent.forms.setdefault(display, (cs, cs + len(core)))
                ent.roles.append((title, cs, cs + len(core)))
            self.mention(ns, ns + len(name), ent.key)
            self._found_again(ent)
            return ent, "named as speaker"
        org = self._fuzzy_org(core)
        if org:
            self.mention(cs, cs + len(core), org.key)
            return org, f"'{core}' read as a variant of {org.name}"
        fuzzy = self._fuzzy_person(name)
        if fuzzy:
            return fuzzy, f"'{name}' read as a misspelling of {fuzzy.name}"
        if not create or any(t.lower() in STOP_CAPS or t.lower() in NOT_NAME for t in toks):
            return None, ""
        kind = "organization" if org_like(core) else "person"
        if kind == "person" and not title and place_or_group(toks, self.doc.text[max(0, ns - 60):ns],
                                                              self.doc.text[ns + len(name):ns + len(name) + 80]):
            return None, ""
        ent = self.new(kind, name if kind == "person" else core, ns, ns + len(name), "named as speaker", 0.5)
        self.mention(ns, ns + len(name), ent.key)
        if kind == "person":
            self._found_again(ent)
        return ent, "named as speaker"

    def _found_again(self, ent: Entity) -> None:
        """A person first read as the speaker of a quotation ('“…,” Marisol said'):
        the other places the text names them by the last word of their name, and
        so their gender from the pronouns there."""
        self._link_bare_words({name_key(ent.name.split()[-1]): ent.key}, [])
        self._genders()

    def _full_name_before(self, surname: str, pos: int) -> tuple[int, int] | None:
        """'Adrienne Cole' earlier in the text, for a bare 'Cole'."""
        found = None
        for m in re.finditer(rf"(?<![\w’']){CAPWORD}(?:[ \t]+{CAPWORD})?[ \t]+{re.escape(surname)}(?![\w’'])",
                             self.doc.text[max(0, pos - 5000):pos]):
            words = m.group(0).split()
            if not any(w.lower() in STOP_CAPS or w.lower() in TITLES or w.lower() in ORG_HEADS for w in words[:-1]):
                found = (max(0, pos - 5000) + m.start(), max(0, pos - 5000) + m.end())
        return found

    def sorted_mentions(self) -> list[Mention]:
        """The mentions so far in text order (start, end, key); sorted again
        only when some were added."""
        if getattr(self, "_sorted_len", -1) != len(self.mentions):
            self._sorted = sorted(self.mentions, key=lambda m: (m.start, m.end, m.key))
            self._sorted_starts = [m.start for m in self._sorted]
            self._sorted_len = len(self.mentions)
        return self._sorted

    def mentions_within(self, start: int, end: int) -> list[Mention]:
        """The mentions that lie within [start, end), in text order."""
        ms = self.sorted_mentions()
        i = bisect.bisect_left(self._sorted_starts, start)
        out = []
        while i < len(ms) and ms[i].start < end:
            if ms[i].end <= end:
                out.append(ms[i])
            i += 1
        return out

    def _fuzzy_surname(self, word: str) -> Entity | None:
        """The person of the document whose surname this word (six letters or more)
        misspells (similarity 0.7 or more), the most similar; else None."""
        best, best_r = None, 0.0
        for ent in sorted(self.entities.values(), key=lambda e: e.first):
            if ent.kind != "person" or len(ent.name.split()) < 2:
                continue
            r = difflib.SequenceMatcher(None, name_key(ent.name.split()[-1]), name_key(word)).ratio()
            if r > best_r:
                best, best_r = ent, r
        return best if best_r >= 0.7 and len(word) >= 6 else None

    def _fuzzy_org(self, phrase: str) -> Entity | None:
        """A known or article organization this name stands for: the same name
        (quote styles and case aside), or one whose distinctive words all match
        (as words or word stems) with at most one left over on either side and
        no different organization word: "LAPD Spy Alliance" for "Stop LAPD Spying"."""
        key = name_key(phrase)
        if key in self.by_name:
            return self.entities[self.by_name[key]]
        cands = [(e.id, [e.name] + [a for a, _ in e.aliases]) for e in self.know.entities if e.kind == "organization"]
        cands += [(e.key, [e.name] + list(e.forms)) for e in self.entities.values() if e.kind == "organization" and not e.known]
        bare = re.sub(r"^the ", "", key)
        for ident, names in cands:
            if any(re.sub(r"^the ", "", name_key(n)) == bare for n in names):
                return self.entity_for(ident)
        mine = distinctive_words(phrase)
        if len(mine) < 2:
            return None
        my_head = org_head(phrase)
        best, best_score = None, 0.0
        for ident, names in cands:
            for n in names:
                theirs = distinctive_words(n)
                if len(theirs) < 2:
                    continue
                head = org_head(n)
                if my_head and head and my_head != head:
                    continue
                shared = sum(1 for w in mine if any(same_stem(w, t) for t in theirs))
                if shared == len(mine) and len(theirs) - shared <= 1:
                    score = shared / len(theirs)
                    if score > best_score:
                        best, best_score = ident, score
        return self.entity_for(best) if best else None

    def entity_for(self, ident: str) -> Entity | None:
        """The document's entity with this id; else the records' person or
        organization with this id, added to the document's entities though not
        yet found in its text; else None."""
        if ident in self.entities:
            return self.entities[ident]
        ke = self.known_by_id.get(ident)
        if ke is None:
            return None
        return self._known_entity(ke, (0, 0))

    def _known_entity(self, ke: KnownEntity, first: tuple[int, int]) -> Entity:
        """The document's entity for a person or organization of the records, first
        named at `first`; an organization with the type and jurisdiction its name suggests."""
        ent = Entity(ke.id, ke.kind, ke.name, True, "known name", 1.0, first=first)
        if ke.kind == "organization":
            ent.org_type, ent.jurisdiction = org_type_of(ke.name), jurisdiction_of(ke.name)
        self.entities[ke.id] = ent
        return ent
