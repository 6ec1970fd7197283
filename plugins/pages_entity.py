"""A person's or an organization's row page leads with what a reader came for.

For rows of `people` and `organizations`, the row page (templates/row.html includes
templates/pages/entity.html) shows first: their quotes with every printing (each linked to the
printing's page, with its fidelity and source), their claims about data flows (and, for an
organization, the flows that leave it, reach it or pass through it), their cases, their
affiliations and memberships, and a small timeline of the dated events among these, before
Datasette's row table and the generic "links from other tables".

Every query is by an indexed id and capped at LIMIT rows per list (a link leads to the rest), so
the page costs the same at 10,000 documents as at five.
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup, escape

LIMIT = 40


async def _rows(db, sql: str, params: dict) -> list[dict]:
    return [dict(r) for r in (await db.execute(sql, params)).rows]


async def person_or_organization(datasette, db, table: str, pk: str) -> dict | None:
    person = table == "people"
    name_row = (await db.execute(f"select name from {table} where id = :id", {"id": pk})).first()
    if name_row is None:
        return None
    name = name_row[0]
    who = "speaker_person_id" if person else "speaker_organization_id"
    p = {"id": pk, "limit": LIMIT + 1}
    quotes = await _rows(db, f"""
        select q.id, q.text, q.kind, q.appearance_count, pol.name as topic, q.topic_policy_id
        from quotes q left join policies pol on pol.id = q.topic_policy_id
        where q.{who} = :id order by q.appearance_count desc, q.id limit :limit""", p)
    if quotes:
        marks = ", ".join(f":q{i}" for i in range(len(quotes)))
        printings = await _rows(db, f"""
            select qa.id, qa.quote_id, qa.fidelity, qa.text, qa.attribution, s.id as source_id, s.title as source,
                   s.publisher, s.date
            from quote_appearances qa join sources s on s.id = qa.source_id
            where qa.quote_id in ({marks})
            order by qa.quote_id, case qa.fidelity when 'verbatim' then 0 when 'reworded' then 1 else 2 end, s.date, qa.id""",
            {f"q{i}": q["id"] for i, q in enumerate(quotes)})
        for q in quotes:
            q["printings"] = [r for r in printings if r["quote_id"] == q["id"]]
    by = "by_person_id" if person else "by_organization_id"
    claims = await _rows(db, f"""
        select c.id, c.stance, c.text, f.id as flow_id, f.data, f.status
        from data_flow_claims c join data_flows f on f.id = c.data_flow_id
        where c.{by} = :id order by f.id, c.id limit :limit""", p)
    flows = [] if person else await _rows(db, """
        select f.id, f.data, f.status, 'sends' as role, o.name as other, o.id as other_id
          from data_flows f join organizations o on o.id = f.to_organization_id where f.from_organization_id = :id
        union all
        select f.id, f.data, f.status, 'receives', o.name, o.id
          from data_flows f join organizations o on o.id = f.from_organization_id where f.to_organization_id = :id
        union all
        select f.id, f.data, f.status, 'passes on', o.name, o.id
          from data_flow_intermediaries i join data_flows f on f.id = i.data_flow_id
          join organizations o on o.id = f.to_organization_id where i.organization_id = :id
        limit :limit""", p)
    if person:
        cases = await _rows(db, """select c.id, c.title, c.charges, c.outcome, 'subject' as role from cases c
                                   where c.subject_person_id = :id order by c.id limit :limit""", p)
        affiliations = await _rows(db, """
            select a.role, a.date, a.current, o.id as other_id, o.name as other, 'organizations' as other_table
            from affiliations a join organizations o on o.id = a.organization_id
            where a.person_id = :id order by a.current desc, a.date desc, o.name limit :limit""", p)
        affiliations += await _rows(db, """
            select coalesce(m.role, 'member') as role, null as date, null as current, o.id as other_id,
                   o.name as other, 'organizations' as other_table
            from memberships m join organizations o on o.id = m.organization_id
            where m.member_person_id = :id order by o.name limit :limit""", p)
    else:
        cases = await _rows(db, """
            select c.id, c.title, c.charges, c.outcome, 'acts in it' as role from cases c
            where c.id in (select case_id from case_events where agency_id = :id) order by c.id limit :limit""", p)
        affiliations = await _rows(db, """
            select a.role, a.date, a.current, p.id as other_id, p.name as other, 'people' as other_table
            from affiliations a join people p on p.id = a.person_id
            where a.organization_id = :id order by a.current desc, p.name limit :limit""", p)
        affiliations += await _rows(db, """
            select 'member of' as role, null as date, null as current, o.id as other_id, o.name as other,
                   'organizations' as other_table
            from memberships m join organizations o on o.id = m.organization_id
            where m.member_organization_id = :id order by o.name limit :limit""", p)
    # the timeline: dated events of their cases (or where they act), policies they issued, where they are quoted
    case_filter = "e.case_id in (select id from cases where subject_person_id = :id)" if person else "e.agency_id = :id"
    issuer = "issuer_person_id" if person else "issuer_organization_id"
    timeline = await _rows(db, f"""
        select * from (
            select e.date, e.date_precision, e.description as what, 'case_events' as row_table, e.id as row_id
            from case_events e where {case_filter} and e.date is not null
            union all
            select date, date_precision, 'issued ' || name, 'policies', id from policies where {issuer} = :id and date is not null
)
        order by date, row_id limit :limit""", p)
    # and the dated sources of the quotes shown (not of every quote: a police department is quoted thousands of times)
    seen = set()
    for q in quotes[:LIMIT]:
        for r in q["printings"]:
            if r["date"] and r["source_id"] not in seen:
                seen.add(r["source_id"])
                timeline.append({"date": r["date"], "what": "quoted in " + r["source"],
                                 "row_table": "quote_appearances", "row_id": r["id"]})
    timeline = sorted(timeline, key=lambda t: (t["date"], t["row_id"]))[:LIMIT]
    url = lambda t, i: datasette.urls.row(db.name, t, tilde_encode(str(i)))
    for q in quotes:
        q["url"] = url("quotes", q["id"])
        for r in q["printings"]:
            r["url"], r["source_url"] = url("quote_appearances", r["id"]), url("sources", r["source_id"])
    for c in claims + flows:
        c["flow_url"] = url("data_flows", c.get("flow_id") or c["id"])
        if c.get("id") and c.get("stance"):
            c["url"] = url("data_flow_claims", c["id"])
    for f in flows:
        f["other_url"] = url("organizations", f["other_id"])
    for c in cases:
        c["url"] = url("cases", c["id"])
        c["timeline_url"] = datasette.urls.query(db.name, "case_timeline") + "?" + urlencode({"case": c["id"]})
    for a in affiliations:
        a["url"] = url(a["other_table"], a["other_id"])
    for t in timeline:
        t["url"] = url(t["row_table"], t["row_id"])
    more = datasette.urls.query(db.name, "quotes_by_speaker") + "?" + urlencode({"speaker": name, "topic": ""})
    return {"name": name, "kind": "person" if person else "organization", "limit": LIMIT,
            "quotes": quotes[:LIMIT], "more_quotes": len(quotes) > LIMIT, "quotes_url": more,
            "claims": claims[:LIMIT], "flows": flows[:LIMIT], "cases": cases[:LIMIT],
            "affiliations": affiliations[:2 * LIMIT], "timeline": timeline[:LIMIT],
            "timeline_svg": strip(timeline[:LIMIT]),
            "map_url": datasette.urls.database(db.name) + "/flow-map" + ("" if person else "?" + urlencode({"from": pk}))}


def _year(date: str) -> float:
    parts = [int(x) for x in date.split("-")[:3] if x.isdigit()]
    year, month, day = (parts + [7, 1])[:3] if len(parts) == 1 else (parts + [15])[:3]
    return year + (month - 1) / 12 + (day - 1) / 365


def strip(timeline: list[dict]) -> Markup | None:
    """The dated items on one line: a dot for each, the first and last years at the ends."""
    points = [(_year(t["date"]), t) for t in timeline if t.get("date") and t["date"][:4].isdigit()]
    if len(points) < 2:
        return None
    lo, hi = min(p[0] for p in points), max(p[0] for p in points)
    span, width = max(hi - lo, 1.0), 600
    x = lambda y: 20 + (y - lo) / span * (width - 40)
    out = [f'<svg class="timeline-strip" viewBox="0 0 {width} 46" width="{width}" height="46" role="img" '
           f'aria-label="{len(points)} dated events from {int(lo)} to {int(hi)}" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="20" y1="18" x2="{width - 20}" y2="18" stroke="#888"/>']
    for y, t in points:
        out.append(f'<circle cx="{x(y):.1f}" cy="18" r="5" fill="#1a4f8a" fill-opacity="0.7">'
                   f'<title>{escape(t["date"])}: {escape(t["what"])}</title></circle>')
    out.append(f'<text x="20" y="40" font-size="12">{int(lo)}</text>')
    if int(hi) != int(lo):
        out.append(f'<text x="{width - 20}" y="40" font-size="12" text-anchor="end">{int(hi)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    if view_name != "row" or table not in ("people", "organizations") or request is None:
        return {}

    async def inner():
        pks = urlsafe_components(request.url_vars.get("pks", ""))
        if len(pks) != 1:
            return {}
        db = datasette.get_database(database)
        return {"entity": await person_or_organization(datasette, db, table, pks[0])}

    return inner
