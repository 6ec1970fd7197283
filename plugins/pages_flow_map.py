"""The data-flow map: /<database>/flow-map.

One SVG, drawn here on the server from the database (so it grows with the records): each data flow
is a lane running from the organization the data leaves, through the intermediaries named in
data_flow_intermediaries, to the organization that receives it; the lane is coloured and dashed by
the flow's status and links to the flow's row page. Beside each lane, in the same row, who asserts,
denies, questions or demands an end to that flow (data_flow_claims, one column per party, each
mark linking to the claim's row page).

Flows are ordered by where the data comes from, where it goes, status and category. A page holds
PAGE_SIZE flows (every flow of today's records); larger databases page through them, and
`?status=` and `?from=` (an organizations.id) narrow the map. Every query reads an index or the
rows of the page only: cheap at 10,000 documents.
"""

from __future__ import annotations

import textwrap
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

PAGE_SIZE = 30
STATUS_ORDER = ["ongoing", "limited", "alleged", "denied", "unknown", "stopped", "demanded"]
# colour (Paul Tol's colour-blind-safe "vibrant" scheme) and dash pattern: status is never shown by colour alone
STATUS_STYLE = {
    "ongoing": ("#cc3311", ""),
    "limited": ("#ee7733", "12 3"),
    "alleged": ("#0077bb", "8 5"),
    "denied": ("#aa3377", "2 4"),
    "unknown": ("#555555", "4 4"),
    "stopped": ("#009988", "10 3 2 3"),
    "demanded": ("#ee3377", "1 5"),     # only demanded to stop: not evidence that it happens
}
OTHER_STATUS = ("#555555", "4 4")
STANCES = {   # mark, colour, words
    "asserts": ("●", "#117733", "asserts it happens"),
    "denies": ("✕", "#aa3377", "denies it"),
    "questions": ("?", "#805500", "questions it"),
    "demands_stop": ("■", "#cc3311", "demands that it stop"),
}

LANE_H, TOP, BOX_W, VIA_W, EDGE_W, COL_W = 44, 150, 160, 150, 500, 28
FONT = "font: 13px sans-serif"


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


async def _flows(db, status: str, from_org: str, page: int) -> tuple[list[dict], int]:
    where, params = [], {}
    if status:
        where.append("f.status = :status")
        params["status"] = status
    if from_org:
        where.append("f.from_organization_id = :from_org")
        params["from_org"] = from_org
    where_sql = ("where " + " and ".join(where)) if where else ""
    total = (await db.execute(f"select count(*) from data_flows f {where_sql}", params)).rows[0][0]
    order = " ".join(f"when '{s}' then {i}" for i, s in enumerate(STATUS_ORDER))
    rows = (await db.execute(f"""
        select f.id, f.data, f.category, f.status, f.mechanism, f.through,
               f.from_organization_id, fo.name, f.to_organization_id, tor.name
        from data_flows f
        join organizations fo on fo.id = f.from_organization_id
        join organizations tor on tor.id = f.to_organization_id
        {where_sql}
        order by fo.name, f.from_organization_id, tor.name, f.to_organization_id,
                 case f.status {order} else {len(STATUS_ORDER)} end, f.category, f.id
        limit :limit offset :offset""", {**params, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})).rows
    flows = [{"id": r[0], "data": r[1], "category": r[2], "status": r[3], "mechanism": r[4], "through": r[5],
              "from_id": r[6], "from": r[7], "to_id": r[8], "to": r[9], "via": [], "claims": []} for r in rows]
    if flows:
        by_id = {f["id"]: f for f in flows}
        marks = ", ".join(f":f{i}" for i in range(len(flows)))
        ids = {f"f{i}": f["id"] for i, f in enumerate(flows)}
        for flow_id, org_id, name in (await db.execute(
                f"select i.data_flow_id, i.organization_id, o.name from data_flow_intermediaries i "
                f"join organizations o on o.id = i.organization_id where i.data_flow_id in ({marks}) "
                f"order by i.data_flow_id, i.position", ids)).rows:
            by_id[flow_id]["via"].append({"id": org_id, "name": name})
        for claim_id, flow_id, stance, name, text, person, org, inferred in (await db.execute(
                f"select id, data_flow_id, stance, by_name, text, by_person_id, by_organization_id, inferred "
                f"from data_flow_claims where data_flow_id in ({marks}) order by data_flow_id, id", ids)).rows:
            by_id[flow_id]["claims"].append({"id": claim_id, "stance": stance, "by": name, "text": text,
                                             "by_table": "people" if person else "organizations",
                                             "by_id": person or org, "inferred": bool(inferred)})
        for f in flows:
            if not f["via"] and f["through"]:   # named in the text but not (yet) an organization row
                f["via"] = [{"id": None, "name": n.strip()} for n in f["through"].split(";") if n.strip()]
    return flows, total


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _clip(lines[-1] + " …", width)
    return lines


