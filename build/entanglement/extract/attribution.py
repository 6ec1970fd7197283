"""Who said a quotation: the Quoter finds the attribution cue after, before,
around or in the same sentence as a quotation ('"…," X said', 'X said:',
'according to X,', 'X's claim that "…"'), resolves its subject to a person
or organization (names, pronouns, 'the department'), and knows who last
issued a statement or letter. The attribution patterns are here, written out
in re.VERBOSE with what each part matches.
"""

from __future__ import annotations

import bisect
import re

from .document import Doc
from .lexicon import ADVERBS, CAPWORD, GROUP_HEADS, NUMBERED_UNITS, ONE_PERSON_HEADS, ORG_NOUNS, PARTICLE_WORDS, PRONOUNS, STATEMENT_NOUNS, TITLES, UP, VERB, WRITTEN_NOUNS, WRITTEN_VERBS
from .names import clean_tail, looks_like_person, place_or_group, spelled_out
from .proposals import Entity
from .registry import Registry
from .units import Cue, QuoteUnit


# A party's press office, which speaks for it: "the LAPD's Media Relations Division"
PRESS_OFFICE = re.compile(r"\b(?:[Mm]edia[ \t]+[Rr]elations|[Pp]ublic[ \t]+(?:[Aa]ffairs|[Ii]nformation)|[Pp]ress|"
                          r"[Cc]ommunications)\b")
# Speech verbs whose object is the one spoken to: "X told the Ledger"
ADDRESSING_VERBS = {"told", "tells", "telling", "asked", "asks", "urged", "urges", "warned", "warns", "assured"}
# "Each of the department’s three extension letters blamed the delay on “…”": the words
# of the owner of the letters, whatever verb the letters take
OWNED_DOCUMENT = re.compile(rf"""
    (?P<owner>(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)[ \t]+(?:[a-z][\w\-]*[ \t]+)?[a-z][\w\-]*)   # the department's
    (?:’s|'s|’|')[ \t]+(?:[\w\-]+[ \t]+){{0,3}}?                                       # (three extension)
    (?P<noun>letters?|statements?|emails?|memos?|posts?|releases?|responses?|notices?|filings?)
    (?:[ \t]+[a-z][\w\-]*){{1,8}}[ \t]+$""", re.VERBOSE)                                # blamed the delay on
# Right before a speech word, a word that makes it a noun: "took notes", "her remarks"
NOUN_BEFORE = re.compile(r"\b(?:a|an|the|his|her|their|its|our|my|your|no|took|take|takes|taking)[ \t]+$", re.I)
# Words that name an organization of the kind a noun says: "the union" for "… Workers, Local 512"
NOUN_KIN = {"union": ("local", "workers", "guild", "teamsters", "federation", "brotherhood"),
            "coalition": ("alliance", "network", "collective", "collaborative")}
# Nouns for a party whose spokesperson speaks for it: "a university spokesperson"
PARTY_NOUNS = (ORG_NOUNS - {"office"}) | {"university", "college", "school", "district", "city", "county", "state"}
# Those who speak for the party that owns them: "the center's public affairs office"
SPEAKING_FOR = {"office", "spokesperson", "spokesman", "spokeswoman", "staff", "representative", "representatives",
                "press", "aides", "aide", "lawyers", "attorneys", "lawyer", "attorney"}
GOVERNMENT_TYPES = {"federal_agency", "local_police", "sheriff", "city_government", "county_government",
                    "state_government", "court"}

# "Local", "Channel": the last words of a name that a number completes
_NUMBERED = "(?:" + "|".join(f"(?<={w.capitalize()})" for w in sorted(NUMBERED_UNITS)) + ")"

# The parts of an attribution, each a self-contained verbose group (?x:…), so
# that they read the same inside any pattern, verbose or not.

# A named subject: "the group Alianza Comunitaria", "Mayor Karen Bass",
# "the Coalition for Humane Immigrant Rights of Los Angeles and others"
_SUBJECT = rf"""(?x:
    (?:(?:the|a|an)[ \t]+(?:[a-z][\w\-]*[ \t]+){{0,3}}         # an article and up to three lowercase words
       |(?<![\w’'])(?:(?:{PARTICLE_WORDS})[ \t]+){{1,2}}(?={UP}))?   # or the particles of a surname: "de la Fuente"
    {CAPWORD}                                                   # a capitalised word,
    (?:[ \t]+(?:(?:of|for|and|the|to|{PARTICLE_WORDS})[ \t]+)*{CAPWORD}){{0,7}}   # up to seven more, with connectors
    (?:{_NUMBERED}[ \t]+\d{{1,5}}\b)?                # "… Union Local 1187"
    (?:[ \t]+and[ \t]+others)?                                  # "… and others"
)"""
# A pronoun subject
_PRON = r"(?:he|she|they|it|we|I)"
# A noun subject: "the department", "her spokesperson", "the group's statement"
_NOUNSUBJ = r"""(?x:
    (?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)[ \t]+   # a determiner
    (?:(?:[a-z][\w\-’']*|[A-Z]{2,6})[ \t]+){0,3}                            # up to three lowercase words or acronyms
    (?:""" + "|".join(                                                      # a statement noun or a party noun
    re.escape(n) for n in sorted(STATEMENT_NOUNS + ("group", "department", "agency", "office", "spokesperson",
                                                    "spokesman", "spokeswoman", "mayor", "chief", "sheriff",
                                                    "councilmember", "professor", "official", "officials",
                                                    "organization", "coalition", "company", "city", "county",
                                                    "union", "commission", "council", "campaign", "attorney",
                                                    "party", "club", "league", "association", "caucus",
                                                    "committee", "board", "center", "network", "alliance",
                                                    "lawyer", "judge", "governor", "president", "senator",
                                                    "government", "administration", "prosecutors", "prosecutor",
                                                    "university", "college", "school", "district", "consulate")
                                 + GROUP_HEADS + ONE_PERSON_HEADS,
                                 key=len, reverse=True)) + r"))"
# An unnamed group: "more than 40 Los Angeles police officers", "several residents"
_GROUPSUBJ = r"""(?x:
    (?:[Tt]he|[Tt]hese|[Tt]hose|[Ss]ome|[Ss]everal|[Mm]any|[Oo]ther|[Dd]ozens[ \t]+of|[Hh]undreds[ \t]+of
       |(?:[Mm]ore|[Ff]ewer)[ \t]+than[ \t]+\d[\d,]*|[Aa]bout[ \t]+\d[\d,]*|[Nn]early[ \t]+\d[\d,]*|\d[\d,]*
       |[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Tt]en|[Tt]welve|[Tt]wenty)
    [ \t]+(?:[\w\-’']+[ \t]+){0,4}?                                       # (Los Angeles police)
    (?:""" + "|".join(GROUP_HEADS) + r"""))"""
