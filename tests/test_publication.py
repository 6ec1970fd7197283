"""The publication: Datasette serving the real build with metadata.yml, the
plugin and the templates, exactly as `make serve` runs it (options read from
the Makefile). Uses Datasette's own test client; no network, no browser."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import yaml
from datasette.app import Datasette
from datasette.app import DEFAULT_SETTINGS

from conftest import HTML_VALUE, query_files, serve_command

ROOT = Path(__file__).resolve().parents[1]
METADATA = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
DB_METADATA = METADATA["databases"]["entanglement"]
QUERIES = query_files()    # schema/queries/*.sql, as plugins/canned_queries.py serves them
CHARTS = ("quotes_per_speaker", "events_per_year", "data_flows_by_status")
CREDITS = ("license", "license_url", "source", "source_url", "about", "about_url")


def datasette_for(db: Path) -> Datasette:
    """A Datasette configured from the Makefile's serve command line."""
    argv = serve_command(db, 8001)
    options: dict = {"immutables": [], "settings": {}}
    i = argv.index("serve") + 1
    while i < len(argv):
        arg = argv[i]
        if arg == "-i":
            options["immutables"].append(argv[i + 1]); i += 2
        elif arg == "--metadata":
            options["metadata"] = yaml.safe_load((ROOT / argv[i + 1]).read_text(encoding="utf-8")); i += 2
        elif arg == "--plugins-dir":
            options["plugins_dir"] = str(ROOT / argv[i + 1]); i += 2
        elif arg == "--template-dir":
            options["template_dir"] = str(ROOT / argv[i + 1]); i += 2
        elif arg == "--setting":
            name, value = argv[i + 1], argv[i + 2]
            default = DEFAULT_SETTINGS[name]
            options["settings"][name] = (value in ("on", "true", "1")) if isinstance(default, bool) else type(default)(value)
            i += 3
        elif arg in ("-h", "-p", "--host", "--port"):
            i += 2
        else:
            raise AssertionError(f"serve option not understood by this test: {arg}")
    assert options["immutables"] == [str(db)], "make serve must serve the database immutable (-i) for downloads"
    return Datasette(**options)


class Site:
    """Datasette's test client on one event loop, used synchronously."""

    def __init__(self, db: Path):
        self.db = db
        self.ds = datasette_for(db)
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self.ds.invoke_startup())

    def get(self, path: str):
        return self.loop.run_until_complete(self.ds.client.get(path))

    def html(self, path: str) -> str:
        response = self.get(path)
        assert response.status_code == 200, (path, response.status_code, response.text[:500])
        return response.text

    def query(self, query_name: str, /, **params) -> list[dict]:
        path = f"/entanglement/{query_name}.json?" + urlencode({**params, "_shape": "objects"})
        response = self.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        data = response.json()
        assert data.get("ok", True) and not data.get("error"), data.get("error")
        return data["rows"]

    def close(self):
        self.loop.close()


@pytest.fixture(scope="module")
def site(built_database):
    s = Site(built_database)
    yield s
    s.close()


@pytest.fixture(scope="module")
def conn(built_database):
    c = sqlite3.connect(f"file:{built_database}?mode=ro", uri=True)
    yield c
    c.close()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href") and attrs.get("rel") != "alternate":   # what the browser loads
            self.assets.append(attrs["href"])
        if tag in ("img", "iframe") and attrs.get("src"):
            self.assets.append(attrs["src"])


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


# ---------------------------------------------------------------- metadata

def test_every_table_view_and_column_has_a_description(conn):
    tables = DB_METADATA["tables"]
    missing = []
    for name, kind in conn.execute("select name, type from sqlite_master where type in ('table', 'view') order by name"):
        meta = tables.get(name) or {}
        if not (meta.get("description") or meta.get("description_html")):
            missing.append(f"{kind} {name}")
        described = meta.get("columns") or {}
        for (column,) in conn.execute("select name from pragma_table_info(?)", (name,)):
            if not (isinstance(described.get(column), str) and described[column].strip()):
                missing.append(f"{name}.{column}")
    assert missing == [], "add descriptions to metadata.yml for: " + ", ".join(missing)


