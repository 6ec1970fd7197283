"""Extraction stage: propose records for a new document, by rules.

Given a document's text and what the records already know (people,
organizations and their aliases, quotations and their copies, the other
sources' texts), `extract()` proposes:

- quotations: every span between quotation marks (found by quotespans), the
  pieces of one quotation split by its attribution joined into one appearance,
  each with a speaker, a kind (spoken / written / statement), the verbatim
  attribution, a confidence and the cue that decided it;
- non-quotations: scare quotes, terms and titles, with their kind;
- names: people and organizations the records do not know, with their role as
  stated, and every mention of a known one;
- copies: how much of the text the document shares with each held source, a
  `derived_from` when it is a copy, and known quotations that it prints again
  (verbatim, reworded or garbled).

Everything here is plain functions over plain data, and deterministic: the same
text and knowledge give the same proposals in the same order. The rules know
the conventions of news text (`"…," X said, "…"`, `said X, a professor at Y`,
a quotation that runs over paragraphs, a quotation that continues after its
attribution, pronouns resolved to the last person reported speaking) and no
particular document. Cost is linear in the text: the scans are regular
expressions over the whole text and every window looked at is bounded.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field

from .citations import QUOTE_FOLD, fold
from .mentions import Matcher, Name
from .quotespans import find_spans

# --- character classes and word lists ----------------------------------------

_UPPER = "".join(sorted({c for c in map(chr, range(0x250)) if c.isupper() and c.isalpha()}))
UP = f"[{_UPPER}]"
# A capitalised word: Soto-Martinez, McDonnell, O’Brien, L.A., U.S., T., AAAJ-LA, USSANews.com
CAPWORD = rf"{UP}(?:[\w’'&\-]|\.(?=\w))*\.?"
CONNECTORS = ("of", "for", "and", "&", "de", "del", "la", "las", "los", "y", "da", "van", "von", "der", "du",
              "the", "to", "a")
PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "van", "von", "der", "du"}
PHRASE = re.compile(rf"(?<![\w’'])(?:{CAPWORD})(?:[ \t]+(?:(?:{'|'.join(re.escape(c) for c in CONNECTORS)})[ \t]+)*(?:{CAPWORD}))*")

SPEECH_VERBS = (
    "said", "says", "say", "told", "tells", "asked", "asks", "added", "adds", "wrote", "writes", "explained",
    "explains", "stated", "states", "noted", "notes", "argued", "argues", "insisted", "insists", "warned", "warns",
    "recalled", "recalls", "continued", "continues", "replied", "replies", "responded", "responds", "declared",
    "declares", "acknowledged", "acknowledges", "admitted", "admits", "claimed", "claims", "contended", "countered",
    "emphasized", "emphasised", "stressed", "suggested", "testified", "tweeted", "posted", "remarked", "observed",
    "concluded", "urged", "urges", "cautioned", "complained", "conceded", "maintained", "predicted", "read", "reads",
    "announced", "announces", "shouted", "yelled", "whispered", "texted", "emailed", "wondered", "agreed",
    "disagreed", "objected", "described", "describes", "clarified", "elaborated", "answered", "recounted",
    "pledged", "promised", "vowed", "lamented", "alleged", "charged", "assured", "reiterated", "summarized",
    "acknowledges", "asserted", "asserts", "contends", "explains", "found", "finds", "concludes", "ruled",
    "pleaded", "begged", "demanded", "demands", "quipped", "joked", "sighed", "recalled",
)
WRITTEN_VERBS = {"wrote", "writes", "tweeted", "posted", "texted", "emailed"}
STATEMENT_NOUNS = ("statement", "letter", "release", "press release", "report", "memo", "email", "e-mail", "post",
                   "study", "survey", "analysis", "audit",
                   "tweet", "message", "note", "complaint", "lawsuit", "filing", "petition", "resolution", "notice",
                   "order", "directive", "policy", "law", "ordinance", "bill")
WRITTEN_NOUNS = {"letter", "memo", "email", "e-mail", "post", "tweet", "message", "note", "complaint", "lawsuit",
                 "filing", "petition", "report"}
VERB = r"(?:" + "|".join(SPEECH_VERBS) + r")"
ADVERBS = r"(?:also|later|then|previously|once|often|repeatedly|recently|again|simply|flatly|quietly|bluntly|only)"

PRONOUNS = {"he": "m", "she": "f", "they": None, "it": None, "we": None, "i": None}
MALE = {"he", "him", "his", "himself"}
FEMALE = {"she", "her", "hers", "herself"}

# Words that stand before a name and state a title or role ("Councilmember Hugo
# Soto-Martinez", "organizer Hamid Khan", "law professor Christy Lopez").
TITLES = {
    "mayor", "councilmember", "councilwoman", "councilman", "council member", "chief", "sheriff", "professor",
    "prof.", "rev.", "reverend", "dr.", "mr.", "ms.", "mrs.", "sen.", "senator", "rep.", "representative", "gov.",
    "governor", "president", "judge", "justice", "officer", "detective", "sgt.", "sergeant", "capt.", "captain",
    "lt.", "lieutenant", "commissioner", "director", "secretary", "supervisor", "pastor", "father", "sister",
    "rabbi", "imam", "deputy", "organizer", "attorney", "lawyer", "activist", "advocate", "spokesperson",
    "spokesman", "spokeswoman", "resident", "student", "researcher", "economist", "historian", "author",
    "reporter", "journalist", "chair", "chairman", "chairwoman", "chairperson", "commander", "agent", "trustee",
    "treasurer", "controller", "assemblymember", "assemblyman", "assemblywoman", "congressman", "congresswoman",
    "superintendent", "principal", "founder", "cofounder", "co-founder", "ceo", "coordinator",
    "manager", "dean", "pope", "bishop", "cardinal", "minister", "ambassador", "official", "nurse", "doctor",
    "teacher", "worker", "vendor", "owner", "leader", "member", "candidate", "analyst", "consultant",
}
ABBREV_TITLES = {"rev", "dr", "mr", "ms", "mrs", "prof", "sen", "rep", "gov", "sgt", "capt", "lt", "gen", "col",
                 "det", "st", "jr", "sr", "no", "mt", "ft", "hon", "atty", "supt"}
ROLE_WORDS = TITLES | {"executive", "staff", "senior", "assistant", "associate", "managing", "general", "founding",
                       "vice", "co", "interim", "acting", "former", "legal", "policy", "program", "organizing",
                       "communications", "campaign", "research", "regional", "national", "state", "county", "city"}
# Nouns that, in an apposition after a name, say the name is a person.
PERSON_NOUNS = TITLES | {"counsel",
    "man", "woman", "boy", "girl", "mother", "father", "son", "daughter", "wife", "husband", "resident",
    "immigrant", "citizen", "veteran", "volunteer", "neighbor", "neighbour", "friend", "partner", "victim",
    "witness", "survivor", "parent", "grandmother", "grandfather", "aunt", "uncle", "cousin", "brother", "sister",
    "who", "whose", "professor", "organizer", "attorney", "officer", "commissioner", "pastor", "director",
}
ORG_HEADS = {
    "department", "dept.", "office", "commission", "council", "committee", "center", "centre", "coalition",
    "alliance", "union", "institute", "network", "association", "clinic", "project", "church", "university",
    "college", "school", "academy", "agency", "bureau", "administration", "board", "foundation", "federation",
    "guild", "movement", "corporation", "company", "inc.", "llc", "services", "society", "party", "fund", "trust",
    "times", "post", "news", "press", "journal", "tribune", "herald", "magazine", "radio", "police", "patrol",
    "court", "division", "caucus", "campaign", "initiative", "group", "workers", "counsel", "partners", "hospital",
    "library", "museum", "ministry", "authority", "assembly", "senate", "congress", "legislature", "chamber",
    "club", "laboratory", "lab", "team", "collective", "cooperative", "conference", "league", "forum", "watch",
    "investigations", "service", "force", "sheriff's", "sheriff’s", "government", "district", "army", "navy", "guard", "corps", "house", "reserve", "bank", "industries", "media", "studios",
    "democrats", "republicans",      # "Westside Young Democrats"; alone they are a group (see GROUP_WORDS)
}
# Organization words of Spanish names, with the English noun an article uses
# for them afterwards ("Clinica Esperanza" ... "the clinic said").
ORG_GLOSS = {"clinica": "clinic", "centro": "center", "comite": "committee", "coalicion": "coalition",
             "asociacion": "association", "instituto": "institute", "fundacion": "foundation", "iglesia": "church",
             "sindicato": "union", "alianza": "alliance", "red": "network", "hermandad": "brotherhood",
             "union": "union", "federacion": "federation", "colectivo": "collective", "casa": "house"}
ORG_LEADS = {"coalition", "center", "centre", "council", "committee", "association", "alliance", "union",
             "federation", "institute", "network", "department", "office", "league", "society", "university",
             "school", "college", "bureau", "friends", "citizens", "people", "campaign", "fund", "movement",
             "clinica", "centro", "comite", "coalicion", "asociacion", "instituto", "fundacion", "sindicato",
             "alianza", "hermandad", "federacion", "colectivo"}
# Capitalised words that start sentences or label things, never names on their own.
STOP_CAPS = {
    "the", "a", "an", "but", "and", "or", "so", "yet", "when", "while", "where", "what", "who", "why", "how", "if",
    "in", "on", "at", "for", "from", "to", "of", "by", "with", "as", "after", "before", "since", "during", "though",
    "although", "because", "even", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my",
    "your", "he", "she", "they", "it", "we", "i", "you", "earlier", "later", "among", "following", "however",
    "according", "some", "many", "most", "all", "both", "each", "every", "one", "two", "three", "four", "five",
    "several", "dozens", "hundreds", "thousands", "then", "there", "here", "now", "still", "also", "last", "next",
    "about", "under", "over", "into", "through", "despite", "instead", "meanwhile", "mostly", "only", "just",
    "asked", "said", "says", "records", "court", "police", "officials", "critics", "activists", "immigrants",
    "do", "does", "did", "don’t", "don't", "not", "no", "yes", "is", "are", "was", "were", "will", "would", "can",
    "could", "should", "must", "may", "might", "let", "please", "click", "share", "sign", "more", "read", "get",
    "be", "have", "has", "had", "like", "than", "until", "unless", "whether", "photo", "image", "video", "updated",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "today", "yesterday",
    "tomorrow", "author", "by", "via", "both", "either", "neither", "because", "federal", "state",
    "local", "new", "former", "current", "recent", "other", "another", "such", "same", "again",
}
# Function words that start sentences; never the first word of a name.
FUNCTION_CAPS = {
    "the", "a", "an", "but", "and", "or", "so", "yet", "when", "while", "where", "what", "who", "why", "how", "if",
    "in", "on", "at", "for", "from", "to", "of", "by", "with", "as", "after", "before", "since", "during", "though",
    "although", "because", "even", "this", "that", "these", "those", "his", "her", "their", "its", "our", "my",
    "your", "he", "she", "they", "it", "we", "i", "you", "then", "there", "here", "now", "still", "also",
    "according", "however", "meanwhile", "among", "following", "earlier", "later", "both", "each", "every", "some",
    "many", "most", "all", "several", "about", "under", "over", "into", "through", "despite", "instead", "until",
    "unless", "whether", "than", "like", "not", "no", "yes", "asked", "said", "says",
}
# Words that are never part of a person's name.
NOT_NAME = {"directive", "order", "policy", "act", "law", "bill", "no.", "amendment", "street", "avenue", "boulevard",
            "counsel", "general", "attorney", "district",
            "road", "county", "city", "state", "center", "jail", "court", "program", "plan", "report", "fund",
            "olympics", "day", "week", "month", "year", "special", "executive", "federal", "national"}
STOPWORDS = {
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "we", "i", "you",
    "he", "she", "they", "them", "our", "your", "their", "his", "her", "not", "no", "do", "does", "did", "have",
    "has", "had", "will", "would", "can", "could", "should", "must", "if", "so", "than", "then", "there", "here",
    "what", "which", "who", "whom", "any", "all", "some", "more", "most", "very", "just", "also", "into", "about",
    "up", "out", "now", "at", "me", "my", "us", "let", "may", "might", "shall", "because", "when", "where", "how",
}
ABBREVIATIONS = ABBREV_TITLES | {"inc", "co", "corp", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
                                 "sep", "sept", "oct", "nov", "dec", "a.m", "p.m", "u.s", "l.a", "d.c", "u.k"}
SENTENCE_END = re.compile(r"[.!?]+[”\"’'\)\]]*(?=\s|$)|\n")
WORD = re.compile(r"[\w’'\-]+")
OPEN_MARKS = "“\"‘'"


# --- knowledge ----------------------------------------------------------------

@dataclass
class KnownEntity:
    id: str
    kind: str                                  # person | organization
    name: str
    aliases: list[tuple[str, str]] = field(default_factory=list)   # (name, alias kind)
    roles: list[str] = field(default_factory=list)


@dataclass
class KnownQuote:
    id: str
    speaker: str
    kind: str
    appearances: list[tuple[str, str, str]]     # (source id, text with pieces joined by a space, fidelity)
    pieces: list[str] = field(default_factory=list)   # every piece of every appearance


@dataclass
class KnownSource:
    id: str
    text: str | None
    derived_from: str | None = None
    kind: str | None = None


@dataclass
class Knowledge:
    entities: list[KnownEntity] = field(default_factory=list)
    quotes: list[KnownQuote] = field(default_factory=list)
    sources: list[KnownSource] = field(default_factory=list)
    taken_ids: set[str] = field(default_factory=set)   # ids already used by any record kind
    # Prepared on first use and kept for every later document (evaluate extracts many
    # with one Knowledge): knowledge is not changed once from_records has made it.
    _prepared: dict = field(default_factory=dict, repr=False, compare=False)

    def prepared(self, what: str, make):
        if what not in self._prepared:
            self._prepared[what] = make(self)
        return self._prepared[what]

    @classmethod
    def from_records(cls, records: dict[str, list[dict]], texts: dict[str, str],
                     hide_source: str | None = None) -> "Knowledge":
        """Knowledge from validated records. With hide_source, everything known
        only from that source is left out (its text, the aliases cited only
        there, the quote appearances there, people and organizations cited only
        there): what the records would know had that source never been read."""
        def cited_elsewhere(rec: dict) -> bool:
            cites = [c for key in ("cite", "rights_cite") for c in rec.get(key) or []]
            for key in ("aliases", "affiliations", "members"):
                for child in rec.get(key) or []:
                    cites += child.get("cite") or []
            return any(c.get("source") != hide_source for c in cites) if cites else True

        know = cls()
        other_texts = {sid: t for sid, t in texts.items() if sid != hide_source}
        for kind, ekind in (("people", "person"), ("organizations", "organization")):
            for rec in records.get(kind, []):
                if not rec.get("id") or not rec.get("name"):
                    continue
                if hide_source and not cited_elsewhere(rec) and not _named_in(rec, other_texts):
                    continue
                aliases = []
                for a in rec.get("aliases") or []:
                    if not a.get("name"):
                        continue
                    if hide_source and a.get("cite") and all(c.get("source") == hide_source for c in a["cite"]):
                        continue
                    aliases.append((a["name"], a.get("kind") or "variant"))
                roles = [af["role"] for af in rec.get("affiliations") or [] if af.get("role")
                         and not (hide_source and af.get("cite") and all(c.get("source") == hide_source for c in af["cite"]))]
                know.entities.append(KnownEntity(rec["id"], ekind, rec["name"], aliases, roles))
        for rec in records.get("quotes", []):
            apps = [(a["source"], " ".join(a["text"] if isinstance(a["text"], list) else [a["text"]]),
                     a.get("fidelity") or "verbatim")
                    for a in rec.get("appearances") or [] if a.get("source") != hide_source and a.get("text")]
            pieces = [p for a in rec.get("appearances") or [] if a.get("source") != hide_source and a.get("text")
                      for p in (a["text"] if isinstance(a["text"], list) else [a["text"]])]
            if rec.get("id") and rec.get("speaker") and apps:
                know.quotes.append(KnownQuote(rec["id"], rec["speaker"], rec.get("kind") or "spoken", apps, pieces))
        for rec in records.get("sources", []):
            if rec.get("id") and rec["id"] != hide_source:
                know.sources.append(KnownSource(rec["id"], other_texts.get(rec["id"]), rec.get("derived_from"),
                                                rec.get("kind")))
        for kind, recs in records.items():
            for rec in recs:
                if rec.get("id") and not (hide_source and kind == "sources" and rec["id"] == hide_source):
                    know.taken_ids.add(rec["id"])
        if hide_source:
            # ids of records known only from the hidden source are free again
            known_ids = {e.id for e in know.entities} | {q.id for q in know.quotes} | {s.id for s in know.sources}
            hidden = {r["id"] for k in ("people", "organizations", "quotes") for r in records.get(k, [])
                      if r.get("id") and r["id"] not in known_ids}
            know.taken_ids -= hidden
        return know


def _named_in(rec: dict, texts: dict[str, str]) -> bool:
    names = [rec["name"]] + [a["name"] for a in rec.get("aliases") or [] if a.get("name")]
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", t) for n in names for t in texts.values() if t)


# --- proposals ------------------------------------------------------------------

@dataclass
class Entity:
    key: str                 # a known id, or the proposed id of a new record
    kind: str                # person | organization
    name: str
    known: bool
    cue: str = ""
    confidence: float = 0.0
    forms: dict[str, tuple[int, int]] = field(default_factory=dict)   # surface form -> first (start, end)
    roles: list[tuple[str, int, int]] = field(default_factory=list)  # role as stated, passage (start, end)
    orgs: list[tuple[str, str, int, int]] = field(default_factory=list)  # (org key, role, passage start, end)
    first: tuple[int, int] = (0, 0)
    male: int = 0
    female: int = 0
    org_type: str = "other"
    jurisdiction: str = "none"
    category: str = "private_individual"

    @property
    def gender(self) -> str | None:
        if self.male > self.female:
            return "m"
        if self.female > self.male:
            return "f"
        return None


@dataclass
class Mention:
    start: int
    end: int
    key: str


@dataclass
class Quotation:
    pieces: list[tuple[int, int]]              # offsets of each piece (inside the marks)
    speaker: str | None = None                 # entity key
    confidence: float = 0.0
    cue: str = ""
    kind: str = "spoken"
    attribution: tuple[int, int] | None = None
    unbalanced: bool = False
    known_quote: str | None = None             # id of the known quotation it prints again
    fidelity: str = "verbatim"
    similarity: float = 0.0


@dataclass
class NonQuotation:
    start: int
    end: int
    kind: str
    cue: str
    confidence: float


@dataclass
class Copy:
    source_id: str
    share: float                               # fraction of this text's word 5-grams found in the source
    passages: list[tuple[int, int]]            # shared passages (offsets in this text), longest first
    quotes: list[str]                          # known quotations printed in both


@dataclass
class Proposals:
    source_id: str
    text: str
    quotations: list[Quotation] = field(default_factory=list)
    non_quotations: list[NonQuotation] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    copies: list[Copy] = field(default_factory=list)
    derived_from: str | None = None
    relation: str | None = None
    notes: list[str] = field(default_factory=list)

    def new_entities(self) -> list[Entity]:
        return [e for e in self.entities.values() if not e.known]

    def mentioned_keys(self) -> list[str]:
        seen: dict[str, None] = {}
        for m in self.mentions:
            seen.setdefault(m.key, None)
        return list(seen)


# --- the document ---------------------------------------------------------------

class Doc:
    """The text with its lines and sentences, for bounded windows around a position."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        ends = []
        for m in SENTENCE_END.finditer(text):
            if m.group(0) != "\n" and self._abbreviation_before(m.start()):
                continue
            ends.append(m.end())
        self.sentence_ends = ends

    def _abbreviation_before(self, dot: int) -> bool:
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
        return bisect.bisect_right(self.line_starts, pos) - 1

    def line_bounds(self, pos: int) -> tuple[int, int]:
        i = self.line_of(pos)
        start = self.line_starts[i]
        end = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def sentence_start(self, pos: int) -> int:
        i = bisect.bisect_right(self.sentence_ends, pos) - 1
        return self.sentence_ends[i] if i >= 0 else 0

    def sentence_end(self, pos: int) -> int:
        """End of the sentence that contains pos (the first boundary at or after it)."""
        i = bisect.bisect_right(self.sentence_ends, pos)
        return self.sentence_ends[i] if i < len(self.sentence_ends) else len(self.text)


