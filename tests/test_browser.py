"""The publication in a real browser: `datasette serve` started with the
Makefile's own serve command on a free loopback port, pages loaded in Debian's
headless Chromium (installed by `make browser`) with every host but 127.0.0.1
unresolvable, so the charts must render from bundled files alone. Asserts the
rendered DOM and saves a screenshot of each page under tests/screenshots/
(git-ignored)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import free_port, query_files, serve_command

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "tests" / "screenshots"
QUERIES = query_files()
CHARTS = ("quotes_per_speaker", "events_per_year", "data_flows_by_status")
ERROR_TEXT = re.compile(r"Traceback|Internal Server Error|message-error|Error 500|no such (table|column)|syntax error",
                        re.IGNORECASE)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium")
    assert path, "Debian's chromium is not installed: run `make browser` (make test does)"
    return path


class Server:
    def __init__(self, db: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")
        self.proc = subprocess.Popen(serve_command(db, self.port), cwd=ROOT, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/-/versions.json", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"datasette did not start: {log.read_text()}")
            time.sleep(0.2)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)    # its own session: datasette and nothing else
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self.log.close()


@pytest.fixture(scope="module")
def server(built_database, tmp_path_factory):
    s = Server(built_database, tmp_path_factory.mktemp("serve") / "datasette.log")
    yield s.url
    s.stop()


@pytest.fixture(scope="module")
def server_with_html(database_with_html, tmp_path_factory):
    s = Server(database_with_html, tmp_path_factory.mktemp("serve-html") / "datasette.log")
    yield s.url
    s.stop()


def run_chromium(chromium: str, url: str, *mode: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="entanglement-chromium-") as profile:
        args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                "--hide-scrollbars", "--window-size=1280,1600", "--virtual-time-budget=8000",
                "--enable-logging=stderr", "--v=0", *mode, url]
        result = subprocess.run(args, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def load(chromium: str, url: str, screenshot: str) -> str:
    """The page's DOM after its scripts ran; also saves a screenshot."""
    dom = run_chromium(chromium, url, "--dump-dom")
    errors = [line for line in dom.stderr.splitlines()
              if "CONSOLE" in line and re.search(r"Uncaught|TypeError|ReferenceError|SyntaxError|Failed to load", line)]
    assert errors == [], errors
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / screenshot
    shot.unlink(missing_ok=True)
    run_chromium(chromium, url, f"--screenshot={shot}")
    assert shot.is_file() and shot.stat().st_size > 10_000, shot
    return dom.stdout


def text_of(dom: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", " ", dom, flags=re.S))


def test_homepage(chromium, server):
    dom = load(chromium, server + "/", "homepage.png")
    text = text_of(dom)
    for words in ("Who said what about Special Order 40?", "Which cases had no charges?",
                  "How do fingerprints reach ICE?", "Which copy garbled which quote?", "Download the whole database",
                  "Data license:"):
        assert words in text, words
    assert not ERROR_TEXT.search(dom)


def test_table_page(chromium, server):
    dom = load(chromium, server + "/entanglement/sources", "table-sources.png")
    assert dom.count('<tr class="') + dom.count("<tr>") > 6
    for title in ("How ICE uses LAPD to track immigrants for deportation", "Activists warn Police Commission"):
        assert title in dom
    assert 'class="facet-info' in dom           # the kind/publisher/held facets
    assert "Data license:" in text_of(dom) and not ERROR_TEXT.search(dom)


def test_row_page(chromium, server):
    dom = load(chromium, server + "/entanglement/people/jim-mcdonnell", "row-jim-mcdonnell.png")
    text = text_of(dom)
    for words in ("Links from other tables", "Sources for this row", "More about Jim McDonnell",
                  "Every passage that names Jim McDonnell"):
        assert words in text, words
    assert "<mark>" in dom and 'href="/entanglement/quotes?speaker_person_id=jim-mcdonnell"' in dom
    assert not ERROR_TEXT.search(dom)


@pytest.mark.parametrize("chart", CHARTS)
def test_charted_query_draws_its_chart(chromium, server, chart):
    url = f"{server}/entanglement/{chart}#{QUERIES[chart]['fragment']}"
    dom = load(chromium, url, f"chart-{chart}.png")
    assert "Charting options" in dom
    embed = re.search(r'<div class="vega-embed[^"]*">(.*?)</div>', dom, re.S)
    assert embed, "no chart was drawn"
    assert re.search(r"<canvas[^>]*class=\"marks\"|<svg[^>]*class=\"marks\"", embed.group(1)), embed.group(0)[:300]
    assert not ERROR_TEXT.search(dom)


def test_query_with_links_and_highlights(chromium, server):
    dom = load(chromium, server + "/entanglement/search?q=fingerprints", "search-fingerprints.png")
    assert "<mark>fingerprints</mark>" in dom
    assert 'href="/entanglement/data_flows/fingerprints-at-booking"' in dom
    assert not ERROR_TEXT.search(dom)


def test_values_containing_html_are_shown_escaped(chromium, server_with_html):
    dom = load(chromium, server_with_html + "/entanglement/quotes_by_speaker?speaker=Lopez&topic=",
               "escaped-html.png")
    # The DOM holds the markup as text: no <b> or <script> element came from the data.
    assert "&lt;b&gt;bold&lt;/b&gt;" in dom and "<b>bold</b>" not in dom
    assert '<script>alert("entanglement")' not in dom
    dom = load(chromium, server_with_html + "/entanglement/people/jim-mcdonnell", "escaped-html-row.png")
    assert "&lt;b&gt;bold&lt;/b&gt;" in dom and "<b>bold</b>" not in dom
