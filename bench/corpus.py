"""A synthetic Entanglement corpus at any scale, deterministic from a seed.

    python -m bench corpus --docs 1000 --seed 1 --out bench/corpus/demo

writes OUT/raw/documents/*.txt, OUT/raw/records/<kind>/*.yml (the real record
format, see raw/records/README.md) and OUT/schema (a link to the project's
schema/), so that `entanglement build --root OUT` builds it.

The documents are news-style prose (~5 KB each): original reports and press
releases with ~10 quotations each (curly and straight marks, attributions
before and after, split quotations, quotations running over two paragraphs,
nested single quotes, scare quotes and titles), names, abbreviations, titles
and misspellings of a pool of thousands of people and organizations; about one
document in five is a copy of an earlier one (a repost with {snip} marks, a
machine rewrite that rewords quotations and misspells a name, or a summary).

Every record passes `entanglement check`: every span between quotation marks
is a quote appearance or a non-quotation, every excerpt is found in its source
(with `occurrence:` where it occurs more than once), every reference resolves,
and the evidence rules hold (raw/records/README.md): each linked party is named
in a cited passage or in its source's `voice` narration, or the link is marked
`inferred:` (the agency of a case's booking and deportation), and descriptions
use only the names and numbers of their passages.
The generator knows where it wrote each excerpt and asks the build's own
SourceText which occurrence that is, so occurrences are right by construction.

Same --docs and --seed, same bytes: one random.Random(seed), no clock, no
iteration over sets.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from entanglement.citations import SourceText

REPO = Path(__file__).resolve().parents[1]

KINDS = ("sources", "organizations", "people", "policies", "demands", "cases", "quotes",
         "non_quotations", "data_flows", "discrepancies")
RECORDS_PER_FILE = 2000
BLOCKS_PER_STORY = 20  # paragraphs in an original story (sets the ~5 KB size)
MAX_CITES = 3          # extra citations of one fact from later documents are capped here

# ---------------------------------------------------------------------------
# Vocabulary

FIRST = ("Ana", "José", "María", "Luis", "Carmen", "David", "Sarah", "Michael", "Grace", "Hamid", "Min-jun",
         "Thu", "Daniel", "Lucía", "Rosa", "Jorge", "Elena", "Samuel", "Aisha", "Kevin", "Marisol", "Óscar",
         "Teresa", "Victor", "Yesenia", "Andrew", "Beatriz", "Carlos", "Diana", "Esteban", "Fatima", "Gabriel",
         "Hana", "Ignacio", "Julia", "Kwame", "Laura", "Mateo", "Nadia", "Omar", "Paola", "Rafael", "Sofía",
         "Tomás", "Valeria", "William", "Ximena", "Yusuf", "Zoe", "Adriana", "Brian", "Cristina", "Dolores",
         "Eduardo", "Francisco", "Gloria", "Héctor", "Irene", "Javier", "Karen", "Leticia", "Manuel", "Norma",
         "Patricia", "Ramón", "Silvia", "Tiffany", "Ulises", "Verónica", "Wendy", "Alejandro", "Blanca",
         "Connie", "Derek", "Emi", "Felipe", "Guadalupe", "Hugo", "Ingrid", "Jasmine", "Kathleen", "Lorena",
         "Miguel", "Nancy", "Pablo", "Ricardo", "Stephen", "Tanya", "Xochitl", "Zachary", "Phal", "Kelvin")
SYL1 = ("Al", "Bar", "Cas", "Del", "Es", "Fer", "Gal", "Her", "Ib", "Jar", "Kel", "Lor", "Mar", "Nav", "Or",
        "Pal", "Quin", "Ros", "San", "Tor", "Ur", "Val", "Wil", "Yan", "Zam")
SYL2 = ("a", "e", "i", "o", "u", "an", "en", "in", "on", "ar", "el", "ol")
SYL3 = ("do", "ra", "rez", "les", "ton", "son", "ley", "ner", "ski", "vez", "man", "ford", "lin", "das",
        "nez", "berg", "quez", "well", "tos", "mora")
PLACES = ("Boyle Heights", "Pico-Union", "Van Nuys", "Highland Park", "Koreatown", "Watts", "South Los Angeles",
          "Echo Park", "Westlake", "Sylmar", "Pacoima", "Wilmington", "San Pedro", "Lincoln Heights", "El Sereno",
          "Mid-City", "Harbor City", "Sun Valley", "Panorama City", "North Hollywood", "Eagle Rock", "Venice",
          "Hollywood", "Chinatown", "Little Tokyo", "Crenshaw", "Leimert Park", "Arleta", "Canoga Park", "Reseda")
FOCUS = ("Immigrant Rights", "Tenant", "Worker", "Youth Justice", "Community Defense", "Civil Liberties",
         "Day Laborer", "Privacy", "Racial Justice", "Family Unity", "Street Vendor", "Legal Defense")
NOUNS = {"Coalition": "coalition", "Alliance": "coalition", "Network": "coalition", "Project": "advocacy_group",
         "Center": "community_group", "Collective": "community_group", "Committee": "advocacy_group",
         "Union": "labor", "Clinic": "legal_services", "Council": "advocacy_group"}
UNIVERSITIES = ("Pacific State University", "Westbrook University", "Cal Coast University", "San Gabriel College",
                "Harbor Valley University", "Arroyo Seco University", "Mission Hills College", "Sierra Vista University")
SCHOOLS = ("School of Law", "Department of Sociology", "Labor Center", "Center for Migration Research",
           "Law Clinic", "Department of Urban Planning")
PAPERS = ("Ledger", "Courier", "Tribune", "Dispatch", "Observer", "Sentinel", "Gazette", "Post", "Wire", "Report")
POLICE_UNITS = ("Constitutional Policing Office", "Information Technology Bureau", "Gang and Narcotics Division",
                "Real-Time Analysis Center", "Jail Division", "Counter-Terrorism Bureau")

# id, name, abbreviation, type, jurisdiction, takes "the", parent, description
CORE_ORGS = (
    ("lapd", "Los Angeles Police Department", "LAPD", "local_police", "city", True, None,
     "the police force of the City of Los Angeles"),
    ("dhs", "Department of Homeland Security", "DHS", "federal_agency", "federal", True, None,
     "the federal department that oversees immigration enforcement"),
    ("ice", "U.S. Immigration and Customs Enforcement", "ICE", "federal_agency", "federal", False, "dhs",
     "the federal agency that detains and deports immigrants"),
    ("cbp", "U.S. Customs and Border Protection", "CBP", "federal_agency", "federal", False, "dhs",
     "the federal border agency"),
    ("hsi", "Homeland Security Investigations", "HSI", "federal_agency", "federal", False, "ice",
     "the investigative arm of ICE"),
    ("fbi", "Federal Bureau of Investigation", "FBI", "federal_agency", "federal", True, None,
     "the federal agency that keeps the national fingerprint database"),
    ("lasd", "Los Angeles County Sheriff’s Department", "LASD", "sheriff", "county", True, None,
     "the county law enforcement agency that runs the jails"),
    ("city-of-los-angeles", "City of Los Angeles", None, "city_government", "city", True, None,
     "the city government"),
    ("la-city-council", "Los Angeles City Council", None, "city_government", "city", True, "city-of-los-angeles",
     "the city’s legislative body"),
    ("police-commission", "Los Angeles Police Commission", None, "city_government", "city", True,
     "city-of-los-angeles", "the civilian board that oversees the police department"),
    ("jric", "Joint Regional Intelligence Center", "JRIC", "other", "regional", True, None,
     "a regional intelligence hub shared by local and federal agencies"),
    ("cal-doj", "California Department of Justice", None, "state_government", "state", True, None,
     "the state agency that enforces California law"),
)
POLICE = ("lapd", "lasd")
FEDERAL = ("ice", "cbp", "hsi", "fbi")

OPENERS = ("We", "Our families", "People in this city", "The department", "Nobody in this neighborhood",
           "Every resident", "The council", "Officers", "Immigrant families", "Our members", "Young people",
           "The public", "Community groups", "Local police", "The federal government", "I")
VERBS = ("cannot trust", "deserve to know about", "were never told about", "have been hurt by", "will keep fighting",
         "need real answers about", "should not have to fear", "are still paying for", "want an end to",
         "will not accept", "have asked for years about", "are watching", "never agreed to", "keep hearing about",
         "don’t believe in", "can’t ignore", "won’t stay quiet about")
OBJECTS = ("a system that sends fingerprints to federal agents", "the data that leaves this building every night",
           "what happens after someone is booked", "a database that nobody audits",
           "the release times of people in custody", "a policy written before most of us were born",
           "license plate readers on every corner", "the quiet cooperation with immigration agents",
           "arrests that end in deportation", "the promises made at city hall", "the patrols in our neighborhoods",
           "a program the public never voted on", "the people who disappear after a traffic stop",
           "records that are shared without a warrant", "the department’s own audit",
           "checkpoints on the way to work", "the phone calls between the jail and federal agents")
TAILS = ("", " right now", " any longer", " in this city", " without a fight", " today", " this year",
         " and we know it", " anymore", " at all", " in {place}", " since {year}")
SECONDS = ("That is the reality for {n} families we work with.", "It happened {n} times last year alone.",
           "We have asked for answers and received none.", "This is not what public safety looks like.",
           "The numbers speak for themselves.", "I have seen it with my own eyes.",
           "Nobody should have to live like this.", "We will be back at the next meeting.", "That has to change.",
           "It is written in the policy, and it is not enforced.", "Ask anyone in {place}.",
           "It’s on autopilot, and nobody is steering.", "The law is clear, and the practice is not.",
           "We counted {n} cases in {month} alone.")
STATEMENTS = ("The department follows all state and federal laws and does not enforce immigration law",
              "We do not share information for the purpose of immigration enforcement",
              "The agency cooperates with local partners within the limits of the law",
              "Public safety depends on the trust of every community we serve",
              "We are reviewing the report and will respond to the council",
              "Our officers do not ask about immigration status")
TERMS = ("roving patrols", "quality of life", "public safety partnership", "information sharing",
         "routine notification", "collateral arrests", "courtesy calls", "sanctuary", "gang database",
         "priority enforcement", "joint operations", "detainer requests")
NESTED = ("cooperation", "public safety", "business as usual", "just paperwork", "a courtesy", "standard practice")
REPORT_TITLES = ("Data Without Borders", "The Booking Pipeline", "Watched in Los Angeles", "Trust and Custody",
                 "Fingerprints and Fear", "A City Divided", "The Quiet Handoff", "Release Times")
COUNTRIES = ("Mexico", "Guatemala", "El Salvador", "Honduras", "the Philippines", "Colombia", "Peru", "Nicaragua")
OCCUPATIONS = ("street vendor", "day laborer", "cook", "construction worker", "student", "mechanic", "nanny",
               "warehouse worker", "gardener", "house painter")
JAILS = ("the Metropolitan Detention Center", "the Van Nuys jail", "Twin Towers Correctional Facility",
         "the 77th Street jail", "the Men’s Central Jail")
FLOWS = (  # data, category, how it moves, through
    ("fingerprints taken at booking", "biometrics", "shared automatically with every booking", "fbi"),
    ("license plate scans", "license_plates", "uploaded by automated readers to a regional database", "jric"),
    ("release times of people in custody", "release_information", "given to agents who call the jail", None),
    ("field interview cards", "field_stops", "entered into a records system that federal partners can search", None),
    ("place of birth recorded at arrest", "place_of_birth", "recorded on booking forms visible to federal agents",
     None),
    ("jail interviews with federal agents", "jail_access", "granted on request at the jail", None),
    ("camera footage from patrol cars", "surveillance", "kept in a shared evidence system", "jric"),
    ("immigration status noted in reports", "immigration_status", "noted in incident reports", None),
    ("joint task force operations", "joint_operations", "carried out by joint task forces", "hsi"),
)
POLICY_ACTIONS = ("stopping a person only to learn their immigration status",
                  "arresting anyone for illegal entry into the United States",
                  "asking victims and witnesses about their immigration status",
                  "holding people in custody for immigration agents without a warrant",
                  "sharing release dates with federal agents", "joining federal immigration raids",
                  "granting federal agents access to the jails without a warrant")
REQUIREMENTS = ("a supervisor’s approval before any contact with federal agents",
                "a written record of every request from immigration agents",
                "a yearly public report on information shared with federal agencies",
                "training for every officer within {n} days", "a judicial warrant for any transfer to federal custody")
EXCEPTIONS = ("cooperation in investigations of serious violent crimes", "responses to court orders",
              "joint task forces approved by the commission", "emergencies that threaten life")
GAPS = ("data shared through regional databases", "fingerprints sent at booking", "the county jails",
        "license plate scans", "requests made by phone")
DEMAND_ACTIONS = ("stop sharing release times with ICE", "end access to the license plate database",
                  "publish every request it receives from federal agents", "close the jails to immigration agents",
                  "audit the data it sends to regional databases", "end joint operations with HSI",
                  "strengthen Special Order 40", "notify people before any transfer to federal custody")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
NUMBER_WORDS = ("Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")
FILLER = (
    "{The_org} did not respond to a request for comment on {weekday}.",
    "Records obtained by {the_paper} show {n} requests from federal agents between {month} and {month2} {year}.",
    "The database can be searched by {n} agencies across the region, according to a {year} audit.",
    "Residents of {place} say they have noticed more patrol cars near the park since {month}.",
    "In {year}, {the_org} reported {n} contacts with federal agents, up from {m} the year before.",
    "A spokesperson for {the_org} said the department follows state law.",
    "{The_council} is expected to take up the issue at its meeting on {weekday}.",
    "The audit found that {pct} percent of the records had no stated purpose.",
    "Advocates in {place} have held {n} meetings on the issue since {month}.",
    "The practice is not new; it dates back at least to {year}, according to people familiar with it.",
    "{The_org} has {n} officers assigned to the program, a number that has grown every year since {year}.",
    "Lawyers who represent immigrants say they learn of most cases only after a transfer has happened.",
    "The city spent {n} million dollars on the system in {year}, according to budget documents.",
    "None of the {n} people interviewed for this article had been told their data would be shared.",
    "State law limits what local agencies can share, but it leaves gaps that are rarely discussed in public.",
    "Officials at {the_org} say the numbers are smaller than critics claim.",
    "The requests spiked in {month}, when federal agents began operating in {place}.",
    "Much of the sharing happens automatically, without any officer deciding to make a call.",
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def a_or_an(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def the(o: "Org", cap: bool = False, short: bool = False) -> str:
    """An organization's name as written in a sentence: 'the Los Angeles Police Department', or 'LAPD'."""
    if short and o.abbr:
        return o.abbr
    s = f"the {o.name}" if o.the else o.name
    return s[0].upper() + s[1:] if cap else s


