"""Validate stage: check every record against its kind's fields and normalise it.

The field lists below are the single definition of the record format (README in
raw/records/ explains them for curators). Validation turns each YAML mapping
into a plain dict with `_path` and `_line`, so later stages need no YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .load import Mapping
from .problems import Problems
from .progress import Advance, batched, nothing

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISION = {1: "year", 2: "month", 3: "day"}


@dataclass
class Field:
    type: str                      # str, slug, date, bool, int, choice, ref, refs, cite, records, pieces, doc
    required: bool = False
    choices: tuple = ()
    ref: str = ""                  # for ref/refs: source, person, organization, party, policy, any
    spec: dict = field(default_factory=dict)   # for records: the nested fields


def f(type_, required=False, choices=(), ref="", spec=None):
    return Field(type_, required, tuple(choices), ref, spec or {})


CITE = f("cite")
DATED = {"date": f("date"), "date_basis": f("str")}

ALIAS = {
    "name": f("str", True),
    "kind": f("choice", True, ["short_name", "variant", "misspelling", "title_form"]),
    "note": f("str"),
    "cite": f("cite", True),
}

# A link that no cited passage states (a pronoun resolved, another copy naming
# the speaker, the context) is kept only as a visible inference: which link,
# how it was inferred, and the passage the inference rests on (evidence.py).
INFERRED = {
    "link": f("str", True),
    "id": f("ref", ref="party"),
    "basis": f("choice", True, ["pronoun", "other_copy", "context", "role", "other"]),
    "note": f("str", True),
    "cite": f("cite", True),
}
INFERRABLE = {"inferred": f("records", spec=INFERRED)}

SEGMENT = {
    "kind": f("choice", True, ["headline", "photo_caption", "photo_credit", "teaser", "page_chrome",
                               "syndication_notice", "copyright_notice", "member_list", "signup", "byline", "other"]),
    "excerpt": f("str", True),
    "occurrence": f("int"),
    "note": f("str"),
}

SPECS: dict[str, dict[str, Field]] = {
    "sources": {
        "id": f("slug", True),
        "document": f("doc"),
        "original_file": f("str"),
        "converted_from": f("str"),     # the received web page or PDF, kept in raw/originals/
        "title": f("str", True),
        "title_basis": f("str"),
        "publisher": f("str"),
        "author": f("str"),
        "url": f("str"),
        **DATED,
        "kind": f("choice", True, ["original_report", "repost", "machine_rewrite", "summary", "press_release"]),
        "language": f("str", True),
        "voice": f("ref", ref="organization"),
        "derived_from": f("ref", ref="source"),
        "relation": f("str"),
        "rights": f("str"),
        "rights_cite": f("cite"),
        "publish_full_text": f("bool"),
        "notes": f("str"),
        "segments": f("records", spec=SEGMENT),
    },
    "organizations": {
        "id": f("slug", True),
        "name": f("str", True),
        "type": f("choice", True, ["local_police", "sheriff", "federal_agency", "city_government", "county_government",
                                   "state_government", "court", "advocacy_group", "legal_services", "academic", "labor",
                                   "faith", "media", "coalition", "community_group", "research", "other"]),
        "jurisdiction": f("choice", True, ["city", "county", "state", "federal", "regional", "national", "none"]),
        "parent": f("ref", ref="organization"),
        "description": f("str", True),
        "cite": f("cite", True),
        "aliases": f("records", spec=ALIAS),
        "members": f("records", spec={
            "organization": f("ref", ref="organization"),
            "person": f("ref", ref="person"),
            "role": f("str"),
            "cite": f("cite", True),
            **INFERRABLE,
        }),
    },
    "people": {
        "id": f("slug", True),
        "name": f("str", True),
        "category": f("choice", True, ["public_official", "public_figure", "private_individual"]),
        "redact": f("bool"),
        "pseudonym": f("str"),
        "redact_also": f("pieces"),
        "description": f("str", True),
        "cite": f("cite", True),
        "aliases": f("records", spec=ALIAS),
        "affiliations": f("records", spec={
            "organization": f("ref", True, ref="organization"),
            "role": f("str", True),
            **DATED,
            "current": f("bool"),
            "cite": f("cite", True),
            **INFERRABLE,
        }),
    },
    "policies": {
        "id": f("slug", True),
        "name": f("str", True),
        "kind": f("choice", True, ["department_policy", "chiefs_directive", "executive_directive", "ordinance",
                                   "court_order", "statute", "other"]),
        "issuer": f("ref", ref="party"),
        **DATED,
        "status": f("choice", True, ["in_effect", "amended", "superseded", "temporary", "proposed", "unknown"]),
        "amends": f("ref", ref="policy"),
        "description": f("str", True),
        "cite": f("cite", True),
        **INFERRABLE,
        "provisions": f("records", spec={
            "kind": f("choice", True, ["bars", "requires", "allows", "exception", "caveat"]),
            "text": f("str", True),
            "by": f("ref", ref="party"),
            "cite": f("cite", True),
            **INFERRABLE,
        }),
    },
    "demands": {
        "id": f("slug", True),
        "text": f("str", True),
        "by": f("refs", True, ref="party"),
        "addressed_to": f("refs", ref="party"),
        "policy": f("ref", ref="policy"),
        "status": f("choice", True, ["unmet", "partly_met", "met", "unknown"]),
        "cite": f("cite", True),
        **INFERRABLE,
    },
    "cases": {
        "id": f("slug", True),
        "title": f("str", True),
        "subject": f("ref", ref="person"),
        "subject_description": f("str"),
        "summary": f("str", True),
        "charges": f("choice", True, ["yes", "no", "declined", "unknown"]),
        "federal_charges": f("choice", True, ["yes", "no", "unknown"]),
        "charges_note": f("str"),
        "outcome": f("str"),
        "cite": f("cite", True),
        **INFERRABLE,
        "events": f("records", spec={
            **DATED,
            "type": f("choice", True, ["arrest", "booking", "fingerprinting", "release", "charges_declined",
                                       "charges_filed", "ice_notification", "ice_investigation", "ice_detention",
                                       "court_hearing", "deportation", "raid", "bail", "conviction", "complaint",
                                       "other"]),
            "agency": f("ref", ref="organization"),
            "description": f("str", True),
            "cite": f("cite", True),
            **INFERRABLE,
        }),
    },
    "quotes": {
        "id": f("slug", True),
        "speaker": f("ref", True, ref="party"),
        "kind": f("choice", True, ["spoken", "written", "statement"]),
        "topic": f("ref", ref="policy"),
        "note": f("str"),
        "appearances": f("records", True, spec={
            "source": f("ref", True, ref="source"),
            "text": f("pieces", True),
            "attribution": f("str"),
            "fidelity": f("choice", True, ["verbatim", "reworded", "garbled"]),
            "occurrence": f("int"),
            "note": f("str"),
        }),
        **INFERRABLE,
    },
    "non_quotations": {
        "source": f("ref", True, ref="source"),
        "text": f("str", True),
        "kind": f("choice", True, ["scare_quote", "title", "term", "name", "other"]),
        "note": f("str"),
    },
    "data_flows": {
        "id": f("slug", True),
        "data": f("str", True),
        "category": f("choice", True, ["biometrics", "license_plates", "field_stops", "place_of_birth",
                                       "release_information", "jail_access", "surveillance", "immigration_status",
                                       "joint_operations", "other"]),
        "from": f("ref", True, ref="organization"),
        "to": f("ref", True, ref="organization"),
        "through": f("refs", ref="organization"),
        "mechanism": f("str", True),
        "status": f("choice", True, ["ongoing", "stopped", "limited", "alleged", "denied", "demanded", "unknown"]),
        "cite": f("cite", True),
        **INFERRABLE,
        "claims": f("records", spec={
            "stance": f("choice", True, ["asserts", "denies", "demands_stop", "questions"]),
            "by": f("ref", True, ref="party"),
            "text": f("str", True),
            "cite": f("cite", True),
            **INFERRABLE,
        }),
    },
    "discrepancies": {
        "id": f("slug", True),
        "kind": f("choice", True, ["misspelled_name", "reworded_quote", "changed_title", "changed_role",
                                   "changed_fact", "omitted", "added"]),
        "source": f("ref", True, ref="source"),
        "compared_to": f("ref", True, ref="source"),
        "subject": f("ref", ref="any"),
        "description": f("str", True),
        "cite": f("cite", True),
    },
}

CITATION = {
    "source": f("ref", True, ref="source"),
    "excerpt": f("str", True),
    "occurrence": f("int"),
}


def validate_records(records: dict[str, list[Mapping]], problems: Problems, advance: Advance = nothing) -> dict[str, list[dict]]:
    """Each kind's records checked against SPECS and normalised to plain dicts (advance: per record)."""
    out: dict[str, list[dict]] = {}
    for kind, items in records.items():
        spec = SPECS[kind]
        out[kind] = []
        seen: dict[str, int] = {}
        for item in batched(items, advance, 1024):
            rec = _check(item, spec, kind.rstrip("s"), problems)
            if rec is None:
                continue
            rid = rec.get("id")
            if rid is not None:
                if rid in seen:
                    problems.add(item.path, item.line_of("id"), f"duplicate id '{rid}' (first defined on line {seen[rid]})")
                    continue
                seen[rid] = item.line_of("id")
            out[kind].append(rec)
    _cross_checks(out, problems)
    return out


