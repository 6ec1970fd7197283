"""The pages to look at (home page, data-flow map, copies compared, entity pages) in a real browser:
`datasette serve` started with the Makefile's own serve command (tests/test_browser.py's Server),
pages driven in Debian's headless Chromium through Playwright (the browser is the system's: nothing
is downloaded), every host but 127.0.0.1 unresolvable. Each page must load with no JavaScript error
and no failed request, pass axe-core (installed from npm by `make test`) with no serious or
critical violation, and is saved as a screenshot under tests/screenshots/ (git-ignored)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from test_browser import Server

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "tests" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "flow-map": "/entanglement/flow-map",
    "compare": "/entanglement/compare?copy=rewrite-fingerprints&against=repost-fingerprints",
    "person": "/entanglement/people/hugo-soto-martinez",
    "organization": "/entanglement/organizations/lapd",
    "case-subject": "/entanglement/people/jose-juarez-basilio",
}


@pytest.fixture(scope="module")
def server(built_database, tmp_path_factory):
    s = Server(built_database, tmp_path_factory.mktemp("serve-pages") / "datasette.log")
    yield s.url
    s.stop()


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency: make venv")
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is not installed: run `make browser` (make test does)"
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
        yield b
        b.close()


class Visit:
    """One page open in the browser, with every console error, page error and failed request seen."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}"))
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        return shot

    def close(self):
        assert self.errors == []
        self.context.close()


@pytest.fixture
def visit(browser, server):
    opened = []

    def open_(path: str) -> Visit:
        v = Visit(browser, server + path)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


def db_rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_home_page_has_a_working_search_box_and_drawn_charts(visit, server):
    v = visit(PAGES["home"])
    page = v.page
    box = page.get_by_label("Search everything")
    assert box.is_visible() and box.get_attribute("name") == "q"
    charts = page.locator("svg.chart")
    assert charts.count() == 3
    for i in range(3):
        bars = charts.nth(i).locator("rect")
        assert bars.count() >= 3
        assert bars.first.bounding_box()["width"] > 0 and bars.first.bounding_box()["height"] > 0
    text = page.inner_text("body")
    for words in ("Who said what about Special Order 40?", "Which cases had no charges?", "How do fingerprints reach ICE?",
                  "Which copy garbled which quote?", "documents", "quotes", "people", "organizations", "data flows",
                  "cases"):
        assert words in text, words
    assert page.locator('a[href="/entanglement/flow-map"]').count() >= 1
    assert page.locator('a[href="/entanglement/compare"]').count() >= 1
    v.screenshot("page-home")
    box.fill("fingerprints")
    box.press("Enter")
    page.wait_for_load_state()
    assert page.url.startswith(server + "/entanglement/search?q=fingerprints")
    assert page.locator("mark", has_text="fingerprints").count() > 0


def test_map_draws_every_flow_each_linked_to_its_flow(visit, built_database):
    v = visit(PAGES["flow-map"])
    page = v.page
    flows = db_rows(built_database, "select id from data_flows")
    assert len(flows) >= 14
    for (flow_id,) in flows:
        edge = page.locator(f'svg.flow-map a.flow-edge[data-flow="{flow_id}"]')
        assert edge.count() == 1, flow_id
        assert edge.get_attribute("href") == f"/entanglement/data_flows/{flow_id}"
        line = edge.locator("line")
        assert line.bounding_box()["width"] > 100, flow_id      # drawn, not just present
    claims = db_rows(built_database, "select count(*) from data_flow_claims")[0][0]
    assert page.locator("svg.flow-map a.claim").count() == claims
    assert page.locator('svg.flow-map a.claim[data-stance="denies"]').count() >= 1
    # the intermediary of the fingerprint flow is on its edge
    assert "federal law enforcement" in page.locator('a.flow-edge[data-flow="fingerprints-at-booking"]').inner_html()
    v.screenshot("page-flow-map")
    page.locator('a.flow-edge[data-flow="fingerprints-at-booking"]').click()
    page.wait_for_load_state()
    assert page.url.endswith("/entanglement/data_flows/fingerprints-at-booking")


def test_comparison_marks_the_misspelled_name_and_a_reworded_quotation(visit):
    v = visit(PAGES["compare"])
    page = v.page
    change = page.locator("#change-mcdonnell-misspelled-mcdonald")
    assert "McDonnell" in change.locator("del").all_inner_texts()[0]
    assert any("McDonald" in t for t in change.locator("ins").all_inner_texts())
    assert change.locator('a[href="/entanglement/discrepancies/mcdonnell-misspelled-mcdonald"]').count() == 1
    # the passage that misspells the name is marked in the rewrite's text and links to the change
    assert page.locator('td.b a.noted[href="#change-mcdonnell-misspelled-mcdonald"]', has_text="McDonald").count() == 1
    quote = page.locator("#quote-soto-martinez-meet-the-moment--rewrite-fingerprints")
    assert quote.locator("del").count() > 0 and quote.locator("ins").count() > 0
    assert quote.locator('a[href="/entanglement/quote_appearances/soto-martinez-meet-the-moment--rewrite-fingerprints"]').count() == 1
    assert page.locator('td.b a.noted[href="#quote-soto-martinez-meet-the-moment--rewrite-fingerprints"]').count() == 1
    # passage by passage: words changed in place, and what the repost snipped shown as added
    assert page.locator("td.a del", has_text="jail").count() >= 1 and page.locator("td.b ins", has_text="prison").count() >= 1
    assert page.locator("tr.row-added").count() >= 5
    v.screenshot("page-compare")


def test_comparison_is_linked_from_source_lineage_and_sources(visit):
    page = visit("/entanglement/source_lineage").page
    assert page.locator('a[href="/entanglement/compare"]').count() >= 1
    page = visit("/entanglement/sources/rewrite-fingerprints").page
    assert page.locator('a[href^="/entanglement/compare?copy=rewrite-fingerprints"]').count() >= 1


@pytest.mark.parametrize("name", ["person", "organization", "case-subject"])
def test_entity_pages_lead_with_quotes_and_claims(visit, name):
    v = visit(PAGES[name])
    page = v.page
    order = page.evaluate("""() => {
        const pos = (el) => el ? el.getBoundingClientRect().top + window.scrollY : null;
        const h2 = [...document.querySelectorAll('h2')];
        const find = (t) => h2.find(h => h.textContent.includes(t));
        return {quotes: pos(document.getElementById('quotes')), claims: pos(document.getElementById('claims')),
                table: pos(document.querySelector('table.rows-and-columns')), links: pos(find('Links from other tables'))};
    }""")
    assert order["quotes"] is not None and order["quotes"] < order["claims"] < order["table"] < order["links"]
    text = page.inner_text(".entity-lead")
    if name == "person":
        assert "Do I think it meets the moment right now?" in text and "garbled" in text and "verbatim" in text
        assert "questions" in text and "license plate readers" in text
        compare = page.locator('a[href="/entanglement/compare?copy=rewrite-fingerprints#quote-soto-martinez-meet-the-moment--rewrite-fingerprints"]')
        assert compare.count() == 1
        assert page.locator("#timeline").count() == 1
    elif name == "organization":
        assert "denies" in text and "fingerprints collected by LAPD" in text
        assert page.locator("#cases").count() == 1
    else:
        assert "Arrested by LAPD, released without charges, later deported" in text
        assert page.locator("svg.timeline-strip circle").count() >= 3
    v.screenshot(f"page-{name}")


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_serious_or_critical_accessibility_violation(visit, name):
    assert AXE.is_file(), "axe-core is not installed: `make test` runs npm ci"
    page = visit(PAGES[name]).page
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