# --- entities: known names, new names ---------------------------------------------

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


class Registry:
    """Every person and organization of the article, known or new, with mentions."""

    def __init__(self, doc: Doc, knowledge: Knowledge, source_id: str):
        self.doc = doc
        self.know = knowledge
        self.source_id = source_id
        self.entities: dict[str, Entity] = {}
        self.mentions: list[Mention] = []
        self.known_by_id, self.matcher = knowledge.prepared("known names", _known_names)
        self.taken = set(knowledge.taken_ids)
        self.by_name: dict[str, str] = {}       # folded name -> key (new entities)

    # registry ------------------------------------------------------------------
    def known(self, ident: str, start: int, end: int) -> Entity:
        ent = self.entities.get(ident)
        if ent is None:
            ke = self.known_by_id[ident]
            ent = Entity(ident, ke.kind, ke.name, True, "known name", 1.0, first=(start, end))
            self.entities[ident] = ent
        ent.forms.setdefault(self.doc.text[start:end], (start, end))
        return ent

    def new(self, kind: str, name: str, start: int, end: int, cue: str, confidence: float) -> Entity:
        folded = _name_key(name)
        if folded in self.by_name:
            ent = self.entities[self.by_name[folded]]
            ent.confidence = max(ent.confidence, confidence)
            return ent
        key = _free_id(_slug(name), self.taken)
        self.taken.add(key)
        ent = Entity(key, kind, name, False, cue, confidence, first=(start, end))
        if kind == "organization":
            ent.org_type, ent.jurisdiction = _org_type(name), _jurisdiction(name)
        self.entities[key] = ent
        self.by_name[folded] = key
        return ent

    def mention(self, start: int, end: int, key: str) -> None:
        self.mentions.append(Mention(start, end, key))

    # scans ---------------------------------------------------------------------
    def scan(self) -> None:
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
        for m in PHRASE.finditer(text):
            self._phrase(m.start(), m.end(), covered)
        self._relatives(covered)
        self._relatives_by_given_name(covered)
        self._bare_surnames(covered)
        self._coordinated_acronyms(covered)
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
        patterns = (
            (rf"(?:Photo|Photograph|Image|Video|Illustration)s?[ \t]+(?:by|courtesy of|:)[ \t]+(?P<p>{name})[ \t]*/[ \t]*(?P<o>{org})(?:[ \t]+via[ \t]+(?P<o2>{org}))?", "photo credit"),
            (rf"\((?P<p>{name})[ \t]*/[ \t]*(?P<o>{org})\)", "photo credit"),
            (rf"(?m)^[ \t]*(?:By|Author:|Written by|Reporting by)[ \t]+(?P<p>{name})[ \t]*$", "byline"),
            (rf"\b(?:told|reported by|according to|in an interview with)[ \t]+(?P<o>The[ \t]+{org})", "news outlet after 'told'"),
            (rf"appeared first on[ \t]+(?P<o>{org})", "syndication line"),
            (rf"(?:©|\([cC]\)|Copyright)[ \t]*(?:\d{{4}}[ \t]+)?(?P<o>{org})", "copyright line"),
        )
        found = [(m, cue) for pattern, cue in patterns for m in re.finditer(pattern, text)]
        for m, cue in sorted(found, key=lambda x: x[0].start()):
            for g in ("p", "o", "o2"):
                if g not in m.groupdict() or not m.group(g):
                    continue
                gs, ge = m.start(g), m.start(g) + len(_clean_tail(m.group(g)))
                if _overlaps(covered, gs, ge):
                    continue
                surface = text[gs:ge]
                if g == "p":
                    display = " ".join(w if not w.isupper() or len(w) <= 2 else w.capitalize() for w in surface.split())
                    ent = self.new("person", display, gs, ge, cue, 0.8)
                    ent.category = "public_figure"
                    ent.roles.append(("photographer" if "photo" in cue else "author", gs, ge))
                else:
                    known = self._fuzzy_org(surface)
                    ent = known if known is not None else self.new("organization", surface, gs, ge, cue, 0.7)
                    if not ent.known:
                        ent.org_type = "media"
                self._link(ent, gs, ge, covered)
        for m in re.finditer(r"(?<![\w.])[A-Z][\w\-]*\.(?:com|org|net|news)\b", text):
            if not _overlaps(covered, m.start(), m.end()):
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
            if _is_name_line(line):
                lead = len(text[s:e]) - len(text[s:e].lstrip())
                run.append((s + lead, s + lead + len(line)))
            else:
                flush()
        flush()

    def _list_item(self, s: int, e: int, covered) -> None:
        text = self.doc.text
        item = text[s:e]
        if _within(covered, s, e):
            return
        parts = [p.strip() for p in item.split(",")]
        acro = re.search(r"\s*\(([^()]{2,15})\)\s*$", item)
        name_end = s + (acro.start() if acro else len(item))
        if len(parts) >= 2 and _looks_like_person(parts[0]):
            pname = _strip_titles(parts[0])[0]
            ps = s + item.index(parts[0]) + parts[0].index(pname)
            if _overlaps(covered, ps, ps + len(pname)):
                return
            ent = self.new("person", pname, ps, ps + len(pname), "member list: 'Name, role, organization'", 0.7)
            self.mention(ps, ps + len(pname), ent.key)
            role = ", ".join(parts[1:])
            ent.roles.append((role, s, e))
            title_form = parts[0]
            if title_form != pname:
                ent.forms.setdefault(title_form, (s, s + len(title_form)))
            org_name = parts[-1]
            if len(parts) >= 3 and _org_like(org_name):
                os_ = s + item.rindex(org_name)
                org = self._org_at(os_, os_ + len(org_name), covered, "member list entry", 0.6)
                if org:
                    ent.orgs.append((org.key, ", ".join(parts[1:-1]), s, e))
            ent.category = _category(role)
            bisect.insort(covered, (s, e))
            return
        name = text[s:name_end].strip()
        if not name or _overlaps(covered, s, s + len(name)):
            return
        ent = self.new("organization", name, s, s + len(name), "member list line", 0.75)
        self.mention(s, s + len(name), ent.key)
        bisect.insort(covered, (s, e))
        if acro:
            a = acro.group(1)
            a_start = s + acro.start(1)
            ent.forms.setdefault(a, (a_start, a_start + len(a)))

    def _org_at(self, s: int, e: int, covered, cue: str, conf: float) -> Entity | None:
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
        text = self.doc.text
        first = text[s:e].split()[0].lower() if text[s:e].split() else ""
        if first in ("our", "my", "your") and _org_head(text[s:e]) and len(text[s:e].split()) >= 3:
            self._run([(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])], covered, keep_first=True)
            return
        poss = re.search(r"(?:’s|'s)(?=[ \t])", text[s:e])
        if poss and text[s + poss.end():e].split()[:1] and text[s + poss.end():e].split()[0].lower() in ORG_LEADS:
            poss = None     # "Mayor's Office of Immigrant Affairs": one name
        if poss:
            # "Sheriff Department's Biscailuz Training Center": two names
            self._phrase(s, s + poss.start(), covered)
            self._phrase(s + poss.end(), e, covered)
            return
        tokens = [(m.start() + s, m.end() + s) for m in re.finditer(r"\S+", text[s:e])]
        for i, t in enumerate(tokens[:-1]):
            if _ends_sentence(_tok(text, t)):
                # "Lincoln High School. Minutes later": two phrases
                self._phrase(s, t[1], covered)
                self._phrase(tokens[i + 1][0], e, covered)
                return
        ftoks = list(tokens)
        while ftoks and (_tok(text, ftoks[0]).lower() in FUNCTION_CAPS or not _tok(text, ftoks[0])[:1].isupper()):
            ftoks = ftoks[1:]
        if len(ftoks) >= 2 and _tok(text, ftoks[0]).lower() in STOP_CAPS \
                and not any(_tok(text, t).lower() in CONNECTORS for t in ftoks) \
                and _clean_tail(_tok(text, ftoks[-1])).lower() in ORG_HEADS and not _overlaps(covered, ftoks[0][0], ftoks[-1][1]):
            # "the Police Commission": an organization whose name starts with a common word
            self._run(ftoks, covered, keep_first=True)
            return
        tokens = _trim_caps(text, tokens)
        if not tokens:
            return
        s2, e2 = _span_of(text, tokens)
        if _within(covered, s2, e2):
            return
        if _overlaps(covered, s2, e2) and _org_like(text[s2:e2]):
            # "LAPD Spy Alliance": a name around a known one, ending in an organization word
            org = self._fuzzy_org(text[s2:e2])
            if org is not None:
                self._link(org, s2, e2, covered)
                return
        # split the phrase around known mentions; keep the uncovered runs
        runs, cur = [], []
        for a, b in tokens:
            if _overlaps(covered, a, b):
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
        if not ent.known and ent.key not in self.entities:
            self.entities[ent.key] = ent
        self.mention(s, e, ent.key)
        ent.forms.setdefault(self.doc.text[s:e], (s, e))
        bisect.insort(covered, (s, e))

    def _run(self, run: list[tuple[int, int]], covered, keep_first: bool = False) -> None:
        text = self.doc.text
        run = _trim_caps(text, run, keep_first)
        if not run:
            return
        s, e = _span_of(text, run)
        if e <= s:
            return
        phrase = text[s:e]
        words = phrase.split()
        lower = [_plain(w.lower().strip(",")) for w in words]
        # "Priya Raman of the National Immigration Law Center": a person, then an organization
        for i in range(2, min(len(words) - 1, 5)):
            if lower[i] in ("of", "with", "at", "from"):
                rest = [w for w in words[i + 1:]]
                while rest and rest[0].lower() in ("the", "a", "an"):
                    rest = rest[1:]
                if _looks_like_person(" ".join(words[:i])) and rest and _org_like(" ".join(rest)):
                    head_end = s + len(" ".join(words[:i]))
                    self._run([t for t in run if t[1] <= head_end], covered)
                    tail_start = s + phrase.rindex(" ".join(rest))
                    self._run([t for t in run if t[0] >= tail_start], covered, keep_first=True)
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
        head_of = government or any(lower[i] in ORG_HEADS and lower[i + 1] in ("of", "for") for i in range(len(words) - 2))
        if "-" in lower[-1] and lower[-1].rsplit("-", 1)[1] in ORG_HEADS:
            lower[-1] = lower[-1].rsplit("-", 1)[1]
        if len(words) >= 2 and not _looks_titled_person(words) and not _all_caps_shout(words) \
                and (lower[-1] in ORG_HEADS or lower[0] in ORG_LEADS or head_of) and lower[0] not in TITLES:
            self._new_org(s, e, "organization word in the name", 0.6, covered)
            return
        # an acronym defined in parentheses right after: "Name (ABC)"
        acro = re.match(r"\s*\(([A-Z][A-Za-z&\-]{1,12})\)", text[e:e + 20])
        if acro and len(words) >= 2 and not _looks_titled_person(words) and not _looks_like_person(phrase):
            ent = self._new_org(s, e, "name followed by its acronym in parentheses", 0.65, covered)
            a_s = e + acro.start(1)
            ent.forms.setdefault(acro.group(1), (a_s, a_s + len(acro.group(1))))
            return
        # people: split at connectors that are not name particles ("Chief Beck and Mayor Garcetti")
        sub: list[tuple[int, int]] = []
        for t in run:
            w = _tok(text, t)
            if w.lower() in CONNECTORS and w.lower() not in PARTICLES:
                if sub:
                    self._person_candidate(sub[0][0], sub[0][0] + len(_clean_tail(text[sub[0][0]:sub[-1][1]])), covered)
                sub = []
            else:
                sub.append(t)
        if sub:
            self._person_candidate(sub[0][0], sub[0][0] + len(_clean_tail(text[sub[0][0]:sub[-1][1]])), covered)

    def _new_org(self, s: int, e: int, cue: str, conf: float, covered=None) -> Entity:
        name = self.doc.text[s:e]
        known = self._fuzzy_org(name)
        if known is not None:
            self._link(known, s, e, covered if covered is not None else [])
            return known
        ent = self.new("organization", name, s, e, cue, conf)
        self.mention(s, e, ent.key)
        return ent

    def _person_candidate(self, s: int, e: int, covered) -> None:
        text = self.doc.text
        phrase = text[s:e]
        name, title = _strip_titles(phrase)
        if not name:
            return
        ns = s + phrase.rindex(name)
        ne = ns + len(name)
        tokens = name.split()
        if len(tokens) > 4 or any(t.lower() in STOP_CAPS or t.lower() in NOT_NAME or t.lower() in ORG_HEADS
                                  for t in tokens) or _all_caps_shout(tokens):
            return
        before = text[max(0, s - 60):s]
        lead = re.search(r"(?:^|[\s(])((?:[a-z][\w\-]*[ \t]+){0,2}(?:" + "|".join(sorted((re.escape(t) for t in TITLES), key=len, reverse=True)) + r"))[ \t]+$", before)
        role, cue, conf = None, "", 0.0
        if title:
            role, cue, conf = title, f"title '{title}' before the name", 0.8
        elif lead:
            role = lead.group(1)
            # "Stop LAPD Spying organizer Hamid Khan": include a known name just before the role
            cue, conf = f"role '{lead.group(1).split()[-1]}' before the name", 0.75
        appos = _apposition(text, ne)
        rb = re.search(r"((?:[\w’'\-]+[ \t]+){0,3}(?:" + "|".join(sorted(PERSON_NOUNS - {"who", "whose"})) + r")),[ \t]*$", before)
        if not cue and rb and len(tokens) >= 2:
            role, cue, conf = rb.group(1), "role or relation stated before the name", 0.7
        if not cue and len(tokens) >= 2 and re.match(r"[ \t]+(?:is|was|has been|had been)[ \t]+(?:a|an|the)[ \t]+(?:[\w\-]+[ \t]+){0,3}?(?:"
                                                   + "|".join(sorted(PERSON_NOUNS - {"who", "whose"})) + r")\b", text[ne:ne + 80]):
            cue, conf = "'is a <role>' after the name", 0.65
        shared = PLURAL_TITLE_BEFORE.search(before)
        if not cue and shared and len(tokens) >= 2:
            # "Councilmembers Owen Pak and Graciela Munoz": the title covers both names
            role, cue, conf = shared.group("title")[:-1], f"title '{shared.group('title')}' before two names", 0.75
        if not cue and re.search(r"\baccording[ \t]+to[ \t]+$", before, re.I) and len(tokens) >= 2:
            cue, conf = "'according to' before the name", 0.6
        if not cue and len(tokens) >= 2 and self._person_by_surname(tokens[-1]) is not None \
                and _name_key(self._person_by_surname(tokens[-1]).name) != _name_key(name):
            cue, conf = "shares a surname with a person of the article", 0.6
        if appos and not cue:
            role, cue, conf = appos[0], "apposition after the name", 0.7
        elif appos and role is not None and appos[0]:
            pass
        described = appos is not None and appos[0].split()[0].lower() not in ("who", "whose")
        if not title and not lead and _place_or_group(tokens, before, text[ne:ne + 80], described):
            return
        speech = _speech_adjacent(text, s, e)
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
        ent.category = _category(" ".join(r for r, _, _ in ent.roles))

    def _add_title_form(self, ent: Entity, s: int, e: int, phrase: str) -> None:
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
        folded = _name_key(surname)
        found = None
        for ent in self.entities.values():
            if ent.kind != "person":
                continue
            names = [ent.name] + list(ent.forms)
            if ent.known:
                names += [a for a, _ in self.known_by_id[ent.key].aliases]
            if any(n.split() and _name_key(n.split()[-1]) == folded and len(n.split()) > 1 for n in names) \
                    or _name_key(ent.name) == folded:
                found = ent
                break
        if found:
            return found
        # a known person of the records, not yet seen in this article
        cands = [e for e in self.know.entities if e.kind == "person" and e.name.split()
                 and _name_key(e.name.split()[-1]) == folded]
        if len(cands) == 1:
            ke = cands[0]
            return self.entities.get(ke.id) or self._known_unplaced(ke)
        return None

    def _person_by_given_name(self, given: str) -> Entity | None:
        """'President Barnaby' after 'President Barnaby Quill': the one person of
        the article whose name starts with this given name (never a new person
        cut from a whole name)."""
        folded = _name_key(given)
        found = [ent for ent in self.entities.values() if ent.kind == "person" and len(ent.name.split()) > 1
                 and _name_key(ent.name.split()[0]) == folded]
        return found[0] if len(found) == 1 else None

    def _known_unplaced(self, ke: KnownEntity) -> Entity:
        ent = Entity(ke.id, ke.kind, ke.name, True, "known name", 1.0, first=(0, 0))
        self.entities[ke.id] = ent
        return ent

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
            if _name_key(et[0]) != _name_key(toks[0]):
                continue
            r = difflib.SequenceMatcher(None, _name_key(et[-1]), _name_key(toks[-1])).ratio()
            if r > best_r:
                best, best_r = ent, r
        return best if best_r >= 0.8 else None

    def _bare_surnames(self, covered) -> None:
        """Single capitalised words that are the surname of a person of the article."""
        text = self.doc.text
        surnames: dict[str, str] = {}
        for ent in self.entities.values():
            if ent.kind == "person" and len(ent.name.split()) > 1:
                surnames.setdefault(_name_key(ent.name.split()[-1]), ent.key)
        if not surnames:
            return
        have = {(m.start, m.end) for m in self.mentions}
        spans = sorted(have)
        for m in re.finditer(rf"(?<![\w’']){CAPWORD}", text):
            word = _clean_tail(m.group(0))
            key = surnames.get(_name_key(word))
            if not key:
                continue
            s, e = m.start(), m.start() + len(word)
            i = bisect.bisect_right(spans, (s, 10 ** 12)) - 1
            if i >= 0 and spans[i][0] <= s < spans[i][1]:
                continue
            if (s, e) in have or _overlaps(covered, s, e) or self._inside_mention(s, e):
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
        surnames = {_name_key(e.name.split()[-1]) for e in self.entities.values()
                    if e.kind == "person" and len(e.name.split()) > 1}
        if not surnames:
            return
        for m in re.finditer(rf"(?<![\w’']){CAPWORD}(?:[ \t]+{CAPWORD}){{1,2}}", text):
            cand = _clean_tail(m.group(0))
            s, e = m.start(), m.start() + len(cand)
            if _overlaps(covered, s, e) or _name_key(cand.split()[-1]) not in surnames:
                continue
            core, title = _strip_titles(cand)
            known = self.by_name.get(_name_key(core))
            if known is not None and self.entities[known].kind == "person":
                cs = s + cand.rindex(core)
                if not _overlaps(covered, cs, cs + len(core)):
                    self._link(self.entities[known], cs, cs + len(core), covered)   # an earlier mention
                continue
            if title or not _looks_like_person(cand) \
                    or any(_name_key(ent.name) == _name_key(core) for ent in self.entities.values()):
                continue
            ent = self.new("person", cand, s, e, "shares a surname with a person of the article", 0.6)
            self._link(ent, s, e, covered)

    def _relatives_by_given_name(self, covered) -> None:
        """'Her oldest son, Daniel, 15,' and 'His nephew Mateo, 9,': a relative
        named by a given name only, after a possessive and a kinship noun."""
        text = self.doc.text
        for m in RELATIVE_BY_GIVEN_NAME.finditer(text):
            s, e = m.start("name"), m.end("name")
            if _overlaps(covered, s, e) or m.group("name").lower() in STOP_CAPS or m.group("name").lower() in GROUP_WORDS:
                continue
            ent = self.new("person", m.group("name"), s, e, f"a relative ('{m.group('rel')}') named by a given name", 0.6)
            self._link(ent, s, e, covered)
            ent.roles.append((f"{m.group('rel')}", m.start(), e))

    def _coordinated_acronyms(self, covered) -> None:
        """An unknown acronym joined by 'or', 'and' or a comma to an organization
        ("ICE or CBP") is an organization too."""
        text = self.doc.text
        orgs = sorted((m.start, m.end) for m in self.mentions if self.entities[m.key].kind == "organization")
        ends = {e for _, e in orgs}
        starts = {s for s, _ in orgs}
        for m in re.finditer(r"(?<![\w.’'])[A-Z]{2,6}(?![\w’'])", text):
            s, e = m.start(), m.end()
            if _overlaps(covered, s, e) or m.group(0) in ("US", "USA", "TV", "OK", "AM", "PM", "ID", "LA", "DC", "UK", "EU", "UN", "CEO", "DNA", "GPS", "FAQ", "PDF", "AI"):
                continue
            before = re.search(r"([ \t]*(?:,|or|and|&)[ \t]+)$", text[max(0, s - 8):s])
            after = re.match(r"[ \t]*(?:,|or|and|&)[ \t]+", text[e:e + 8])
            if (before and (s - len(before.group(1))) in ends) or (after and (e + after.end()) in starts):
                ent = self.new("organization", m.group(0), s, e, "acronym coordinated with an organization", 0.55)
                self._link(ent, s, e, covered)

    def _inside_mention(self, s: int, e: int) -> bool:
        return any(m.start <= s and e <= m.end for m in self.mentions if m.start <= s)

    def _genders(self) -> None:
        """He or she, from the pronouns that follow each mention of a person
        within its sentence and the next (until another person is mentioned)."""
        text = self.doc.text
        persons = [m for m in self.mentions if self.entities[m.key].kind == "person"]
        for i, m in enumerate(persons):
            limit = min(self.doc.sentence_end(self.doc.sentence_end(m.end) + 1), m.end + 400)
            if i + 1 < len(persons):
                limit = min(limit, persons[i + 1].start)
            window = text[m.end:limit].lower()
            words = WORD.findall(window)
            ent = self.entities[m.key]
            ent.male += sum(1 for w in words if w in MALE)
            ent.female += sum(1 for w in words if w in FEMALE)
            pre = text[max(0, m.start - 5):m.start].lower()
            if pre.endswith(("mr. ", "mr ")):
                ent.male += 3
            if pre.endswith(("ms. ", "mrs. ", "ms ", "mrs ")):
                ent.female += 3

    # resolving a subject phrase -------------------------------------------------------
    def resolve(self, phrase: str, start: int, end: int, create: bool = True) -> tuple[Entity | None, str]:
        """The entity a subject phrase names ("Councilmember Hugo Soto-Martinez",
        "the activist group Stop LAPD Spying and others", "Khan", "McDonald")."""
        # a mention already found inside the phrase: the last one is the head
        inside = self._mentions_in(start, end)
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
        name, title = _strip_titles(core)
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
        kind = "organization" if _org_like(core) else "person"
        if kind == "person" and not title and _place_or_group(toks, self.doc.text[max(0, ns - 60):ns],
                                                              self.doc.text[ns + len(name):ns + len(name) + 80]):
            return None, ""
        ent = self.new(kind, name if kind == "person" else core, ns, ns + len(name), "named as speaker", 0.5)
        self.mention(ns, ns + len(name), ent.key)
        return ent, "named as speaker"

    def _full_name_before(self, surname: str, pos: int) -> tuple[int, int] | None:
        """'Adrienne Cole' earlier in the text, for a bare 'Cole'."""
        found = None
        for m in re.finditer(rf"(?<![\w’']){CAPWORD}(?:[ \t]+{CAPWORD})?[ \t]+{re.escape(surname)}(?![\w’'])",
                             self.doc.text[max(0, pos - 5000):pos]):
            words = m.group(0).split()
            if not any(w.lower() in STOP_CAPS or w.lower() in TITLES or w.lower() in ORG_HEADS for w in words[:-1]):
                found = (max(0, pos - 5000) + m.start(), max(0, pos - 5000) + m.end())
        return found

    def _mentions_in(self, start: int, end: int) -> list[Mention]:
        if getattr(self, "_sorted_len", -1) != len(self.mentions):
            self._sorted = sorted(self.mentions, key=lambda m: (m.start, m.end, m.key))
            self._sorted_starts = [m.start for m in self._sorted]
            self._sorted_len = len(self.mentions)
        i = bisect.bisect_left(self._sorted_starts, start)
        out = []
        while i < len(self._sorted) and self._sorted[i].start < end:
            if self._sorted[i].end <= end:
                out.append(self._sorted[i])
            i += 1
        return out

    def _fuzzy_surname(self, word: str) -> Entity | None:
        best, best_r = None, 0.0
        for ent in sorted(self.entities.values(), key=lambda e: e.first):
            if ent.kind != "person" or len(ent.name.split()) < 2:
                continue
            r = difflib.SequenceMatcher(None, _name_key(ent.name.split()[-1]), _name_key(word)).ratio()
            if r > best_r:
                best, best_r = ent, r
        return best if best_r >= 0.7 and len(word) >= 6 else None

    def _fuzzy_org(self, phrase: str) -> Entity | None:
        """A known or article organization this name stands for: the same name
        (quote styles and case aside), or one whose distinctive words all match
        (as words or word stems) with at most one left over on either side and
        no different organization word: "LAPD Spy Alliance" for "Stop LAPD Spying"."""
        key = _name_key(phrase)
        if key in self.by_name:
            return self.entities[self.by_name[key]]
        cands = [(e.id, [e.name] + [a for a, _ in e.aliases]) for e in self.know.entities if e.kind == "organization"]
        cands += [(e.key, [e.name] + list(e.forms)) for e in self.entities.values() if e.kind == "organization" and not e.known]
        bare = re.sub(r"^the ", "", key)
        for ident, names in cands:
            if any(re.sub(r"^the ", "", _name_key(n)) == bare for n in names):
                return self._entity_for(ident)
        mine = _distinctive(phrase)
        if len(mine) < 2:
            return None
        my_head = _org_head(phrase)
        best, best_score = None, 0.0
        for ident, names in cands:
            for n in names:
                theirs = _distinctive(n)
                if len(theirs) < 2:
                    continue
                head = _org_head(n)
                if my_head and head and my_head != head:
                    continue
                shared = sum(1 for w in mine if any(_same_stem(w, t) for t in theirs))
                if shared == len(mine) and len(theirs) - shared <= 1:
                    score = shared / len(theirs)
                    if score > best_score:
                        best, best_score = ident, score
        return self._entity_for(best) if best else None

    def _entity_for(self, ident: str) -> Entity:
        if ident in self.entities:
            return self.entities[ident]
        return self._known_unplaced(self.known_by_id[ident])