def _runs(flows: list[dict], key) -> list[tuple[int, int, dict]]:
    """Consecutive lanes with the same key, as (first, last, flow)."""
    out = []
    for i, f in enumerate(flows):
        if out and key(out[-1][2]) == key(f):
            out[-1] = (out[-1][0], i, out[-1][2])
        else:
            out.append((i, i, f))
    return out


def draw(datasette, database: str, flows: list[dict], parties: list[dict]) -> Markup:
    row = lambda table, pk: datasette.urls.row(database, table, tilde_encode(str(pk)))
    x_from, x_to = 10, 10 + BOX_W + EDGE_W
    x_grid = x_to + BOX_W + 30
    width = x_grid + max(len(parties), 1) * COL_W + 130   # room for the last party's slanted name
    height = TOP + len(flows) * LANE_H + 20
    y_of = lambda i: TOP + i * LANE_H + LANE_H / 2
    out = [f'<svg class="flow-map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="flow-map-title" style="{FONT}">',
           '<title id="flow-map-title">Data flows from the organization the data leaves, through intermediaries, '
           'to the organization that receives it; beside each, who asserts, denies, questions or demands an end to it'
           '</title><defs>']
    for status, (colour, _) in list(STATUS_STYLE.items()) + [("other", OTHER_STATUS)]:
        out.append(f'<marker id="arrow-{status}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
                   f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    out.append("</defs>")
    out.append(f'<text x="{x_from}" y="{TOP - 14}" font-weight="bold">Data leaves</text>'
               f'<text x="{x_from + BOX_W + 12}" y="{TOP - 14}" font-weight="bold">What data, through whom (status)</text>'
               f'<text x="{x_to}" y="{TOP - 14}" font-weight="bold">Received by</text>')
    # the lanes first, the boxes over their ends
    for i, f in enumerate(flows):
        colour, dash = STATUS_STYLE.get(f["status"], OTHER_STATUS)
        marker = f["status"] if f["status"] in STATUS_STYLE else "other"
        y = y_of(i)
        x0, x1 = x_from + BOX_W, x_to - 2
        via_x = x0 + EDGE_W - VIA_W - 40
        label = f'{f["data"]}'
        title = (f'{f["from"]} → ' + "".join(v["name"] + " → " for v in f["via"]) + f'{f["to"]}: {f["data"]} '
                 f'({f["status"]}; {f["category"]})')
        out.append(f'<a href="{escape(row("data_flows", f["id"]))}" class="flow-edge" data-flow="{escape(f["id"])}" '
                   f'data-status="{escape(f["status"])}"><title>{escape(title)}</title>'
                   f'<rect x="{x0}" y="{y - LANE_H / 2 + 1}" width="{x1 - x0}" height="{LANE_H - 2}" fill="transparent"/>'
                   f'<line x1="{x0}" y1="{y + 6}" x2="{x1}" y2="{y + 6}" stroke="{colour}" stroke-width="3.5"'
                   + (f' stroke-dasharray="{dash}"' if dash else "") + f' marker-end="url(#arrow-{marker})"/>'
                   f'<text x="{x0 + 10}" y="{y - 2}" fill="#111">{escape(_clip(label, 44 if f["via"] else 70))}'
                   f'<tspan fill="{colour}" font-weight="bold"> ({escape(f["status"])})</tspan></text>')
        for k, v in enumerate(f["via"]):
            vx = via_x + k * 8
            out.append(f'<rect x="{vx}" y="{y - 3}" width="{VIA_W}" height="18" rx="9" fill="#fff" stroke="#333"/>'
                       f'<text x="{vx + VIA_W / 2}" y="{y + 10}" text-anchor="middle" font-size="11">'
                       f'{escape(_clip(v["name"], 24))}</text>')
        out.append("</a>")
    for key, x, name_of in (("from_id", x_from, "from"), ("to_id", x_to, "to")):
        for first, last, f in _runs(flows, lambda fl, key=key: (fl["from_id"], fl[key])):
            y0, y1 = TOP + first * LANE_H + 4, TOP + (last + 1) * LANE_H - 4
            org = f[key]
            lines = _wrap(f[name_of], 21, max(1, int((y1 - y0 - 4) // 15)))
            first_y = (y0 + y1) / 2 + 5 - (len(lines) - 1) * 7.5
            out.append(f'<a href="{escape(row("organizations", org))}"><title>{escape(f[name_of])}</title>'
                       f'<rect x="{x}" y="{y0}" width="{BOX_W}" height="{y1 - y0}" rx="6" fill="#eef2f7" stroke="#1a4f8a"/>'
                       f'<text x="{x + BOX_W / 2}" y="{first_y}" text-anchor="middle" font-weight="bold">'
                       + "".join(f'<tspan x="{x + BOX_W / 2}" dy="{0 if k == 0 else 15}">{escape(line)}</tspan>'
                                 for k, line in enumerate(lines)) + '</text></a>')
    # parties x flows
    for j, p in enumerate(parties):
        cx = x_grid + j * COL_W + COL_W / 2
        out.append(f'<a href="{escape(row(p["table"], p["id"]) if p["id"] else "#")}"><title>{escape(p["name"])}</title>'
                   f'<text x="{cx}" y="{TOP - 8}" transform="rotate(-55 {cx} {TOP - 8})">{escape(_clip(p["name"], 24))}'
                   f'</text></a>')
    for i in range(len(flows) + 1):
        y = TOP + i * LANE_H
        out.append(f'<line x1="{x_grid}" y1="{y}" x2="{x_grid + len(parties) * COL_W}" y2="{y}" stroke="#ddd"/>')
    for j in range(len(parties) + 1):
        x = x_grid + j * COL_W
        out.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{TOP + len(flows) * LANE_H}" stroke="#eee"/>')
    for i, f in enumerate(flows):
        for c in f["claims"]:
            j = next((k for k, p in enumerate(parties) if p["name"] == c["by"]), None)
            if j is None:
                continue
            mark, colour, words = STANCES.get(c["stance"], ("•", "#333", c["stance"]))
            cx, y = x_grid + j * COL_W + COL_W / 2, y_of(i)
            # two claims of one party on one flow: the second mark beside the first
            same = [d for d in f["claims"] if d["by"] == c["by"]]
            dx = (same.index(c) - (len(same) - 1) / 2) * 10
            out.append(f'<a href="{escape(row("data_flow_claims", c["id"]))}" class="claim" data-stance="{escape(c["stance"])}">'
                       f'<title>{escape(c["by"])} {escape(words)}: {escape(c["text"])}'
                       + (" (inferred: no cited passage names this party)" if c["inferred"] else "") + '</title>'
                       f'<text x="{cx + dx}" y="{y + 6}" text-anchor="middle" font-size="16" fill="{colour}">{mark}'
                       + ('<tspan font-size="10" dy="-6">?</tspan>' if c["inferred"] else "") + '</text></a>')
    out.append("</svg>")
    return Markup("".join(out))


def _parties(flows: list[dict]) -> list[dict]:
    counts: dict[str, dict] = {}
    for f in flows:
        for c in f["claims"]:
            p = counts.setdefault(c["by"], {"name": c["by"], "table": c["by_table"], "id": c["by_id"], "n": 0})
            p["n"] += 1
    return sorted(counts.values(), key=lambda p: (-p["n"], p["name"]))


async def flow_map(datasette, request):
    database = request.url_vars["database"]
    try:
        db = datasette.get_database(database)
    except KeyError:
        raise NotFound(f"Database not found: {database}")
    if "data_flows" not in await db.table_names():
        raise NotFound("This database has no data flows")
    status = (request.args.get("status") or "").strip()
    from_org = (request.args.get("from") or "").strip()
    try:
        page = max(1, int(request.args.get("page") or 1))
    except ValueError:
        page = 1
    flows, total = await _flows(db, status, from_org, page)
    parties = _parties(flows)
    pages = max(1, -(-total // PAGE_SIZE))
    base = {k: v for k, v in (("status", status), ("from", from_org)) if v}
    link = lambda n: datasette.urls.database(database) + "/flow-map?" + urlencode({**base, "page": n})
    statuses = [s for (s,) in (await db.execute("select distinct status from data_flows order by status")).rows]
    context = {
        "database": database, "flows": flows, "parties": parties, "total": total, "page": page, "pages": pages,
        "status": status, "from_org": from_org, "statuses": statuses,
        "previous_url": link(page - 1) if page > 1 else None, "next_url": link(page + 1) if page < pages else None,
        "svg": draw(datasette, database, flows, parties),
        "status_legend": [(s, *STATUS_STYLE[s]) for s in STATUS_ORDER if s in statuses or s == status],
        "stance_legend": [(s, *v) for s, v in STANCES.items()],
        "credits": datasette.metadata() or {},
    }
    html = await datasette.render_template("pages/flow_map.html", context, request=request)
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/(?P<database>[^/]+)/flow-map$", flow_map)]