STRAIGHT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


# ---------------------------------------------------------------------------
# Entities

@dataclass
class Org:
    id: str
    name: str
    abbr: str | None
    type: str
    jurisdiction: str
    the: bool
    parent: str | None
    description: str
    record: dict | None = None


@dataclass
class Person:
    id: str
    first: str
    last: str
    kind: str                  # official | academic | activist | journalist | resident
    role: str = ""
    org: str | None = None
    title: str | None = None   # "Councilmember" -> title form "Councilmember Ruiz"
    record: dict | None = None
    aliases: dict = field(default_factory=dict)   # alias name -> alias record

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Story:
    """An original document: its choices, kept so that copies can re-render them."""
    sid: str
    kind: str
    publisher: Org
    author: Person | None
    date: dt.date
    headline: str
    term: str | None
    blocks: list = field(default_factory=list)    # callables (ctx) -> None, the body paragraphs
    quote_blocks: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    text: str = ""
    source: SourceText | None = None
    citable: list = field(default_factory=list)   # (excerpt, start) of sentences later records may cite
    orgs: list = field(default_factory=list)      # ids of the organizations the story is about


# ---------------------------------------------------------------------------
# Writing one document

class Ctx:
    """One document being written: its text so far, and the records it adds.

    original: records of facts are made only while writing the original story;
    copies add quote appearances, non-quotations, segments, aliases, discrepancies.
    """

    def __init__(self, world: "World", sid: str, original: bool, curly: bool = True, misspell: dict | None = None,
                 ascii_names: bool = False, reword: bool = False, compared_to: str | None = None):
        self.w, self.sid, self.original, self.curly = world, sid, original, curly
        self.misspell = misspell or {}
        self.ascii_names, self.reword, self.compared_to = ascii_names, reword, compared_to
        self.parts: list[str] = []
        self.length = 0
        self.pending: list[tuple[dict, str, str, int]] = []   # (dict, key, excerpt, start): occurrence to fill
        self.segments: list[dict] = []
        self.mentioned: set[str] = set()
        self.non_quotes: dict[str, dict] = {}
        self.discrepancies: list[dict] = []

    # -- text ---------------------------------------------------------------
    def write(self, s: str) -> tuple[int, str]:
        """Append s (in this document's quotation style); return where it starts and what was written."""
        if not self.curly:
            s = s.translate(STRAIGHT)
        start = self.length
        self.parts.append(s)
        self.length += len(s)
        return start, s

    def par(self) -> None:
        if self.length:
            self.write("\n\n")

    @property
    def oq(self) -> str:
        return "“"

    @property
    def cq(self) -> str:
        return "”"

    # -- citations ----------------------------------------------------------
    def cite(self, excerpt: str, start: int) -> dict:
        c = {"source": self.sid, "excerpt": excerpt}
        self.pending.append((c, "occurrence", excerpt, start))
        return c

    def write_cited(self, s: str) -> dict:
        start, written = self.write(s)
        return self.cite(written, start)

    def segment(self, kind: str, excerpt: str, start: int, note: str | None = None) -> None:
        seg = {"kind": kind, "excerpt": excerpt}
        if note:
            seg["note"] = note
        self.pending.append((seg, "occurrence", excerpt, start))
        self.segments.append(seg)

    def non_quotation(self, text: str, kind: str, note: str | None = None) -> None:
        text = text.translate(STRAIGHT) if not self.curly else text
        if text not in self.non_quotes:
            rec = {"source": self.sid, "text": text, "kind": kind}
            if note:
                rec["note"] = note
            self.non_quotes[text] = rec

    # -- names --------------------------------------------------------------
    def last(self, p: Person) -> str:
        name = self.misspell.get(p.id, p.last)
        return ascii_fold(name) if self.ascii_names else name

    def full(self, p: Person) -> str:
        first = ascii_fold(p.first) if self.ascii_names else p.first
        return f"{first} {self.last(p)}"

    def org(self, o: Org, cap: bool = False, short: bool = False) -> str:
        return the(o, cap, short)

    def intro(self, p: Person) -> str:
        """The full form of a person's name with what they are, used at their first mention."""
        if p.kind == "resident":
            return self.full(p)
        o = self.w.orgs[p.org]
        return f"{self.full(p)}, {a_or_an(p.role)} {p.role} at {self.org(o)}"

    def note_name_form(self, p: Person, written: str, start: int) -> None:
        """Aliases: record a name form the first time it is written (and misspellings in copies)."""
        if written == p.full:
            return
        if written == p.last:
            kind = "short_name"
        elif p.title and written == f"{p.title} {p.last}":
            kind = "title_form"
        elif written in (self.full(p), self.last(p)) and p.id in self.misspell:
            kind = "misspelling"
        elif ascii_fold(written) == written and written in (ascii_fold(p.full), ascii_fold(p.last)):
            kind = "variant"
        else:
            return
        if not self.original and kind in ("short_name", "title_form"):
            return
        alias = p.aliases.get(written)
        if alias is None:
            alias = {"name": written, "kind": kind, "cite": []}
            if kind == "misspelling":
                alias["note"] = "misspelt in a machine rewrite"
            p.aliases[written] = alias
        if len(alias["cite"]) < MAX_CITES and all(c["source"] != self.sid for c in alias["cite"]):
            alias["cite"].append(self.cite(written, start))
            did = f"{self.sid}-misspells-{p.id}"
            if kind == "misspelling" and self.compared_to and all(d["id"] != did for d in self.discrepancies):
                self.discrepancies.append({
                    "id": did, "kind": "misspelled_name", "source": self.sid,
                    "compared_to": self.compared_to, "subject": p.id,
                    "description": f"the rewrite spells {p.full} as {written}",
                    "cite": [alias["cite"][-1]]})

    def write_name(self, p: Person, form: str) -> tuple[int, str]:
        """Write a person's name ('full', 'last' or 'title'); return (start, written)."""
        text = {"full": self.full, "last": self.last}.get(form, lambda q: f"{q.title} {self.last(q)}")(p)
        start, written = self.write(text)
        self.note_name_form(p, written, start)
        return start, written

    # -- finishing ----------------------------------------------------------
    def finish(self) -> tuple[str, SourceText]:
        """The document's text; fills in `occurrence:` wherever an excerpt occurs more than once."""
        text = "".join(self.parts)
        st = SourceText(text)
        for target, key, excerpt, start in self.pending:
            found = st.find_all(excerpt)
            mine = [i for i, loc in enumerate(found) if loc.start == start]
            if not mine:
                raise AssertionError(f"{self.sid}: excerpt not found where written: {excerpt!r} at {start}")
            if len(found) > 1:
                target[key] = mine[0] + 1
        return text, st