def _plain(word: str) -> str:
    """A word without its accents: Unión -> union."""
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _org_head(name: str) -> str | None:
    words = [_plain(w.lower().strip(".,")) for w in name.split()]
    for w in reversed(words):
        if w in ORG_HEADS:
            return w
    return None


def _tok(text: str, span: tuple[int, int]) -> str:
    return text[span[0]:span[1]]


def _trim_caps(text: str, tokens: list[tuple[int, int]], keep_first: bool = False) -> list[tuple[int, int]]:
    """A capitalised phrase without its leading stop words (sentence starts,
    determiners) and lowercase connectors, and without trailing lowercase words."""
    while tokens and not keep_first and (_tok(text, tokens[0]).lower() in STOP_CAPS
                                         or not _tok(text, tokens[0])[:1].isupper()):
        tokens = tokens[1:]
    while tokens and not _tok(text, tokens[-1])[:1].isupper():
        tokens = tokens[:-1]
    return tokens


def _span_of(text: str, tokens: list[tuple[int, int]]) -> tuple[int, int]:
    start = tokens[0][0]
    return start, start + len(_clean_tail(text[start:tokens[-1][1]]))


def _overlaps(covered: list[tuple[int, int]], s: int, e: int) -> bool:
    i = bisect.bisect_right(covered, (e, 10 ** 12))
    for a, b in covered[max(0, i - 8):i]:
        if a < e and b > s:
            return True
    return False


