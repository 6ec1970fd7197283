"""The limits `make serve` applies for a public instance, checked against a
real server started with the Makefile's own command: hostile SQL is stopped,
nothing can be written, robots are kept off the costly endpoints, the
immutable download is cacheable."""

from __future__ import annotations

import subprocess
import time

import httpx
import pytest

from conftest import ROOT, free_port, query_files, serve_command, wait_until_serving


def start_server(db) -> tuple[str, subprocess.Popen]:
    """`make serve`'s own command on a free port; returns its URL once it answers."""
    port = free_port()
    proc = subprocess.Popen(serve_command(db, port), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, proc)
    return url, proc


@pytest.fixture(scope="module")
def base(built_database):
    url, proc = start_server(built_database)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sql(base: str, query: str) -> httpx.Response:
    return httpx.get(f"{base}/entanglement.json", params={"sql": query}, timeout=30)


def test_endless_query_is_stopped_by_the_time_limit(base):
    t0 = time.perf_counter()
    r = sql(base, "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r")
    elapsed = time.perf_counter() - t0
    assert r.status_code == 400 and "interrupted" in r.text.lower()
    assert elapsed < 3


def test_huge_values_are_refused_at_once(base):
    for query in ("select length(randomblob(2000000000))", "select hex(zeroblob(100000000))"):
        t0 = time.perf_counter()
        r = sql(base, query)
        assert r.status_code == 400 and "too big" in r.text
        assert time.perf_counter() - t0 < 2


def test_nothing_can_be_written(base):
    for query in ("delete from quotes", "update people set name = 'x'", "drop table sources",
                  "attach database ':memory:' as m"):
        r = sql(base, query)
        assert r.status_code == 400, query
    assert sql(base, "select count(*) as n from quotes").json()["rows"][0][0] > 0
    settings = httpx.get(f"{base}/-/databases.json").json()
    assert all(not db["is_mutable"] for db in settings if db["name"] == "entanglement")


def test_returned_rows_are_capped(base):
    r = sql(base, "with recursive r(n) as (select 1 union all select n + 1 from r limit 5000) select n from r")
    assert r.status_code == 200
    body = r.json()
    assert len(body["rows"]) == 1000 and body["truncated"] is True


def test_robots_rules(base):
    robots = httpx.get(f"{base}/robots.txt").text
    for rule in ("Disallow: /*?sql=", "Disallow: /*_search=", "Disallow: /entanglement/search"):
        assert rule in robots


def test_download_is_cacheable_and_revalidates(base, built_database):
    r = httpx.get(f"{base}/entanglement.db")
    assert r.status_code == 200 and r.content == built_database.read_bytes()
    assert r.headers["cache-control"] == "public, max-age=3600"
    again = httpx.get(f"{base}/entanglement.db", headers={"if-none-match": r.headers["etag"]})
    assert again.status_code == 304


def test_pages_carry_cache_headers_and_repeat_from_memory(base):
    first = httpx.get(f"{base}/entanglement/people")
    second = httpx.get(f"{base}/entanglement/people")
    assert "max-age=300" in first.headers["cache-control"]
    assert second.headers["x-entanglement-cache"] == "hit"
    assert second.text == first.text


def test_no_canned_query_writes():
    queries = query_files()
    assert queries
    for name, query in queries.items():
        assert not query.get("write"), name
        assert not query["sql"].lstrip().lower().startswith(("insert", "update", "delete", "drop", "create")), name


def test_serve_warms_the_cache_without_a_warning(built_database):
    # The warm-up starts in the serving loop: no "Task was destroyed but it is pending!" on the
    # first screen, and the first visitor of a table page gets it from the warmed cache.
    url, proc = start_server(built_database)
    try:
        # Each page is asked for once only (a request caches its own page), so a hit can only
        # come from the warm-up, which renders every table page in the background.
        first_asks = []
        for table in ("policies", "cases", "demands", "quotes", "people", "organizations", "sources",
                      "aliases", "affiliations", "memberships", "case_events", "data_flow_claims"):
            time.sleep(1)
            r = httpx.get(f"{url}/entanglement/{table}", timeout=30)
            first_asks.append(r.headers.get("x-entanglement-cache"))
            if first_asks[-1] == "hit":
                break
        assert "hit" in first_asks, first_asks
        # while it runs, responses say so; then they stop saying it (make bench waits for that)
        deadline = time.monotonic() + 60
        while httpx.get(f"{url}/-/versions.json?_poll={time.monotonic()}").headers.get("x-entanglement-warming"):
            assert time.monotonic() < deadline, "the warm-up did not end"
            time.sleep(0.5)
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert "Task was destroyed" not in stderr and "Traceback" not in stderr