# One unnamed person: "a worker who was not detained", "one officer", "another resident"
_ONESUBJ = r"""(?x:
    (?:[Aa]n?|[Oo]ne|[Aa]nother)[ \t]+(?:[a-z][\w\-]*[ \t]+){0,2}?   # a (longtime)
    (?:""" + "|".join(ONE_PERSON_HEADS) + r""")(?![\w’'])                # worker
)"""
# An auxiliary between a subject and its verb: "the government had asked"
_AUX = r"(?:(?:had|has|have|would|will|could|did)[ \t]+)?"
# A pronoun subject right before a verb: "she said", "she had asked"
PRONOUN_BEFORE = re.compile(rf"\b(?:he|she|they|it|we|i|you)[ \t]+{_AUX}(?:{ADVERBS}[ \t]+)?$", re.I)
# An optional apposition after the subject: ", a professor at UCLA," or ", “the data guy,”"
_APPOS = r"""(?x:
    (?:,[ \t]+(?:[^,\n“”"]{1,140}|[“"][^”"\n]{1,100}[”"]),)?
)"""

# After a quotation: "…,” said Mayor Bass"
AFTER_VERB_FIRST = re.compile(rf"""
    [ \t]*(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})          # (also) said
    [ \t]+(?P<subj>{_SUBJECT}|{_NOUNSUBJ}|{_ONESUBJ}|{_PRON})\b   # Mayor Bass / the department / a worker / she
    """, re.VERBOSE)
# After a quotation: "…,” Mayor Bass, a Democrat, said"
AFTER_SUBJ_FIRST = re.compile(rf"""
    [ \t]*(?P<subj>{_PRON}|{_NOUNSUBJ}|{_ONESUBJ}|{_SUBJECT}){_APPOS}   # Mayor Bass, a Democrat,
    [ \t]+(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})\b             # (later) said
    """, re.VERBOSE)
# After a quotation: "…,” according to the department"
AFTER_ACCORDING = re.compile(rf"""
    [ \t]*according[ \t]+to[ \t]+(?P<subj>{_NOUNSUBJ}|{_SUBJECT})
    """, re.VERBOSE)
# After a quotation, no verb: "…” — Ana Lopez, organizer" ending its line, or before the next quotation
AFTER_VERBLESS = re.compile(rf"""
    [ \t]*(?P<subj>{CAPWORD}(?:[ \t]+{CAPWORD}){{1,3}})   # two to four capitalised words
    (?:,[ \t]+[^,\n“”"]{{1,140}})?                        # , a role
    [.]?[ \t]*(?:$|\n|[“"])                               # then the line ends or a quotation opens
    """, re.VERBOSE)
# Before a quotation: "Mayor Bass, a Democrat, said in a statement: “…"
BEFORE_SUBJ_VERB = re.compile(rf"""
    (?P<subj>{_PRON}|{_NOUNSUBJ}|{_SUBJECT}){_APPOS}      # Mayor Bass, a Democrat,
    [ \t]+(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})            # (later) said
    (?:,?[ \t]+[\w’'\-]+){{0,6}}?                         # up to six words: "in a statement"
    [ \t]*[,:][ \t]*$                                     # then a comma or colon, right before the mark
    """, re.VERBOSE)
# Before a quotation: "According to the department, “…"
BEFORE_ACCORDING = re.compile(rf"""
    according[ \t]+to[ \t]+
    (?:[^,\n“”"]{{1,80}},[ \t]+)?                         # (a statement released Monday,)
    (?P<subj>{_NOUNSUBJ}|{_SUBJECT})[ \t]*,[ \t]*$        # the department, right before the mark
    """, re.VERBOSE | re.I)
# After a quotation: "…,” said one of the organizers, Ana Lopez"
AFTER_VERB_APPOS = re.compile(rf"""
    [ \t]*(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})            # said
    [ \t]+(?:{_SUBJECT}(?:’s|'s)[ \t]+)?                  # (Ruiz’s)
    [a-z][^,\n“”"]{{0,40}},                                # one of the organizers, / sister,
    [ \t]+(?P<subj>{_SUBJECT})\b                          # Ana Lopez
    """, re.VERBOSE)
# Anywhere in the sentence: "Ana Lopez, an organizer, said"
INLINE_SPEECH = re.compile(rf"""
    (?P<subj>{_PRON}|{_NOUNSUBJ}|{_SUBJECT}){_APPOS}
    [ \t]+(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})\b
    """, re.VERBOSE)
# "a statement (was) released by the department", "a report prepared last year by the ACLU"
ISSUED_BY = re.compile(rf"""
    \b(?P<noun>statement|letter|release|report|study|analysis|audit|memo|survey)[ \t]+
    (?:(?:was[ \t]+)?                                               # (was)
       (?:released|issued|published|written|prepared|sent|signed|conducted)
       (?:[ \t]+[\w\-]+){{0,2}}?[ \t]+)?                            # (last year)
    by[ \t]+(?P<subj>{_NOUNSUBJ}|{_SUBJECT})                        # by the department
    """, re.VERBOSE)
# "The coalition, which …, sent a letter", "Bass issued a brief statement"
ISSUED = re.compile(rf"""
    (?P<subj>{_GROUPSUBJ}|{_NOUNSUBJ}|{_SUBJECT}){_APPOS}           # the coalition(, …,); 40 officers
    [ \t]+(?:(?:have|has|had)[ \t]+)?                              # (have)
    (?:sent|issued|released|published|wrote|posted|signed|filed|delivered|shared|put[ \t]+out)
    (?:[ \t]+(?:us|me|him|her|them|reporters))?                     # (us)
    [ \t]+(?:a|an|the|its|their|his|her)                            # a / its
    [ \t]+(?:[\w\-]+[ \t]+){{0,3}}?                                 # (brief, two-page)
    (?P<noun>statement|letter|release|report|memo|email|e-mail|post|tweet|message|note|complaint|petition
             |open\ letter)\b
    """, re.VERBOSE)