def _ends_sentence(token: str) -> bool:
    """A word that ends with a full stop that is not an abbreviation's or an initial's."""
    if not token.endswith("."):
        return False
    core = token.rstrip(".")
    return len(core) > 1 and "." not in core and core.lower() not in ABBREVIATIONS


def _within(covered: list[tuple[int, int]], s: int, e: int) -> bool:
    i = bisect.bisect_right(covered, (s, 10 ** 12))
    return any(a <= s and e <= b for a, b in covered[max(0, i - 8):i])


def _clean_tail(s: str) -> str:
    """Trailing possessive and sentence punctuation off a name."""
    s = s.rstrip(",;:")
    s = re.sub(r"(?:’s|'s|’|')$", "", s)
    if s.endswith("."):
        last = s.split()[-1] if s.split() else s
        core = last[:-1]
        if not (len(core) == 1 or "." in core or core.lower() in ABBREV_TITLES):
            s = s[:-1]
    return s


def _strip_titles(phrase: str) -> tuple[str, str]:
    """('Hugo Soto-Martinez', 'Councilmember') from 'Councilmember Hugo Soto-Martinez';
    ('Mark Feldman', 'Deputy County Counsel') from 'Deputy County Counsel Mark Feldman'."""
    name, title = _strip_title_words(phrase)
    toks = name.split()
    if title and len(toks) > 2:
        # office words after the title ("County Counsel"): the name is the trailing part
        for k in range(len(toks) - 2, 0, -1):
            tail = toks[k:]
            if all(_name_token(t) for t in tail) and not _name_token(toks[k - 1]):
                return " ".join(tail), " ".join(phrase.split()[:len(phrase.split()) - len(tail)])
    return name, title


