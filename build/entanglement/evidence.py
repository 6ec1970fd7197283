"""Evidence stage: a record says only what its passages say.

The verify stage proves that every excerpt is in its source; this stage checks
that the passages support what the record links and says (the rules are
written out for curators in raw/records/README.md, "Evidence rules"):

1. named in its evidence: every person or organization a fact links is named,
   by its name or a recorded alias, in a passage cited for that fact (found
   through the `mentions` the build computed), or the passage is narration of
   a source whose `voice` that party is;
2. stated or inferred, visibly: a link no passage states needs an `inferred:`
   entry with its basis and citation; the row's `inferred` column names it;
3. body, not debris: no fact of substance cites a teaser, page chrome, a
   sign-up box, a credit or a notice;
4. stance from the party's words: a claim's passages that name its party use
   the words of that stance (a denial denies); a flow cited only from demands
   that it stop has status `demanded`;
5. curators' prose: every proper name, number and date in a description,
   summary, title or mechanism is in the record's cited passages, or is the
   name of an entity the record links, or its own date.

Rows and checks are plain data from the rows stage; problems are collected.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .citations import fold
from .mentions import Matcher, names_within
from .problems import Problems

Fact = tuple[str, str]          # (table, id)

# Facts of substance: what a story asserts, which a teaser for another story or
# page furniture cannot support. (That a person or organization exists may be
# cited from anywhere, a member list or a credit included.)
SUBSTANTIVE = frozenset({"data_flows", "data_flow_claims", "cases", "case_events", "policies",
                         "policy_provisions", "quote_appearances", "demands"})
DEBRIS = frozenset({"teaser", "page_chrome", "signup", "photo_credit", "byline", "syndication_notice",
                    "copyright_notice"})

# The words a passage must use for a party to take a stance. `asserts` needs
# none beyond naming the party. Deliberately plain: the check is a floor under
# the second reading, not a substitute for it.
STANCE_WORDS = {
    "denies": re.compile(r"\b(?:not|no|never|none|nothing|deny|denies|denied|denying|disputed?|rejects?|"
                         r"rejected|false|untrue)\b|n['’]t\b", re.IGNORECASE),
    "questions": re.compile(r"\b(?:concerns?|concerned|questions?|questioned|warns?|warned|doubts?|may not|might|"
                            r"could|risks?|critics?|undermines?|vulnerability|scrutiny|flouted|violated)\b|\?",
                            re.IGNORECASE),
    "demands_stop": re.compile(r"\b(?:must|should|prohibit|stop|stopped|end|refrain|calls? on|demands?|urges?|"
                               r"ban|limit|do not|don['’]t)\b", re.IGNORECASE),
}


@dataclass
class Link:
    fact: Fact                       # the fact whose link it is (its `inferred:` entries are there)
    evidence: tuple[Fact, ...]       # the facts whose passages may state it
    field: str                       # the record's field: to, by, speaker, agency, ...
    entity: str                      # person or organization id
    row: dict                        # the row whose `inferred` column marks it
    path: str
    line: int


@dataclass
class Prose:
    fact: Fact
    field: str
    text: str
    evidence: tuple[Fact, ...]
    linked: tuple[str, ...]          # ids whose names the prose may use
    dates: tuple[str, ...]           # the record's own dates (numbers in them may be used)
    path: str
    line: int


@dataclass
class Checks:
    links: list[Link] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)
    inferred: list[tuple[Fact, dict]] = field(default_factory=list)
    # (flow, status, ((claim, stance, by, path, line), ...), path, line)
    flows: list[tuple] = field(default_factory=list)


@dataclass
class Passage:
    source_id: str
    start: int
    end: int
    field: str
    path: str
    line: int


class Spans:
    """Sorted (start, end, value) spans of each source, for overlap look-ups."""

    def __init__(self, spans):
        self.by_source: dict[str, list[tuple[int, int, object]]] = {}
        for sid, start, end, value in spans:
            self.by_source.setdefault(sid, []).append((start, end, value))
        self.starts: dict[str, list[int]] = {}
        for sid, items in self.by_source.items():
            items.sort(key=lambda x: (x[0], x[1]))
            self.starts[sid] = [s for s, _, _ in items]
        self.longest = max((e - s for items in self.by_source.values() for s, e, _ in items), default=0)

    def within(self, sid: str, start: int, end: int):
        """Values of the spans lying inside [start, end)."""
        items, starts = self.by_source.get(sid, ()), self.starts.get(sid, ())
        i = bisect.bisect_left(starts, start)
        while i < len(items) and items[i][0] < end:
            if items[i][1] <= end:
                yield items[i][2]
            i += 1

    def overlapping(self, sid: str, start: int, end: int):
        items, starts = self.by_source.get(sid, ()), self.starts.get(sid, ())
        i = bisect.bisect_left(starts, start - self.longest)
        while i < len(items) and items[i][0] < end:
            if items[i][1] > start:
                yield items[i][2]
            i += 1


def check_evidence(tables: dict[str, list[dict]], checks: Checks, texts: dict[str, str],
                   voices: dict[str, str], matcher: Matcher, problems: Problems) -> None:
    """Every rule above over every fact; marks inferred links on their rows."""
    passages: dict[Fact, list[Passage]] = {}
    for c in tables["citations"]:
        passages.setdefault((c["fact_table"], c["fact_id"]), []).append(
            Passage(c["source_id"], c["start"], c["end"], c["field"], c["records_file"], c["records_line"]))
    names = _names(tables)
    # A mention names its entity and every entity named inside it: the title
    # "LAPD Chief Jim McDonnell" also names the LAPD (matcher: the mentions stage's own).
    within: dict[str, set[str]] = {}
    for m in tables["mentions"]:
        if m["name"] not in within:
            within[m["name"]] = names_within(matcher, m["name"])
    mentions = Spans((m["source_id"], m["start"], m["end"], entity) for m in tables["mentions"]
                     for entity in {m["person_id"] or m["organization_id"]} | within[m["name"]])
    quoted = Spans((a["source_id"], a["start"], a["end"], a["id"]) for a in tables["quote_appearances"]
                   if a["start"] is not None)

    named: dict[tuple[str, int, int], set[str]] = {}

    def parties(p: Passage) -> set[str]:
        """Who a passage names, and whose words it is when it is narration."""
        key = (p.source_id, p.start, p.end)
        if key in named:
            return named[key]
        found = named[key] = set(mentions.within(p.source_id, p.start, p.end))
        voice = voices.get(p.source_id)
        if voice and not any(quoted.overlapping(p.source_id, p.start, p.end)):
            found.add(voice)
        return found

    _check_attributions(tables, texts, problems)
    inferred = _check_links(checks, passages, parties, names, problems)
    _check_debris(tables, problems)
    _check_stances(checks, passages, parties, inferred, texts, names, problems)
    _check_flow_status(checks, passages, tables, texts, problems)
    _check_prose(checks, passages, texts, names, tables, problems)


def _names(tables) -> dict[str, list[str]]:
    """Every id a record may link, with the names a passage may use for it."""
    names: dict[str, list[str]] = {}
    for table in ("people", "organizations"):
        for r in tables[table]:
            names[r["id"]] = [r["name"]]
    for a in tables["aliases"]:
        names[a["person_id"] or a["organization_id"]].append(a["name"])
    for p in tables["policies"]:
        names[p["id"]] = [p["name"]]
    for q in tables["quotes"]:
        names[q["id"]] = names.get(q["speaker_person_id"] or q["speaker_organization_id"], [])
    return names


def _check_links(checks: Checks, passages, parties, names, problems: Problems) -> set[tuple[Fact, str, str]]:
    entries: dict[tuple[Fact, str], list[dict]] = {}
    for fact, inf in checks.inferred:
        entries.setdefault((fact, inf["link"]), []).append(inf)
    used: set[int] = set()
    inferred: set[tuple[Fact, str, str]] = set()
    for link in checks.links:
        cited = [p for fact in link.evidence for p in passages.get(fact, [])
                 if link.field != "speaker" or p.field == "attribution"]
        stated = any(link.entity in parties(p) for p in cited)
        match = [inf for inf in entries.get((link.fact, link.field), [])
                 if inf.get("id") in (None, link.entity)]
        what = f"{link.fact[0]} {link.fact[1]}: '{link.field}: {link.entity}'"
        if match:
            used.update(id(inf) for inf in match)
            if stated:
                problems.add(match[0]["_path"], match[0]["_line"],
                             f"{what} is marked inferred, but a cited passage names {_name(names, link.entity)}: "
                             "the link is stated; remove the `inferred` entry")
            else:
                inferred.add((link.fact, link.field, link.entity))
                marked = set(filter(None, (link.row.get("inferred") or "").split(", "))) | {link.field}
                link.row["inferred"] = ", ".join(sorted(marked))
        elif not stated:
            where = "no attribution of a printing" if link.field == "speaker" else "no cited passage"
            problems.add(link.path, link.line,
                         f"{what}: {where} names {_name(names, link.entity)} (or an alias); cite a passage that "
                         "does, or mark the link `inferred:` with its basis and the passage it rests on")
    for fact, inf in checks.inferred:
        if id(inf) not in used:
            problems.add(inf["_path"], inf["_line"], f"{fact[0]} {fact[1]}: `inferred` names link "
                         f"'{inf['link']}'" + (f" to '{inf['id']}'" if inf.get("id") else "")
                         + ", which this record does not make")
    return inferred


def _check_attributions(tables, texts, problems: Problems) -> None:
    """An attribution attributes the quotation it stands beside: the words
    "the group sent a letter", a paragraph before a free-standing quotation,
    state nothing about who wrote it (that is an inference, rule 2)."""
    where = {c["fact_id"]: c for c in tables["citations"]
             if c["fact_table"] == "quote_appearances" and c["field"] == "attribution"}
    for a in tables["quote_appearances"]:
        if a["attribution_start"] is None or a["id"] not in where:
            continue
        text = texts[a["source_id"]]
        gap = text[min(a["end"], a["attribution_end"]):max(a["start"], a["attribution_start"])]
        if "\n" in gap:
            c = where[a["id"]]
            problems.add(c["records_file"], c["records_line"],
                         f"quote_appearances {a['id']}: the attribution \"{a['attribution'][:60]}\" is in another "
                         "paragraph than the quotation, so it does not attribute it: leave `attribution` out and "
                         "mark the speaker `inferred:` with the passage it rests on")


def _name(names, entity: str) -> str:
    return f"'{names.get(entity, [entity])[0]}'"


def _check_debris(tables, problems: Problems) -> None:
    segments = Spans((s["source_id"], s["start"], s["end"], s["kind"]) for s in tables["segments"]
                     if s["kind"] in DEBRIS and s["start"] is not None)
    for c in tables["citations"]:
        if c["fact_table"] not in SUBSTANTIVE:
            continue
        kinds = sorted(set(segments.overlapping(c["source_id"], c["start"], c["end"])))
        if kinds:
            problems.add(c["records_file"], c["records_line"],
                         f"{c['fact_table']} {c['fact_id']}: cites a passage inside a {kinds[0].replace('_', ' ')} "
                         f"of {c['source_id']}, which supports nothing of this story: cite the article's body")


def _check_stances(checks, passages, parties, inferred, texts, names, problems: Problems) -> None:
    for _flow, _status, claims, _path, _line in checks.flows:
        for claim, stance, by, path, line in claims:
            words = STANCE_WORDS.get(stance)
            if words is None:
                continue
            cited = passages.get(claim, [])
            if (claim, "by", by) not in inferred:
                cited = [p for p in cited if by in parties(p)]
            if not any(words.search(texts[p.source_id][p.start:p.end]) for p in cited):
                problems.add(path, line, f"data_flow_claims {claim[1]}: stance '{stance}', but no cited passage in "
                             f"which {_name(names, by)} {stance.replace('_', 's ').replace('ss ', 's ')} uses words "
                             f"of that stance; record what the passage says (asserts, questions, ...) or cite "
                             "the passage where the party does it")


def _check_flow_status(checks, passages, tables, texts, problems: Problems) -> None:
    # A demand's passages: those of every demands_stop claim, and those of
    # demands.yml records that use the words of a demand (a demand record may
    # also cite the statement of fact it answers).
    words = STANCE_WORDS["demands_stop"]
    demand_passages = [p for _f, _s, claims, _p, _l in checks.flows for claim, stance, *_ in claims
                       if stance == "demands_stop" for p in passages.get(claim, [])]
    demand_passages += [p for d in tables["demands"] for p in passages.get(("demands", d["id"]), [])
                        if words.search(texts[p.source_id][p.start:p.end])]
    demanded = Spans((p.source_id, p.start, p.end, True) for p in demand_passages)
    for flow, status, claims, path, line in checks.flows:
        cited = passages.get(flow, [])
        only_demands = bool(cited) and all(any(demanded.overlapping(p.source_id, p.start, p.end)) for p in cited)
        if only_demands and status != "demanded":
            problems.add(path, line, f"data_flows {flow[1]}: every passage cited for it is a demand that it be "
                         f"prohibited or stopped, which is not evidence that it happens: set status 'demanded' "
                         f"(not '{status}'), or cite a passage that says it happens")
        if status == "demanded" and not any(stance == "demands_stop" for _c, stance, *_ in claims):
            problems.add(path, line, f"data_flows {flow[1]}: status 'demanded' needs a 'demands_stop' claim "
                         "citing the demand")
        if status == "denied" and not any(stance == "denies" for _c, stance, *_ in claims):
            problems.add(path, line, f"data_flows {flow[1]}: status 'denied' needs a 'denies' claim")


# Curators' prose: runs of capitalised words and numbers are names, dates and
# figures, which must come from the passages. Small words may join the words of
# one name ("Coalition for a Safe LA for All").
_WORD = re.compile(r"[\w][\w\-’'.]*[\w]|[\w]")
_JOINERS = frozenset({"of", "for", "the", "and", "a", "de", "del", "la", "los", "on", "in", "to"})
_POSSESSIVE = re.compile(r"['’]s?$")
_SENTENCE_END = frozenset('.!?:;("“—')


def _runs(text: str):
    """(words, sentence_initial) for each run of name-like words in text."""
    words = list(_WORD.finditer(text))
    run: list[re.Match] = []
    out = []

    def close():
        while run and run[-1].group(0) in _JOINERS:
            run.pop()
        if run:
            out.append(run[:])
        run.clear()

    for i, m in enumerate(words):
        w = m.group(0)
        name_like = w[0].isupper() or w[0].isdigit()
        gap = text[words[i - 1].end():m.start()] if i else ""
        joined = bool(run) and gap.strip() == "" and not _POSSESSIVE.search(run[-1].group(0))
        if name_like and joined:
            run.append(m)
        elif name_like:
            close()
            run.append(m)
        elif w in _JOINERS and joined and run[-1].group(0) not in _JOINERS:
            run.append(m)
        else:
            close()
    close()
    for r in out:
        yield ([_POSSESSIVE.sub("", m.group(0)) if _POSSESSIVE.search(m.group(0)) and len(m.group(0)) > 2
                else m.group(0) for m in r],
               _sentence_initial(text, r[0].start()))


def _sentence_initial(text: str, start: int) -> bool:
    """The word at start begins the text or a sentence (or a parenthesis, quotation, dash)."""
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_END


def _contains(haystack: str, phrase: str) -> bool:
    """phrase occurs in haystack as whole words (str.find: a regular expression
    per phrase cost more than the rest of the prose check at 1,000 documents)."""
    n, end = len(phrase), len(haystack)
    i = haystack.find(phrase)
    while i != -1:
        if (i == 0 or not _word_char(haystack[i - 1])) and (i + n == end or not _word_char(haystack[i + n])):
            return True
        i = haystack.find(phrase, i + 1)
    return False


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _check_prose(checks, passages, texts, names, tables, problems: Problems) -> None:
    publishers = {s["id"]: s["publisher"] for s in tables["sources"] if s.get("publisher")}
    folded: dict[tuple[str, int, int], str] = {}     # a passage is read for its fact and its parent's
    names_folded: dict[str, list[str]] = {}

    def folded_names(entity: str) -> list[str]:
        if entity not in names_folded:
            names_folded[entity] = [fold(n) for n in names.get(entity, [])]
        return names_folded[entity]

    def fold_passage(p: Passage) -> str:
        key = (p.source_id, p.start, p.end)
        if key not in folded:
            folded[key] = fold(texts[p.source_id][p.start:p.end])
        return folded[key]

    for prose in checks.prose:
        cited = [p for fact in prose.evidence for p in passages.get(fact, [])]
        evidence = " \n ".join(fold_passage(p) for p in cited)
        allowed = [n for e in prose.linked for n in folded_names(e)]
        allowed += [publishers[p.source_id] for p in cited if p.source_id in publishers]
        allowed_text = " \n ".join(allowed)
        dates = " ".join(prose.dates)
        missing = []
        for words, initial in _runs(fold(prose.text)):
            for part in _parts(words, initial):
                missing += _missing(part, evidence, allowed_text, dates)
        if missing:
            shown = ", ".join(f'"{m}"' for m in dict.fromkeys(missing))
            problems.add(prose.path, prose.line,
                         f"{prose.fact[0]} {prose.fact[1]}: {prose.field} names {shown}, which no cited passage "
                         "contains (nor a linked entity's name, nor the record's date): cite the passage that "
                         "gives it, or say only what the passages say")


def _parts(words: list[str], initial: bool):
    """The run as one phrase to find. A sentence's first word may be an
    ordinary word capitalised: alone, it is checked only if shaped like a name
    (LAPD, McDonnell, Juarez-Basilio); before other name words, the run is
    tried with it and, failing that, without it (see _missing)."""
    if initial and len(words) == 1 and not _name_shaped(words[0]):
        return
    yield ("?" if initial and len(words) > 1 else "") + " ".join(words)


def _name_shaped(word: str) -> bool:
    return word[0].isdigit() or any(ch.isupper() for ch in word[1:])


def _missing(part: str, evidence: str, allowed: str, dates: str) -> list[str]:
    """The pieces of a run of name words that neither the passages nor the
    linked names (nor, for a number, the record's dates) contain."""
    if part.startswith("?"):
        whole = part[1:]
        first, rest = whole.split(" ", 1)
        missing = _missing(whole, evidence, allowed, dates)
        if not missing or _name_shaped(first):
            return missing
        return _missing(rest, evidence, allowed, dates)
    if _contains(evidence, part) or _contains(allowed, part):
        return []
    # Not found whole: each piece between joiners, and each number, on its own.
    pieces, current = [], []
    for w in part.split(" "):
        if w in _JOINERS or w[0].isdigit():
            if current:
                pieces.append(" ".join(current))
            current = []
            if w[0].isdigit():
                pieces.append(w)
        else:
            current.append(w)
    if current:
        pieces.append(" ".join(current))
    if pieces == [part] and not part[0].isdigit():
        return [part]
    return [p for p in pieces
            if not (_contains(evidence, p) or _contains(allowed, p) or (p[0].isdigit() and _contains(dates, p)))]