# "rejected the president's claim that Glendale had become “…”": the quoted
# words are the owner's (the one whose claim, words or promise they are)
OWNED_WORDS = re.compile(rf"""
    (?P<owner>(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)[ \t]+(?:[a-z][\w\-]*[ \t]+)?[a-z][\w\-]*   # the (deputy) chief's
             |{CAPWORD}(?:[ \t]+(?:(?:{PARTICLE_WORDS})[ \t]+)*{CAPWORD}){{0,3}})   # Harold Brandt's, Van der Berg's
    (?:’s|'s|’|')[ \t]+(?:(?:[a-z][\w\-]*|\d{{4}})[ \t]+)?              # (repeated, earlier, 2019) ...
    (?P<noun>claims?|assertions?|charges?|accusations?|descriptions?|words|phrase|remarks?|comments?|promises?|
             pledges?|vows?|warnings?|insistence|arguments?|suggestions?|threats?|boasts?|contention|characterizations?|
             assurances?|reassurances?|explanations?|denials?|predictions?|portrayal|rhetoric|language|labels?|
             insinuations?|allegations?|statements?|complaints?|depiction|directives?|instructions?|orders?|memos?|conclusions?|findings?|assessments?|determinations?)
    (?:,[^,“”"\n.;]{{1,80}},)?                                                # (, made at a hearing a week earlier,)
    (?:[ \t]+(?:to|at|in|on|before|during|from|last|this)\b[^“”"\n.;,]{{0,60}}?(?=[ \t]+that\b))?   # (to the council last year)
    (?:[ \t]+(?:that|of)\b[^“”"\n.;]{{0,160}}?)?                              # that Glendale had become
    [ \t]*(?:as[ \t]+)?$""", re.VERBOSE)


def _kind_of(verb: str | None, subject: str | None, around: str) -> str:
    """The kind of words a cue reports: a statement (a statement or press release
    around it), written (a writing verb or noun), else spoken."""
    v = (verb or "").lower()
    a = around.lower()
    if re.search(r"\bstatement\b|press release|\bthe release\b", a):
        return "statement"
    if v in WRITTEN_VERBS or re.search(r"\b(letter|memo|email|e-mail|tweet|post|wrote|written|in writing)\b", a):
        return "written"
    if subject and re.search(r"\b(statement|release)\b", subject.lower()):
        return "statement"
    return "spoken"


