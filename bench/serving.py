"""The served database measured: Datasette started exactly as `make serve` starts it, on a free
loopback port, and every endpoint (canned queries, searches, table pages with facets, row pages,
the pages to look at) timed, each request made unique so that the response cache cannot answer it.
"""

from __future__ import annotations

import http.client
import json
import re
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from entanglement.progress import PLAIN, Progress

from bench.paths import REPO
from bench.stats import percentile

def datasette_command(db: Path, port: int) -> list[str]:
    """Exactly what `make serve` runs (from `make -n`), for this database and port."""
    out = subprocess.run(["make", "-s", "-n", "serve", f"DB={db}", f"PORT={port}"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    line = next(l for l in out.splitlines() if "datasette" in l and " serve" in l)
    return shlex.split(line)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes, str]:
    """Status, body and the response cache's verdict (plugins/response_cache.py: hit | miss | '')."""
    conn.request("GET", path)
    resp = conn.getresponse()
    return resp.status, resp.read(), resp.getheader("x-entanglement-cache", "")


SERIES_BUDGET_S = 15.0   # a slow endpoint stops after this long (with at least MIN_REQUESTS timed)
MIN_REQUESTS = 5


def timed_series(conn, path: str, n: int, unique: bool) -> tuple[list[float], set, dict, bytes]:
    """n timed GETs after 3 warm-ups. unique: a different, ignored `_bench=` parameter on every request,
    so no response cache can answer it (Datasette runs the SQL and renders the page every time)."""
    times, statuses, cache = [], set(), {}
    body = b""
    started = time.perf_counter()
    for i in range(3 + n):
        if len(times) >= MIN_REQUESTS and time.perf_counter() - started > SERIES_BUDGET_S:
            break
        url = path + (("&" if "?" in path else "?") + f"_bench={i}" if unique else "")
        t0 = time.perf_counter()
        status, body, verdict = get(conn, url)
        took = (time.perf_counter() - t0) * 1000
        statuses.add(status)
        if i >= 3:
            times.append(took)
            cache[verdict or "none"] = cache.get(verdict or "none", 0) + 1
    return sorted(times), statuses, cache, body


def param_values(db: Path) -> dict[str, str]:
    """Sensible values for the canned queries' parameters, taken from the database: the busiest
    speaker, person, case and citation, so each query returns real rows."""
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)

    def one(sql: str) -> str:
        row = c.execute(sql).fetchone()
        return row[0] if row and row[0] is not None else ""
    values = {
        "speaker": one("select p.name from quotes q join people p on p.id = q.speaker_person_id "
                       "group by p.id order by count(*) desc, p.id limit 1"),
        "topic": one("select p.name from quotes q join policies p on p.id = q.topic_policy_id "
                     "group by p.id order by count(*) desc, p.id limit 1"),
        "case": one("select case_id from case_events group by case_id order by count(*) desc, case_id limit 1"),
        "name": one("select p.name from mentions m join people p on p.id = m.person_id "
                    "group by p.id order by count(*) desc, p.id limit 1"),
        "id": one("select id from citations order by id limit 1 offset (select count(*) / 2 from citations)"),
        "q": "fingerprints",
    }
    values["source"] = one("select source_id from citations group by source_id order by count(*) desc, source_id limit 1")
    values["copy"] = one("select source_id from discrepancies order by source_id desc limit 1")
    values["organization"] = one("select speaker_organization_id from quotes where speaker_organization_id is not null "
                                 "group by 1 order by count(*) desc, 1 limit 1")
    values["map_pages"] = one("select max(1, (count(*) + 29) / 30) from data_flows")
    values["person"] = one("select person_id from mentions where person_id is not null "
                           "group by person_id order by count(*) desc, person_id limit 1")
    c.close()
    return values


def query_files() -> dict:
    """The canned queries (schema/queries/*.sql), read by the module that plugins/canned_queries.py
    serves them with."""
    plugins = str(REPO / "plugins")
    if plugins not in sys.path:
        sys.path.append(plugins)     # as the plugin files reach entanglement_shared/
    from entanglement_shared.canned_queries import DATABASE, read_queries
    return {"database": DATABASE, "queries": read_queries()}


