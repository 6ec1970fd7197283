"""Rows stage: turn validated records into table rows, plus the citation
requests that the verify stage resolves into offsets.

Plain data in, plain data out: `make_rows(records, texts)` returns
`(tables, requests, checks)` where tables maps a table name to its list of row
dicts and checks lists what the evidence stage must find in the cited passages
(the links each fact makes, the curators' prose).
Ids of child rows are derived from their parent's id, never from insertion order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .evidence import Checks, Link, Prose
from .ids import slug

ENTITY_TABLES = ("people", "organizations", "quotes", "policies", "cases", "data_flows", "demands")
# Tables whose rows link a person or organization: each has an `inferred` column
# naming the row's links that no cited passage states (see evidence.py).
LINKING_TABLES = ("affiliations", "memberships", "policies", "policy_provisions", "demand_parties", "cases",
                  "case_events", "quotes", "data_flows", "data_flow_intermediaries", "data_flow_claims")


@dataclass
class CiteRequest:
    fact_table: str
    fact_id: str
    field: str
    source_id: str
    excerpt: str
    occurrence: int | None
    path: str
    line: int
    fill: dict | None = None          # row whose offsets this excerpt sets
    prefix: str = ""                  # offsets go to fill[prefix+'start'], fill[prefix+'end']
    mode: str = "one"                 # one | extend (pieces of one quote) | near (closest to fill's start) | all
    cite: bool = True                 # also write a citations row


def make_rows(records: dict[str, list[dict]], texts: dict[str, str], document_names: dict[str, str]):
    tables: dict[str, list[dict]] = {name: [] for name in (
        "sources", "segments", "organizations", "people", "aliases", "affiliations", "memberships",
        "policies", "policy_provisions", "demands", "demand_parties", "cases", "case_events", "quotes",
        "quote_appearances", "non_quotations", "data_flows", "data_flow_intermediaries",
        "data_flow_claims", "discrepancies", "inferred_links")}
    requests: list[CiteRequest] = []
    checks = Checks()
    names = {r["id"]: r["name"] for kind in ("people", "organizations") for r in records.get(kind, []) if r.get("id")}
    people = {r["id"] for r in records.get("people", []) if r.get("id")}

    def party(prefix: str, ident: str | None) -> dict:
        """Split a person-or-organization id into the two foreign-key columns."""
        is_person = ident in people
        return {f"{prefix}person_id": ident if is_person else None,
                f"{prefix}organization_id": ident if ident and not is_person else None}

    def cite(table: str, ident: str, rec: dict, key: str = "cite", field_name: str = "cite") -> None:
        for c in rec.get(key) or []:
            requests.append(CiteRequest(table, ident, field_name, c["source"], c["excerpt"], c.get("occurrence"),
                                        c["_path"], c["_line"]))

    def link(fact: tuple[str, str], rec: dict, field_name: str, entity: str | None, row: dict,
             evidence: tuple[tuple[str, str], ...] | None = None) -> None:
        """A link the fact makes to a person or organization: the evidence stage
        looks for its name in the fact's passages, or for its `inferred` entry."""
        if entity:       # the row's `inferred` column is set for every linking table at the end
            checks.links.append(Link(fact, evidence or (fact,), field_name, entity, row, rec["_path"], rec["_line"]))

    def inferences(fact: tuple[str, str], rec: dict) -> None:
        for inf in rec.get("inferred") or []:
            iid = f"{fact[0]}--{fact[1]}--{inf['link']}" + (f"-{inf['id']}" if inf.get("id") else "")
            linked = rec.get(inf["link"])
            entity = inf.get("id") or (linked if isinstance(linked, str) else None)
            tables["inferred_links"].append({"id": iid, "fact_table": fact[0], "fact_id": fact[1],
                                             "link": inf["link"], **party("", entity),
                                             "basis": inf["basis"], "note": inf["note"]})
            checks.inferred.append((fact, inf))
            cite("inferred_links", iid, inf)

    def prose(fact: tuple[str, str], rec: dict, fields: tuple[str, ...], evidence: tuple[tuple[str, str], ...],
              linked: tuple[str | None, ...] = (), dates: tuple[str | None, ...] = ()) -> None:
        for name in fields:
            if rec.get(name):
                checks.prose.append(Prose(fact, name, rec[name], evidence, tuple(x for x in linked if x),
                                          tuple(d for d in dates if d), rec["_path"], rec["_line"]))

    for src in records.get("sources", []):
        sid = src["id"]
        text = texts.get(sid)
        tables["sources"].append({
            "id": sid, "title": src["title"], "title_basis": src.get("title_basis"),
            "publisher": src.get("publisher"), "author": src.get("author"), "url": src.get("url"),
            "date": src["date"], "date_precision": src["date_precision"], "date_basis": src.get("date_basis"),
            "kind": src["kind"], "language": src["language"], "derived_from": src.get("derived_from"),
            "relation": src.get("relation"), "voice_organization_id": src.get("voice"), "rights": src.get("rights"), "original_file": src.get("original_file"),
            "document_path": document_names.get(sid), "held": int(text is not None), "text": text,
            "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None,
            "length": len(text) if text is not None else None,
            "word_count": len(text.split()) if text is not None else None,
            "notes": src.get("notes"),
        })
        cite("sources", sid, src, "rights_cite", "rights")
        for n, seg in enumerate(src.get("segments") or [], 1):
            row = {"id": f"{sid}--{seg['kind'].replace('_', '-')}-{n}", "source_id": sid, "kind": seg["kind"],
                   "start": None, "end": None, "excerpt": seg["excerpt"], "note": seg.get("note")}
            tables["segments"].append(row)
            requests.append(CiteRequest("segments", row["id"], "excerpt", sid, seg["excerpt"], seg.get("occurrence"),
                                        seg["_path"], seg["_line"], fill=row, cite=False))

    for kind, table in (("organizations", "organizations"), ("people", "people")):
        for rec in records.get(kind, []):
            rid = rec["id"]
            row = {"id": rid, "name": rec["name"], "description": rec["description"],
                   "aliases": "; ".join(a["name"] for a in rec.get("aliases") or []) or None}
            if kind == "organizations":
                row.update(type=rec["type"], jurisdiction=rec["jurisdiction"], parent_id=rec.get("parent"))
            else:
                row.update(category=rec["category"])
            tables[table].append(row)
            cite(table, rid, rec)
            evidence = [(table, rid)]
            seen_alias: dict[str, int] = {}
            for a in rec.get("aliases") or []:
                aid = f"{rid}--{slug(a['name'])}"
                seen_alias[aid] = seen_alias.get(aid, 0) + 1
                if seen_alias[aid] > 1:
                    aid = f"{aid}-{seen_alias[aid]}"
                tables["aliases"].append({"id": aid, "name": a["name"], "kind": a["kind"], **party("", rid),
                                          "note": a.get("note")})
                cite("aliases", aid, a)
                evidence.append(("aliases", aid))
            for n, af in enumerate(rec.get("affiliations") or [], 1):
                aid = f"{rid}--{af['organization']}-{n}"
                tables["affiliations"].append({
                    "id": aid, "person_id": rid, "organization_id": af["organization"], "role": af["role"],
                    "date": af["date"], "date_precision": af["date_precision"], "date_basis": af.get("date_basis"),
                    "current": None if af.get("current") is None else int(af["current"])})
                cite("affiliations", aid, af)
                fact = ("affiliations", aid)
                link(fact, af, "organization", af["organization"], tables["affiliations"][-1])
                inferences(fact, af)
                prose(fact, af, ("role",), (fact,), (rid, af["organization"]), (af["date"],))
                evidence.append(fact)
            prose((table, rid), rec, ("description",), tuple(evidence),
                  (rid, rec.get("parent"), *(af["organization"] for af in rec.get("affiliations") or [])))
            for m in rec.get("members") or []:
                member = m.get("organization") or m.get("person")
                mid = f"{rid}--{member}"
                tables["memberships"].append({
                    "id": mid, "organization_id": rid, "member_organization_id": m.get("organization"),
                    "member_person_id": m.get("person"), "member_name": names.get(member, member),
                    "role": m.get("role")})
                cite("memberships", mid, m)
                fact = ("memberships", mid)
                link(fact, m, "organization" if m.get("organization") else "person", member, tables["memberships"][-1])
                inferences(fact, m)

    for rec in records.get("policies", []):
        pid = rec["id"]
        tables["policies"].append({
            "id": pid, "name": rec["name"], "kind": rec["kind"], **party("issuer_", rec.get("issuer")),
            "date": rec["date"], "date_precision": rec["date_precision"], "date_basis": rec.get("date_basis"),
            "status": rec["status"], "amends_policy_id": rec.get("amends"), "description": rec["description"]})
        cite("policies", pid, rec)
        fact = ("policies", pid)
        link(fact, rec, "issuer", rec.get("issuer"), tables["policies"][-1])
        inferences(fact, rec)
        evidence = [fact]
        for n, pr in enumerate(rec.get("provisions") or [], 1):
            prid = f"{pid}--{n}"
            tables["policy_provisions"].append({"id": prid, "policy_id": pid, "position": n, "kind": pr["kind"],
                                                "text": pr["text"], **party("by_", pr.get("by"))})
            cite("policy_provisions", prid, pr)
            sub = ("policy_provisions", prid)
            link(sub, pr, "by", pr.get("by"), tables["policy_provisions"][-1])
            inferences(sub, pr)
            prose(sub, pr, ("text",), (sub,), (pr.get("by"), pid))
            evidence.append(sub)
        prose(fact, rec, ("name", "description"), tuple(evidence), (rec.get("issuer"),), (rec["date"],))

    for rec in records.get("demands", []):
        did = rec["id"]
        tables["demands"].append({"id": did, "text": rec["text"], "policy_id": rec.get("policy"),
                                  "status": rec["status"]})
        cite("demands", did, rec)
        fact = ("demands", did)
        for role in ("by", "addressed_to"):
            for ident in rec.get(role) or []:
                tables["demand_parties"].append({"id": f"{did}--{role.replace('_', '-')}-{ident}", "demand_id": did,
                                                 "role": role, **party("", ident), "name": names.get(ident, ident)})
                link(fact, rec, role, ident, tables["demand_parties"][-1])
        inferences(fact, rec)
        prose(fact, rec, ("text",), (fact,), (*(rec.get("by") or []), *(rec.get("addressed_to") or []), rec.get("policy")))

    for rec in records.get("cases", []):
        cid = rec["id"]
        tables["cases"].append({"id": cid, "title": rec["title"], "subject_person_id": rec.get("subject"),
                                "subject_description": rec.get("subject_description"), "summary": rec["summary"],
                                "charges": rec["charges"], "federal_charges": rec["federal_charges"],
                                "charges_note": rec.get("charges_note"), "outcome": rec.get("outcome")})
        cite("cases", cid, rec)
        fact = ("cases", cid)
        link(fact, rec, "subject", rec.get("subject"), tables["cases"][-1])
        inferences(fact, rec)
        evidence, agencies, dates = [fact], [], []
        for n, ev in enumerate(rec.get("events") or [], 1):
            eid = f"{cid}--{n:02d}"
            tables["case_events"].append({
                "id": eid, "case_id": cid, "seq": n, "date": ev["date"], "date_precision": ev["date_precision"],
                "date_basis": ev.get("date_basis"), "type": ev["type"], "agency_id": ev.get("agency"),
                "description": ev["description"]})
            cite("case_events", eid, ev)
            sub = ("case_events", eid)
            link(sub, ev, "agency", ev.get("agency"), tables["case_events"][-1])
            inferences(sub, ev)
            prose(sub, ev, ("description",), (sub,), (ev.get("agency"), rec.get("subject")), (ev["date"],))
            evidence.append(sub)
            agencies.append(ev.get("agency"))
            dates.append(ev["date"])
        prose(fact, rec, ("title", "summary", "subject_description", "charges_note", "outcome"), tuple(evidence),
              (rec.get("subject"), *agencies), tuple(dates))

    for rec in records.get("quotes", []):
        qid = rec["id"]
        apps = rec.get("appearances") or []
        best = next((a for a in apps if a["fidelity"] == "verbatim"), apps[0] if apps else None)
        tables["quotes"].append({
            "id": qid, **party("speaker_", rec["speaker"]), "speaker_name": names.get(rec["speaker"], rec["speaker"]),
            "kind": rec["kind"], "topic_policy_id": rec.get("topic"),
            "text": " … ".join(best["text"]) if best else "", "appearance_count": len(apps), "note": rec.get("note")})
        quote_row = tables["quotes"][-1]
        seen: dict[str, int] = {}
        evidence = []
        for a in apps:
            seen[a["source"]] = seen.get(a["source"], 0) + 1
            aid = f"{qid}--{a['source']}" + (f"-{seen[a['source']]}" if seen[a["source"]] > 1 else "")
            row = {"id": aid, "quote_id": qid, "source_id": a["source"], "text": " … ".join(a["text"]),
                   "start": None, "end": None, "attribution": a.get("attribution"),
                   "attribution_start": None, "attribution_end": None, "fidelity": a["fidelity"],
                   "note": a.get("note")}
            tables["quote_appearances"].append(row)
            for i, piece in enumerate(a["text"]):
                requests.append(CiteRequest("quote_appearances", aid, "text", a["source"], piece,
                                            a.get("occurrence") if i == 0 else None, a["_path"], a["_line"],
                                            fill=row, mode="extend" if i else "one"))
            if a.get("attribution"):
                requests.append(CiteRequest("quote_appearances", aid, "attribution", a["source"], a["attribution"],
                                            None, a["_path"], a["_line"], fill=row, prefix="attribution_", mode="near"))
            evidence.append(("quote_appearances", aid))
        link(("quotes", qid), rec, "speaker", rec["speaker"], quote_row, tuple(evidence))
        inferences(("quotes", qid), rec)

    counts: dict[str, int] = {}
    for rec in records.get("non_quotations", []):
        src = rec["source"]
        counts[src] = counts.get(src, 0) + 1
        row = {"id": f"{src}--{slug(rec['text'])[:60]}-{counts[src]}", "source_id": src, "text": rec["text"],
               "kind": rec["kind"], "start": None, "end": None, "occurrences": 0, "note": rec.get("note")}
        tables["non_quotations"].append(row)
        requests.append(CiteRequest("non_quotations", row["id"], "text", src, rec["text"], None, rec["_path"],
                                    rec["_line"], fill=row, mode="all", cite=False))

    for rec in records.get("data_flows", []):
        fid = rec["id"]
        tables["data_flows"].append({
            "id": fid, "data": rec["data"], "category": rec["category"], "from_organization_id": rec["from"],
            "to_organization_id": rec["to"], "through": "; ".join(names.get(t, t) for t in rec.get("through") or []) or None,
            "mechanism": rec["mechanism"], "status": rec["status"]})
        cite("data_flows", fid, rec)
        fact = ("data_flows", fid)
        flow_row = tables["data_flows"][-1]
        link(fact, rec, "from", rec["from"], flow_row)
        link(fact, rec, "to", rec["to"], flow_row)
        for n, org in enumerate(rec.get("through") or [], 1):
            tables["data_flow_intermediaries"].append({"id": f"{fid}--{n}", "data_flow_id": fid, "position": n,
                                                       "organization_id": org})
            link(fact, rec, "through", org, tables["data_flow_intermediaries"][-1])
        inferences(fact, rec)
        evidence, claims = [fact], []
        for n, cl in enumerate(rec.get("claims") or [], 1):
            clid = f"{fid}--{cl['stance'].replace('_', '-')}-{n}"
            tables["data_flow_claims"].append({"id": clid, "data_flow_id": fid, "stance": cl["stance"],
                                               **party("by_", cl["by"]), "by_name": names.get(cl["by"], cl["by"]),
                                               "text": cl["text"]})
            cite("data_flow_claims", clid, cl)
            sub = ("data_flow_claims", clid)
            link(sub, cl, "by", cl["by"], tables["data_flow_claims"][-1])
            inferences(sub, cl)
            prose(sub, cl, ("text",), (sub,), (cl["by"], rec["from"], rec["to"], *(rec.get("through") or [])))
            evidence.append(sub)
            claims.append((sub, cl["stance"], cl["by"], cl["_path"], cl["_line"]))
        checks.flows.append((fact, rec["status"], tuple(claims), rec["_path"], rec["_line"]))
        prose(fact, rec, ("data", "mechanism"), tuple(evidence), (rec["from"], rec["to"], *(rec.get("through") or [])))

    owner = {r["id"]: table for table in ENTITY_TABLES for r in records.get(table, []) if r.get("id")}
    for rec in records.get("discrepancies", []):
        did = rec["id"]
        subject = rec.get("subject")
        tables["discrepancies"].append({"id": did, "kind": rec["kind"], "source_id": rec["source"],
                                        "compared_to_source_id": rec["compared_to"],
                                        "subject_table": owner.get(subject) if subject else None,
                                        "subject_id": subject, "description": rec["description"]})
        cite("discrepancies", did, rec)
        prose(("discrepancies", did), rec, ("description",), (("discrepancies", did),), (subject,))

    for table in LINKING_TABLES:
        for row in tables[table]:
            row.setdefault("inferred", None)
    return tables, requests, checks
