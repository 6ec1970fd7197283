"""Word lists and character classes of news text, shared by every rule of the
extractor: capitalised words and phrases (CAPWORD, PHRASE), speech verbs
(VERB), statement nouns, pronouns and their genders, titles and role words,
organization heads and leads, words that are never names, stop words and
abbreviations (which full stops do not end a sentence).
"""

from __future__ import annotations

import re


_UPPER = "".join(sorted({c for c in map(chr, range(0x250)) if c.isupper() and c.isalpha()}))
UP = f"[{_UPPER}]"
# A capitalised word: Soto-Martinez, McDonnell, O’Brien, L.A., U.S., T., AAAJ-LA, USSANews.com
CAPWORD = rf"{UP}(?:[\w’'&\-]|\.(?=\w))*\.?"
# Lowercase words inside a person's name: "Ana de la Cruz", "Rosalind Van den Broek"
PARTICLES = {"de", "del", "la", "las", "los", "y", "da", "van", "von", "der", "den", "du", "di", "dos", "das", "ter", "ten"}
PARTICLE_WORDS = "|".join(sorted(PARTICLES))        # the same, as a regex alternation
# Lowercase words inside any name: the particles, and "of", "for", "and", …
CONNECTORS = ("of", "for", "and", "&", "the", "to", "a") + tuple(sorted(PARTICLES))
# A capitalised phrase: capitalised words, joined by spaces and lowercase connectors
# ("Coalition for Humane Immigrant Rights of Los Angeles", "Ana de la Cruz")
PHRASE = re.compile(rf"""
    (?<![\w’'])(?:{CAPWORD})                                        # a capitalised word, not inside a word
    (?:[ \t]+(?:(?:{'|'.join(re.escape(c) for c in CONNECTORS)})[ \t]+)*   # (connectors between)
       (?:{CAPWORD}))*                                              # and more capitalised words
    """, re.VERBOSE)

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
    "saying", "telling", "writing", "warning", "arguing", "insisting",   # "opened the meeting by saying the board was “…”"
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

# Plural nouns for people that, with no name given, make an unnamed group that can
# speak or sign: "the officers wrote", "more than 40 police officers signed a letter"
GROUP_HEADS = ("officers", "deputies", "agents", "residents", "protesters", "demonstrators", "organizers",
               "activists", "parents", "workers", "vendors", "neighbors", "neighbours", "members", "signers",
               "signatories", "advocates", "critics", "supporters", "opponents", "employees", "detectives", "students",
               "teachers", "tenants", "lawyers", "volunteers", "commanders", "sergeants", "nurses", "doctors",
               "clergy", "faculty", "staffers", "organisers", "plaintiffs", "attendees", "marchers")