def endpoints(db: Path) -> list[dict]:
    """What to time: each canned query (with sensible parameters, and with none where it takes some),
    full-text searches, table pages with facets, row pages."""
    dbname = db.stem
    values = param_values(db)
    out = []
    files = query_files()
    queries = files["queries"] if dbname == files["database"] else {}
    for name, q in queries.items():
        sql = q["sql"] if isinstance(q, dict) else q
        params = (q.get("params") if isinstance(q, dict) else None) or sorted(set(re.findall(r"(?<!:):(\w+)", sql)))
        kind = "search" if name == "search" else "canned"
        if params:
            # One parameter at a time (the others empty), as a reader fills in the form.
            for p in params:
                args = {q: (values.get(p, "") if q == p else "") for q in params}
                out.append({"kind": kind, "name": f"{name}({p})", "params": {p: values.get(p, "")},
                            "path": f"/{dbname}/{name}.json?" + urllib.parse.urlencode(args)})
            if any(f"trim(:{p}) = ''" in sql for p in params):
                # The query lists everything when its parameters are empty: how its page first opens.
                out.append({"kind": kind, "name": f"{name}(no parameters)",
                            "path": f"/{dbname}/{name}.json?" + urllib.parse.urlencode({p: "" for p in params})})
        else:
            out.append({"kind": kind, "name": name, "path": f"/{dbname}/{name}.json"})
    for table in ("sources", "quote_appearances", "quotes"):
        out.append({"kind": "search", "name": f"{table} ?_search=fingerprints",
                    "path": f"/{dbname}/{table}.json?_search=fingerprints"})
    facets = {"citations": ("fact_table", "field", "source_id", "match"),
              "mentions": ("source_id", "segment_kind", "person_id", "organization_id"),
              "quote_appearances": ("fidelity", "source_id")}
    for table, cols in facets.items():
        # The HTML page as a reader gets it: the table's facets from metadata.yml, or these.
        out.append({"kind": "facets", "name": f"{table} table page with facets",
                    "path": f"/{dbname}/{table}?" + "&".join(f"_facet={c}" for c in cols)})
    out.append({"kind": "row", "name": "sources row page", "path": f"/{dbname}/sources/{values['source']}"})
    out.append({"kind": "row", "name": "people row page", "path": f"/{dbname}/people/{values['person']}"})
    # The pages to look at (plugins/pages_*.py): home, data-flow map (first and last page), copies compared
    # (the pair with the most discrepancies, and a copy against the source it is best compared with),
    # and the organization's row page that leads with its quotes and flows (the busiest: most quoted).
    out.append({"kind": "page", "name": "home page", "path": "/"})
    out.append({"kind": "page", "name": "data-flow map", "path": f"/{dbname}/flow-map"})
    out.append({"kind": "page", "name": "data-flow map, last page", "path": f"/{dbname}/flow-map?page={values['map_pages']}"})
    out.append({"kind": "page", "name": "compare two copies", "path": f"/{dbname}/compare"})
    out.append({"kind": "page", "name": "compare a copy (partner found)",
                "path": f"/{dbname}/compare?" + urllib.parse.urlencode({"copy": values["copy"]})})
    out.append({"kind": "page", "name": "organizations row page (entity)",
                "path": f"/{dbname}/organizations/{values['organization']}"})
    return out


def serve_and_measure(db: Path, requests: int, progress: Progress = PLAIN) -> dict:
    port = free_port()
    cmd = datasette_command(db, port)
    t0 = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        conn = None
        while True:
            if server.poll() is not None:
                raise SystemExit(f"datasette exited: {server.stderr.read()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status, _, _ = get(conn, "/-/versions.json")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.05)
            if time.perf_counter() - t0 > 120:
                raise SystemExit("datasette did not start within 120 s")
        startup = time.perf_counter() - t0
        # The response cache renders every page once in the background at start; timing while it
        # runs would measure that work, not the endpoint (plugins/response_cache.py).
        polls = 0
        while time.perf_counter() - t0 < 300:
            polls += 1
            conn.request("GET", f"/-/versions.json?_warm={polls}")
            resp = conn.getresponse()
            resp.read()
            if not resp.getheader("x-entanglement-warming"):
                break
            time.sleep(0.5)
        warmed = time.perf_counter() - t0 - startup
        results = []
        eps = endpoints(db)
        with progress.stage("served endpoints", len(eps), "endpoints") as advance:
            for ep in eps:
                results.append(measure_endpoint(conn, ep, requests))
                advance(1)
        return {"command": " ".join(shlex.quote(c) for c in cmd[:2]) + " …", "startup_s": round(startup, 2),
                "warm_up_s": round(warmed, 2),
                "requests_per_endpoint": requests, "endpoints": results}
    finally:
        stop_server(server)


def measure_endpoint(conn: http.client.HTTPConnection, ep: dict, requests: int) -> dict:
    times, statuses, cache, body = timed_series(conn, ep["path"], requests, unique=True)
    hits, hit_statuses, hit_cache, _ = timed_series(conn, ep["path"], requests, unique=False)
    status = max(statuses)
    info = {**ep, "n": len(times), "status": sorted(statuses | hit_statuses),
            "p50_ms": round(percentile(times, 50), 1), "p95_ms": round(percentile(times, 95), 1),
            "cache": cache, "repeat_p50_ms": round(percentile(hits, 50), 1),
            "repeat_p95_ms": round(percentile(hits, 95), 1), "repeat_cache": hit_cache, "bytes": len(body)}
    if ep["kind"] == "facets":
        _, js, _ = get(conn, ep["path"].replace("?", ".json?", 1) + "&_bench=facets")
        try:
            info["facets_timed_out"] = json.loads(js).get("facets_timed_out", [])
        except ValueError:
            pass
    if ep["path"].split("?")[0].endswith(".json") and status == 200:
        try:
            data = json.loads(body)
            info["rows_returned"] = len(data.get("rows", []))
            info["truncated"] = bool(data.get("truncated"))
        except ValueError:
            pass
    print(f"    {ep['kind']:7} p50 {info['p50_ms']:8.1f} ms  p95 {info['p95_ms']:8.1f} ms  (repeated URL: "
          f"p95 {info['repeat_p95_ms']:6.1f} ms)  rows {info.get('rows_returned', '-'):>5}  {ep['name'][:80]}",
          flush=True)
    return info


def stop_server(server: subprocess.Popen) -> None:
    """Stop a Datasette started for measuring: politely, then for certain."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()