def _name_token(t: str) -> bool:
    lw = t.lower()
    return t[:1].isupper() and lw not in STOP_CAPS and lw not in NOT_NAME and lw not in ORG_HEADS \
        and lw not in TITLES and lw.rstrip("s") not in TITLES


def _strip_title_words(phrase: str) -> tuple[str, str]:
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
               "avenue", "street", "square", "plaza", "district", "estates", "pines", "palms"}
# "in Van Nuys", "the people of Glendale", "residents of Pomona": a place follows
PLACE_BEFORE = re.compile(r"""(?:\b(?:in|at|near|across|outside|throughout|around|across|into|toward|towards)
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


def _place_or_group(tokens: list[str], before: str, after: str, described: bool = False) -> bool:
    """An untitled capitalised phrase that names a place or a group of people,
    not a person: a demonym or group word in it ('Chinese American',
    'Salvadorans'), a place word at its end ('Monterey Park'), a place
    preposition before it ('in Van Nuys', 'the people of Glendale') or a place
    apposition after it ('Pasadena, a city of …', 'X, where …'). A name
    described as a person ('Grace Park, a 34-year-old mother') keeps its
    place word."""
    words = [_plain(t.lower().strip(".,’'")) for t in tokens]
    if any(w in GROUP_WORDS for w in words):
        return True
    if described:
        return False
    return words[-1] in PLACE_WORDS or bool(PLACE_BEFORE.search(before) or PLACE_AFTER.match(after))


TITLE_ABBREVIATIONS = {"gov": "governor", "sen": "senator", "rep": "representative", "lt": "lieutenant",
                       "sgt": "sergeant", "capt": "captain", "det": "detective", "supt": "superintendent",
                       "atty": "attorney", "prof": "professor", "dr": "doctor", "rev": "reverend",
                       "asst": "assistant", "pres": "president", "gen": "general", "cmdr": "commander"}


def _spelled_out(names: str) -> str:
    """A party's names and roles, lowercased, with title abbreviations spelled
    out and Spanish organization words glossed, so that 'the governor' finds
    'Gov. Warren Hale' and 'the clinic' finds 'Clinica Esperanza'."""
    out = []
    for w in _plain(names.lower()).split():
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


def _looks_titled_person(words: list[str]) -> bool:
    return any(w.lower() in TITLES for w in words[:-1]) and words[-1].lower() not in ORG_HEADS


def _all_caps_shout(words: list[str]) -> bool:
    return all(w.isupper() for w in words)


def _looks_like_person(part: str) -> bool:
    name, title = _strip_titles(part)
    toks = name.split()
    return 2 <= len(toks) <= 4 and all(t[:1].isupper() for t in toks) and not _all_caps_shout(toks) \
        and not any(t.lower() in ORG_HEADS or t.lower() in STOP_CAPS or t.lower() in NOT_NAME for t in toks)


def _is_name_line(line: str) -> bool:
    if len(line) > 120 or line.endswith((".", "?", "!", ":", ";")) or "“" in line or '"' in line:
        return False
    words = re.findall(r"[\w’'\-&.]+", line)
    if not words or len(words) > 14:
        return False
    caps = [w for w in words if w[:1].isupper() or w in ("&", "-")]
    lowers = [w for w in words if w[:1].islower() and w.lower() not in CONNECTORS]
    return len(caps) >= max(1, len(words) - len([w for w in words if w.lower() in CONNECTORS])) * 0.75 and len(lowers) <= 1 \
        and not (len(words) <= 3 and all(w.lower() in STOP_CAPS for w in words))


def _org_like(name: str) -> bool:
    lower = [w.lower() for w in name.split()]
    return bool(lower) and (lower[-1] in ORG_HEADS or lower[0] in ORG_LEADS or name.isupper() and len(name) >= 2
                            or len(lower) >= 3 and lower[0] in ("city", "county", "town", "state") and lower[1] == "of")


def _apposition(text: str, end: int) -> tuple[str, int] | None:
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
    if any(w in PERSON_NOUNS for w in words) or re.search(r"\d+-year-old", role):
        return role, m.end()
    return None


def _speech_adjacent(text: str, s: int, e: int) -> bool:
    after = text[e:e + 140]
    before = text[max(0, s - 40):s]
    if re.match(rf"(?:,[^,.\n“”\"]{{1,120}},|,)?[ \t]+(?:{ADVERBS}[ \t]+)?{VERB}\b", after):
        return True
    if re.match(rf"[ \t]+(?:of|with|at|from)[ \t]+(?:the[ \t]+)?{CAPWORD}(?:[ \t]+(?:(?:of|for|and|the)[ \t]+)*{CAPWORD}){{0,7}}"
                rf"[ \t]+(?:{ADVERBS}[ \t]+)?{VERB}\b", after):
        return True     # "Tomas Iverson of the Eastside Workers Center said"
    return bool(re.search(rf"\b{VERB}[ \t]+$", before))


def _distinctive(name: str) -> list[str]:
    generic = ORG_HEADS | STOPWORDS | {"los", "angeles", "la", "l.a.", "national", "american", "california", "city",
                                       "county", "united", "states", "u.s."}
    return sorted({w for w in (x.lower().strip(".") for x in WORD.findall(name)) if w and w not in generic})


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    n = min(len(a), len(b))
    return n >= 3 and a[:n] == b[:n] and max(len(a), len(b)) - n <= 3


def _name_key(name: str) -> str:
    return fold(name).replace("'", "").replace(".", "").casefold().strip()


def _slug(text: str) -> str:
    import unicodedata
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    s = re.sub(r"[^a-z0-9]+", "-", t.lower()).strip("-")
    return s[:60].strip("-") or "unnamed"


def _free_id(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _category(role: str) -> str:
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


def _org_type(name: str) -> str:
    n = name.lower()
    for pattern, kind in ((r"sheriff", "sheriff"), (r"police|lapd|patrol\b", "local_police"),
                          (r"\bcourt\b", "court"), (r"times|news|post|press|journal|tribune|herald|magazine|radio|media", "media"),
                          (r"universit|college|school|academy|institute|professor", "academic"),
                          (r"church|methodist|catholic|faith|clergy|synagogue|mosque|ministr", "faith"),
                          (r"union|federation of labor|workers|seiu|labor", "labor"),
                          (r"coalition|alliance", "coalition"),
                          (r"legal|law center|lawyers|counsel|bar association|clinic", "legal_services"),
                          (r"immigration and customs|homeland|federal|u\.s\. department|fbi|border", "federal_agency"),
                          (r"county of|county board", "county_government"),
                          (r"city of|city council|mayor", "city_government"),
                          (r"state of|legislature|assembly|senate", "state_government"),
                          (r"rights|justice|network|project|action|advocates|campaign", "advocacy_group"),
                          (r"center|community|council|association", "community_group")):
        if re.search(pattern, n):
            return kind
    return "other"


def _jurisdiction(name: str) -> str:
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


# --- quotations -------------------------------------------------------------------

@dataclass
class _Unit:
    pieces: list[tuple[int, int]]
    open_mark: int               # position of the first opening mark
    close_mark: int | None       # position of the last closing mark (None if unbalanced)
    unbalanced: bool


def _units(text: str) -> list[_Unit]:
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
        units.append(_Unit(merged, sp.start - 1, close, sp.unbalanced))
    return units


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


@dataclass
class _Cue:
    subject: str | None          # the subject phrase
    s_start: int
    s_end: int
    kind: str                    # spoken / written / statement
    attribution: tuple[int, int]
    cue: str
    confidence: float
    end: int                     # where the attribution clause ends
    entity: "Entity | None" = None   # the speaker, when the cue found it already


_SUBJECT = rf"(?:(?:the|a|an)[ \t]+(?:[a-z][\w\-]*[ \t]+){{0,3}})?{CAPWORD}(?:[ \t]+(?:(?:of|for|and|the|de|del|la|to)[ \t]+)*{CAPWORD}){{0,7}}(?:[ \t]+and[ \t]+others)?"
_PRON = r"(?:he|she|they|it|we|I)"
_NOUNSUBJ = r"(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)[ \t]+(?:[a-z][\w\-’']*[ \t]+){0,2}(?:" + "|".join(
    re.escape(n) for n in sorted(STATEMENT_NOUNS + ("group", "department", "agency", "office", "spokesperson",
                                                    "spokesman", "spokeswoman", "mayor", "chief", "sheriff",
                                                    "councilmember", "professor", "official", "officials",
                                                    "organization", "coalition", "company", "city", "county",
                                                    "union", "commission", "council", "campaign", "attorney",
                                                    "party", "club", "league", "association", "caucus",
                                                    "committee", "board", "center", "network", "alliance",
                                                    "lawyer", "judge", "governor", "president", "senator"),
                                 key=len, reverse=True)) + r")"
_APPOS = r"(?:,[ \t]+(?:[^,\n“”\"]{1,140}|[“\"][^”\"\n]{1,100}[”\"]),)?"
AFTER_VERB_FIRST = re.compile(rf"[ \t]*(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})[ \t]+(?P<subj>{_SUBJECT}|{_NOUNSUBJ}|{_PRON})\b")
AFTER_SUBJ_FIRST = re.compile(rf"[ \t]*(?P<subj>{_PRON}|{_NOUNSUBJ}|{_SUBJECT}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})\b")
AFTER_ACCORDING = re.compile(rf"[ \t]*according[ \t]+to[ \t]+(?P<subj>{_NOUNSUBJ}|{_SUBJECT})")
AFTER_VERBLESS = re.compile(rf"[ \t]*(?P<subj>{CAPWORD}(?:[ \t]+{CAPWORD}){{1,3}})(?:,[ \t]+[^,\n“”\"]{{1,140}})?[.]?[ \t]*(?:$|\n|[“\"])")
BEFORE_SUBJ_VERB = re.compile(rf"(?P<subj>{_PRON}|{_NOUNSUBJ}|{_SUBJECT}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})(?:,?[ \t]+[\w’'\-]+){{0,6}}?[ \t]*[,:][ \t]*$")
BEFORE_ACCORDING = re.compile(rf"according[ \t]+to[ \t]+(?:[^,\n“”\"]{{1,80}},[ \t]+)?(?P<subj>{_NOUNSUBJ}|{_SUBJECT})[ \t]*,[ \t]*$", re.I)
AFTER_VERB_APPOS = re.compile(rf"[ \t]*(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})[ \t]+[a-z][^,\n“”\"]{{0,40}},[ \t]+(?P<subj>{_SUBJECT})\b")
INLINE_SPEECH = re.compile(rf"(?P<subj>{_PRON}|{_NOUNSUBJ}|{_SUBJECT}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?(?P<verb>{VERB})\b")
ISSUED_BY = re.compile(rf"\b(?P<noun>statement|letter|release|report|study|analysis|audit|memo|survey)[ \t]+(?:(?:was[ \t]+)?(?:released|issued|published|written|prepared|sent|signed|conducted)(?:[ \t]+[\w\-]+){{0,2}}?[ \t]+)?by[ \t]+(?P<subj>{_NOUNSUBJ}|{_SUBJECT})")
ISSUED = re.compile(rf"(?P<subj>{_NOUNSUBJ}|{_SUBJECT}){_APPOS}[ \t]+(?:sent|issued|released|published|wrote|posted|signed|filed|delivered|shared|put[ \t]+out)[ \t]+(?:a|an|the|its|their|his|her)[ \t]+(?:[\w\-]+[ \t]+){{0,3}}?(?P<noun>statement|letter|release|report|memo|email|e-mail|post|tweet|message|note|complaint|petition|open letter)\b")
# "rejected the president's claim that Glendale had become “…”": the quoted
# words are the owner's (the one whose claim, words or promise they are)
OWNED_WORDS = re.compile(rf"""
    (?P<owner>(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)[ \t]+[a-z][\w\-]*          # the president's
             |{CAPWORD}(?:[ \t]+{CAPWORD}){{0,3}})                         # Harold Brandt's
    (?:’s|'s|’)[ \t]+(?:[a-z][\w\-]*[ \t]+)?                              # (repeated, earlier) ...
    (?P<noun>claims?|assertions?|charges?|accusations?|descriptions?|words|phrase|remarks?|comments?|promises?|
             pledges?|vows?|warnings?|insistence|arguments?|suggestions?|threats?|boasts?|contention|characterization)
    (?:[ \t]+(?:that|of)\b[^“”"\n.;]{{0,160}}?)?                              # that Glendale had become
    [ \t]*(?:as[ \t]+)?$""", re.VERBOSE)
NONQUOTE_LEAD = re.compile(r"(?P<kw>so-called|so called|called|call|calls|known as|dubbed|termed|labeled|labelled|nicknamed|"
                           r"branded|the term|the word|the words|the phrase|the slogan|titled|entitled|headlined|named|"
                           r"the hashtag|the label)(?:[ \t]+(?:the|a|an|it|them|this|that))?[ \t]*$", re.I)
SIGN_LEAD = re.compile(r"\b(?:sign|banner|placard|poster|t-shirt|shirt|mural|graffiti|button|sticker)s?\b[^.\n“”\"]{0,80}?"
                       r"\b(?:read|reads|reading|said|says|saying|declared|declaring)[ \t]*:?[ \t]*$", re.I)


def _kind_of(verb: str | None, subject: str | None, around: str) -> str:
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

    def __init__(self, doc: Doc, reg: Registry, knowledge: Knowledge):
        self.doc = doc
        self.reg = reg
        self.know = knowledge
        self.text = doc.text
        self.speech_subjects: list[tuple[int, str]] = []   # (position, entity key), in text order

    def set_quote_spans(self, units: list["_Unit"]) -> None:
        self._qspans = sorted((u.open_mark, u.close_mark if u.close_mark is not None else u.pieces[-1][1]) for u in units)
        self._qstarts = [a for a, _ in self._qspans]

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._qstarts, pos) - 1
        return i >= 0 and self._qspans[i][0] <= pos <= self._qspans[i][1]

    def collect_speech_subjects(self) -> None:
        """Where each party is reported speaking ('X said', 'said X', 'X, a ..., said
        it was', 'X sent a letter'), in text order, for pronouns to refer back to."""
        text = self.text
        out = []
        for m in re.finditer(rf"\b{VERB}\b", text):
            if self.in_quote(m.start()):
                continue
            ent = self.subject_of_verb(m.start(), m.end())
            if ent is not None:
                out.append((m.start(), ent.key))
        according_to = re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+(?P<subj>{_SUBJECT})")
        for pattern in (ISSUED, ISSUED_BY, according_to):
            for m in pattern.finditer(text):
                if self.in_quote(m.start()):
                    continue
                ent = self._entity_in(m.start("subj"), m.end("subj"))
                if ent:
                    out.append((m.start("subj"), ent.key))
        out.sort(key=lambda x: x[0])
        self.speech_subjects = out

    def subject_of_verb(self, v: int, ve: int) -> Entity | None:
        """The party a speech verb is said of: the name right after it ('said X'),
        the subject right before it ('X, a ..., said'; 'the department said'),
        else the last person named before it in its sentence, outside quotations;
        None for a pronoun subject ('he said') or when nobody is named."""
        text, doc = self.text, self.doc
        post = re.match(rf"[ \t]+(?P<subj>{_SUBJECT})", text[ve:ve + 160])
        if post:
            ent = self._entity_in(ve + post.start("subj"), ve + post.end("subj"))
            if ent is None:
                ent, _ = self.reg.resolve(post.group("subj"), ve + post.start("subj"), ve + post.end("subj"), create=False)
            if ent is not None:
                return ent
        floor = max(doc.sentence_start(v), doc.line_bounds(v)[0], v - 250)
        pre = text[floor:v]
        if re.search(rf"\b(?:he|she|they|it|we|i|you)[ \t]+(?:{ADVERBS}[ \t]+)?$", pre, re.I):
            return None
        nm = re.search(rf"(?P<subj>{_NOUNSUBJ}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?$", pre)
        if nm:
            return self.noun_subject(nm.group("subj"), floor + nm.start("subj"))
        ms = [mm for mm in self._mentions_between(floor, v) if not self.in_quote(mm.start)]
        sm = re.search(rf"(?P<subj>{_SUBJECT}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?$", pre)
        if sm and not self.in_quote(floor + sm.start("subj")):
            appos = self._appositive_person(floor + sm.end("subj"), v, sm.group("subj"))
            if appos is not None:
                return appos
            ent = self._entity_in(floor + sm.start("subj"), floor + sm.end("subj"))
            if ent is None:
                ent, _ = self.reg.resolve(sm.group("subj"), floor + sm.start("subj"), floor + sm.end("subj"), create=False)
            if ent is not None and ent.kind == "organization" and ms and ms[0].start <= floor + 5 \
                    and self.reg.entities[ms[0].key].kind == "person" and ms[0].start < floor + sm.start("subj"):
                # "Stephen Downing, former deputy director of LAPD, helped draft ..., said":
                # the person who opens the sentence is its subject
                return self.reg.entities[ms[0].key]
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
            cand = _clean_tail(nm2.group(0))
            lead_words = text[clause_start:clause_start + nm2.start()].split()
            cs = clause_start + nm2.start()
            if len(lead_words) <= 2 and _looks_like_person(cand) and not self.in_quote(cs) \
                    and not _place_or_group(cand.split(), text[max(0, cs - 60):cs], text[cs + len(cand):cs + len(cand) + 80]):
                ent = self.reg.new("person", cand, cs, cs + len(cand), "subject of a speech verb", 0.55)
                self.reg.mention(cs, cs + len(cand), ent.key)
                return ent
        return None

    def _appositive_person(self, subj_end: int, limit: int, subj: str) -> Entity | None:
        """'Salcido's attorney, Priya Raman of ..., called': the person named in
        the apposition when the subject is a possessive or a common noun."""
        if not re.search(r"(?:’s|'s)(?:[ \t]+[a-z][\w\-]*)*$|^(?:[Tt]he|[Aa]n?)[ \t]", subj):
            return None
        ms = [m for m in self._mentions_between(subj_end, limit) if self.reg.entities[m.key].kind == "person"]
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
            ms = [m for m in self._mentions_between(floor + nm.start("app"), floor + nm.end("app"))
                  if self.reg.entities[m.key].kind == "person"]
            if ms:
                return self.reg.entities[ms[0].key]
        sm = re.search(rf"(?P<subj>{_SUBJECT}){_APPOS}[ \t]+(?:{ADVERBS}[ \t]+)?$", pre)
        if sm is None or self.in_quote(floor + sm.start("subj")):
            return None
        appos = self._appositive_person(floor + sm.end("subj"), v, sm.group("subj"))
        if appos is not None:
            return appos
        ent = self._entity_in(floor + sm.start("subj"), floor + sm.end("subj"))
        if ent is None:
            ent, _ = self.reg.resolve(sm.group("subj"), floor + sm.start("subj"), floor + sm.end("subj"), create=False)
        return ent

    def _entity_in(self, s: int, e: int) -> Entity | None:
        ms = [m for m in self._mentions_between(s, e)]
        if not ms:
            return None
        persons = [m for m in ms if self.reg.entities[m.key].kind == "person"]
        return self.reg.entities[(persons or ms)[-1].key]

    def _mentions_between(self, s: int, e: int) -> list[Mention]:
        ms = self._sorted_mentions()
        i = bisect.bisect_left(self._mention_starts, s)
        out = []
        while i < len(ms) and ms[i].start < e:
            if ms[i].end <= e:
                out.append(ms[i])
            i += 1
        return out

    def _sorted_mentions(self) -> list[Mention]:
        if getattr(self, "_ms_len", -1) != len(self.reg.mentions):
            self._ms = sorted(self.reg.mentions, key=lambda m: (m.start, m.end, m.key))
            self._mention_starts = [m.start for m in self._ms]
            self._ms_len = len(self.reg.mentions)
        return self._ms

    # --- attribution cues --------------------------------------------------------
    def after_cue(self, close: int) -> _Cue | None:
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
                return _Cue(subj, ss, se, _kind_of(verb, subj, text[start + off:clause_end]), attribution,
                            cue + (f" ({verb})" if verb else ""), conf, clause_end)
        if not text[close - 1:close].strip() in (".", "!", "?") or True:
            m = AFTER_VERBLESS.match(body)
            if m and self._names_person(start + off + m.start("subj"), start + off + m.end("subj")):
                ss, se = start + off + m.start("subj"), start + off + m.end("subj")
                clause_end = self._clause_end(ss, window_end, keep_period=True)
                return _Cue(m.group("subj"), ss, se, "spoken", (start + off, clause_end),
                            "name after the quotation, without a verb", 0.7, clause_end)
        return None

    def _names_person(self, s: int, e: int) -> bool:
        ent = self._entity_in(s, e)
        if ent is not None:
            return ent.kind == "person"
        return _looks_like_person(self.text[s:e])

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
        m = re.search(r"[“\"]", self.text[start:end])
        return start + m.start() if m else None

    def before_cue(self, open_mark: int) -> _Cue | None:
        text, doc = self.text, self.doc
        s = max(doc.sentence_start(open_mark), doc.line_bounds(open_mark)[0], open_mark - 300)
        window = text[s:open_mark]
        for rx, cue, conf in ((BEFORE_SUBJ_VERB, "'X said:' before the quotation", 0.85),
                              (BEFORE_ACCORDING, "'according to X,' before the quotation", 0.85)):
            m = rx.search(window)
            if m:
                verb = m.groupdict().get("verb")
                return _Cue(m.group("subj"), s + m.start("subj"), s + m.end("subj"),
                            _kind_of(verb, m.group("subj"), window[m.start():]), (s + m.start(), s + len(window.rstrip(" \t,:"))),
                            cue, conf, open_mark)
        return None

    def owner_of_words(self, open_mark: int) -> _Cue | None:
        """A phrase quoted in narration as somebody's claim, words or promise
        ('rejected the president's claim that the city had become “…”'): the
        owner's words, whoever the sentence is about."""
        text, doc = self.text, self.doc
        s = max(doc.sentence_start(open_mark), doc.line_bounds(open_mark)[0], open_mark - 300)
        m = OWNED_WORDS.search(text[s:open_mark])
        if m is None or self.in_quote(s + m.start()):
            return None
        owner, os_, oe = m.group("owner"), s + m.start("owner"), s + m.end("owner")
        if re.match(r"(?:[Tt]he|[Hh]is|[Hh]er|[Tt]heir)[ \t]", owner):
            if owner.split()[0].lower() != "the":
                return None        # "his claim": the pronoun's antecedent is left to the curator
            ent = self.noun_subject(owner, os_)
        else:
            ent = self._entity_in(os_, oe) or self.reg.resolve(owner, os_, oe, create=False)[0]
        if ent is None:
            return None
        cue = _Cue(owner, os_, oe, "spoken", (os_, open_mark),
                   f"the words are the {m.group('noun')} of {ent.name} ('{owner}’s {m.group('noun')} … “…”')", 0.7, open_mark)
        cue.entity = ent
        return cue

    def colon_cue(self, open_mark: int) -> _Cue | None:
        """A quotation printed as its own paragraph after a sentence that ends in
        a colon ('The club issued the following statement:', 'Reyes wrote:'):
        the speaker is that sentence's subject."""
        text, doc = self.text, self.doc
        line_start = doc.line_bounds(open_mark)[0]
        if text[line_start:open_mark].strip():
            return None
        before = text[:line_start].rstrip()
        if not before.endswith(":"):
            return None
        colon = len(before) - 1
        s = max(doc.sentence_start(colon), doc.line_bounds(colon)[0], colon - 400)
        sentence = text[s:colon]
        issued = None
        for m in ISSUED.finditer(sentence):
            issued = m
        if issued is not None:
            subj, ss, se = issued.group("subj"), s + issued.start("subj"), s + issued.end("subj")
            kind = "written" if issued.group("noun") in WRITTEN_NOUNS else "statement"
            how = f"the {issued.group('noun')} introduced by the sentence before, ending in a colon"
        else:
            verbs = [m for m in re.finditer(rf"\b{VERB}\b", sentence) if not self.in_quote(s + m.start())]
            if not verbs:
                return None
            vm = verbs[-1]
            ent = self.subject_of_verb(s + vm.start(), s + vm.end())
            if ent is None:
                return None
            cue = _Cue(None, 0, 0, _kind_of(vm.group(0), None, sentence), (s, colon),
                       f"'{vm.group(0)}:' in the sentence before, ending in a colon", 0.8, open_mark)
            cue.entity = ent
            return cue
        cue = _Cue(subj, ss, se, kind, (s, colon), how, 0.8, open_mark)
        ent = self._entity_in(ss, se)
        if ent is None and re.match(_NOUNSUBJ + r"$", subj):
            ent = self.noun_subject(subj, ss)
        if ent is not None:
            cue.entity = ent
        return cue

    def inline_cue(self, open_mark: int) -> _Cue | None:
        """A partial quotation inside reported speech: 'X, a ..., said it was a “...”'."""
        text, doc = self.text, self.doc
        s = max(doc.sentence_start(open_mark), doc.line_bounds(open_mark)[0], open_mark - 400)
        verbs = [m for m in re.finditer(rf"\b{VERB}\b", text[s:open_mark]) if not self.in_quote(s + m.start())]
        if not verbs:
            return None
        vm = verbs[-1]
        ent = self.subject_of_verb(s + vm.start(), s + vm.end())
        if ent is None:
            pm = re.search(rf"\b(?P<p>he|she|they|it|we)[ \t]+(?:{ADVERBS}[ \t]+)?$", text[s:s + vm.start()], re.I)
            if pm is None:
                return None
            return _Cue(pm.group("p"), s + pm.start("p"), s + pm.end("p"), _kind_of(vm.group(0), None, text[s:open_mark]),
                        (s + pm.start("p"), s + vm.end()), f"partial quotation in reported speech ({vm.group(0)})",
                        0.7, open_mark)
        cue = _Cue(None, 0, 0, _kind_of(vm.group(0), None, text[s:open_mark]),
                   (s, s + len(text[s:open_mark].rstrip())),
                   f"partial quotation in reported speech ({vm.group(0)})", 0.7, open_mark)
        cue.entity = ent
        return cue

    # --- speakers ---------------------------------------------------------------------
    def speaker_of(self, cue: _Cue, pos: int) -> tuple[Entity | None, str, float]:
        if cue.entity is not None:
            return cue.entity, f"the party reported speaking is {cue.entity.name}", 1.0
        subj = cue.subject or ""
        low = subj.lower()
        if low in PRONOUNS:
            ent = self.pronoun(low, pos)
            return ent, (f"pronoun '{subj}' read as the one fitting party the paragraph names, else the last "
                         "person reported speaking"), 0.75 if ent else 0.0
        if re.match(_NOUNSUBJ + r"$", subj):
            # "a police spokesperson, Sgt. Amy Ko, told the paper": the name in the apposition
            appos = self.text[cue.s_end:cue.s_end + 160]
            am = re.match(r",[ \t]+([^,\n“”\"]{1,80}),", appos)
            if am:
                inner = self._mentions_between(cue.s_end + am.start(1), cue.s_end + am.end(1))
                persons = [m for m in inner if self.reg.entities[m.key].kind == "person"]
                if persons:
                    return self.reg.entities[persons[-1].key], "the name in apposition to the subject", 1.0
            owner = re.match(r"(?:[Tt]he|[Aa]n?|[Tt]his|[Tt]hat)[ \t]+([a-z][\w\-]*)(?:’s|'s)[ \t]+", subj)
            if owner and subj.split()[-1].lower() in STATEMENT_NOUNS:
                # "the district's statement": the district
                ent = self.noun_subject(f"the {owner.group(1)}", pos)
                if ent is not None:
                    return ent, f"'{subj}' read as the statement of the last fitting party named", 0.6
            ent = self.noun_subject(subj, pos)
            return ent, f"'{subj}' read as the last fitting party named", 0.6 if ent else 0.0
        ent, how = self.reg.resolve(subj, cue.s_start, cue.s_end)
        return ent, how, 1.0 if ent else 0.0

    def pronoun(self, pron: str, pos: int) -> Entity | None:
        """The party a pronoun attribution refers to: among the parties reported
        speaking (else named) in the last paragraphs, the nearest whose gender,
        as the article's own pronouns show it, agrees; else the nearest whose
        gender is not known."""
        gender = PRONOUNS.get(pron)
        want_org = pron in ("it", "they", "we")
        floor = pos - 2500
        own = self._paragraph_subject(pos, gender, want_org)
        if own is not None:
            return own
        for pool in (self.speech_subjects, [(m.start, m.key) for m in self._sorted_mentions()]):
            cands = [(p, key) for p, key in pool if floor <= p < pos and not self.in_quote(p)]
            fitting = [(p, key) for p, key in cands if self._fits(self.reg.entities[key], gender, want_org)]
            if not fitting:
                continue
            if gender:
                agreeing = [(p, key) for p, key in fitting if self.reg.entities[key].gender == gender]
                if agreeing and agreeing[-1][0] >= fitting[-1][0] - 1500:
                    return self.reg.entities[agreeing[-1][1]]
            return self.reg.entities[fitting[-1][1]]
        return None

    def _paragraph_subject(self, pos: int, gender: str | None, want_org: bool) -> Entity | None:
        """'Hale repeated the threat in Sacramento. “…,” he said.': the one
        fitting party named in the paragraph before the quotation, outside
        quotations, when nobody fitting has been reported speaking in the
        paragraph since; None when there are several or none."""
        start = self.doc.line_bounds(pos)[0]
        named = {m.key for m in self._mentions_between(start, pos) if not self.in_quote(m.start)
                 and self._fits(self.reg.entities[m.key], gender, want_org)
                 and (gender is None or self.reg.entities[m.key].gender == gender or self.reg.entities[m.key].gender is None)}
        if len(named) != 1:
            return None
        key = next(iter(named))
        spoke = [k for p, k in self.speech_subjects if start <= p < pos and k != key
                 and self._fits(self.reg.entities[k], gender, want_org)]
        return None if spoke else self.reg.entities[key]

    @staticmethod
    def _fits(ent: Entity, gender: str | None, want_org: bool) -> bool:
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
        if noun in STATEMENT_NOUNS:
            for p, key in reversed(self.speech_subjects):
                if p < pos:
                    return self.reg.entities[key]
            return None
        want_person = noun in TITLES
        cands = [m for m in self._sorted_mentions() if pos - 3000 <= m.start < pos and not self.in_quote(m.start)
                 and (self.reg.entities[m.key].kind == "person") == want_person]
        if not cands:
            return None
        for m in reversed(cands):
            ent = self.reg.entities[m.key]
            words = _spelled_out(" ".join([ent.name] + list(ent.forms) + [r for r, _, _ in ent.roles] + self.know_roles(ent.key)))
            if re.search(rf"\b{re.escape(noun)}\b", words):
                return ent
        sent = self.doc.sentence_start(pos)
        for m in cands:
            if sent <= m.start <= sent + 40 and not self.text[sent:m.start].strip(" \t\n").lower() not in ("", "the", "a", "an"):
                return self.reg.entities[m.key]
        return self.reg.entities[cands[-1].key]

    def know_roles(self, key: str) -> list[str]:
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
        ent = self._entity_in(floor + found.start("subj"), floor + found.end("subj"))
        if ent is None:
            ent, _ = self.reg.resolve(found.group("subj"), floor + found.start("subj"), floor + found.end("subj"))
        return ent, found.group("noun")


def _classify_nonquote(text: str, unit: _Unit, doc: Doc) -> tuple[str, str] | None:
    """(kind, cue) when the span reads as a scare quote, term or title rather
    than somebody's words; None when it does not."""
    a, b = unit.pieces[0][0], unit.pieces[-1][1]
    inner = text[a:b]
    before = text[max(0, unit.open_mark - 30):unit.open_mark]
    if SIGN_LEAD.search(text[max(0, unit.open_mark - 120):unit.open_mark]):
        return "other", "the text of a sign or banner"
    m = NONQUOTE_LEAD.search(before)
    if m:
        kw = m.group("kw").lower()
        if kw.startswith("so"):
            return "scare_quote", f"'{m.group('kw')}' before it"
        if kw in ("titled", "entitled", "headlined"):
            return "title", f"'{m.group('kw')}' before it"
        if _title_case(inner) and kw.split()[0] in ("called", "call", "calls", "named", "dubbed", "known", "nicknamed", "branded"):
            return "name", f"a name in title case after '{m.group('kw')}'"
        return "term", f"'{m.group('kw')}' before it"
    return None


def _looks_like_words(text: str, unit: _Unit, doc: Doc) -> bool:
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


def _title_case(inner: str) -> bool:
    words = re.findall(r"[\w’'\-]+", inner)
    significant = [w for w in words if len(w) > 3 or w[:1].isupper()]
    return 2 <= len(words) <= 12 and bool(significant) and all(w[:1].isupper() for w in significant) \
        and not re.search(r"[.!?]\s+\S", inner.strip())


def _nonquote_kind(text: str, unit: _Unit) -> tuple[str, str]:
    a, b = unit.pieces[0][0], unit.pieces[-1][1]
    inner = text[a:b].strip()
    words = inner.split()
    significant = [w for w in words if len(w) > 3 or w[:1].isupper()]
    if len(words) >= 2 and significant and all(w[:1].isupper() for w in significant) and len(words) <= 12:
        return "title", "title case, no attribution"
    return "scare_quote", "short phrase inside a sentence, no attribution"


# --- copies -----------------------------------------------------------------------

SHINGLE_WORD = re.compile(r"\w[\w’'\-]*")


def _shingle_words(text: str) -> list[str]:
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


def _content(text: str) -> list[str]:
    return [w for w in (fold(x).lower() for x in WORD.findall(text)) if w not in STOPWORDS]


def _stem_dice(a: list[str], b: list[str]) -> tuple[float, int]:
    sa = sorted(set(w[:5] for w in a if len(w) > 2))
    sb = set(w[:5] for w in b if len(w) > 2)
    if not sa or not sb:
        return 0.0, 0
    shared = 0
    for w in sa:
        if w in sb or any(_same_stem(w, x) for x in sb if x[:3] == w[:3]):
            shared += 1
    return 2 * shared / (len(sa) + len(sb)), shared


class QuoteIndex:
    """Known quotations prepared once: normalised texts, content words, and an
    index from content-word stems to the texts that have them."""

    def __init__(self, knowledge: Knowledge):
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


def match_known_quote(pieces: list[str], index: "QuoteIndex") -> tuple[KnownQuote | None, float, str]:
    """The known quotation these pieces print again, its similarity and the fidelity."""
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
        closest = set(sorted(hits, key=lambda i: (-hits[i], i))[:QUOTE_CANDIDATES])
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
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text).lower().replace("'", "")).split())


# --- the stage ----------------------------------------------------------------------

def extract(text: str, knowledge: Knowledge, source_id: str, source_kind: str | None = None) -> Proposals:
    """Every proposal for one document. source_kind (e.g. press_release) may
    refine the kind of its quotations (statements supplied for a release)."""
    doc = Doc(text)
    props = Proposals(source_id, text)
    if not text.strip():
        props.notes.append("the document is empty")
        return props
    reg = Registry(doc, knowledge, source_id)
    reg.scan()
    quoter = Quoter(doc, reg, knowledge)
    qindex = knowledge.prepared("quote index", QuoteIndex)
    units = _units(text)
    quoter.set_quote_spans(units)
    quoter.collect_speech_subjects()

    groups: list[tuple[list[_Unit], _Cue | None, str | None]] = []   # (units, cue, how it was grouped)
    cues_after = {}
    for u in units:
        cues_after[id(u)] = quoter.after_cue(u.close_mark) if u.close_mark is not None else None
    decided: list[tuple[_Unit, str, object]] = []   # (unit, 'quote'|'non', cue or (kind, cue))
    for u in units:
        nq = _classify_nonquote(text, u, doc)
        if nq is None or nq[0] in ("term", "scare_quote"):
            lead = re.search(r"\b(call|calls|called|described)\b(?:[ \t]+[\w’'\-]+){0,4}?[ \t]+(?:as[ \t]+)?$",
                             text[max(0, u.open_mark - 80):u.open_mark])
            if lead and not text[max(0, u.open_mark - 80):u.open_mark][:lead.start()].rstrip().lower().endswith("so"):
                vpos = max(0, u.open_mark - 80) + lead.start(1)
                subject = quoter.immediate_subject(vpos, vpos + len(lead.group(1)))
                if subject is not None:
                    cue = _Cue(None, 0, 0, "spoken", (vpos, u.open_mark), f"'{subject.name} {lead.group(1)} … “…”': "
                               "the words are the subject's", 0.7, u.open_mark)
                    cue.entity = subject
                    decided.append((u, "quote", cue))
                    continue
        owner = quoter.owner_of_words(u.open_mark) if nq is None or nq[0] != "title" else None
        if owner is not None:
            decided.append((u, "quote", owner))
            continue
        if nq:
            decided.append((u, "non", nq))
            continue
        prev = decided[-1] if decided else None
        if prev and prev[1] == "non" and prev[0].close_mark is not None \
                and re.fullmatch(r"[ \t]*(?:,|;|and|or|,[ \t]*and|,[ \t]*or)[ \t]*", text[prev[0].close_mark + 1:u.open_mark]):
            # "signs that read “A” and “B”": the same kind as the one before
            decided.append((u, "non", (prev[2][0], "listed with the one before")))
            continue
        cue = cues_after[id(u)] or quoter.before_cue(u.open_mark) or quoter.colon_cue(u.open_mark)
        if cue is not None and cue is cues_after[id(u)] and _ends_its_sentence_inside(text, doc, u):
            # 'the alliance said that the answer left “more questions than it
            # settled.” Baek, of the alliance, said …': the words end the
            # sentence that reports them; the next sentence is another's
            inline = quoter.inline_cue(u.open_mark)
            if inline is not None:
                cue = inline
        if cue:
            decided.append((u, "quote", cue))
            continue
        prev = decided[-1] if decided else None
        if prev and prev[1] == "quote" and prev[0].close_mark is not None \
                and doc.line_of(prev[0].close_mark) == doc.line_of(u.open_mark) \
                and _continues(text, doc, prev[0], u, prev[2], None, cues_after[id(prev[0])]):
            # "“…,” Ferreira said. “Eleven.”": a quotation continued after its attribution
            decided.append((u, "quote", None))
            continue
        inline = quoter.inline_cue(u.open_mark)
        starts = _looks_like_words(text, u, doc)
        if _title_case(text[u.pieces[0][0]:u.pieces[-1][1]]):
            decided.append((u, "non", ("title", "title case, no attribution")))
            continue
        if inline and (len(text[u.pieces[0][0]:u.pieces[-1][1]].split()) >= 2 or starts):
            decided.append((u, "quote", inline))
        elif starts:
            decided.append((u, "quote", None))
        else:
            decided.append((u, "non", _nonquote_kind(text, u)))

    # group the pieces of one quotation: split by its attribution, continued after
    # it in the same paragraph, or two fragments of one sentence of reported speech
    for u, verdict, info in decided:
        if verdict == "non":
            kind, cue = info
            a, b = u.pieces[0][0], u.pieces[-1][1]
            props.non_quotations.append(NonQuotation(a, b, kind, cue, 0.6 if "before it" in cue else 0.5))
            continue
        cue = info
        if groups:
            prev_units, prev_cue, _ = groups[-1]
            last = prev_units[-1]
            if last.close_mark is not None and doc.line_of(last.close_mark) == doc.line_of(u.open_mark) \
                    and _continues(text, doc, last, u, prev_cue, cue, cues_after[id(last)]):
                prev_units.append(u)
                if prev_cue is None and cue is not None:
                    groups[-1] = (prev_units, cue, "joined")
                continue
        groups.append(([u], cue, None))

    last_speaker: tuple[int, Entity | None] = (-1, None)
    for us, cue, _ in groups:
        q = Quotation([p for u in us for p in u.pieces], unbalanced=any(u.unbalanced for u in us))
        pos = us[0].open_mark
        line = doc.line_of(pos)
        ent, how, conf = None, "", 0.0
        if cue is not None:
            ent, how, conf = quoter.speaker_of(cue, pos)
            q.attribution = cue.attribution if cue.attribution[1] > cue.attribution[0] else None
            q.kind = cue.kind
            q.cue = cue.cue + (f"; {how}" if how else "")
            q.confidence = round(cue.confidence * conf, 2) if ent else 0.0
        if ent is None:
            # no attribution of its own: a quotation continuing the paragraph's
            # (or the previous paragraph's) speaker, or a letter's words
            issuer, noun = quoter.last_issuer(pos, max(doc.line_starts[max(0, line - 1)], pos - 1500))
            if last_speaker[1] is not None and last_speaker[0] >= line - 1 and not issuer:
                ent = last_speaker[1]
                q.cue = "continues the previous quotation's speaker"
                q.confidence = 0.6
            elif issuer is not None:
                ent = issuer
                q.kind = "written" if noun in WRITTEN_NOUNS or noun == "open letter" else "statement"
                q.cue = f"follows the {noun} that {issuer.name} sent or issued"
                q.confidence = 0.6
            else:
                ent = _nearest_speaker(quoter, pos)
                if ent is not None:
                    q.cue = "no attribution: the last person reported speaking before it"
                    q.confidence = 0.3
        # a copy of a known quotation: its speaker, unless the text names another
        texts = [text[a:b] for a, b in q.pieces]
        known, score, fid = match_known_quote(texts, qindex)
        if known is not None:
            named = cue is not None and ent is not None and not (cue.subject or "").lower() in PRONOUNS \
                and q.confidence >= 0.8
            if not named or ent.key == known.speaker:
                q.known_quote, q.fidelity, q.similarity = known.id, fid, score
                if ent is None or ent.key != known.speaker:
                    spk = reg.entities.get(known.speaker) or (reg._known_unplaced(reg.known_by_id[known.speaker])
                                                              if known.speaker in reg.known_by_id else None)
                    if spk is not None:
                        ent = spk
                        q.cue = f"{fid} copy of known quotation {known.id} (similarity {score:.2f})" + (
                            f"; overrides: {q.cue}" if q.cue else "")
                        q.confidence = round(min(0.95, 0.5 + score / 2), 2)
                        q.kind = known.kind
                else:
                    q.cue += f"; {fid} copy of known quotation {known.id}"
        if ent is not None:
            q.speaker = ent.key
            last_speaker = (doc.line_of(q.pieces[-1][1]), ent)
        if source_kind == "press_release" and q.kind == "spoken":
            q.kind = "statement"
        if q.unbalanced:
            q.cue = (q.cue + "; " if q.cue else "") + "quotation marks not balanced: the quotation is taken to end with its paragraph"
            q.confidence = round(q.confidence * 0.7, 2)
        props.quotations.append(q)

    props.entities = {k: reg.entities[k] for k in sorted(reg.entities, key=lambda k: (reg.entities[k].first, k))}
    seen = set()
    mentions = []
    for m in sorted(reg.mentions, key=lambda m: (m.start, m.end, m.key)):
        if (m.start, m.end, m.key) not in seen:
            seen.add((m.start, m.end, m.key))
            mentions.append(m)
    props.mentions = mentions
    # known entities reached only through knowledge (a quote's speaker, a fuzzy
    # match) and never mentioned here are not article entities
    mentioned = {m.key for m in mentions} | {q.speaker for q in props.quotations if q.speaker}
    props.entities = {k: e for k, e in props.entities.items() if k in mentioned}

    inside_nonquote = [(n.start, n.end) for n in props.non_quotations]
    drop = set()
    for key, ent in props.entities.items():
        if ent.known:
            continue
        ms = [m for m in props.mentions if m.key == key]
        if ms and all(any(a <= m.start and m.end <= b for a, b in inside_nonquote) for m in ms):
            drop.add(key)
    props.entities = {k: e for k, e in props.entities.items() if k not in drop}
    props.mentions = [m for m in props.mentions if m.key not in drop]

    props.copies = find_copies(text, knowledge)
    shared_quotes = sorted({q.known_quote for q in props.quotations if q.known_quote})
    if not (props.copies and props.copies[0].share >= 0.1) and len(shared_quotes) >= 2:
        # no shared passages, but it prints two or more quotations known from
        # copies of one original: a summary or rewrite of that original
        roots: dict[str, list[str]] = {}
        by_id = {s.id: s for s in knowledge.sources}
        for qid in shared_quotes:
            kq = next(q for q in knowledge.quotes if q.id == qid)
            for sid in sorted({a[0] for a in kq.appearances}):
                src = by_id.get(sid)
                if src is not None:
                    roots.setdefault(src.derived_from or src.id, []).append(qid)
        if roots:
            root, qids = sorted(roots.items(), key=lambda kv: (-len(set(kv[1])), kv[0]))[0]
            if len(set(qids)) >= 2:
                props.derived_from = root
                props.relation = (f"machine-estimated: prints {len(set(qids))} quotations known from copies of {root} "
                                  f"({', '.join(sorted(set(qids)))}), with little shared wording")
    if props.copies and props.copies[0].share >= 0.1:
        best = props.copies[0]
        src = next(s for s in knowledge.sources if s.id == best.source_id)
        root = src.derived_from or src.id
        props.derived_from = root
        via = f" (via the held copy {src.id}, itself derived from {root})" if src.derived_from else ""
        props.relation = (f"machine-estimated: shares {best.share:.0%} of its word 5-grams with {src.id}{via}"
                          + (f"; prints known quotations {', '.join(shared_quotes)}" if shared_quotes else ""))
        best.quotes = shared_quotes
    return props


def _ends_its_sentence_inside(text: str, doc: Doc, u: _Unit) -> bool:
    """A quotation that does not open its sentence and whose last words end
    that sentence inside the marks (‘… that the answer left “more questions.”’)."""
    if u.close_mark is None:
        return False
    inner = text[u.pieces[-1][0]:u.pieces[-1][1]].rstrip()
    if not inner.endswith((".", "!", "?")):
        return False
    start = max(doc.sentence_start(u.open_mark), doc.line_bounds(u.open_mark)[0])
    return bool(text[start:u.open_mark].strip())


def _nearest_speaker(quoter: Quoter, pos: int) -> Entity | None:
    for p, key in reversed(quoter.speech_subjects):
        if p < pos and p > pos - 3000:
            return quoter.reg.entities[key]
    return None


def _continues(text: str, doc: Doc, prev: _Unit, cur: _Unit, prev_cue: _Cue | None, cue: _Cue | None,
               prev_after: _Cue | None) -> bool:
    """Is `cur` the next piece of the quotation `prev` belongs to?"""
    between = text[prev.close_mark + 1:cur.open_mark]
    if len(between) > 400:
        return False
    if not between.strip(" \t,;:—–-"):
        return True
    if prev_after is not None and prev_after.end <= cur.open_mark:
        rest = text[prev_after.end:cur.open_mark].rstrip().rstrip(".,;:—–-")
        if not re.search(r"[.!?][”\"’]?\s", rest):
            # "“A,” X said, “B”" or "“A,” X said. “B.”": B continues A
            own = cue is not None and cue is not prev_after and cue.attribution[0] > cur.open_mark
            return not own
    if cue is not None and prev_cue is not None and "partial" in cue.cue and "partial" in prev_cue.cue \
            and cue.entity is prev_cue.entity and doc.sentence_start(prev.open_mark) == doc.sentence_start(cur.open_mark):
        return True
    return False