def test_metadata_describes_only_real_tables_and_columns(conn):
    real = {name: {c for (c,) in conn.execute("select name from pragma_table_info(?)", (name,))}
            for (name,) in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    stale = [f"{t}.{c}" for t, meta in DB_METADATA["tables"].items() for c in (meta.get("columns") or {})
             if t not in real or c not in real[t]]
    stale += [t for t in DB_METADATA["tables"] if t not in real]
    assert stale == []


def test_labels_sorts_and_facets_name_real_columns(conn):
    for table, meta in DB_METADATA["tables"].items():
        columns = {c for (c,) in conn.execute("select name from pragma_table_info(?)", (table,))}
        for key in ("label_column", "sort", "sort_desc"):
            if key in meta:
                assert meta[key] in columns, (table, key)
        for facet in meta.get("facets") or []:
            assert facet in columns, (table, facet)


def test_every_canned_query_has_title_description_and_credits(site):
    served = site.loop.run_until_complete(site.ds.get_canned_queries("entanglement", None))
    assert list(served) == list(QUERIES)
    assert set(QUERIES) >= {"quotes_by_speaker", "cases_without_charges", "case_timeline", "search", "data_flows",
                            "policy_provisions", "quote_variants", "source_lineage", "mentions_of", "timeline",
                            "coalition_members", "discrepancies", *CHARTS}
    for name, query in served.items():
        assert query.get("title"), name
        assert query.get("description") or query.get("description_html"), name
        for key in CREDITS:
            assert query.get(key) == METADATA[key], (name, key)


def test_canned_query_sql_uses_single_quoted_literals_only():
    # Double quotes are identifiers in SQLite: a misspelt column in double quotes silently becomes a string.
    for name, query in QUERIES.items():
        for literal in re.findall(r'"([^"]*)"', query["sql"]):
            assert literal in ("case", "end", "from", "to", ""), (name, literal)


# ---------------------------------------------------------------- pages

def test_every_page_linked_from_the_homepage_answers(site):
    home = site.html("/")
    hrefs = links(home).hrefs
    local = sorted({h.split("#")[0] for h in hrefs if h.startswith("/")} - {""})
    assert len(local) >= 30
    bad = [(h, site.get(h).status_code) for h in local if site.get(h).status_code != 200]
    assert bad == []
    external = {h for h in hrefs if not h.startswith("/")}
    assert all(h.startswith("https://") for h in external), external


def test_every_link_in_a_description_answers(site):
    descriptions = [METADATA["description_html"], DB_METADATA["description_html"]]
    descriptions += [m.get("description_html", "") for m in DB_METADATA["tables"].values()]
    descriptions += [q.get("description_html", "") for q in QUERIES.values()]
    local = sorted({h.split("#")[0] for d in descriptions for h in links(d).hrefs if h.startswith("/")} - {""})
    assert local
    assert [h for h in local if site.get(h).status_code != 200] == []


def test_homepage_answers_the_four_questions(site):
    home = site.html("/")
    for text in ("Who said what about Special Order 40?", "Which cases had no charges?",
                 "How do fingerprints reach ICE?", "Which copy garbled which quote?",
                 "Download the whole database", "How to cite a row", "Known limits", "Copies of one story",
                 "garbled rewrite", "Dates inferred"):
        assert text in home, text
    hrefs = links(home).hrefs
    for query in ("quotes_by_speaker", "cases_without_charges", "quote_variants", "search", "data_flows"):
        assert any(h.startswith(f"/entanglement/{query}") for h in hrefs), query
    assert "/entanglement.db" in hrefs
    for chart in CHARTS:
        assert f"/entanglement/{chart}#{QUERIES[chart]['fragment']}" in [h.replace("&amp;", "&") for h in hrefs], chart


def test_database_page_lists_queries_with_chart_fragments(site):
    html = site.html("/entanglement")
    for chart in CHARTS:
        assert f'href="/entanglement/{chart}#{QUERIES[chart]["fragment"].replace("&", "&amp;")}"' in html, chart
    assert 'href="/entanglement.db"' in html


def pages(site, conn) -> list[str]:
    paths = ["/", "/entanglement", "/entanglement/sources", "/entanglement/people?category=public_official",
             "/entanglement/citation_passages", "/entanglement/quote_appearances_detail",
             "/entanglement?sql=select+1", "/entanglement/people/jim-mcdonnell", "/entanglement/sources/rewrite-fingerprints"]
    paths += [f"/entanglement/{name}" for name in QUERIES]
    return paths


def test_license_and_source_on_every_page(site, conn):
    for path in pages(site, conn):
        html = site.html(path)
        assert "Data license:" in html and METADATA["license_url"] in html, path
        assert "Data source:" in html and f'href="{METADATA["source_url"]}"' in html, path
        assert f'href="{METADATA["about_url"]}"' in html, path


def test_every_table_and_one_row_of_each_answers(site, conn):
    for (table,) in conn.execute("select name from sqlite_master where type in ('table', 'view') "
                                 "and name not like '%fts%' and name <> 'sqlite_stat1'"):
        assert site.get(f"/entanglement/{table}").status_code == 200, table
        columns = {c for (c,) in conn.execute("select name from pragma_table_info(?)", (table,))}
        kind = conn.execute("select type from sqlite_master where name = ?", (table,)).fetchone()[0]
        if kind == "table" and "id" in columns:
            row = conn.execute(f"select id from {table} limit 1").fetchone()
            if row:
                path = f"/entanglement/{table}/{quote(row[0])}"
                assert site.get(path).status_code == 200, path


def test_no_page_loads_anything_from_another_host(site):
    for path in ("/", "/entanglement", "/entanglement/quotes_per_speaker", "/entanglement/people/jim-mcdonnell",
                 "/entanglement/sources"):
        for asset in links(site.html(path)).assets:
            assert asset.startswith("/"), (path, asset)
    for asset in links(site.html("/entanglement/quotes_per_speaker")).assets:
        if asset.endswith(".js"):
            assert site.get(asset).status_code == 200, asset


def test_vega_is_bundled_with_datasette_vega():
    import datasette_vega
    static = Path(datasette_vega.__file__).parent / "static"
    bundles = list(static.glob("*.js"))
    assert bundles
    source = "".join(p.read_text(encoding="utf-8") for p in bundles)
    # Vega, Vega-Lite and vega-embed are compiled into the plugin's bundle; it
    # fetches only the page's own JSON link, never a script from a CDN.
    assert "vega-lite" in source and "vega-embed" in source
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis"):
        assert cdn not in source


def test_download_is_the_exact_file(site, built_database):
    response = site.get("/entanglement.db")
    assert response.status_code == 200
    assert response.content == built_database.read_bytes()


def test_person_row_page_links_both_ways(site):
    html = site.html("/entanglement/people/jim-mcdonnell")
    hrefs = [h.replace("&amp;", "&") for h in links(html).hrefs]
    for target in ("/entanglement/quotes?speaker_person_id=jim-mcdonnell",
                   "/entanglement/affiliations?person_id=jim-mcdonnell",
                   "/entanglement/mentions?person_id=jim-mcdonnell",
                   "/entanglement/aliases?person_id=jim-mcdonnell",
                   "/entanglement/quotes_by_speaker?speaker=Jim%20McDonnell",
                   "/entanglement/mentions_of?name=Jim%20McDonnell"):
        assert target in hrefs, target
    assert "Sources for this row" in html and "<mark>" in html


def test_source_row_page_links_both_ways(site):
    html = site.html("/entanglement/sources/rewrite-fingerprints")
    hrefs = [h.replace("&amp;", "&") for h in links(html).hrefs]
    for target in ("/entanglement/segments?source_id=rewrite-fingerprints",
                   "/entanglement/quote_appearances?source_id=rewrite-fingerprints",
                   "/entanglement/citations?source_id=rewrite-fingerprints",
                   "/entanglement/mentions?source_id=rewrite-fingerprints",
                   "/entanglement/sources/lat-fingerprints"):
        assert target in hrefs, target


def test_cited_passage_is_readable_in_context(site, conn):
    cid, source_id, start, end = conn.execute(
        "select id, source_id, start, \"end\" from citations where fact_table = 'cases' and fact_id = 'juarez-basilio' "
        "order by id limit 1").fetchone()
    (text,) = conn.execute("select text from sources where id = ?", (source_id,)).fetchone()
    html = site.html(f"/entanglement/citations/{quote(cid)}")
    assert "This passage in its source" in html
    passage = text[start:end]
    assert f"<mark>{escape_html(passage)}</mark>" in html
    before = text[max(start - 100, 0):start]
    assert escape_html(before) in html
    # ... and from the case's own page, with every passage behind it
    case = site.html("/entanglement/cases/juarez-basilio")
    assert case.count('class="entanglement-passage"') == conn.execute(
        "select count(*) from citations where fact_table = 'cases' and fact_id = 'juarez-basilio'").fetchone()[0]


def escape_html(text: str) -> str:
    from markupsafe import escape
    return str(escape(text))


FTS_TABLES = ("sources", "quotes", "quote_appearances", "people", "organizations", "policies", "policy_provisions",
              "cases", "case_events", "data_flows")


@pytest.mark.parametrize("table", FTS_TABLES)
def test_tables_with_a_full_text_index_have_a_search_box(site, conn, table):
    assert DB_METADATA["tables"][table]["fts_table"] == f"{table}_fts"
    word = {"sources": "fingerprints", "quotes": "trust", "quote_appearances": "trust", "people": "LAPD",
            "organizations": "immigrant", "policies": "LAPD", "policy_provisions": "ICE", "cases": "deported",
            "case_events": "ICE", "data_flows": "ICE"}[table]
    expected = conn.execute(f"select count(*) from {table}_fts where {table}_fts match ?", (word,)).fetchone()[0]
    assert expected > 0
    if table in QUERIES:
        # /entanglement/data_flows and /entanglement/policy_provisions are the canned queries of those
        # names (Datasette routes a canned query before a table); the search canned query covers them.
        hits = [r for r in site.query("search", q=word) if r["row_table"] == table]
        assert len(hits) == expected
        return
    assert 'id="_search"' in site.html(f"/entanglement/{table}")
    rows = site.get(f"/entanglement/{table}.json?_search={word}&_shape=array&_size=max").json()
    assert isinstance(rows, list) and len(rows) == expected
    for q in ('"', '""', "*", "-", "AND (", "'"):
        response = site.get(f"/entanglement/{table}.json?" + urlencode({"_search": q, "_shape": "array"}))
        assert response.status_code == 200, (q, response.text[:300])


def test_searchable_view(site):
    html = site.html("/entanglement/quote_appearances_detail?_search=Lopez")
    assert 'name="_search"' in html
    rows = site.get("/entanglement/quote_appearances_detail.json?_search=Lopez&_shape=objects").json()["rows"]
    assert {r["speaker_name"] for r in rows} == {"Christy Lopez"} and len(rows) == 2
    rows = site.get("/entanglement/quote_appearances_detail.json?_search=trust&_shape=objects").json()["rows"]
    assert rows and all("trust" in r["text"].lower() for r in rows)
    for q in ('"', "*", "-", "", "AND (", "'"):
        response = site.get("/entanglement/quote_appearances_detail.json?" + urlencode({"_search": q}))
        assert response.status_code == 200, q


# ---------------------------------------------------------------- canned queries, real rows

def test_quotes_by_speaker_finds_mcdonnell_under_a_misspelling(site):
    rows = site.query("quotes_by_speaker", speaker="McDonald", topic="")
    assert rows and {r["speaker"] for r in rows} == {"Jim McDonnell"}
    assert rows == site.query("quotes_by_speaker", speaker="mcdonnell", topic="")
    row = rows[0]
    assert "LAPD" in row["role"] and row["fidelity"] == "garbled"
    assert row["quote"].startswith("If people don’t want to stand up")
    assert row["source"] and row["date"] and row["passage"] == "mcdonnell-people-stand-up--rewrite-fingerprints"


def test_quotes_by_speaker_about_special_order_40(site):
    rows = site.query("quotes_by_speaker", speaker="", topic="Special Order 40")
    speakers = {r["speaker"] for r in rows}
    assert {"Hugo Soto-Martinez", "Jim McDonnell", "Stephen Downing"} <= speakers
    assert all("Special Order 40" in r["topic"] for r in rows)
    assert {"verbatim", "garbled"} <= {r["fidelity"] for r in rows}


def test_quotes_by_speaker_with_no_speaker_lists_every_printing(site, conn):
    everyone = site.query("quotes_by_speaker", speaker="", topic="")
    assert len(everyone) == conn.execute("select count(*) from quote_appearances").fetchone()[0]


def test_cases_without_charges(site):
    rows = site.query("cases_without_charges")
    by_id = {r["case_id"]: r for r in rows}
    assert all(r["local_charges"] in ("no", "declined") for r in rows)
    man = by_id["juarez-basilio"]   # released without local charges, later deported
    # local charges declined, but a federal matter is reported: the row must not read as "never charged"
    assert man["local_charges"] == "declined" and man["federal_charges"] == "unknown"
    assert "federal court" in man["charges_note"] and "District Attorney" in man["charges_note"]
    assert man["subject"] == "Jose Juarez-Basilio" and man["outcome"] == "deported"
    assert "Los Angeles Police Department" in man["agencies"] and "U.S. Immigration and Customs Enforcement" in man["agencies"]
    assert man["first_date"].startswith("2025-03") and man["last_date"] >= man["first_date"]
    assert "paredes-mother" in by_id


def test_case_timeline(site):
    rows = site.query("case_timeline", case="juarez-basilio")
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 8
    dates = [r["date"] for r in rows if r["date"]]
    assert all(not_before(b, a) for a, b in zip(dates, dates[1:])), dates
    types = [r["type"] for r in rows]
    assert types[0] == "arrest" and "fingerprinting" in types and types[-1] == "deportation"
    assert all(r["cited_passages"] for r in rows)
    assert any(r["agency"] == "Los Angeles County District Attorney's Office" for r in rows)
    assert rows == site.query("case_timeline", case="Juarez")          # by the subject's name
    assert len(site.query("case_timeline", case="")) > len(rows)       # every case


def not_before(later: str, earlier: str) -> bool:
    """Dates of mixed precision in order: '2025-03' may follow '2025-03-23'."""
    n = min(len(later), len(earlier))
    return later[:n] >= earlier[:n]


def test_search(site):
    rows = site.query("search", q="fingerprints")
    kinds = {r["kind"] for r in rows}
    assert {"source", "data flow", "event", "case"} <= kinds
    assert all("<mark>" in r["snippet"] for r in rows)
    assert [r["relevance"] for r in rows] == sorted((r["relevance"] for r in rows), reverse=True)
    assert ("data_flows", "fingerprints-at-booking") in {(r["row_table"], r["row_id"]) for r in rows}
    people = site.query("search", q="Soto-Martinez")
    assert ("people", "hugo-soto-martinez") in {(r["row_table"], r["row_id"]) for r in people}
    assert any(r["row_table"] == "policies" for r in site.query("search", q="Special Order 40"))
    assert any(r["row_id"] == "union-del-barrio" for r in site.query("search", q="Union del Barrio"))


@pytest.mark.parametrize("q", ["", " ", '"', '""', "*", "-", "-ICE", "ICE*", "AND", "OR NOT", "(", ")", "'", ":",
                               "^", "fingerprints\"", "a \"b", "NEAR(a b)", "%", "_", "\\", "ICE -LAPD", "Unión"])
def test_search_is_safe_on_punctuation(site, q):
    rows = site.query("search", q=q)
    if not q.strip(" \"*-()'%_\\:^"):
        assert rows == []


def test_data_flows(site):
    rows = {r["data_flow_id"]: r for r in site.query("data_flows")}
    fingerprints = rows["fingerprints-at-booking"]
    assert fingerprints["from"] == "Los Angeles Police Department"
    assert fingerprints["to"] == "U.S. Immigration and Customs Enforcement"
    assert fingerprints["status"] == "ongoing" and "Los Angeles Times" in fingerprints["asserted_by"]
    assert any(r["denied_by"] for r in rows.values())
    assert rows["place-of-birth-field-encounters"]["status"] == "stopped"


def test_policy_provisions_beside_unmet_demands(site):
    rows = [r for r in site.query("policy_provisions") if r["policy_id"] == "special-order-40"]
    entries = [r["entry"] for r in rows]
    assert {"bars", "exception", "caveat", "demand (unmet)"} <= set(entries)
    assert entries.index("demand (unmet)") > max(i for i, e in enumerate(entries) if not e.startswith("demand"))
    assert any(r["named_by"] == "Hugo Soto-Martinez" for r in rows)
    assert any(r["entry"].startswith("demand") and "Coalition for a Safe LA for All" in r["named_by"] for r in rows)


def test_quote_variants(site):
    rows = site.query("quote_variants")
    assert rows and all(r["fidelity"] != "verbatim" for r in rows)
    lopez = next(r for r in rows if r["quote_id"] == "lopez-keep-city-safe")
    assert lopez["copy_source_id"] == "rewrite-fingerprints" and lopez["other_source_id"] == "latintimes-fingerprints"
    assert lopez["as_printed_there"].startswith("You cannot keep a city safe")
    assert lopez["as_printed_in_copy"].startswith("If a large population does not trust the police")
    assert lopez["what_changed"]
    assert any(r["quote_id"] == "mcdonnell-people-stand-up" and r["other_passage"] is None for r in rows)


def test_source_lineage(site):
    rows = {r["source_id"]: r for r in site.query("source_lineage")}
    assert rows["lat-fingerprints"]["held"] == 0
    for copy in ("repost-fingerprints", "rewrite-fingerprints", "latintimes-fingerprints"):
        assert rows[copy]["derived_from_id"] == "lat-fingerprints"
    rewrite = rows["rewrite-fingerprints"]
    assert rewrite["discrepancies"] > 5 and rewrite["altered_quotes"] > 5 and "McDonald" in rewrite["what_changed"]
    order = list(rows)
    assert order.index("lat-fingerprints") < order.index("rewrite-fingerprints")


def test_mentions_of(site, conn):
    rows = site.query("mentions_of", name="McDonald")
    assert rows and {r["named"] for r in rows} == {"Jim McDonnell"}
    assert {"McDonald", "McDonnell"} <= {r["written_as"] for r in rows}
    assert len(rows) == conn.execute("select count(*) from mentions where person_id = 'jim-mcdonnell'").fetchone()[0]
    for r in rows:
        assert f"<mark>{r['written_as']}</mark>" in r["in_context"]
    assert any(r["named"] == "Stop LAPD Spying" for r in site.query("mentions_of", name="stop lapd spying"))
    assert len(site.query("mentions_of", name="")) == conn.execute("select count(*) from mentions").fetchone()[0]


def test_timeline(site):
    rows = site.query("timeline")
    dates = [r["date"] for r in rows]
    assert all(dates) and dates == sorted(dates)
    assert rows[0]["subject"] == "Special Order 40" and rows[0]["date"] == "1979"
    assert any(r["row_id"] == "executive-directive-12" and r["date"] == "2025-07-11" for r in rows)
    assert {"case event", "policy issued"} == {r["kind"] for r in rows}


def test_coalition_members(site):
    rows = site.query("coalition_members")
    assert len(rows) >= 35 and {r["coalition"] for r in rows} == {"Coalition for a Safe LA for All"}
    ndlon = next(r for r in rows if r["member_organization_id"] == "ndlon")
    assert ndlon["quotes"] >= 1 and "Emi MacLean" in ndlon["affiliated"]
    assert any(r["type"] == "person" for r in rows)


def test_discrepancies(site):
    rows = {r["discrepancy_id"]: r for r in site.query("discrepancies")}
    misspelled = rows["mcdonnell-misspelled-mcdonald"]
    assert misspelled["kind"] == "misspelled_name" and misspelled["about"] == "Jim McDonnell"
    assert "McDonald" in misspelled["cited_passages"]
    assert any(r["kind"] == "changed_title" for r in rows.values())


def test_passage(site, conn):
    for table in ("citations", "quote_appearances", "mentions", "segments"):
        pid, source_id, start, end = conn.execute(
            f"select id, source_id, start, \"end\" from {table} order by id limit 1").fetchone()
        (text,) = conn.execute("select text from sources where id = ?", (source_id,)).fetchone()
        rows = site.query("passage", id=pid)
        assert len(rows) == 1, table
        assert rows[0]["exact_text"] == text[start:end]
        assert f"<mark>{text[start:end]}</mark>" in rows[0]["in_context"]
    assert site.query("passage", id="") == []


def test_charts_aggregate_real_rows(site, conn):
    speakers = site.query("quotes_per_speaker")
    assert sum(r["printings"] for r in speakers) == conn.execute("select count(*) from quote_appearances").fetchone()[0]
    flows = site.query("data_flows_by_status")
    assert sum(r["flows"] for r in flows) == conn.execute("select count(*) from data_flows").fetchone()[0]
    periods = site.query("events_per_year")
    assert {"1979", "2024-12", "2025", "2025-03"} <= {r["period"] for r in periods}
    dated = conn.execute("select count(*) from timeline where date is not null").fetchone()[0]
    assert sum(r["events"] for r in periods) == dated
    for chart in CHARTS:
        rows = site.query(chart)
        assert len(rows) >= 2, chart    # datasette-vega draws nothing from fewer than two rows
        fragment = dict(bit.split("=", 1) for bit in QUERIES[chart]["fragment"].split("&"))
        assert fragment["g.mark"] == "bar"
        for key in ("g.x_column", "g.y_column", "g.color_column"):
            assert fragment[key] in rows[0], (chart, key)
        assert isinstance(rows[0][fragment["g.y_column"]], int)


@pytest.mark.parametrize("name", sorted(QUERIES))
@pytest.mark.parametrize("value", [None, "", "'", '"', "*", "-", "%_", "O'Brien \"x\" -y*"])
def test_every_query_tolerates_empty_and_punctuated_parameters(site, name, value):
    # None: the parameters are left out of the URL altogether (Datasette passes '')
    params = {p: value for p in QUERIES[name].get("params") or []} if value is not None else {}
    site.query(name, **params)
    html = site.html(f"/entanglement/{name}?" + urlencode(params))
    assert 'class="message-error"' not in html


# ---------------------------------------------------------------- rendering

def test_query_results_link_to_rows_and_passages(site):
    html = site.html("/entanglement/quotes_by_speaker?speaker=McDonald&topic=")
    hrefs = [h.replace("&amp;", "&") for h in links(html).hrefs]
    assert "/entanglement/people/jim-mcdonnell" in hrefs
    assert "/entanglement/sources/rewrite-fingerprints" in hrefs
    assert "/entanglement/passage?id=mcdonnell-people-stand-up--rewrite-fingerprints" in hrefs
    search = site.html("/entanglement/search?q=fingerprints")
    assert "<mark>fingerprints</mark>" in search
    assert 'href="/entanglement/data_flows/fingerprints-at-booking"' in search


def test_values_containing_html_are_shown_escaped(database_with_html):
    s = Site(database_with_html)
    with sqlite3.connect(database_with_html) as c:
        (headline,) = c.execute("select id from segments where source_id = 'rewrite-fingerprints' and start = 0").fetchone()
    try:
        pages = ["/entanglement/quotes_by_speaker?speaker=Lopez&topic=",
                 "/entanglement/search?q=entanglement+alert",
                 "/entanglement/people/jim-mcdonnell",
                 "/entanglement/quote_appearances",
                 "/entanglement/sources/rewrite-fingerprints",
                 "/entanglement/mentions_of?name=ICE",
                 "/entanglement/passage?id=" + quote(headline)]
        for path in pages:
            html = s.html(path)
            assert "<script>alert" not in html and "<b>bold</b>" not in html, path
            assert "&lt;b&gt;bold&lt;/b&gt;" in html or "&lt;b&gt;bold&lt;/b&gt;".replace("bold", "<mark>bold</mark>") in html, path
        search = s.html("/entanglement/search?q=entanglement+alert")
        assert "&lt;script&gt;<mark>alert</mark>" in search
        rows = s.query("quotes_by_speaker", speaker="Lopez", topic="")
        assert any(r["quote"].startswith(HTML_VALUE) for r in rows)    # JSON keeps the value as it is
    finally:
        s.close()


# ---------------------------------------------------------------- serving at scale (issue 6)
# At 10,000 documents the canned queries read their first page in an index's order and look up the
# costly columns for the rows shown only. Part of each ORDER BY is then the query plan's, so these
# tests hold every such query to its documented order, and check the facts about the data that the
# rewritten queries rely on.

FIDELITY_RANK = {"verbatim": 0, "reworded": 1}


def in_order(rows: list[dict], key) -> bool:
    return rows == sorted(rows, key=key)


def test_every_mention_is_of_one_entity_under_one_of_its_names(conn):
    # mentions_of finds mentions through the people's and organizations' names and aliases
    assert conn.execute("select count(*) from mentions where (person_id is null) = (organization_id is null)").fetchone()[0] == 0
    stray = conn.execute("""
        select m.source_id, m.start, m.name from mentions m
        where m.name not in (select name from people where id = m.person_id
                             union all select name from organizations where id = m.organization_id
                             union all select name from aliases
                             where person_id = m.person_id or organization_id = m.organization_id)""").fetchall()
    assert stray == []


def test_searchable_tables_keep_their_rows_in_id_order(conn):
    # search ranks each full-text index by (bm25, rowid), which must be the rows' (bm25, id) order
    for table in ("sources", "quotes", "quote_appearances", "people", "organizations", "policies",
                  "policy_provisions", "cases", "case_events", "data_flows"):
        ids = [i for (i,) in conn.execute(f"select id from {table} order by rowid")]
        assert ids == sorted(ids), table


@pytest.mark.parametrize("speaker, topic", [("", ""), ("Lopez", ""), ("mc", ""), ("", "Special Order 40"),
                                            ("", "special-order-40"), ("a", "order")])
def test_quotes_by_speaker_in_order(site, speaker, topic):
    rows = site.query("quotes_by_speaker", speaker=speaker, topic=topic)
    assert in_order(rows, lambda r: (r["speaker"], r["quote_id"], FIDELITY_RANK.get(r["fidelity"], 2), r["source_id"]))


@pytest.mark.parametrize("name", ["", "ICE", "McDonald", "lapd", "a"])
def test_mentions_of_in_order(site, name):
    rows = site.query("mentions_of", name=name)
    assert rows and in_order(rows, lambda r: (r["named"], r["source_id"], r["start"]))


def test_other_queries_in_order(site):
    rows = site.query("quote_variants")
    assert in_order(rows, lambda r: (r["other_passage"] is None, r["speaker"], r["quote_id"], r["copy_passage"]))
    rows = site.query("cases_without_charges")
    assert in_order(rows, lambda r: (r["first_date"] is None, r["first_date"] or "", r["case_id"]))
    rows = site.query("timeline")
    assert in_order(rows, lambda r: (r["date"], r["case_id"] or ""))
    rows = site.query("quotes_per_speaker")
    assert in_order(rows, lambda r: (r["speaker"], r["fidelity"]))
    rows = site.query("source_lineage")
    assert in_order(rows, lambda r: (r["derived_from_id"] or r["source_id"], r["derived_from_id"] is not None, r["source_id"]))
    rows = site.query("data_flows")
    status = ["ongoing", "limited", "alleged", "denied", "unknown", "stopped"]
    assert in_order(rows, lambda r: (status.index(r["status"]) if r["status"] in status else 6, r["category"], r["data_flow_id"]))
    rows = site.query("case_timeline", case="")
    assert in_order(rows, lambda r: (r["case_id"], r["seq"]))
    for q in ("fingerprints", "Special Order 40", "ICE -LAPD"):
        rows = site.query("search", q=q)
        assert rows and in_order(rows, lambda r: (-r["relevance"], r["rank"], r["kind"], r["row_id"])), q


def test_a_facet_in_the_metadata_and_in_the_url_is_computed_once(site):
    data = site.get("/entanglement/citations.json?_facet=fact_table&_facet=field").json()
    assert sorted(data["facet_results"]) == sorted(DB_METADATA["tables"]["citations"]["facets"])


def test_facets_are_suggested_on_small_tables_only(site, conn, built_database):
    limit = METADATA["plugins"]["entanglement-publication"]["suggest_facets_max_rows"]
    assert conn.execute("select count(*) from citations").fetchone()[0] <= limit
    assert site.get("/entanglement/citations.json").json()["suggested_facets"]
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    metadata["plugins"]["entanglement-publication"]["suggest_facets_max_rows"] = 10
    ds = Datasette(immutables=[str(built_database)], metadata=metadata, plugins_dir=str(ROOT / "plugins"))
    loop = asyncio.new_event_loop()
    try:
        data = loop.run_until_complete(ds.client.get("/entanglement/citations.json")).json()
        assert data["suggested_facets"] == [] and data["facet_results"]
        data = loop.run_until_complete(ds.client.get("/entanglement/sources.json")).json()
        assert data["suggested_facets"]    # six rows
    finally:
        loop.close()


def test_connections_map_the_database_into_memory(site):
    db = site.ds.get_database("entanglement")
    size = site.loop.run_until_complete(db.execute_fn(lambda c: c.execute("pragma mmap_size").fetchone()[0]))
    assert size == METADATA["plugins"]["entanglement-publication"]["mmap_size"]


def test_json_still_shows_infinities_as_null(site):
    sql = "select 1e999 as x, -1e999 as y, 1.5 as z, 'a' as w, null as v"
    rows = site.get("/entanglement.json?" + urlencode({"sql": sql, "_shape": "array"})).json()
    assert rows == [{"x": None, "y": None, "z": 1.5, "w": "a", "v": None}]


def test_quotes_by_speaker_marks_and_filters_inferred_speakers(site, conn):
    everyone = site.query("quotes_by_speaker", speaker="", topic="", inferred="")
    stated = site.query("quotes_by_speaker", speaker="", topic="", inferred="no")
    inferred = site.query("quotes_by_speaker", speaker="", topic="", inferred="yes")
    assert inferred and stated and len(stated) + len(inferred) == len(everyone)
    assert all(r["speaker_inferred"] for r in inferred) and not any(r["speaker_inferred"] for r in stated)
    assert {"stop-lapd-spying-eyes-and-ears", "mcdonnell-people-stand-up"} <= {r["quote_id"] for r in inferred}
    # a missing parameter arrives as '' and lists everything
    assert site.query("quotes_by_speaker", speaker="", topic="") == everyone


def test_row_page_shows_an_inferred_link_with_its_basis(site):
    html = site.html("/entanglement/quotes/mcdonnell-people-stand-up")
    assert "Inferred, not stated" in html and "pronoun" in html and "McDonald said at a press conference" in html
    html = site.html("/entanglement/quotes/soto-martinez-meet-the-moment")
    assert "Inferred, not stated" not in html


def test_cases_without_charges_says_which_charges(site):
    rows = {r["case_id"]: r for r in site.query("cases_without_charges")}
    assert rows["juarez-basilio"]["federal_charges"] == "unknown"
    assert rows["paredes-mother"]["federal_charges"] == "no"