def _check(item, spec: dict[str, Field], what: str, problems: Problems) -> dict | None:
    if not isinstance(item, Mapping):
        return None
    rec: dict = {"_path": item.path, "_line": item.line}
    ok = True
    for key in item:
        if key not in spec:
            problems.add(item.path, item.line_of(key), f"unknown field '{key}' in {what}; allowed: {', '.join(spec)}")
            ok = False
    for name, fld in spec.items():
        value = item.get(name)
        line = item.line_of(name)
        empty = [] if fld.type in ("cite", "records", "refs") else None
        if value is None or value == "" or value == []:
            if fld.required:
                problems.add(item.path, item.line, f"missing required field '{name}' in {what}")
                ok = False
            rec[name] = empty
            continue
        checked = _value(value, fld, name, item.path, line, problems)
        if checked is _BAD:
            ok = False
            rec[name] = empty
        else:
            rec[name] = checked
            if fld.type in ("cite", "records") and any(child.get("_invalid") for child in checked):
                ok = False
    if "date" in spec and "date" in rec:
        date, precision = rec["date"] if rec["date"] else (None, "unknown")
        rec["date"], rec["date_precision"] = date, precision
    if not ok:
        # Kept so that references to it still resolve (one problem, not a
        # cascade); later stages skip it, and the problems stop the build.
        rec["_invalid"] = True
    return rec


