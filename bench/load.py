"""Load and attack run: Datasette on loopback, 32 concurrent clients for 60 s.

Ordinary requests (table pages with facets, row pages, every canned query,
searches) are mixed with hostile SQL (a recursive CTE that never ends, huge
cross joins, randomblob of gigabytes). Reports requests served, errors by kind,
p50/p95/p99 latency of the ordinary requests, how each hostile query ended,
the server's peak memory, and whether it still answers at the end. Exits 1 if
a bar is missed: any 5xx, a hostile query not stopped by the time limit,
ordinary p99 >= 1 s, or no answer at the end.

    python -m bench load --db entanglement.db [--clients 32] [--seconds 60] -- <datasette serve options>

(`make load` runs it with the options of `make serve`.) Percentiles are nearest rank (bench/stats.py),
as in `make bench`.

Only loopback is ever contacted; the run is bounded in time and stops by itself.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.serving import free_port, stop_server
from bench.stats import percentile

HOSTILE_SQL = {
    "endless_recursive_cte": "with recursive r(n) as (select 1 union all select n + 1 from r) select count(*) from r",
    "huge_cross_join": "select count(*) from mentions a, mentions b, mentions c, citations d",
    "randomblob_gigabytes": "select length(randomblob(2000000000))",
    "zeroblob_sort": "select hex(zeroblob(100000000)) as x order by x",
}


@dataclass
class LoadOptions:
    """One load run's options (`python -m bench load --help` describes each)."""
    db: str = "entanglement.db"
    clients: int = 32
    seconds: float = 60
    hostile_every: int = 20
    seed: int = 1
    warm_up: float = 10.0
    show_slowest: int = 0
    ramp_up: float = 2.0
    out: str = "bench/results/load.json"