# Singular nouns for one person who, with no name given, can speak: "said a worker who
# declined to give his name", "one officer said"
ONE_PERSON_HEADS = ("officer", "deputy", "agent", "resident", "protester", "demonstrator", "organizer", "activist",
                    "parent", "worker", "vendor", "neighbor", "neighbour", "member", "advocate", "employee", "detective",
                    "student", "teacher", "tenant", "lawyer", "volunteer", "nurse", "doctor", "woman", "man", "mother",
                    "father", "witness", "laborer", "driver", "analyst", "official", "attendee", "speaker")
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
    "host", "anchor", "correspondent", "editor", "producer", "columnist", "inspector", "general",
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
    # trades and jobs people are described by
    "paralegal", "clerk", "aide", "staffer", "setter", "painter", "cook", "nanny", "gardener", "laborer", "mechanic",
    "driver", "janitor", "cashier", "housekeeper", "farmworker", "electrician", "plumber", "carpenter", "welder",
    "caregiver", "barber", "waiter", "waitress", "dishwasher", "custodian", "accountant", "engineer", "interpreter",
    "translator", "dreamer", "grandson", "granddaughter", "teenager", "mom", "dad",
    # offices held and work done: "the commission's inspector general, Desmond Ames"
    "general", "inspector", "auditor", "controller", "chair", "chairman", "chairwoman", "chairperson", "spokesperson",
    "spokesman", "spokeswoman", "analyst", "researcher", "advocate", "lawyer",
    # the newsroom's own, as bylines describe them ("By Ana Ruiz, Staff Writer")
    "writer", "reporter", "correspondent", "editor", "columnist", "contributor", "producer", "intern", "photographer",
}
ORG_HEADS = {
    "department", "dept.", "office", "commission", "council", "committee", "center", "centre", "coalition",
    "alliance", "union", "institute", "network", "association", "clinic", "project", "church", "university",
    "college", "school", "academy", "agency", "bureau", "administration", "board", "foundation", "federation",
    "guild", "movement", "corporation", "company", "inc.", "llc", "services", "society", "party", "fund", "trust",
    "times", "post", "news", "press", "journal", "tribune", "herald", "magazine", "radio", "police", "patrol",
    "court", "division", "caucus", "campaign", "initiative", "group", "workers", "counsel", "partners", "hospital",
    "library", "museum", "ministry", "authority", "assembly", "senate", "congress", "legislature", "chamber",
    "club", "workshop", "laboratory", "lab", "team", "collective", "cooperative", "conference", "league", "forum", "watch",
    "investigations", "operations", "service", "force", "sheriff's", "sheriff’s", "government", "district", "army", "navy", "guard", "corps", "house", "reserve", "bank", "industries", "media", "studios",
    "democrats", "republicans",      # "Westside Young Democrats"; alone they are a group (see GROUP_WORDS)
    "protection",                    # "U.S. Customs and Border Protection"
    "consulate", "embassy",
}
# Acronyms of the agencies this beat is about, organizations wherever they stand
# alone ("forwards them to the FBI"); other acronyms need an organization beside them.
AGENCY_ACRONYMS = {"FBI", "DHS", "HSI", "ERO", "CBP", "USCIS", "DOJ", "ATF", "DEA", "USBP", "EOIR", "JRIC", "CalGang"}
# Last words of an organization's name that a number completes: "Union Local 307", "KSCV Channel 9"
NUMBERED_UNITS = {"local", "channel", "chapter", "lodge", "post"}
# Words of an office's holder besides titles: "the City Attorney's office", "the Inspector General's office"
OFFICE_WORDS = {"city", "county", "district", "attorney", "general", "inspector", "public", "defender", "controller",
                "assessor", "clerk", "auditor", "counsel", "mayor", "sheriff", "governor", "state"}
# Nouns that, in an apposition after a name, say the name is an organization's:
# "Northeast LA Neighbors for Accountability, a volunteer group,"
ORG_NOUNS = {"group", "organization", "organisation", "nonprofit", "non-profit", "coalition", "network", "collective",
             "alliance", "union", "association", "agency", "office", "firm", "newspaper", "outlet", "station",
             "publication", "committee", "club", "church", "congregation", "caucus", "council", "federation", "project",
             "program", "initiative", "campaign", "foundation", "center", "centre", "clinic", "chapter", "unit",
             "branch", "department", "bureau", "task force", "company", "business", "firm", "contractor", "vendor",
             "startup", "corporation", "manufacturer", "retailer"}
# Organization words of Spanish names, with the English noun an article uses
# for them afterwards ("Clinica Esperanza" ... "the clinic said").
ORG_GLOSS = {"clinica": "clinic", "centro": "center", "comite": "committee", "coalicion": "coalition",
             "asociacion": "association", "instituto": "institute", "fundacion": "foundation", "iglesia": "church",
             "sindicato": "union", "alianza": "alliance", "red": "network", "hermandad": "brotherhood",
             "union": "union", "federacion": "federation", "colectivo": "collective", "casa": "house",
             "frente": "front", "movimiento": "movement", "comunidad": "community", "comunidades": "community"}
ORG_LEADS = {"coalition", "center", "centre", "council", "committee", "association", "alliance", "union",
             "federation", "institute", "network", "department", "office", "league", "society", "university",
             "school", "college", "bureau", "friends", "citizens", "people", "campaign", "fund", "movement",
             "clinica", "centro", "comite", "coalicion", "asociacion", "instituto", "fundacion", "sindicato",
             "alianza", "hermandad", "federacion", "colectivo", "frente", "movimiento", "comunidad", "comunidades",
             "madres", "padres", "mujeres", "vecinos", "jovenes", "trabajadores", "familias", "consulate", "embassy"}
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
    "local", "new", "former", "current", "recent", "other", "another", "such", "same", "again", "first", "finally",
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
# Last words of a law's name: "the California Public Records Act", "the Values Act"
LAW_WORDS = {"act", "law", "code", "ordinance", "amendment", "bill", "statute"}
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