_BAD = object()


def _value(value, fld: Field, name: str, path: str, line: int, problems: Problems):
    t = fld.type
    if t in ("str", "choice", "slug", "ref"):
        if isinstance(value, bool) and t == "choice":
            # YAML 1.1 reads unquoted yes/no as booleans; accept them for yes/no choices
            value = "yes" if value else "no"
        if isinstance(value, (int, float)) and not isinstance(value, bool) and t == "str":
            value = str(value)
        if not isinstance(value, str):
            problems.add(path, line, f"field '{name}' must be text, got {_type_name(value)}")
            return _BAD
        value = value.strip() if t != "str" else value
        if t == "choice" and value not in fld.choices:
            problems.add(path, line, f"field '{name}' is '{value}'; expected one of: {', '.join(fld.choices)}")
            return _BAD
        if t in ("slug", "ref") and not SLUG.match(value):
            problems.add(path, line, f"field '{name}' is '{value}'; ids are lowercase slugs like 'jim-mcdonnell'")
            return _BAD
        return value
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            problems.add(path, line, f"field '{name}' must be a whole number from 1, got {value!r}")
            return _BAD
        return value
    if t == "bool":
        if not isinstance(value, bool):
            problems.add(path, line, f"field '{name}' must be true or false, got {value!r}")
            return _BAD
        return value
    if t == "doc":
        if isinstance(value, bool) or isinstance(value, str):
            return value
        problems.add(path, line, f"field '{name}' must be true, false or a file name in raw/documents/")
        return _BAD
    if t == "date":
        return _date(value, name, path, line, problems)
    if t == "pieces":
        pieces = value if isinstance(value, list) else [value]
        if not pieces or not all(isinstance(p, str) and p.strip() for p in pieces):
            problems.add(path, line, f"field '{name}' must be text or a list of text pieces")
            return _BAD
        return pieces
    if t == "refs":
        values = value if isinstance(value, list) else [value]
        out = []
        for v in values:
            checked = _value(v, Field("ref", ref=fld.ref), name, path, line, problems)
            if checked is _BAD:
                return _BAD
            out.append(checked)
        return out
    if t in ("cite", "records"):
        if not isinstance(value, list):
            problems.add(path, line, f"field '{name}' must be a list (each item starting with '- ')")
            return _BAD
        spec = CITATION if t == "cite" else fld.spec
        out = []
        for item in value:
            if not isinstance(item, Mapping):
                problems.add(path, line, f"each item of '{name}' must be a mapping of field: value")
                return _BAD
            checked = _check(item, spec, "citation" if t == "cite" else name.rstrip("s"), problems)
            if checked is not None:
                out.append(checked)
        return out
    raise AssertionError(f"unknown field type {t}")


def _date(value, name, path, line, problems):
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), "day"
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not DATE.match(value.strip()):
        problems.add(path, line, f"field '{name}' is {value!r}; write a date as \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
        return _BAD
    value = value.strip()
    parts = [int(p) for p in DATE.match(value).groups() if p]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        problems.add(path, line, f"field '{name}' is '{value}', which is not a real date ({exc})")
        return _BAD
    return value, PRECISION[len(parts)]


def _type_name(value) -> str:
    return {dict: "a mapping", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _cross_checks(out: dict[str, list[dict]], problems: Problems) -> None:
    for src in out.get("sources", []):
        if src.get("derived_from") and not src.get("relation"):
            problems.add(src["_path"], src["_line"], "field 'relation' is required with 'derived_from' (say how this copy relates)")
        if src.get("rights_cite") and not src.get("rights"):
            problems.add(src["_path"], src["_line"], "field 'rights_cite' needs 'rights'")
    for case in out.get("cases", []):
        # Events are listed in the order they happened: dated ones must not go
        # back in time (compared at the coarser of the two precisions).
        dated = [e for e in case.get("events", []) if e.get("date")]
        for earlier, later in zip(dated, dated[1:]):
            n = min(len(earlier["date"]), len(later["date"]))
            if later["date"][:n] < earlier["date"][:n]:
                problems.add(later["_path"], later["_line"], f"event dated {later['date']} is listed after one dated "
                             f"{earlier['date']} (line {earlier['_line']}); list events in the order they happened")
    for org in out.get("organizations", []):
        for m in org.get("members", []):
            if bool(m.get("organization")) == bool(m.get("person")):
                problems.add(m["_path"], m["_line"], "a member needs exactly one of 'organization' or 'person'")
