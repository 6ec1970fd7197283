"""The home page: a search box, the key figures and the three charts drawn on the page.

This plugin serves / (register_routes, before Datasette's own index view) with templates/index.html,
the figures and the charts. The charts are SVG drawn here, on the server, from SQL that
counts (the same counts as the canned chart queries quotes_per_speaker, events_per_year and
data_flows_by_status, which open the same data in datasette-vega): no JavaScript, nothing fetched
from elsewhere, readable without a script and cheap at 10,000 documents (every query reads an index
or a small table; the speakers chart counts the busiest speakers only).
"""

from __future__ import annotations

from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

FIDELITY_COLOURS = {"verbatim": "#4477aa", "reworded": "#ccbb44", "garbled": "#ee6677"}
KIND_COLOURS = {"case event": "#4477aa", "policy issued": "#ee6677"}
CATEGORY_COLOURS = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb",
                    "#332288", "#999933", "#882255"]
TOP_SPEAKERS = 12


def publication_database(datasette):
    """The served database with the publication's tables (named `entanglement` by make serve)."""
    for name, db in datasette.databases.items():
        if not name.startswith("_"):
            return db
    return None


def hbar_chart(title: str, rows: list[dict], series: list[str], colours: dict, label_width: int = 190) -> Markup:
    """Horizontal stacked bars, one row per item: rows are {"label", "href", "values": {series: n}}."""
    bar_h, gap, top, width = 22, 6, 8, 600
    plot = width - label_width - 60
    biggest = max((sum(r["values"].values()) for r in rows), default=0) or 1
    height = top + len(rows) * (bar_h + gap) + 4
    # role "group", not "img": the bars are links, which an image would hide from assistive technology
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="group" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, r in enumerate(rows):
        y = top + i * (bar_h + gap)
        total = sum(r["values"].values())
        label = r["label"] if len(r["label"]) <= 28 else r["label"][:27] + "…"
        out.append(f'<a href="{escape(r["href"])}"><title>{escape(r["label"])}: {total}</title>'
                   f'<text x="{label_width - 8}" y="{y + bar_h - 6}" text-anchor="end">{escape(label)}</text>')
        x = label_width
        for s in series:
            n = r["values"].get(s, 0)
            if not n:
                continue
            w = max(n / biggest * plot, 1)
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colours[s]}">'
                       f'<title>{escape(r["label"])}: {n} {escape(s)}</title></rect>')
            x += w
        out.append(f'<text x="{x + 6:.1f}" y="{y + bar_h - 6}">{total}</text></a>')
    out.append("</svg>")
    return Markup("".join(out))


def column_chart(title: str, columns: list[dict], series: list[str], colours: dict) -> Markup:
    """Vertical stacked columns in order (periods): columns are {"label", "values": {series: n}}."""
    width, height, left, bottom, top = 600, 220, 36, 48, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    biggest = max((sum(c["values"].values()) for c in columns), default=0) or 1
    step = plot_w / max(len(columns), 1)
    every = max(1, round(len(columns) / 16))
    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 8}" y2="{top + plot_h}" stroke="#666"/>',
           f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{biggest}</text>',
           f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>']
    for i, c in enumerate(columns):
        x = left + i * step
        y = top + plot_h
        for s in series:
            n = c["values"].get(s, 0)
            if not n:
                continue
            h = n / biggest * plot_h
            y -= h
            out.append(f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" '
                       f'fill="{colours[s]}"><title>{escape(c["label"])}: {n} {escape(s)}</title></rect>')
        if i % every == 0:
            out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 14}" text-anchor="end" '
                       f'transform="rotate(-45 {x + step / 2:.1f} {top + plot_h + 14})">{escape(c["label"])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


async def figures(db) -> list[dict]:
    sql = """select
        (select count(*) from sources), (select count(*) from sources where held = 1),
        (select count(*) from quotes), (select count(*) from quote_appearances),
        (select count(*) from people), (select count(*) from organizations),
        (select count(*) from data_flows), (select count(*) from cases)"""
    s, held, q, qa, p, o, f, c = (await db.execute(sql)).rows[0]
    n = db.name
    return [
        {"n": s, "what": "documents", "note": f"{held:,} held in full", "href": f"/{n}/sources"},
        {"n": q, "what": "quotes", "note": f"{qa:,} printings", "href": f"/{n}/quote_variants"},
        {"n": p, "what": "people", "note": "", "href": f"/{n}/people"},
        {"n": o, "what": "organizations", "note": "", "href": f"/{n}/organizations"},
        {"n": f, "what": "data flows", "note": "", "href": f"/{n}/flow-map"},
        {"n": c, "what": "cases", "note": "", "href": f"/{n}/cases_without_charges"},
    ]