def rss_kib(pid: int) -> int:
    """The resident memory of a process in KiB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


async def discover(client: httpx.AsyncClient, db: str) -> list[tuple[str, str]]:
    """The ordinary requests: (kind, path)."""
    info = (await client.get(f"/{db}.json")).json()
    tables = [t for t in info["tables"] if not t.get("hidden")]
    paths: list[tuple[str, str]] = []
    for t in tables:
        name = quote(t["name"])
        paths.append(("table", f"/{db}/{name}"))
        facets = (await client.get(f"/{db}/{name}.json?_size=1")).json().get("suggested_facets", [])
        if facets:
            paths.append(("table_facets", f"/{db}/{name}?_facet={quote(facets[0]['name'])}"))
        rows = (await client.get(f"/{db}/{name}.json?_size=3&_shape=objects")).json().get("rows", [])
        for row in rows:
            if "id" in row:
                paths.append(("row", f"/{db}/{name}/{quote(str(row['id']), safe='')}"))
    params = {"q": "fingerprints", "speaker": "McDonald", "name": "LAPD", "case": "juarez-basilio"}
    for q in info.get("queries", []):
        qs = "&".join(f"{p}={quote(params.get(p, 'ICE'))}" for p in q.get("params", []))
        paths.append(("canned", f"/{db}/{quote(q['name'])}" + (f"?{qs}" if qs else "")))
    for term in ("fingerprints", "Special Order 40", "McDonald", '"unbalanced', "-*"):
        if any(q["name"] == "search" for q in info.get("queries", [])):
            paths.append(("search", f"/{db}/search?q={quote(term)}"))
        paths.append(("search", f"/{db}/sources?_search={quote(term)}"))
    return paths


async def client_loop(client, deadline, ordinary, hostile_every, rng, results, delay):
    """One client: ordinary requests, every `hostile_every`-th one hostile, until the deadline; each recorded."""
    await asyncio.sleep(delay)  # clients join over the ramp-up, as load tools spawn users
    n = 0
    while time.monotonic() < deadline:
        n += 1
        if n % hostile_every == 0:
            kind, name = "hostile", rng.choice(sorted(HOSTILE_SQL))
            path = f"{results['db_path']}.json?sql={quote(HOSTILE_SQL[name])}"
        else:
            kind, path = rng.choice(ordinary)
            name = kind
        t0 = time.perf_counter()
        try:
            response = await client.get(path)
            status, body = response.status_code, response.text[:2000]
            cache = response.headers.get("x-entanglement-cache", "none")
        except httpx.HTTPError as exc:
            status, body, cache = f"error:{type(exc).__name__}", "", "none"
        elapsed = time.perf_counter() - t0
        results["requests"].append({"kind": kind, "name": name, "status": status, "seconds": elapsed, "cache": cache,
                                    "path": path, "at": round(time.monotonic() - deadline, 2),
                                    "interrupted": "interrupted" in body.lower() or "too long" in body.lower()
                                    or "too big" in body.lower()})


async def run(args: LoadOptions, serve_args: list[str]) -> dict:
    """Serve the database, drive it with the clients until the deadline, and summarize."""
    port = free_port()
    db_name = Path(args.db).stem
    cmd = [sys.executable, "-m", "datasette", "serve", "-i", args.db, "-h", "127.0.0.1", "-p", str(port), *serve_args]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    results: dict = {"requests": [], "db_path": f"/{db_name}"}
    peak_rss = 0
    try:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            for _ in range(100):
                try:
                    if (await client.get("/-/versions.json")).status_code == 200:
                        break
                except httpx.HTTPError:
                    await asyncio.sleep(0.2)
            else:
                raise SystemExit("datasette did not start:\n" + (server.stderr.read() if server.poll() is not None else ""))
            ordinary = await discover(client, db_name)
            limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            deadline = time.monotonic() + args.seconds
            rng = random.Random(args.seed)
            loops = [client_loop(client, deadline, ordinary, args.hostile_every, random.Random(rng.random()), results,
                                 delay=i * args.ramp_up / args.clients)
                     for i in range(args.clients)]

            async def watch_memory():
                nonlocal peak_rss
                while time.monotonic() < deadline:
                    peak_rss = max(peak_rss, rss_kib(server.pid))
                    await asyncio.sleep(0.5)

            await asyncio.gather(watch_memory(), *loops)
            t0 = time.perf_counter()
            final = await client.get("/-/versions.json")
            alive = final.status_code == 200
            final_seconds = time.perf_counter() - t0
    finally:
        stop_server(server)
    return summarize(results["requests"], peak_rss, alive, final_seconds, args, serve_args)


def summarize(requests, peak_rss, alive, final_seconds, args: LoadOptions, serve_args) -> dict:
    """The report: requests by status, latency percentiles (whole run, steady state, by kind), how each
    hostile query ended, memory, and the bars; the ordinary requests themselves under `_requests`."""
    ordinary = [r for r in requests if r["kind"] != "hostile"]
    hostile = [r for r in requests if r["kind"] == "hostile"]
    statuses: dict[str, int] = {}
    for r in requests:
        key = f"{r['kind']} {r['status']}"
        statuses[key] = statuses.get(key, 0) + 1
    times = [r["seconds"] for r in ordinary if r["status"] == 200]
    # Steady state: requests started once the server has had warm_up seconds of the
    # same mix (the first seconds are a burst of 32 cold pages rendered one by one).
    steady = [r["seconds"] for r in ordinary if r["status"] == 200 and r["at"] >= args.warm_up - args.seconds]
    p99_steady = percentile(steady, 99)
    by_kind = {}
    for kind in sorted({r["kind"] for r in ordinary}):
        ks = [r["seconds"] for r in ordinary if r["kind"] == kind and r["status"] == 200]
        by_kind[kind] = {"n": len(ks), "p50_ms": round(percentile(ks, 50) * 1000, 1),
                         "p95_ms": round(percentile(ks, 95) * 1000, 1), "p99_ms": round(percentile(ks, 99) * 1000, 1)}
    hostile_by_name = {}
    for name in sorted({r["name"] for r in hostile}):
        hs = [r for r in hostile if r["name"] == name]
        hostile_by_name[name] = {
            "n": len(hs), "stopped": sum(1 for r in hs if r["interrupted"] and r["status"] in (200, 400)),
            "max_seconds": round(max(r["seconds"] for r in hs), 3),
            "statuses": sorted({str(r["status"]) for r in hs})}
    five_xx = sum(1 for r in requests if isinstance(r["status"], int) and r["status"] >= 500)
    transport = sum(1 for r in requests if isinstance(r["status"], str))
    p99 = percentile(times, 99)
    report = {
        "clients": args.clients, "seconds": args.seconds, "ramp_up_seconds": args.ramp_up,
        "hostile_every": args.hostile_every, "serve_options": serve_args,
        "requests": len(requests), "ordinary": len(ordinary), "hostile": len(hostile),
        "throughput_rps": round(len(requests) / args.seconds, 1),
        "statuses": dict(sorted(statuses.items())),
        "ordinary_latency_ms": {"p50": round(percentile(times, 50) * 1000, 1),
                                "p95": round(percentile(times, 95) * 1000, 1), "p99": round(p99 * 1000, 1)},
        "ordinary_by_kind": by_kind, "hostile_by_query": hostile_by_name,
        "steady_state_after_s": args.warm_up,
        "steady_state_latency_ms": {"n": len(steady), "p50": round(percentile(steady, 50) * 1000, 1),
                                    "p95": round(percentile(steady, 95) * 1000, 1),
                                    "p99": round(percentile(steady, 99) * 1000, 1)},
        "ordinary_cache": {c: sum(1 for r in ordinary if r["cache"] == c) for c in ("hit", "miss", "none")},
        "server_peak_rss_mib": round(peak_rss / 1024, 1), "answers_at_end": alive,
        "final_request_ms": round(final_seconds * 1000, 1),
    }
    report["_requests"] = [r for r in ordinary]
    report["bars"] = {
        "no 5xx": five_xx == 0 and transport == 0,
        "every hostile query stopped": all(h["stopped"] == h["n"] for h in hostile_by_name.values()) and bool(hostile),
        "ordinary p99 < 1 s (steady state)": p99_steady < 1.0,
        "server memory bounded (< 1 GiB)": peak_rss < 1024 * 1024,
        "answers at the end": alive,
    }
    return report


def load_run(args: LoadOptions, serve_args: list[str]) -> int:
    """Run it, write the report to args.out and print it; 0 if every bar is met, else 1."""
    report = asyncio.run(run(args, serve_args))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    requests = report.pop("_requests")
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    slowest = sorted(requests, key=lambda r: -r["seconds"])[:args.show_slowest]
    for r in slowest:
        print(f"slow: {r['seconds'] * 1000:7.0f} ms at {r['at']:6.1f} s  {r['kind']:12} {r['cache']:5} {r['path'][:100]}")
    print(json.dumps({k: v for k, v in report.items() if k not in ("serve_options",)}, indent=2))
    print(f"written to {args.out}")
    return 0 if all(report["bars"].values()) else 1