class Quoter:
    """Quotations: classify, attribute, resolve speakers."""

    def __init__(self, doc: Doc, reg: Registry, units: list[QuoteUnit]):
        """A quoter for the document whose names `reg` holds and whose quotation
        units (see units.quote_units) are `units`; it notes at once where each
        party is reported speaking, outside the quotations."""
        self.doc = doc
        self.reg = reg
        self.text = doc.text
        self._qspans = sorted((u.open_mark, u.close_mark if u.close_mark is not None else u.pieces[-1][1]) for u in units)
        self._qstarts = [a for a, _ in self._qspans]
        # (position, entity key), in text order; empty while it is being collected
        self.speech_subjects: list[tuple[int, str]] = []
        self.speech_subjects = self._speech_subjects()

    def in_quote(self, pos: int) -> bool:
        """Is pos inside a quotation of the document (its marks included)?"""
        i = bisect.bisect_right(self._qstarts, pos) - 1
        return i >= 0 and self._qspans[i][0] <= pos <= self._qspans[i][1]

    def _speech_subjects(self) -> list[tuple[int, str]]:
        """Where each party is reported speaking ('X said', 'said X', 'X, a ..., said
        it was', 'X sent a letter'), in text order, for pronouns to refer back to."""
        text = self.text
        out = []
        for m in re.finditer(rf"\b{VERB}\b", text):
            if self.in_quote(m.start()) or self._noun_not_verb(m.start()):
                continue
            ent = self.subject_of_verb(m.start(), m.end())
            if ent is not None:
                out.append((m.start(), ent.key))
        # "A detective who worked on the task force, and who spoke on condition of
        # anonymity, said …": one unnamed person opening the sentence
        for m in re.finditer(rf"(?:^|(?<=[.!?][ \t])|(?<=\n))(?P<subj>{_ONESUBJ})[ \t]+(?:who|whose|with|from)\b"
                             rf"[^.\n“”\"]{{0,250}}?,?[ \t]+(?:{ADVERBS}[ \t]+)?{VERB}\b", text):
            if not self.in_quote(m.start()) and not self.reg.mentions_within(m.start(), m.end()):
                out.append((m.start("subj"), self.one_person(m.group("subj"), m.start("subj"), m.end("subj")).key))
        according_to = re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+(?P<subj>{_SUBJECT})")
        for pattern in (ISSUED, ISSUED_BY, according_to):
            for m in pattern.finditer(text):
                if self.in_quote(m.start()):
                    continue
                ent = self.group(m.group("subj"), m.start("subj"), m.end("subj")) \
                    or self._entity_in(m.start("subj"), m.end("subj"))
                if ent:
                    out.append((m.start("subj"), ent.key))
        out.sort(key=lambda x: x[0])
        return out

    def _end_before(self, pos: int) -> int:
        """Where the text before pos ends, white space aside (without copying it: this runs
        once per quotation)."""
        i = pos
        while i > 0 and self.text[i - 1].isspace():
            i -= 1
        return i

    def _noun_not_verb(self, pos: int) -> bool:
        """'took notes', 'her remarks', 'a statement': a speech word at pos used as a noun."""
        return bool(NOUN_BEFORE.search(self.text, max(0, pos - 12), pos))

    def nearest_speaker(self, pos: int) -> tuple[int, Entity] | None:
        """(where it is reported, who): the last party reported speaking before pos
        (within 3,000 characters), or None."""
        for p, key in reversed(self.speech_subjects):
            if pos - 3000 < p < pos:
                return p, self.reg.entities[key]
        return None

    def subject_of_verb(self, v: int, ve: int) -> Entity | None:
        """The party a speech verb is said of: the name right after it ('said X'),
        the subject right before it ('X, a ..., said'; 'the department said'),
        else the last person named before it in its sentence, outside quotations;
        None for a pronoun subject ('he said') or when nobody is named."""
        text, doc = self.text, self.doc
        floor = max(doc.sentence_start(v), doc.line_bounds(v)[0], v - 250)
        pre = text[floor:v]
        pronoun_subject = PRONOUN_BEFORE.search(pre)
        # "The LAPD told Open Desk LA that …", "she had asked the inspector general, X,": the one told
        addressed = text[v:ve] in ADDRESSING_VERBS and (pronoun_subject or self.immediate_subject(v, ve) is not None)
        appos = None if addressed else AFTER_VERB_APPOS.match(text, v, v + 200)
        if appos:
            # "said Ruiz’s sister, Araceli Ruiz": the one in the apposition
            ent = self._entity_in(appos.start("subj"), appos.end("subj"))
            if ent is not None:
                return ent
        post = None if addressed else re.match(rf"[ \t]+(?P<subj>{_SUBJECT})", text[ve:ve + 160])
        if post:
            ent = self._entity_in(ve + post.start("subj"), ve + post.end("subj"))
            if ent is None:
                ent, _ = self.reg.resolve(post.group("subj"), ve + post.start("subj"), ve + post.end("subj"), create=False)
            if ent is not None:
                return ent
        if pronoun_subject:
            return None
        if re.search(rf"\bwhich[ \t]+(?:{ADVERBS}[ \t]+)?$", pre):
            return None     # "a review by the controller, which found that …": the review, no one speaking
        if re.search(r"[ \t]and[ \t]+$", pre):
            # "the coalition asked the commission to … and wrote that": the clause's subject
            clause = [cm for cm in re.finditer(rf"(?:^|,[ \t]+)(?P<subj>{_NOUNSUBJ})[ \t]+(?:{ADVERBS}[ \t]+)?"
                                               rf"(?:{VERB}|[a-z]+ed)\b", pre)
                      if not self.in_quote(floor + cm.start("subj"))]
            if clause:
                ent = self.noun_subject(clause[-1].group("subj"), floor + clause[-1].start("subj"))
                if ent is not None:
                    return ent
        nm = re.search(rf"(?P<subj>{_NOUNSUBJ}){_APPOS}[ \t]+{_AUX}(?:{ADVERBS}[ \t]+)?$", pre)
        if nm:
            return self.noun_subject(nm.group("subj"), floor + nm.start("subj"))
        ms = [mm for mm in self.reg.mentions_within(floor, v) if not self.in_quote(mm.start)]
        sm = re.search(rf"(?P<subj>{_SUBJECT}){_APPOS}[ \t]+{_AUX}(?:{ADVERBS}[ \t]+)?$", pre)
        if sm and not self.in_quote(floor + sm.start("subj")):
            ent = self._named_subject(sm, floor, v)
            if ent is not None and ent.kind == "organization" and ms and ms[0].start <= floor + 5 \
                    and self.reg.entities[ms[0].key].kind == "person" and ms[0].start < floor + sm.start("subj") \
                    and text[ms[0].end:ms[0].end + 1] == ",":
                # "Stephen Downing, former deputy director of LAPD, helped draft ..., said":
                # the person who opens the sentence is its subject
                return self.reg.entities[ms[0].key]
            if ent is not None and ent.kind == "organization":
                # "Detective Ana Ruiz of the department’s Northeast Division wrote": the person
                of = [m for m in ms if self.reg.entities[m.key].kind == "person" and m.end < floor + sm.start("subj")
                      and re.fullmatch(r"[ \t]+(?:of|from|with|at)[ \t]+(?:(?:the|a|an)[ \t]+)?(?:[\w\-]+(?:’s|'s)[ \t]+)?",
                                       text[m.end:floor + sm.start("subj")])]
                if of:
                    return self.reg.entities[of[-1].key]
            if ent is not None:
                return ent
        persons = [mm for mm in ms if self.reg.entities[mm.key].kind == "person"]
        if persons:
            return self.reg.entities[persons[-1].key]
        if ms:
            return self.reg.entities[ms[-1].key]
        # "Minutes later, Gloria Mendez stood up and said": a name in the clause before the verb
        clause_start = floor + max(pre.rfind(","), pre.rfind(";"), -1) + 1
        for nm2 in reversed(list(re.finditer(rf"(?<![\w’']){CAPWORD}(?:[ \t]+{CAPWORD}){{1,3}}", text[clause_start:v]))):
            cand = clean_tail(nm2.group(0))
            lead_words = text[clause_start:clause_start + nm2.start()].split()
            cs = clause_start + nm2.start()
            if len(lead_words) <= 2 and looks_like_person(cand) and not self.in_quote(cs) \
                    and not place_or_group(cand.split(), text[max(0, cs - 60):cs], text[cs + len(cand):cs + len(cand) + 80]):
                ent = self.reg.new("person", cand, cs, cs + len(cand), "subject of a speech verb", 0.55)
                self.reg.mention(cs, cs + len(cand), ent.key)
                return ent
        return None

    def _appositive_person(self, subj_end: int, limit: int, subj: str) -> Entity | None:
        """'Salcido's attorney, Priya Raman of ..., called': the person named in
        the apposition when the subject is a possessive or a common noun."""
        if not re.search(r"(?:’s|'s)(?:[ \t]+[a-z][\w\-]*)*$|^(?:[Tt]he|[Aa]n?)[ \t]", subj):
            return None
        ms = [m for m in self.reg.mentions_within(subj_end, limit) if self.reg.entities[m.key].kind == "person"]
        return self.reg.entities[ms[0].key] if ms else None

    def immediate_subject(self, v: int, ve: int) -> Entity | None:
        """The named subject right before a verb, within its clause ('X called the
        ruling ...'); None for pronouns, generic nouns ('activists') or nobody."""
        text, doc = self.text, self.doc
        floor = max(doc.sentence_start(v), doc.line_bounds(v)[0], v - 250)
        pre = text[floor:v]
        om = re.search(r"\b(?:[Tt]he|[Tt]his|[Tt]hat)[ \t]+(?P<owner>[a-z]+)(?:’s|'s)[ \t]+(?:authors?|writers?|researchers?)[ \t]+$", pre)
        if om and om.group("owner") in STATEMENT_NOUNS:
            return self.noun_subject(f"the {om.group('owner')}", v)
        nm = re.search(r"(?:\S+(?:’s|'s)|\b[Tt]he|\b[Aa]n?)[ \t]+[a-z][\w\-]*(?:[ \t]+[a-z][\w\-]*)?,[ \t]+"
                       r"(?P<app>[^,\n“”\"]{1,140}),[ \t]+$", pre)
        if nm:
            # "Salcido's attorney, Priya Raman of ..., called": the person in the apposition
            ms = [m for m in self.reg.mentions_within(floor + nm.start("app"), floor + nm.end("app"))
                  if self.reg.entities[m.key].kind == "person"]
            if ms:
                return self.reg.entities[ms[0].key]
        sm = re.search(rf"(?P<subj>{_SUBJECT}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?$", pre)
        if sm is None or self.in_quote(floor + sm.start("subj")):
            return None
        return self._named_subject(sm, floor, v)

    def _named_subject(self, sm: re.Match, floor: int, v: int) -> Entity | None:
        """The party a named subject before the verb at v stands for (`sm`, a match
        of its group 'subj' in the text from `floor`): the person in its
        apposition, else the party named there, else the one its name resolves
        to (never a new one)."""
        appos = self._appositive_person(floor + sm.end("subj"), v, sm.group("subj"))
        if appos is not None:
            return appos
        ss, se = floor + sm.start("subj"), floor + sm.end("subj")
        around = [m for m in self.reg.mentions_within(max(0, ss - 80), se + 1)
                  if m.start < ss and m.end >= se and self.reg.entities[m.key].kind == "organization"]
        if around:
            return self.reg.entities[around[-1].key]    # "The office of Mayor Ana Ruiz wrote": the office
        ent = self._entity_in(floor + sm.start("subj"), floor + sm.end("subj"))
        if ent is None:
            ent, _ = self.reg.resolve(sm.group("subj"), floor + sm.start("subj"), floor + sm.end("subj"), create=False)
        return ent

    def _entity_in(self, s: int, e: int) -> Entity | None:
        """The party named within [s, e): the last person named there, else the last party."""
        ms = [m for m in self.reg.mentions_within(s, e)]
        if not ms:
            return None
        outer = [m for m in ms if all(m.start <= o.start and o.end <= m.end for o in ms)]
        if outer and len(ms) > 1 and self.reg.entities[outer[0].key].kind == "organization":
            return self.reg.entities[outer[0].key]     # "the office of Mayor Ana Ruiz": the office
        persons = [m for m in ms if self.reg.entities[m.key].kind == "person"]
        return self.reg.entities[(persons or ms)[-1].key]

    # --- attribution cues --------------------------------------------------------
    def after_cue(self, close: int) -> Cue | None:
        """The attribution after a quotation that closes at `close` ('"…," X said', 'said X, a …'), or None."""
        text, doc = self.text, self.doc
        start = close + 1
        line_end = doc.line_bounds(start)[1] if start < len(text) else len(text)
        end = min(doc.sentence_end(start), line_end, start + 300)
        nxt_open = self._next_open(start, end)
        window_end = nxt_open if nxt_open is not None else end
        window = text[start:window_end]
        lead = re.match(r"[ \t]*[,;]?[ \t]*", window)
        off = lead.end()
        body = window[off:]
        if re.match(r"(?:a|the|that)[ \t]+(?:phrase|word|words|term|line|label|description|expression|slogan)\b", body):
            return None     # "“…,” a phrase Ruiz said she finds insulting": what Ruiz says is about the words
        for rx, cue, conf in ((AFTER_VERB_APPOS, "'said one of them, X' after the quotation", 0.85),
                              (AFTER_VERB_FIRST, "'said X' after the quotation", 0.9),
                              (AFTER_SUBJ_FIRST, "'X said' after the quotation", 0.9),
                              (AFTER_ACCORDING, "'according to X' after the quotation", 0.85)):
            m = rx.match(body)
            if m:
                verb = m.groupdict().get("verb")
                subj = m.group("subj")
                ss, se = start + off + m.start("subj"), start + off + m.end("subj")
                clause_end = self._clause_end(start + off + m.end(), window_end)
                attribution = (start + off, clause_end)
                return Cue(subj, ss, se, _kind_of(verb, subj, text[start + off:clause_end]), attribution,
                            cue + (f" ({verb})" if verb else ""), conf, clause_end)
        if not text[close - 1:close].strip() in (".", "!", "?") or True:
            m = AFTER_VERBLESS.match(body)
            if m and self._names_person(start + off + m.start("subj"), start + off + m.end("subj")):
                ss, se = start + off + m.start("subj"), start + off + m.end("subj")
                clause_end = self._clause_end(ss, window_end, keep_period=True)
                return Cue(m.group("subj"), ss, se, "spoken", (start + off, clause_end),
                            "name after the quotation, without a verb", 0.7, clause_end)
        return None

    def _names_person(self, s: int, e: int) -> bool:
        """Does [s, e) name a person (a known mention, else by the look of the name)?"""
        ent = self._entity_in(s, e)
        if ent is not None:
            return ent.kind == "person"
        return looks_like_person(self.text[s:e])

    def _clause_end(self, pos: int, limit: int, keep_period: bool = False) -> int:
        """End of an attribution clause: before ', who', ', which' or the sentence's end."""
        text = self.text
        seg = text[pos:limit]
        m = re.search(r",[ \t]+(?:who|which|whose|where|when|as|after|before|because|but|and[ \t]+(?:is|was|has|had))\b", seg)
        cut = pos + m.start() if m else limit
        out = text[pos:cut].rstrip()
        if not keep_period:
            out = out.rstrip(".,;: \t")
            if out.endswith("”") or out.endswith('"'):
                out = out[:-1].rstrip(".,;: \t")
        else:
            out = out.rstrip(",;: \t")
        return pos + len(out)

    def _next_open(self, start: int, end: int) -> int | None:
        """The position of the next opening double quotation mark in [start, end), or None."""
        m = re.search(r"[“\"]", self.text[start:end])
        return start + m.start() if m else None

    def before_cue(self, open_mark: int) -> Cue | None:
        """The attribution before a quotation that opens at `open_mark` ('X said:', 'according to X,'), or None."""
        text, doc = self.text, self.doc
        s = max(doc.sentence_start(open_mark), doc.line_bounds(open_mark)[0], open_mark - 300)
        window = text[s:open_mark]
        for rx, cue, conf in ((BEFORE_SUBJ_VERB, "'X said:' before the quotation", 0.85),
                              (BEFORE_ACCORDING, "'according to X,' before the quotation", 0.85)):
            m = rx.search(window)
            if m:
                verb = m.groupdict().get("verb")
                return Cue(m.group("subj"), s + m.start("subj"), s + m.end("subj"),
                            _kind_of(verb, m.group("subj"), window[m.start():]), (s + m.start(), s + len(window.rstrip(" \t,:"))),
                            cue, conf, open_mark)
        return None

    def owner_of_words(self, open_mark: int) -> Cue | None:
        """A phrase quoted in narration as somebody's claim, words or promise
        ('rejected the president's claim that the city had become “…”'): the
        owner's words, whoever the sentence is about."""
        text, doc = self.text, self.doc
        s = max(doc.sentence_start(open_mark), doc.line_bounds(open_mark)[0], open_mark - 300)
        m = OWNED_WORDS.search(text[s:open_mark]) or OWNED_DOCUMENT.search(text[s:open_mark])
        if m is None or self.in_quote(s + m.start()):
            return None
        owner, os_, oe = m.group("owner"), s + m.start("owner"), s + m.end("owner")
        if re.match(r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)[ \t]", owner):
            if owner.split()[0].lower() != "the":
                return None        # "his claim": the pronoun's antecedent is left to the curator
            ent = self.noun_subject(owner, os_)
            noun = owner.split()[-1].lower()
            if ent is not None and not ent.unnamed and noun not in ("group", "organization", "organisation") \
                    and not re.search(self._kin_pattern(noun), self._names_of(ent)):
                return None        # "the university’s statement" and no university named: left to the curator
        else:
            ent = self._entity_in(os_, oe) or self.reg.resolve(owner, os_, oe, create=False)[0]
        if ent is None:
            return None
        cue = Cue(owner, os_, oe, "spoken", (os_, open_mark),
                   f"the words are the {m.group('noun')} of {ent.name} ('{owner}’s {m.group('noun')} … “…”')", 0.7, open_mark)
        cue.entity = ent
        return cue

    def colon_cue(self, open_mark: int) -> Cue | None:
        """A quotation printed as its own paragraph after a sentence that ends in
        a colon ('The club issued the following statement:', 'Reyes wrote:'):
        the speaker is that sentence's subject."""
        text, doc = self.text, self.doc
        line_start = doc.line_bounds(open_mark)[0]
        if text[line_start:open_mark].strip():
            return None
        colon = self._end_before(line_start) - 1
        if colon < 0 or text[colon] != ":":
            return None
        s = max(doc.sentence_start(colon), doc.line_bounds(colon)[0], colon - 400)
        sentence = text[s:colon]
        issued = None
        for m in ISSUED.finditer(sentence):
            issued = m
        if issued is None and re.match(r"[ \t]*(?:It|The[ \t]+(?:statement|letter|email|e-mail|post|memo|message|release))"
                                       r"[ \t]+(?:reads|read|said|says|states|stated)\b", sentence):
            # "The department sent us a statement. It reads, in part:": the sender's
            sender, noun = self.last_issuer(s, self.doc.line_bounds(s)[0])
            if sender is not None:
                cue = Cue(None, 0, 0, "written" if noun in WRITTEN_NOUNS else "statement", (s, colon),
                          f"the {noun} the paragraph says was sent, introduced by a sentence ending in a colon", 0.8,
                          open_mark)
                cue.entity = sender
                return cue
        if issued is not None:
            subj, ss, se = issued.group("subj"), s + issued.start("subj"), s + issued.end("subj")
            kind = "written" if issued.group("noun") in WRITTEN_NOUNS else "statement"
            how = f"the {issued.group('noun')} introduced by the sentence before, ending in a colon"
        else:
            vm = self._last_speech_verb(sentence, s)
            ent = self.subject_of_verb(s + vm.start(), s + vm.end()) if vm else None
            pm = re.search(rf"\b(?P<p>he|she|I)[ \t]+(?:{ADVERBS}[ \t]+)?$", sentence[:vm.start()]) if vm and ent is None else None
            if pm is not None:
                # "… whether the motion was aimed at our officers, I answered:"
                ent = self.pronoun(pm.group("p").lower(), open_mark)
            if ent is None:
                return None
            cue = Cue(None, 0, 0, _kind_of(vm.group(0), None, sentence), (s, colon),
                       f"'{vm.group(0)}:' in the sentence before, ending in a colon", 0.8, open_mark)
            cue.entity = ent
            return cue
        cue = Cue(subj, ss, se, kind, (s, colon), how, 0.8, open_mark)
        ent = self._entity_in(ss, se)
        if ent is None and re.match(_NOUNSUBJ + r"$", subj):
            ent = self.noun_subject(subj, ss)
        if ent is not None:
            cue.entity = ent
        return cue

    def _last_speech_verb(self, window: str, start: int) -> re.Match | None:
        """The last speech verb of `window` (the text from `start`) outside quotations, or None."""
        verbs = [m for m in re.finditer(rf"\b{VERB}\b", window)
                 if not self.in_quote(start + m.start()) and not self._noun_not_verb(start + m.start())]
        return verbs[-1] if verbs else None

    def inline_cue(self, open_mark: int) -> Cue | None:
        """A partial quotation inside reported speech: 'X, a ..., said it was a “...”'."""
        text, doc = self.text, self.doc
        s = max(doc.sentence_start(open_mark), doc.line_bounds(open_mark)[0], open_mark - 400)
        vm = self._last_speech_verb(text[s:open_mark], s)
        if vm is None:
            return None
        ent = self.subject_of_verb(s + vm.start(), s + vm.end())
        if ent is None:
            pm = re.search(rf"\b(?P<p>he|she|they|it|we)[ \t]+(?:{ADVERBS}[ \t]+)?$", text[s:s + vm.start()], re.I) \
                or re.search(rf"(?P<p>{_NOUNSUBJ})[ \t]+{_AUX}(?:{ADVERBS}[ \t]+)?$", text[s:s + vm.start()])
            if pm is None:
                return None     # (a noun subject, "The university said … that “…”", is a cue whoever it names)
            return Cue(pm.group("p"), s + pm.start("p"), s + pm.end("p"), _kind_of(vm.group(0), None, text[s:open_mark]),
                        (s + pm.start("p"), s + vm.end()), f"partial quotation in reported speech ({vm.group(0)})",
                        0.7, open_mark)
        cue = Cue(None, 0, 0, _kind_of(vm.group(0), None, text[s:open_mark]),
                   (s, s + len(text[s:open_mark].rstrip())),
                   f"partial quotation in reported speech ({vm.group(0)})", 0.7, open_mark)
        cue.entity = ent
        return cue

    # --- speakers ---------------------------------------------------------------------
    def speaker_of(self, cue: Cue, pos: int) -> tuple[Entity | None, str, float]:
        """(speaker, how it was found, confidence factor) for a cue's subject at pos: the cue's own
        entity, a pronoun's referent, a noun phrase's party ('the department') or the named person;
        a press office of a party speaks for the party."""
        ent, how, conf = self._speaker_of(cue, pos)
        parent = self._press_office_of(ent) if ent is not None else None
        if parent is not None:
            return parent, f"{how}; {ent.name} is the press office of {parent.name}, and speaks for it", conf
        return ent, how, conf

    def _press_office_of(self, ent: Entity) -> Entity | None:
        """'the LAPD's Media Relations Division': the party whose press office `ent` is, named
        right before it with a possessive; None for anything else."""
        if ent.kind != "organization" or not PRESS_OFFICE.search(ent.name):
            return None
        for m in self.reg.sorted_mentions():
            if m.key != ent.key:
                continue
            window_start = max(0, m.start - 6)
            pm = re.search(r"(?:’s|'s)[ \t]+$", self.text[window_start:m.start])
            if pm is None:
                continue
            poss = window_start + pm.start()
            owners = [o for o in self.reg.mentions_within(max(0, poss - 120), poss) if o.end == poss]
            if owners and self.reg.entities[owners[-1].key].kind == "organization":
                return self.reg.entities[owners[-1].key]
        return None

    def _speaker_of(self, cue: Cue, pos: int) -> tuple[Entity | None, str, float]:
        if cue.entity is not None:
            return cue.entity, f"the party reported speaking is {cue.entity.name}", 1.0
        subj = cue.subject or ""
        low = subj.lower()
        if low in PRONOUNS:
            ent = self.pronoun(low, pos)
            return ent, (f"pronoun '{subj}' read as the one fitting party the paragraph names, else the last "
                         "person reported speaking"), 0.75 if ent else 0.0
        if re.fullmatch(_ONESUBJ, subj):
            ent = self.one_person(subj, cue.s_start, cue.s_end)
            return ent, f"'{subj}': one person the text does not name", 0.6
        if re.match(_NOUNSUBJ + r"$", subj):
            # "a police spokesperson, Sgt. Amy Ko, told the paper": the name in the apposition
            appos = self.text[cue.s_end:cue.s_end + 160]
            am = re.match(r",[ \t]+([^,\n“”\"]{1,80}),", appos)
            if am:
                inner = self.reg.mentions_within(cue.s_end + am.start(1), cue.s_end + am.end(1))
                persons = [m for m in inner if self.reg.entities[m.key].kind == "person"]
                if persons:
                    return self.reg.entities[persons[-1].key], "the name in apposition to the subject", 1.0
            office = re.fullmatch(r"(?P<p>[Hh]is|[Hh]er|[Tt]heir)[ \t]+(?:press[ \t]+)?"
                                  r"(?:office|campaign|staff|spokesperson|spokesman|spokeswoman|secretary|aides?)", subj)
            if office:
                # "her office wrote": the office speaks for the one "her" refers to
                pron = {"his": "he", "her": "she", "their": "they"}[office.group("p").lower()]
                ent = self.pronoun(pron, pos)
                if ent is not None:
                    return ent, f"'{subj}' read as speaking for the one '{office.group('p')}' refers to", 0.6
            named = self._entity_in(cue.s_start, cue.s_end)
            if named is not None and named.kind == "organization":
                # "a DHS spokesperson", "the mayor’s office": the party the phrase names
                return named, f"'{subj}' read as speaking for {named.name}, which it names", 0.9
            ent = self.noun_subject(subj, pos)
            return ent, f"'{subj}' read as the last fitting party named", 0.6 if ent else 0.0
        ent, how = self.reg.resolve(subj, cue.s_start, cue.s_end)
        return ent, how, 1.0 if ent else 0.0

    def pronoun(self, pron: str, pos: int) -> Entity | None:
        """The party a pronoun attribution refers to: among the parties reported
        speaking (else named) in the last paragraphs, the nearest whose gender,
        as the article's own pronouns show it, agrees; else the nearest whose
        gender is not known."""
        if pron == "i":
            # "I answered:" in a newsletter or column: its author
            authors = [e for e in self.reg.entities.values()
                       if e.kind == "person" and any(r == "author" for r, _, _ in e.roles)]
            return authors[0] if len(authors) == 1 else None
        gender = PRONOUNS.get(pron)
        want_org = pron in ("it", "they", "we")
        floor = pos - 2500
        own = self._paragraph_subject(pos, gender, want_org)
        if own is not None:
            return own
        setup = self._setup_paragraph_subject(pos, gender, want_org)
        if setup is not None:
            return setup
        named = [(m.start, m.key) for m in self.reg.sorted_mentions()]
        for pool in (self.speech_subjects, named):
            cands = [(p, key) for p, key in pool if floor <= p < pos and not self.in_quote(p)]
            fitting = [(p, key) for p, key in cands if self._fits(self.reg.entities[key], gender, want_org)]
            if not fitting:
                continue
            if gender:
                agreeing = [(p, key) for p, key in fitting if self.reg.entities[key].gender == gender]
                if agreeing and agreeing[-1][0] >= fitting[-1][0] - 1500:
                    return self.reg.entities[agreeing[-1][1]]
                # the last one reported speaking is of no known gender: a person the
                # article's pronouns make "she" (or "he"), named since, is likelier
                if pool is self.speech_subjects:
                    since = [key for p, key in named if fitting[-1][0] < p < pos and not self.in_quote(p)
                             and self.reg.entities[key].kind == "person" and self.reg.entities[key].gender == gender]
                    if since:
                        return self.reg.entities[since[-1]]
            return self.reg.entities[fitting[-1][1]]
        return None

    def _paragraph_subject(self, pos: int, gender: str | None, want_org: bool) -> Entity | None:
        """'Hale repeated the threat in Sacramento. “…,” he said.': the one
        fitting party named in the paragraph before the quotation, outside
        quotations, when nobody fitting has been reported speaking in the
        paragraph since; None when there are several or none."""
        start = self.doc.line_bounds(pos)[0]
        named = {m.key for m in self.reg.mentions_within(start, pos) if not self.in_quote(m.start)
                 and self._fits(self.reg.entities[m.key], gender, want_org)
                 and (gender is None or self.reg.entities[m.key].gender == gender or self.reg.entities[m.key].gender is None)}
        if len(named) != 1:
            return None
        key = next(iter(named))
        spoke = [k for p, k in self.speech_subjects if start <= p < pos and k != key
                 and self._fits(self.reg.entities[k], gender, want_org)]
        return None if spoke else self.reg.entities[key]

    def _setup_paragraph_subject(self, pos: int, gender: str | None, want_org: bool) -> Entity | None:
        """'Reyes pointed to the raid in May.' then '“…,” he told the panel.': the
        party that opens the paragraph just before, when that paragraph quotes
        no one and the quotation's own paragraph names no one fitting before pos."""
        start = self.doc.line_bounds(pos)[0]
        if any(self._fits(self.reg.entities[m.key], gender, want_org)
               for m in self.reg.mentions_within(start, pos) if not self.in_quote(m.start)):
            return None
        prev_end = self._end_before(start)
        if prev_end == 0:
            return None
        prev_start = self.doc.line_bounds(prev_end - 1)[0]
        if re.search(r"[“”\"]", self.text[prev_start:prev_end]):
            return None
        ms = self.reg.mentions_within(prev_start, prev_end)
        spoke = [self.reg.entities[k] for p, k in self.speech_subjects if prev_start <= p < prev_end
                 and self._fits(self.reg.entities[k], gender, want_org)
                 and (not gender or self.reg.entities[k].gender in (None, gender))]
        other = {"m": "she", "f": "he"}.get(gender or "")
        opens = bool(ms) and re.fullmatch(rf"(?:{CAPWORD}[ \t]+){{0,3}}", self.text[prev_start:ms[0].start])
        if spoke:
            # "Trinh and Soto questioned Assistant Chief Ruiz. Ruiz said …" then "he said": Ruiz,
            # the last reported speaking there; but one the article's pronouns show to be "he",
            # reported speaking there or opening it, before one of no known gender
            cands = list(reversed(spoke)) + ([self.reg.entities[ms[0].key]] if opens else [])
            agreeing = [c for c in cands if gender and c.gender == gender]
            ent = agreeing[0] if agreeing else cands[0]
        elif other and re.match(rf"{other}\b", self.text[prev_start:prev_end], re.I):
            # "He asked the council to wait. Vasquez was not persuaded." then "she said": the one
            # person of the paragraph who is not "he"
            persons = {m.key for m in ms if self._fits(self.reg.entities[m.key], gender, want_org)
                       and self.reg.entities[m.key].gender in (None, gender)}
            return self.reg.entities[persons.pop()] if len(persons) == 1 else None
        elif opens:
            ent = self.reg.entities[ms[0].key]     # the paragraph opens with a name ("Deputy Chief Ana Ruiz …")
        elif gender and re.match(rf"{'he' if gender == 'm' else 'she'}\b", self.text[prev_start:prev_end], re.I):
            # "He wears the monitor under a sock." then "“…,” he said": the story's own "he", the
            # person of that gender the article names most often
            counts: dict[str, int] = {}
            for m in self.reg.mentions_within(0, pos):
                if self.reg.entities[m.key].kind == "person" and self.reg.entities[m.key].gender == gender:
                    counts[m.key] = counts.get(m.key, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            if not ranked or len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                return None
            return self.reg.entities[ranked[0][0]]
        else:
            return None
        if not self._fits(ent, gender, want_org) or (gender and ent.gender not in (None, gender)):
            return None
        if gender and ent.gender is None and any(
                self.reg.entities[m.key].kind == "person" and self.reg.entities[m.key].gender == gender for m in ms[1:]):
            return None     # another person of the paragraph is known to be "he": the opener is no likelier
        return ent

    @staticmethod
    def _fits(ent: Entity, gender: str | None, want_org: bool) -> bool:
        """Can this entity be the referent wanted: an organization, or a person of that gender (if known)?"""
        if want_org:
            return ent.kind == "organization"
        if ent.kind != "person":
            return False
        return gender is None or ent.gender in (None, gender)

    def noun_subject(self, subj: str, pos: int) -> Entity | None:
        """'the group', 'the department', 'the letter', 'the mayor': the party
        meant. A statement noun is the last party reported speaking or sending;
        otherwise the nearest party whose name or role contains the noun, else
        the subject that opens the sentence, else the nearest party of the
        right kind."""
        noun = subj.split()[-1].lower()
        group = self.group(subj, pos, pos + len(subj))
        if group is not None:
            return group
        named = self._entity_in(pos, pos + len(subj))
        if named is not None and named.kind == "organization":
            return named        # "the mayor’s office": the office the phrase itself names
        owner = re.match(r"(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat)[ \t]+([a-z][\w\-]*)(?:’s|'s)[ \t]+", subj) \
            or re.fullmatch(rf"(?:[Tt]he|[Aa]n?)[ \t]+({'|'.join(sorted(PARTY_NOUNS))})[ \t]+"
                            r"(?:spokesperson|spokesman|spokeswoman|representative)", subj)
        if owner and (noun in STATEMENT_NOUNS or noun in SPEAKING_FOR):
            # "the district's statement", "a university spokesperson": the district, the university
            return self.noun_subject(f"the {owner.group(1)}", pos)
        if noun in STATEMENT_NOUNS:
            for p, key in reversed(self.speech_subjects):
                if p < pos:
                    return self.reg.entities[key]
            return None
        want_person = noun in TITLES
        cands = [m for m in self.reg.sorted_mentions() if pos - 3000 <= m.start < pos and not self.in_quote(m.start)
                 and (self.reg.entities[m.key].kind == "person") == want_person]
        if noun in ("group", "organization", "organisation", "coalition", "network", "alliance"):
            # "the group" is never a government or police agency
            cands = [m for m in cands if self.reg.entities[m.key].org_type not in GOVERNMENT_TYPES] or cands
        if not cands:
            return None
        # "the police department": the nearest party named by the whole phrase, then by its last word
        # or a word of its kind ("the union": "… Workers, Local 512")
        phrase = re.sub(r"^(?:the|a|an|this|that|his|her|their|its)[ \t]+", "", subj.strip().lower())
        for pattern in ((rf"\b{re.escape(phrase)}\b",) if " " in phrase else ()) + (self._kin_pattern(noun),):
            for m in reversed(cands):
                if re.search(pattern, self._names_of(self.reg.entities[m.key])):
                    return self.reg.entities[m.key]
        sent = self.doc.sentence_start(pos)
        for m in cands:
            if sent <= m.start <= sent + 40 and not self.text[sent:m.start].strip(" \t\n").lower() not in ("", "the", "a", "an"):
                return self.reg.entities[m.key]
        return self.reg.entities[cands[-1].key]

    def _names_of(self, ent: Entity) -> str:
        """Every name, form and role of an entity, spelled out, in lower case."""
        return spelled_out(" ".join([ent.name] + list(ent.forms) + [r for r, _, _ in ent.roles]
                                    + self.know_roles(ent.key))).lower()

    @staticmethod
    def _kin_pattern(noun: str) -> str:
        """The noun, or a word of its kind ("the union": "… Workers, Local 512"), as a regex."""
        return rf"\b(?:{'|'.join(re.escape(w) for w in (noun,) + NOUN_KIN.get(noun, ()))})\b"

    def group(self, subj: str, start: int, end: int) -> Entity | None:
        """'the officers', 'more than 40 Los Angeles police officers': an unnamed
        group of people, one party per head noun in a document (the officers
        of a later sentence are the officers of an earlier one); None when the
        phrase is no such group or names a party ('the officers of the League')."""
        words = subj.strip().rstrip("’'").split()
        if not words or words[-1].lower().rstrip("’'") not in GROUP_HEADS \
                or not re.fullmatch(_GROUPSUBJ, subj.strip().rstrip("’'")):
            return None
        if self.reg.mentions_within(start, end):
            return None     # "the League's members": a named party is there
        head = words[-1].lower().rstrip("’'")
        ent = self.reg.new("organization", f"the {head}", start, end,
                           "an unnamed group the text reports speaking (no name given)", 0.5)
        ent.unnamed = True
        ent.org_type, ent.jurisdiction = "other", "none"
        self.reg.mention(start, end, ent.key)
        return ent

    def one_person(self, subj: str, start: int, end: int) -> Entity:
        """'a worker who declined to give his name': one person the text reports
        speaking without naming, a person record named as the text names them."""
        head = re.sub(r"^(?:[Aa]n?|[Oo]ne|[Aa]nother)[ \t]+", "", subj.strip())
        name = ("an " if head[:1].lower() in "aeiou" else "a ") + head
        ent = self.reg.new("person", name, start, end, "one person the text reports speaking (no name given)", 0.5)
        ent.unnamed = True
        self.reg.mention(start, end, ent.key)
        return ent

    def know_roles(self, key: str) -> list[str]:
        """The roles and aliases the records give the known person or organization `key`."""
        ke = self.reg.known_by_id.get(key)
        return (ke.roles + [a for a, _ in ke.aliases]) if ke else []

    def last_issuer(self, pos: int, floor: int) -> tuple[Entity | None, str]:
        """The party that, in the text before pos, sent a letter or issued a statement."""
        window = self.text[floor:pos]
        found = None
        for m in ISSUED.finditer(window):
            found = m
        if not found:
            return None, ""
        ss, se = floor + found.start("subj"), floor + found.end("subj")
        ent = self._entity_in(ss, se)
        if ent is None and re.fullmatch(_NOUNSUBJ, found.group("subj")):
            ent = self.noun_subject(found.group("subj"), ss)     # "The department sent us a statement"
        if ent is None:
            ent, _ = self.reg.resolve(found.group("subj"), ss, se)
        return ent, found.group("noun")