async def speakers_chart(db) -> dict:
    # The most quoted speakers (counted in idx_quotes_speaker_name alone, without reading the quotes),
    # then the fidelity of those speakers' printings only.
    top = (await db.execute(
        "select speaker_name, count(*) as n from quotes group by speaker_name "
        "order by n desc, speaker_name limit :k", {"k": TOP_SPEAKERS})).rows
    names = [r[0] for r in top]
    counts = {name: {} for name in names}
    if names:
        marks = ", ".join(f":s{i}" for i in range(len(names)))
        for name, fidelity, n in (await db.execute(
                f"select q.speaker_name, qa.fidelity, count(*) from quotes q "
                f"join quote_appearances qa on qa.quote_id = q.id where q.speaker_name in ({marks}) "
                f"group by 1, 2", {f"s{i}": v for i, v in enumerate(names)})).rows:
            counts[name][fidelity] = n
    rows = [{"label": name, "values": counts[name],
             "href": f"/{db.name}/quotes_by_speaker?" + urlencode({"speaker": name, "topic": ""})} for name in names]
    series = list(FIDELITY_COLOURS)
    return {"title": f"Quote printings of the {len(rows)} most quoted speakers, by fidelity",
            "svg": hbar_chart("Quote printings per speaker, by fidelity", rows, series, FIDELITY_COLOURS),
            "legend": [(s, FIDELITY_COLOURS[s]) for s in series],
            "href": f"/{db.name}/quotes_per_speaker#g.mark=bar&g.x_column=speaker&g.x_type=ordinal"
                    "&g.y_column=printings&g.y_type=quantitative&g.color_column=fidelity"}


async def events_chart(db) -> dict:
    rows = (await db.execute("""
        select case when date_precision in ('day', 'month') then substr(date, 1, 7) else substr(date, 1, 4) end,
               kind, count(*)
        from (select date, date_precision, 'case event' as kind from case_events where date is not null
              union all select date, date_precision, 'policy issued' from policies where date is not null)
        group by 1, 2 order by 1, 2""")).rows
    columns: dict[str, dict] = {}
    for period, kind, n in rows:
        columns.setdefault(period, {})[kind] = n
    series = list(KIND_COLOURS)
    cols = [{"label": p, "values": v} for p, v in columns.items()]
    return {"title": "Dated events per period (month where known, else year)",
            "svg": column_chart("Dated events per period", cols, series, KIND_COLOURS),
            "legend": [(s, KIND_COLOURS[s]) for s in series],
            "href": f"/{db.name}/events_per_year#g.mark=bar&g.x_column=period&g.x_type=ordinal"
                    "&g.y_column=events&g.y_type=quantitative&g.color_column=kind"}


async def flows_chart(db) -> dict:
    rows = (await db.execute("select status, category, count(*) from data_flows group by 1, 2 order by 1, 2")).rows
    categories = sorted({r[1] for r in rows})
    colours = {c: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, c in enumerate(categories)}
    by_status: dict[str, dict] = {}
    for status, category, n in rows:
        by_status.setdefault(status, {})[category] = n
    bars = [{"label": s, "values": v, "href": f"/{db.name}/flow-map?" + urlencode({"status": s})}
            for s, v in by_status.items()]
    return {"title": "Data flows by status, by category of data",
            "svg": hbar_chart("Data flows by status, by category of data", bars, categories, colours, 120),
            "legend": [(c, colours[c]) for c in categories],
            "href": f"/{db.name}/data_flows_by_status#g.mark=bar&g.x_column=status&g.x_type=ordinal"
                    "&g.y_column=flows&g.y_type=quantitative&g.color_column=category"}


async def home_page(datasette, request):
    """/ itself: Datasette's index view also counts and inspects every table of every database for its
    list of tables (about 150 ms at 10,000 documents); this page lists the tables by name only."""
    db = publication_database(datasette)
    home = None
    if db is not None and "data_flows" in await db.table_names():
        home = {"database": db.name, "figures": await figures(db),
                "charts": [await speakers_chart(db), await events_chart(db), await flows_chart(db)]}
    databases = []
    for name, d in datasette.databases.items():
        if name.startswith("_"):
            continue
        hidden = set(await d.hidden_table_names())
        databases.append({"name": name,
                          "tables": [t for t in await d.table_names() if t not in hidden] + await d.view_names()})
    html = await datasette.render_template(
        "index.html", {"home": home, "databases": databases, "metadata": datasette.metadata() or {}}, request=request,
        view_name="index")
    return Response.html(html)


@hookimpl
def register_routes():
    return [(r"^/$", home_page)]