# ---------------------------------------------------------------------------
# The world: pools of entities, and every record made so far

class World:
    def __init__(self, docs: int, seed: int):
        self.rng = random.Random(seed)
        self.docs = docs
        self.orgs: dict[str, Org] = {}
        self.people: dict[str, Person] = {}
        self.records: dict[str, list[dict]] = {k: [] for k in KINDS}
        self.texts: dict[str, str] = {}
        self.stories: list[Story] = []
        self.policies: list[dict] = []
        self.org_known: set[str] = set()
        self.counter = 0
        self.current_date = dt.date(2019, 1, 1)
        self.apostrophes = False   # every quotation gets an apostrophe (story 0, so copies fold quote styles)
        self._surnames = self._make_surnames()
        self._make_orgs()
        self._make_people()

    # -- pools --------------------------------------------------------------
    def _make_surnames(self) -> list[str]:
        names = [a + b + c for a in SYL1 for b in SYL2 for c in SYL3] + [a + c for a in SYL1 for c in SYL3]
        self.rng.shuffle(names)
        return names

    def surname(self) -> str:
        if self._surnames:
            return self._surnames.pop()
        return self.rng.choice(SYL1) + self.rng.choice(SYL2) + self.rng.choice(SYL3)

    def _add_org(self, org: Org) -> None:
        if org.id in self.orgs:
            return
        self.orgs[org.id] = org

    def _make_orgs(self) -> None:
        r = self.rng
        for oid, name, abbr, typ, jur, the, parent, desc in CORE_ORGS:
            self._add_org(Org(oid, name, abbr, typ, jur, the, parent, desc))
        for unit in POLICE_UNITS:
            name = f"LAPD {unit}"
            self._add_org(Org(slug(name), name, None, "local_police", "city", True, "lapd",
                              "a unit of the Los Angeles Police Department"))
        for place in PLACES:
            self._add_org(Org(slug(place + " neighborhood council"), f"{place} Neighborhood Council", None,
                              "city_government", "city", True, "city-of-los-angeles",
                              f"an elected advisory body for {place}"))
        for place in PLACES[:12]:
            for paper in r.sample(PAPERS, 2):
                name = f"{place} {paper}"
                self._add_org(Org(slug(name), name, None, "media", "none", True, None,
                                  f"a news outlet covering {place}"))
        for uni in UNIVERSITIES:
            for school in SCHOOLS:
                name = f"{uni} {school}"
                self._add_org(Org(slug(name), name, None, "academic", "none", True, None,
                                  f"an academic unit of {uni}"))
        target = len(self.orgs) + max(40, self.docs // 10)   # plus advocacy groups, unions, clinics, coalitions
        while len(self.orgs) < target:
            place, focus, noun = r.choice(PLACES), r.choice(FOCUS), r.choice(tuple(NOUNS))
            name = f"{place} {focus} {noun}"
            if slug(name) in self.orgs:
                name = f"{place} {focus} {noun} {r.choice(('of Los Angeles', 'for Justice', 'Fund', 'Action'))}"
            if slug(name) in self.orgs:
                continue
            abbr = "".join(w[0] for w in re.findall(r"[A-Z][a-z]*", name)) if r.random() < 0.6 else None
            typ = NOUNS[noun]
            desc = {"coalition": f"a coalition of community groups in {place}",
                    "labor": f"a labor union for workers in {place}",
                    "legal_services": f"a legal clinic that represents immigrants in {place}",
                    "community_group": f"a community organization in {place}"}.get(typ, f"an advocacy group based in {place}")
            self._add_org(Org(slug(name), name, abbr, typ, "none", True, None, desc))
        self.media = [o for o in self.orgs.values() if o.type == "media"]
        self.academic = [o for o in self.orgs.values() if o.type == "academic"]
        self.advocacy = [o for o in self.orgs.values() if o.type in ("coalition", "labor", "legal_services",
                                                                       "community_group", "advocacy_group")]
        self.coalitions = [o for o in self.advocacy if o.type == "coalition"]
        self.government = [o for o in self.orgs.values() if o.type in ("city_government", "local_police", "sheriff")]

    def _new_person(self, kind: str) -> Person:
        while True:
            p = Person("", self.rng.choice(FIRST), self.surname(), kind)
            p.id = slug(p.full)
            if p.id not in self.people and p.id not in self.orgs:
                self.people[p.id] = p
                return p

    def _make_people(self) -> None:
        r = self.rng
        count = max(40, self.docs * 3 // 10)
        for i in range(count):
            kind = r.choices(("official", "academic", "activist", "journalist"), (25, 15, 45, 15))[0]
            p = self._new_person(kind)
            if kind == "official":
                o = r.choice(self.government)
                if o.type in ("local_police", "sheriff"):
                    p.role, p.title = r.choice((("captain", "Capt."), ("deputy chief", "Deputy Chief"),
                                                ("commander", "Cmdr."), ("spokesperson", None),
                                                ("sergeant", "Sgt."), ("detective", "Det.")))
                else:
                    p.role, p.title = r.choice((("councilmember", "Councilmember"),
                                                ("commissioner", "Commissioner"), ("chief of staff", None),
                                                ("policy adviser", None)))
            elif kind == "academic":
                o = r.choice(self.academic)
                p.role, p.title = r.choice((("professor of law", "Professor"), ("associate professor", "Professor"),
                                            ("researcher", None), ("director", None)))
            elif kind == "activist":
                o = r.choice(self.advocacy)
                p.role, p.title = r.choice((("organizer", None), ("executive director", None),
                                            ("policy director", None), ("staff attorney", None),
                                            ("spokesperson", None), ("co-founder", None)))
                if o.type == "labor":
                    p.role = "organizer"
            else:
                o = r.choice(self.media)
                p.role, p.title = r.choice((("reporter", None), ("staff writer", None), ("photographer", None)))
            p.org = o.id
        self.speakers = [p for p in self.people.values() if p.kind in ("official", "academic", "activist")]
        self.journalists = [p for p in self.people.values() if p.kind == "journalist"]

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    # -- records ------------------------------------------------------------
    def ensure_person_record(self, ctx: Ctx, p: Person, excerpt: str, start: int, description: str) -> None:
        if p.record is not None or not ctx.original:
            return
        c = ctx.cite(excerpt, start)
        category = {"official": "public_official", "resident": "private_individual"}.get(p.kind, "public_figure")
        p.record = {"id": p.id, "name": p.full, "category": category, "description": description, "cite": [c]}
        if p.org:
            p.record["affiliations"] = [{"organization": p.org, "role": p.role, "date": str(ctx_year(ctx)),
                                         "date_basis": "the role as the article gives it in that year",
                                         "current": True, "cite": [c]}]
        self.records["people"].append(p.record)


def ctx_year(ctx: Ctx) -> int:
    return ctx.w.current_date.year


# ---------------------------------------------------------------------------
# Prose

def quote_text(w: World, end: str = ",") -> str:
    """A quotation's words, ending in `end` (',' before an attribution, '.' after one)."""
    r = w.rng
    fill = {"place": r.choice(PLACES), "year": r.randint(2015, 2024), "n": r.randint(2, 90),
            "month": r.choice(MONTHS)}
    verbs = [v for v in VERBS if "’" in v] if w.apostrophes else VERBS
    first = f"{r.choice(OPENERS)} {r.choice(verbs)} {r.choice(OBJECTS)}{r.choice(TAILS)}".format(**fill)
    if r.random() < 0.1:
        first = f"They call it ‘{r.choice(NESTED)},’ but we call it {r.choice(OBJECTS)}"
    if r.random() < 0.5:
        return f"{first}. {r.choice(SECONDS).format(**fill)[:-1]}{end}"
    return first + end


REWORD = {"cannot": "can not", "families": "households", "department": "agency", "police": "law enforcement",
          "city": "municipality", "data": "information", "federal": "national", "people": "persons",
          "never": "not ever", "agents": "officers", "neighborhood": "community", "trust": "believe in",
          "answers": "responses", "deserve": "merit", "policy": "rule", "program": "scheme", "public": "people"}


def reword(w: World, text: str) -> tuple[str, str]:
    """A machine rewrite of a quotation: (text, fidelity)."""
    words = text.split(" ")
    changed = [REWORD.get(x, x) for x in words]
    if changed != words and w.rng.random() < 0.8:
        return " ".join(changed), "reworded"
    i = w.rng.randrange(len(words))
    garbled = words[: i + 1] + words[max(0, i - 2): i + 1] + words[i + 1:]   # a phrase repeated
    return " ".join(garbled), "garbled"


def filler_sentence(w: World, story: Story) -> str:
    r = w.rng
    orgs = [w.orgs[o] for o in story.orgs]
    fill = {"The_org": the(r.choice(orgs), cap=True), "the_org": the(r.choice(orgs)),
            "the_paper": the(story.publisher), "The_council": "The Los Angeles City Council",
            "weekday": r.choice(WEEKDAYS), "n": r.randint(3, 400), "m": r.randint(3, 400), "pct": r.randint(3, 95),
            "month": r.choice(MONTHS), "month2": r.choice(MONTHS), "year": r.randint(2010, 2024),
            "place": r.choice(PLACES)}
    return r.choice(FILLER).format(**fill)


# ---------------------------------------------------------------------------
# Body blocks: each is a function of a Ctx, so a copy can write it again

def quote_block(w: World, story: Story, speaker, form: str, kind: str = "spoken", topic: str | None = None):
    """A paragraph with one quotation; makes the quote record (appearances are added per document)."""
    r = w.rng
    qid = f"{story.sid}-q{len(story.quote_blocks) + 1}"
    record = {"id": qid, "speaker": speaker.id, "kind": kind}
    if topic:
        record["topic"] = topic
    record["appearances"] = []
    end_after = "." if form in ("added", "wrote") else ","
    pieces = [quote_text(w, end_after)]
    if kind == "statement":
        pieces = [r.choice(STATEMENTS) + ("" if r.random() < 0.5 else ". " + r.choice(SECONDS).format(
            n=r.randint(2, 90), place=r.choice(PLACES), month=r.choice(MONTHS))[:-1]) + ","]
    use_title = isinstance(speaker, Person) and speaker.title and r.random() < 0.4
    if form in ("split", "paragraphs"):
        pieces = [quote_text(w, ","), quote_text(w, "," if form == "paragraphs" else ".")]
        if form == "paragraphs":
            pieces[0] = pieces[0][:-1] + "."
    w.records["quotes"].append(record)

    def render(ctx: Ctx) -> None:
        texts = pieces
        fidelity = "verbatim"
        if ctx.reword:
            reworded = [reword(ctx.w, p) for p in pieces]
            texts = [t for t, _ in reworded]
            fidelity = "garbled" if any(f == "garbled" for _, f in reworded) else "reworded"
        ctx.par()
        at: list[tuple[int, str]] = []       # (start, written) of each piece
        attribution: list[str] = []

        def piece(i: int) -> None:
            at.append(ctx.write(texts[i]))

        def name(form_: str) -> None:
            start, written = ctx.write_name(speaker, form_)
            attribution.append(written)

        def last_name_then(verb: str, lead: str) -> None:
            """The attribution before the quotation: '<Last> <verb><lead>“<the quotation>”'."""
            name("last")
            attribution[-1] += ctx.write(f" {verb}")[1]
            ctx.write(f"{lead}{ctx.oq}")
            piece(0)
            ctx.write(ctx.cq)

        def said_by(first_mention_ok: bool = True) -> None:
            """The attribution after a quotation: 'said <intro>' at a first mention, else '<Last> said'."""
            if isinstance(speaker, Org):
                attribution.append(ctx.write(f"{ctx.org(speaker)} said in a statement")[1])
                return
            if speaker.id not in ctx.mentioned and first_mention_ok:
                ctx.mentioned.add(speaker.id)
                s0, said = ctx.write("said ")
                intro = ctx.intro(speaker)
                start, written = ctx.write(intro)
                ctx.note_name_form(speaker, ctx.full(speaker), start)
                ctx.w.ensure_person_record(ctx, speaker, written, start, intro.split(", ", 1)[-1])
                attribution.append(said + written)
            elif use_title:
                s0, said = ctx.write("said ")
                name("title")
                attribution[-1] = said + attribution[-1]
            else:
                name("last")
                attribution[-1] += ctx.write(" said")[1]

        if form == "added" and isinstance(speaker, Person) and speaker.id in ctx.mentioned:
            last_name_then("added", ": ")
        elif form == "wrote" and isinstance(speaker, Person) and speaker.id in ctx.mentioned:
            ctx.write(f"In a letter to {ctx.org(ctx.w.orgs[story.orgs[0]])}, ")
            last_name_then("wrote", " that ")
        elif form == "split" and (isinstance(speaker, Org) or speaker.id in ctx.mentioned):
            ctx.write(ctx.oq)
            piece(0)
            ctx.write(ctx.cq + " ")
            said_by()
            ctx.write(f". {ctx.oq}")
            piece(1)
            ctx.write(ctx.cq)
        elif form == "paragraphs" and (isinstance(speaker, Org) or speaker.id in ctx.mentioned):
            ctx.write(ctx.oq)
            piece(0)
            ctx.write(f"\n\n{ctx.oq}")
            piece(1)
            ctx.write(ctx.cq + " ")
            said_by()
            ctx.write(".")
        else:
            ctx.write(ctx.oq)
            piece(0)
            ctx.write(ctx.cq + " ")
            said_by()
            ctx.write(".")
        n_pieces = len(at)
        written_pieces = [wr for _, wr in at]
        # Curators copy quotations from the original; in a copy with straight marks the
        # excerpt then differs only in quote style, which the build folds.
        cited = texts[:n_pieces] if not ctx.curly else written_pieces
        app = {"source": ctx.sid, "text": cited[0] if n_pieces == 1 else list(cited),
               "attribution": attribution[0], "fidelity": fidelity}
        ctx.pending.append((app, "occurrence", cited[0], at[0][0]))
        record["appearances"].append(app)
        if fidelity != "verbatim" and ctx.compared_to and not any(d["kind"] == "reworded_quote" for d in ctx.discrepancies):
            ctx.discrepancies.append({
                "id": f"{ctx.sid}-rewords-{qid}", "kind": "reworded_quote", "source": ctx.sid,
                "compared_to": ctx.compared_to, "subject": qid,
                "description": "the rewrite changes the words of the quotation", "cite": [ctx.cite(*at[0][::-1])]})

    story.quote_blocks.append(render)
    return render


def filler_block(w: World, story: Story, sentences: int):
    text = " ".join(filler_sentence(w, story) for _ in range(sentences))

    def render(ctx: Ctx) -> None:
        ctx.par()
        ctx.write(text)
    return render


def org_intro_block(w: World, story: Story, orgs: list[Org]):
    """Background sentences introducing organizations ('The X (XA) is ...'); the original makes their records."""
    def render(ctx: Ctx) -> None:
        ctx.par()
        for i, o in enumerate(orgs):
            if i:
                ctx.write(" ")
            abbr = f" ({o.abbr})" if o.abbr else ""
            start, sentence = ctx.write(f"{ctx.org(o, cap=True)}{abbr} is {o.description}.")
            if ctx.original and o.record is None:
                c = ctx.cite(sentence, start)
                o.record = {"id": o.id, "name": o.name, "type": o.type, "jurisdiction": o.jurisdiction}
                if o.parent:
                    o.record["parent"] = o.parent
                o.record["description"] = o.description
                o.record["cite"] = [c]
                if o.abbr:
                    o.record["aliases"] = [{"name": o.abbr, "kind": "short_name", "cite": [c]}]
                w.records["organizations"].append(o.record)
    return render


def scare_quote_block(w: World, story: Story):
    term = story.term
    title = w.rng.choice(REPORT_TITLES)
    org = w.orgs[story.orgs[0]]

    def render(ctx: Ctx) -> None:
        ctx.par()
        ctx.write(f"{ctx.org(org, cap=True)} describes the program as {ctx.oq}{term}{ctx.cq}, "
                  f"a phrase that critics reject. A {ctx.w.current_date.year - 1} report titled "
                  f"{ctx.oq}{title}{ctx.cq} counted the cases.")
        ctx.non_quotation(term, "scare_quote", "the agency's phrase, quoted at a distance")
        ctx.non_quotation(title, "title")
    return render


def case_block(w: World, story: Story, agency: Org):
    r = w.rng
    subject = w._new_person("resident")
    age, occupation, place = r.randint(19, 64), r.choice(OCCUPATIONS), r.choice(PLACES)
    arrest = story.date - dt.timedelta(days=r.randint(20, 200))
    release = arrest + dt.timedelta(days=r.randint(0, 2))
    later = release + dt.timedelta(days=r.randint(2, 9))
    ending = r.choice(("deported", "detained", "released"))
    jail = r.choice(JAILS)

    def d(x: dt.date) -> str:
        return f"{MONTHS[x.month - 1]} {x.day}"

    def render(ctx: Ctx) -> None:
        original = ctx.original
        ctx.par()
        who_start, who = ctx.write(f"{ctx.full(subject)}, {age}, {a_or_an(occupation)} {occupation} from {place}")
        ctx.note_name_form(subject, ctx.full(subject), who_start)
        ctx.w.ensure_person_record(ctx, subject, who, who_start, f"{a_or_an(occupation)} {occupation} from {place}, "
                                   f"age {age}")
        rest_start, rest = ctx.write(f", was arrested by {ctx.org(agency)} officers on {d(arrest)}, {arrest.year}.")
        arrest_cite = ctx.cite(who + rest, who_start) if original else None
        ctx.write(" ")
        name_start, last = ctx.write_name(subject, "last")
        booked = ctx.write(f" was booked into {jail} and fingerprinted the same day.")[1]
        booked_cite = ctx.cite(last + booked, name_start) if original else None
        ctx.write(" ")
        shared_cite = ctx.write_cited(f"Within hours, the fingerprints were shared with "
                                      f"{ctx.org(ctx.w.orgs['ice'])} through the FBI, records show.")
        ctx.par()
        name_start, last = ctx.write_name(subject, "last")
        released = ctx.write(f" was released without charges on {d(release)}.")[1]
        released_cite = ctx.cite(last + released, name_start)
        ctx.write(" ")
        if ending == "released":
            final = ctx.write_cited(f"A hearing in immigration court was set for {d(later)}.")
            final_event = ("court_hearing", later.isoformat(), None, "a hearing in immigration court was set")
        else:
            words = NUMBER_WORDS[(later - release).days - 2]
            s0, s = ctx.write(f"{words} days later, agents of {ctx.org(ctx.w.orgs['ice'])} detained ")
            n0, last = ctx.write_name(subject, "last")
            s2 = ctx.write(f" outside a home in {place}.")[1]
            final = ctx.cite(s + last + s2, s0)
            final_event = ("ice_detention", later.isoformat(), "ice", "detained by ICE agents outside a home")
            if ending == "deported":
                ctx.write(" ")
                n0, last = ctx.write_name(subject, "last")
                country = COUNTRIES[hash_index(subject.id, len(COUNTRIES))]
                dep = ctx.write(f" was deported to {country} in {MONTHS[later.month - 1]}.")[1]
                dep_cite = ctx.cite(last + dep, n0)
        if not original:
            return
        # The booking and deportation sentences do not say by whom: the agency is the one named in the
        # sentence before, an inference kept visible with the passage it rests on.
        booked_by = {"link": "agency", "basis": "context",
                     "note": f"the article says {subject.last} was booked and fingerprinted the same day, without "
                             f"saying by whom; {agency.name} officers had arrested {subject.last}",
                     "cite": [arrest_cite]}
        events = [
            {"date": arrest.isoformat(), "type": "arrest", "agency": agency.id,
             "description": f"arrested by {agency.name} officers", "cite": [arrest_cite]},
            {"date": arrest.isoformat(), "date_basis": "booked 'the same day' as the arrest", "type": "fingerprinting",
             "agency": agency.id, "inferred": [booked_by], "description": f"booked into {jail} and fingerprinted",
             "cite": [booked_cite]},
            {"date": arrest.isoformat(), "date_basis": "'within hours' of the booking", "type": "ice_notification",
             "agency": "fbi", "description": f"fingerprints shared with {ctx.w.orgs['ice'].name} through the FBI",
             "cite": [shared_cite]},
            {"date": release.isoformat(), "type": "release", "description": "released without charges",
             "cite": [released_cite]},
        ]
        kind, date, ev_agency, desc = final_event
        ev = {"date": date, "type": kind}
        if kind == "ice_detention":
            ev["date_basis"] = "counted from the release date"
            ev["agency"] = "ice"
        ev.update(description=desc, cite=[final])
        events.append(ev)
        if ending == "deported":
            deported_by = {"link": "agency", "basis": "context",
                           "note": f"the article says {subject.last} was deported, without saying by whom; "
                                   f"ICE agents had detained {subject.last} the sentence before",
                           "cite": [final]}
            events.append({"date": later.strftime("%Y-%m"), "date_basis": "the article gives the month only",
                           "type": "deportation", "agency": "ice", "inferred": [deported_by], "description": "deported",
                           "cite": [dep_cite]})
        w.records["cases"].append({
            "id": f"{subject.id}-case", "title": f"{subject.full} arrested, released without charges, {ending}",
            "subject": subject.id, "subject_description": f"{occupation} from {place}, age {age}",
            "summary": f"Arrested by {agency.name} officers, fingerprinted, released without charges; {ending}.",
            "charges": "no", "federal_charges": "unknown", "outcome": ending, "cite": [arrest_cite], "events": events})

    return render, subject


def hash_index(text: str, n: int) -> int:
    return sum(map(ord, text)) % n


def policy_block(w: World, story: Story, issuer: Org, advocate: Org):
    """Introduce a new policy with provisions, or mention a known one."""
    r = w.rng
    if w.policies and r.random() < 0.6:
        known = r.choice(w.policies)
        text = f"Under {known['name']}, officers may not be used for {r.choice(POLICY_ACTIONS)}. {filler_sentence(w, story)}"

        def mention(ctx: Ctx) -> None:
            ctx.par()
            ctx.write(text)
        return mention, known["id"]
    n = len(w.policies) + 1
    kind, name = r.choice((("department_policy", f"Special Order {n + 39}"),
                           ("chiefs_directive", f"Chief’s Directive No. {n}"),
                           ("executive_directive", f"Executive Directive No. {n + 10}"),
                           ("ordinance", f"Ordinance {180000 + n * 7}")))
    pid = slug(name)
    year = r.randint(1979, story.date.year)
    action = r.choice(POLICY_ACTIONS)
    requirement = r.choice(REQUIREMENTS).format(n=r.choice((30, 60, 90)))
    exception = r.choice(EXCEPTIONS)
    gap = r.choice(GAPS)
    amends = w.policies[-1] if w.policies and r.random() < 0.2 else None
    record = {"id": pid, "name": name, "kind": kind, "issuer": issuer.id, "date": str(year),
              "date_basis": "the year the article gives",
              "status": r.choice(("in_effect", "in_effect", "temporary", "proposed")),
              "description": f"bars officers from {action}"}
    if amends:
        record["amends"] = amends["id"]
    w.policies.append(record)
    w.records["policies"].append(record)

    def render(ctx: Ctx) -> None:
        ctx.par()
        first = ctx.write_cited(f"{name}, issued by {ctx.org(issuer)} in {year}, bars officers from {action}.")
        ctx.write(" ")
        req = ctx.write_cited(f"It requires {requirement}.")
        ctx.write(" ")
        exc = ctx.write_cited(f"It allows {exception}.")
        ctx.write(" ")
        cav_start, cav = ctx.write(f"{ctx.org(advocate, cap=True)} says the policy does not cover {gap}.")
        if amends:
            ctx.write(f" It amends {amends['name']}.")
        if not ctx.original:
            return
        record["cite"] = [first]
        record["provisions"] = [
            {"kind": "bars", "text": action, "cite": [first]},
            {"kind": "requires", "text": requirement, "cite": [req]},
            {"kind": "exception", "text": exception, "cite": [exc]},
            {"kind": "caveat", "text": f"does not cover {gap}", "by": advocate.id, "cite": [ctx.cite(cav, cav_start)]},
        ]
    return render, pid


def flow_block(w: World, story: Story, src: Org, dst: Org, advocate: Org):
    r = w.rng
    data, category, how, via = r.choice(FLOWS)
    n, since = r.randint(10, 5000), r.randint(2008, 2023)
    fid = f"{src.id}-{dst.id}-{category.replace('_', '-')}-{w.next_id()}"

    def render(ctx: Ctx) -> None:
        ctx.par()
        through = f", {how} through {ctx.org(ctx.w.orgs[via])}" if via else f", {how}"
        lead = ctx.write_cited(f"{ctx.org(src, cap=True)} shares {data} with {ctx.org(dst)}{through}, "
                               f"according to records reviewed by {ctx.org(story.publisher)}.")
        ctx.write(" ")
        asserts = ctx.write_cited(f"{ctx.org(advocate, cap=True)} says the {data} have reached "
                                  f"{ctx.org(dst, short=True)} {n} times since {since}.")
        ctx.write(" ")
        denies = ctx.write_cited(f"{ctx.org(src, cap=True)} says it does not share {data} for immigration enforcement.")
        if not ctx.original:
            return
        rec = {"id": fid, "data": data, "category": category, "from": src.id, "to": dst.id}
        if via:
            rec["through"] = [via]
        rec.update(mechanism=how, status=r.choice(("ongoing", "alleged", "limited", "unknown")), cite=[lead],
                   claims=[{"stance": "asserts", "by": advocate.id, "text": f"{data} reached {dst.name} {n} times",
                            "cite": [asserts]},
                           {"stance": "denies", "by": src.id, "text": f"does not share {data} for immigration enforcement",
                            "cite": [denies]}])
        w.records["data_flows"].append(rec)
    return render, via


def demands_block(w: World, story: Story, coalition: Org, members: list[Org], target: Org, policy: str | None):
    r = w.rng
    actions = r.sample(DEMAND_ACTIONS, 2)

    def render(ctx: Ctx) -> None:
        ctx.par()
        names = [ctx.org(m) for m in members]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}"
        start, sentence = ctx.write(f"{ctx.org(coalition, cap=True)} includes {listed}.")
        ctx.segment("member_list", sentence, start)
        member_cite = ctx.cite(sentence, start) if ctx.original else None
        demand_cites = []
        for action in actions:
            ctx.write(" ")
            demand_cites.append(ctx.write_cited(f"The coalition demands that {ctx.org(target)} {action}."))
        if not ctx.original:
            return
        rec = coalition.record
        have = {m.get("organization") for m in rec.setdefault("members", [])}
        for m in members:
            if m.id not in have and m.id != coalition.id:
                rec["members"].append({"organization": m.id, "role": "member", "cite": [member_cite]})
                have.add(m.id)
        if not rec["members"]:
            del rec["members"]
        for action, c in zip(actions, demand_cites):
            d = {"id": f"{slug(action)[:40].strip('-')}-{w.next_id()}", "text": f"{target.name} must {action}",
                 "by": [coalition.id], "addressed_to": [target.id]}
            if policy:
                d["policy"] = policy
            d.update(status=r.choice(("unmet", "unmet", "partly_met", "unknown")), cite=[c])
            w.records["demands"].append(d)
    return render


# ---------------------------------------------------------------------------
# Stories (originals) and copies

def make_story(w: World, n: int, sid: str, kind: str) -> Story:
    r = w.rng
    publisher = r.choice(w.media) if kind == "original_report" else None
    speakers = r.sample(w.speakers, r.randint(3, 5))
    police = w.orgs[r.choice(POLICE)]
    federal = w.orgs["ice" if r.random() < 0.6 else r.choice(FEDERAL)]
    advocate = w.orgs[speakers[-1].org] if speakers[-1].kind == "activist" else r.choice(w.advocacy)
    coalition = r.choice(w.coalitions) if kind == "press_release" else None
    if coalition:
        publisher = coalition
    author = r.choice(w.journalists) if kind == "original_report" else None
    term = r.choice(TERMS)
    headline = (f"{police.abbr or police.name} shares {r.choice(FLOWS)[0]} with {federal.abbr}, "
                f"{r.choice(('records show', 'activists say', 'audit finds', 'documents reveal'))}")
    story = Story(sid, kind, publisher, author, w.current_date, headline, term)
    story.orgs = [police.id, federal.id, advocate.id]
    story.speakers = speakers

    # Which organizations this story needs on record: introduce the new ones (parents first).
    needed: list[Org] = []

    def need(o: Org) -> None:
        if o.parent and o.parent not in w.org_known:
            need(w.orgs[o.parent])
        if o.id not in w.org_known and o not in needed:
            needed.append(o)
            w.org_known.add(o.id)

    for o in (police, federal, advocate, publisher, w.orgs["fbi"], w.orgs["ice"]):
        need(o)
    for p in speakers + ([author] if author else []):
        need(w.orgs[p.org])

    blocks = []
    has_flow = r.random() < 0.35 or n == 0
    if has_flow:
        render, via = flow_block(w, story, police, federal, advocate)
        if via:
            need(w.orgs[via])
        blocks.append(render)
    else:
        blocks.append(filler_block(w, story, 2))
    policy_id = None
    if r.random() < 0.35 or n == 0:
        render, policy_id = policy_block(w, story, police if r.random() < 0.7 else w.orgs["city-of-los-angeles"], advocate)
        need(w.orgs["city-of-los-angeles"])
        blocks.append(render)
    if coalition:
        members = [o for o in r.sample(w.advocacy, 4) if o.id != coalition.id][:3]
        for o in members:
            need(o)
        blocks.append(demands_block(w, story, coalition, members, police, policy_id))

    # Quotations: every speaker first with the full form, then a mix of forms.
    forms = ["first"] * len(speakers) + r.choices(("plain", "added", "split", "paragraphs", "wrote", "plain"),
                                                  k=r.randint(4, 6))
    order = speakers + [r.choice(speakers) for _ in forms[len(speakers):]]
    quotes = []
    for sp, form in zip(order, forms):
        kind_ = "written" if form == "wrote" else "spoken"
        topic = policy_id if policy_id and r.random() < 0.3 else None
        quotes.append(quote_block(w, story, sp, form, kind_, topic))
    statement_org = police if r.random() < 0.7 else federal
    quotes.append(quote_block(w, story, statement_org, "plain", "statement"))
    for q in quotes:
        blocks.append(q)
        if r.random() < 0.45:
            blocks.append(filler_block(w, story, r.randint(2, 4)))
    if r.random() < 0.5 or n == 0:
        render, subject = case_block(w, story, police)
        blocks.insert(r.randint(1, len(blocks)), render)
    blocks.insert(r.randint(1, len(blocks)), scare_quote_block(w, story))
    while len(blocks) < BLOCKS_PER_STORY:
        blocks.append(filler_block(w, story, 3))
    story.blocks = ([org_intro_block(w, story, needed[i:i + 3]) for i in range(0, len(needed), 3)] + blocks)
    return story


def chrome_top(ctx: Ctx, story: Story, headline: str, byline: bool = True) -> None:
    start, h = ctx.write(headline)
    ctx.segment("headline", h, start)
    if story.kind == "press_release":
        ctx.write("\n\n")
        start, s = ctx.write("FOR IMMEDIATE RELEASE")
        ctx.segment("page_chrome", s, start)
    elif byline and story.author:
        ctx.write("\n\n")
        start, s = ctx.write("By ")
        n0, name = ctx.write_name(story.author, "full")
        # The byline names the writer's outlet (not always the publisher): the passage the affiliation cites.
        outlet = ctx.write(f", {ctx.w.orgs[story.author.org].name}")[1]
        ctx.segment("byline", s + name + outlet, start)
        ctx.w.ensure_person_record(ctx, story.author, name + outlet, n0, f"{a_or_an(story.author.role)} "
                                   f"{story.author.role} at {ctx.org(ctx.w.orgs[story.author.org])}")
    ctx.write("\n\n")
    ctx.write(f"{MONTHS[story.date.month - 1]} {story.date.day}, {story.date.year}")


def chrome_bottom(ctx: Ctx, story: Story, publisher_name: str) -> None:
    r = ctx.w.rng
    ctx.par()
    photographer = r.choice(ctx.w.journalists)
    start, cap = ctx.write(f"Protesters gather outside a police station in {r.choice(PLACES)}. ")
    ctx.segment("photo_caption", cap.strip(), start)
    start, credit = ctx.write(f"({ctx.full(photographer)}/{publisher_name})")
    ctx.segment("photo_credit", credit, start)
    ctx.par()
    if story.kind == "press_release":
        ctx.write("###")
        return
    start, s = ctx.write(f"© {story.date.year} {publisher_name}. All rights reserved.")
    ctx.segment("copyright_notice", s, start)
    ctx.write(" ")
    start, s = ctx.write(f"Sign up for the {publisher_name} newsletter to get stories like this one.")
    ctx.segment("signup", s, start)


def source_record(story_or_copy: dict, ctx: Ctx) -> dict:
    rec = dict(story_or_copy)
    if ctx.segments:
        rec["segments"] = ctx.segments
    return rec


def write_original(w: World, n: int, sid: str, kind: str) -> Story:
    story = make_story(w, n, sid, kind)
    ctx = Ctx(w, sid, original=True)
    chrome_top(ctx, story, story.headline)
    story.citable.append((story.headline, 0))
    for block in story.blocks:
        block(ctx)
    chrome_bottom(ctx, story, story.publisher.name)
    story.text, story.source = ctx.finish()
    date_basis = "dateline of the article" if kind == "original_report" else "date of the release"
    rec = {"id": sid, "document": True, "original_file": f"{n:05d}_{slug(story.headline)[:24]}.txt",
           "title": story.headline, "title_basis": "the headline line", "publisher": story.publisher.name}
    if story.author:
        rec["author"] = story.author.full
    # The narration is the publisher's words: the paper's reporting, the coalition's release (evidence rule 1).
    rec.update(url=f"https://www.{slug(story.publisher.name)}.example/{n}", date=story.date.isoformat(),
               date_basis=date_basis, kind=kind, language="en", voice=story.publisher.id)
    finish_document(w, ctx, source_record(rec, ctx), story.text)
    return story


def write_copy(w: World, n: int, sid: str, orig: Story, how: str, straight: bool = False) -> None:
    r = w.rng
    original_id = orig.sid
    held = not (how == "repost" and r.random() < 0.1) or straight
    if not held:
        # The copy's immediate original is known but not held: an intermediate post.
        original_id = f"{sid}-via"
        w.records["sources"].append({
            "id": original_id, "document": False, "title": orig.headline,
            "title_basis": "named in the copy's footer", "publisher": "an aggregator",
            "date": str(orig.date.year), "date_basis": "year of the story it copies", "kind": "repost",
            "language": "en", "derived_from": orig.sid, "relation": "repost of the original, not held",
            "notes": "known only through the copy"})
    curly = not straight and (how != "repost" or r.random() < 0.5)
    publisher = r.choice(w.media)
    if how == "machine_rewrite":
        victims = [p for p in orig.speakers if len(p.last) > 3 and p.last[-1] != p.last[-2]]
        victim = r.choice(victims) if victims else None
        misspell = {victim.id: victim.last[:-2] + victim.last[-1] + victim.last[-2]} if victim else {}  # last two letters swapped
        ctx = Ctx(w, sid, original=False, curly=curly, misspell=misspell, reword=True,
                  compared_to=orig.sid)
        headline = orig.headline.replace("shares", "gives").replace(" with ", " to ")
        body = orig.blocks
        relation = "machine rewrite of the whole article: quotations reworded, a name misspelt"
    elif how == "repost":
        ctx = Ctx(w, sid, original=False, curly=curly, ascii_names=not curly)
        headline = orig.headline
        body = [b if r.random() < 0.7 else None for b in orig.blocks]
        relation = "partial repost with {snip} marks" + ("" if curly else ", quotation marks straightened")
    else:
        ctx = Ctx(w, sid, original=False, curly=curly)
        headline = f"Report: {orig.headline}"
        body = r.sample(orig.quote_blocks, min(3, len(orig.quote_blocks)))
        relation = "summary of the article with some of its quotations"
    story = Story(sid, orig.kind, publisher, None, w.current_date, headline, orig.term)
    chrome_top(ctx, story, headline, byline=False)
    if how == "summary":
        ctx.par()
        ctx.write(f"According to a new report by {ctx.org(orig.publisher)}, {orig.headline[0].lower()}{orig.headline[1:]}.")
    for block in body:
        if block is None:
            ctx.par()
            ctx.write("{snip}")
        else:
            block(ctx)
    rights = None
    if how == "repost":
        ctx.par()
        start, rights = ctx.write(f"This content is courtesy of, and owned and copyrighted by, "
                                  f"https://www.{slug(orig.publisher.name)}.example and its author.")
        rights_cite = ctx.cite(rights, start)
        ctx.write(" ")
        start, s = ctx.write(f"The post {orig.headline} appeared first on {orig.publisher.name}.")
        ctx.segment("syndication_notice", s, start)
    else:
        chrome_bottom(ctx, story, publisher.name)
    if how == "machine_rewrite" and headline != orig.headline:
        ctx.discrepancies.append({"id": f"{sid}-changes-title", "kind": "changed_title", "source": sid,
                                  "compared_to": orig.sid, "description": "the rewrite rewords the headline",
                                  "cite": [ctx.cite(ctx.segments[0]["excerpt"], 0)]})
    text, st = ctx.finish()
    if how == "summary":
        # What the summary leaves out, cited from the original.
        excerpt, start = orig.citable[0] if orig.citable else (orig.headline, 0)
        found = orig.source.find_all(excerpt)
        cite = {"source": orig.sid, "excerpt": excerpt}
        if len(found) > 1:
            cite["occurrence"] = [f.start for f in found].index(start) + 1
        ctx.discrepancies.append({"id": f"{sid}-omits", "kind": "omitted", "source": sid, "compared_to": orig.sid,
                                  "description": "the summary leaves out most of the article", "cite": [cite]})
    rec = {"id": sid, "document": True, "original_file": f"{n:05d}_{slug(headline)[:24]}.txt", "title": headline,
           "title_basis": "the headline line", "publisher": publisher.name}
    rec.update(url=f"https://www.{slug(publisher.name)}.example/{n}", date=story.date.isoformat(),
               date_basis="date line of the copy", kind=how, language="en")
    if how != "summary":
        rec["voice"] = orig.publisher.id    # a repost or rewrite copies the original's words; a summary has its own
    rec.update(derived_from=original_id, relation=relation)
    if rights:
        rec["rights"] = rights
        rec["rights_cite"] = [rights_cite]
    finish_document(w, ctx, source_record(rec, ctx), text)


def finish_document(w: World, ctx: Ctx, source: dict, text: str) -> None:
    w.texts[ctx.sid] = text
    w.records["sources"].append(source)
    w.records["non_quotations"].extend(ctx.non_quotes.values())
    w.records["discrepancies"].extend(ctx.discrepancies)


def generate(docs: int, seed: int) -> World:
    w = World(docs, seed)
    r = w.rng
    start = dt.date(2019, 1, 1)
    # The first few documents are fixed so that even a tiny corpus has every kind of record.
    fixed = {0: ("original_report", None), 1: ("press_release", None), 2: ("machine_rewrite", 0), 3: ("repost", 0),
             4: ("summary", 1)}
    for n in range(docs):
        w.current_date = start + dt.timedelta(days=n * 2000 // max(docs, 1))
        sid = f"doc-{n:05d}"
        kind, of = fixed.get(n, (None, None))
        if kind is None:
            if w.stories and r.random() < 0.2:
                kind = r.choices(("repost", "machine_rewrite", "summary"), (40, 40, 20))[0]
                of = r.randrange(max(0, len(w.stories) - 50), len(w.stories))
            else:
                kind = "press_release" if r.random() < 0.12 else "original_report"
        if of is not None:
            write_copy(w, n, sid, w.stories[of], kind, straight=(n == 3))
        else:
            w.apostrophes = n == 0
            story = write_original(w, n, sid, kind)
            w.stories.append(story)
    w.records["people"].sort(key=lambda p: p["id"])
    for p in w.people.values():
        if p.record is not None and p.aliases:
            p.record["aliases"] = list(p.aliases.values())
    w.records["organizations"].sort(key=lambda o: o["id"])
    return w


# ---------------------------------------------------------------------------
# Output

class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Records share citation dicts; write each in full, never as &anchor/*alias (the loader refuses those)."""

    def ignore_aliases(self, data):
        return True


def write_corpus(w: World, out: Path, seed: int, schema: Path) -> None:
    docs_dir = out / "raw" / "documents"
    records_dir = out / "raw" / "records"
    for d in (docs_dir, records_dir):
        if d.exists():
            shutil.rmtree(d)
        d.mkdir(parents=True)
    for sid in sorted(w.texts):
        (docs_dir / f"{sid}.txt").write_text(w.texts[sid] + "\n", encoding="utf-8")
    header = f"# Synthetic records made by bench/corpus.py --docs {w.docs} --seed {seed}. Do not edit.\n"
    for kind in KINDS:
        records = w.records[kind]
        if not records:
            continue
        (records_dir / kind).mkdir()
        for i in range(0, len(records), RECORDS_PER_FILE):
            chunk = records[i:i + RECORDS_PER_FILE]
            text = yaml.dump(chunk, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 16,
                             default_flow_style=False)
            (records_dir / kind / f"{i // RECORDS_PER_FILE:04d}.yml").write_text(header + text, encoding="utf-8")
    link = out / "schema"
    if link.is_symlink() or link.exists():
        link.unlink() if link.is_symlink() else shutil.rmtree(link)
    link.symlink_to(schema.resolve(), target_is_directory=True)


def make_corpus(docs: int, seed: int, out: Path, schema: Path = REPO / "schema") -> str:
    """Generate and write a corpus (OUT's raw/ is replaced); a line saying what was written."""
    w = generate(docs, seed)
    write_corpus(w, out, seed, schema)
    counts = ", ".join(f"{k} {len(v)}" for k, v in w.records.items())
    size = sum(len(t.encode()) for t in w.texts.values())
    return f"{out}: {len(w.texts)} documents, {size / 1e6:.1f} MB of text; records: {counts}"
