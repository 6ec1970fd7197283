#!/usr/bin/env python3
"""Benchmark the build and the served database at several corpus sizes.

    make bench                      # scales 100, 1000 and 10000
    make bench SCALES=1000          # one scale
    python bench/run.py --scales "100 1000" --seed 1 [--repeat 3] [--requests 50] [--no-serve]
    python bench/run.py --profile 1000     # cProfile of one build, top functions

For each scale: generate the synthetic corpus (bench/corpus.py; cached under
bench/corpus/, keyed by scale, seed and the generator's hash), build it in a
child process (wall time and peak RSS from the kernel; per-stage time from the
pipeline's own timings, per-stage peak RSS from a sampler in the child), time a
no-change `entanglement build --if-changed`, measure the floors (the same final
rows inserted with plain sqlite3 executemany in one transaction, with the same
schema, indexes and full-text indexes; the same YAML read with PyYAML's C
loader), then serve the database the way `make serve` does, on a free loopback
port, and time every canned query, searches, table pages with facets and row
pages. Results: bench/results/scale-<docs>.json, and bench/RESULTS.md (the
tables for every scale measured so far).

Times are medians of --repeat runs; the machine is shared, so compare ratios
against floors measured in the same run rather than absolute times.

On a terminal the long steps (corpus generation, each build, the floors, the
extraction runs, the served endpoints) show as stages with elapsed time, as
`entanglement build` shows its own (entanglement.progress); piped, the output
is plain lines.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import math
import os
import platform
import re
import shlex
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from entanglement.progress import PLAIN, Progress

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = BENCH / "corpus"
RESULTS = BENCH / "results"
PY = sys.executable

# The bars of issue 6 (and 12: the pages to look at), at 10,000 documents.
BARS = {
    "build_wall_s": 60.0,
    "peak_rss_mb": 1536.0,
    "write_vs_floor": 1.5,
    "stage_growth_per_10x": 12.0,
    "canned_p95_ms": 50.0,
    "search_p95_ms": 100.0,
    "facets_p95_ms": 300.0,
    "db_vs_text": 3.0,
    "page_p95_ms": 100.0,     # issue 12: home page, data-flow map, copies compared, entity pages
}
# Stages shorter than this at the smaller scale are too short to judge growth by.
GROWTH_MIN_S = 0.05
EXTRACTION_ROWS = (("records loaded as knowledge", "load_knowledge_s"),
                   ("first article (knowledge prepared)", "first_article_s"),
                   ("each further article", "further_article_s"))
# Articles extracted per scale (the first with fresh knowledge, as one `entanglement ingest`).
EXTRACT_ARTICLES = 11


# ---------------------------------------------------------------------------
# Corpus

def generator_hash() -> str:
    return hashlib.sha256((BENCH / "corpus.py").read_bytes()).hexdigest()[:10]


def corpus_for(docs: int, seed: int, progress: Progress = PLAIN) -> tuple[Path, float | None]:
    """The cached corpus folder for this scale and seed (generated if missing), and the seconds it took."""
    folder = CORPUS / f"docs{docs}-seed{seed}-gen{generator_hash()}"
    if (folder / ".complete").is_file():
        return folder, None
    CORPUS.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".docs{docs}-", dir=CORPUS))
    t0 = time.perf_counter()
    with progress.stage(f"generate corpus ({docs:,} documents)"):
        # its report read here and printed by print(), so that it goes above a live display, not through it
        made = subprocess.run([PY, str(BENCH / "corpus.py"), "--docs", str(docs), "--seed", str(seed), "--out", str(tmp)],
                              check=True, stdout=subprocess.PIPE, text=True)
    print(made.stdout, end="", flush=True)
    took = time.perf_counter() - t0
    (tmp / ".complete").write_text(f"{took:.1f}\n")
    if folder.exists():
        subprocess.run(["rm", "-rf", str(folder)], check=True)
    tmp.rename(folder)
    return folder, took


def corpus_facts(root: Path) -> dict:
    docs = sorted((root / "raw" / "documents").glob("*.txt"))
    ymls = sorted((root / "raw" / "records").rglob("*.yml"))
    return {"documents": len(docs), "text_bytes": sum(p.stat().st_size for p in docs),
            "yaml_bytes": sum(p.stat().st_size for p in ymls), "yaml_files": len(ymls)}


# ---------------------------------------------------------------------------
# Child processes: the build, the floors (run as `run.py --child-build ROOT DB` etc.)

class RssSampler(threading.Thread):
    """Peak resident memory per stage, sampled from /proc/self/statm every few milliseconds."""

    def __init__(self, interval: float = 0.005):
        super().__init__(daemon=True)
        self.interval = interval
        self.stage = "start"
        self.peaks: dict[str, int] = {}
        self.page = os.sysconf("SC_PAGE_SIZE")
        self.running = True

    def rss(self) -> int:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * self.page

    def sample(self) -> None:
        rss = self.rss()
        if rss > self.peaks.get(self.stage, 0):
            self.peaks[self.stage] = rss

    def enter(self, stage: str) -> None:
        self.sample()
        self.stage = stage
        self.sample()

    def run(self) -> None:
        while self.running:
            self.sample()
            time.sleep(self.interval)


def child_build(root: Path, db: Path, profile_to: Path | None = None) -> None:
    """Build ROOT into DB with the pipeline's own code; print its timings and row counts as JSON.

    Instrumentation only wraps the pipeline's functions from outside (nothing in
    build/ is changed): the stage timer also tells the sampler which stage runs,
    and the hash, the write stages and the final checks get names and times.
    """
    t_start = time.perf_counter()
    sampler = RssSampler()
    sampler.start()
    import sqlite_utils

    import entanglement.pipeline as pipeline
    import entanglement.write as write
    extra: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            sampler.enter(name)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                extra[name] = extra.get(name, 0.0) + time.perf_counter() - t0
        return wrapper

    stage_timer = pipeline._timer

    def marked_timer(timings, *args):
        timed_stage = stage_timer(timings, *args)

        @contextlib.contextmanager
        def marked(name, *args, **kwargs):
            sampler.enter(name)
            with timed_stage(name, *args, **kwargs) as advance:
                yield advance
        return marked

    pipeline._timer = marked_timer
    pipeline.inputs_hash = timed("inputs hash", pipeline.inputs_hash)
    write.check_database = timed("check database", write.check_database)
    insert_rows = write.insert_rows

    def marked_insert(*args, **kwargs):
        if sampler.stage != "write rows":
            sampler.enter("write rows")
        return insert_rows(*args, **kwargs)
    write.insert_rows = marked_insert
    scripts = [f"schema {p.stem}" for p in sorted((root / "schema").glob("*.sql"))]

    executescript = sqlite_utils.Database.executescript
    calls = []

    def marked_executescript(self, sql):
        sampler.enter(scripts[len(calls)] if len(calls) < len(scripts) else "schema ?")
        calls.append(1)
        return executescript(self, sql)
    sqlite_utils.Database.executescript = marked_executescript

    layout = pipeline.Layout(root)
    if profile_to:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        result = prof.runcall(pipeline.build, layout, db)
        with open(profile_to, "w") as fh:
            for key in ("tottime", "cumulative"):
                fh.write(f"==== top 40 by {key}\n")
                pstats.Stats(prof, stream=fh).sort_stats(key).print_stats(40)
    else:
        result = pipeline.build(layout, db)
    sampler.enter("end")
    sampler.running = False
    out = {"timings": result.timings, "extra": extra, "in_process_s": time.perf_counter() - t_start,
           "rss_peaks_mb": {k: v / 2**20 for k, v in sampler.peaks.items()},
           "rows": {t: len(rows) for t, rows in result.tables.items()}}
    print(json.dumps(out))


def child_floors(root: Path, db: Path) -> None:
    """The floors: the rows of DB inserted again with plain sqlite3, and the YAML read with the C loader."""
    import gc

    import yaml

    from entanglement.load import record_files
    out: dict[str, float] = {}
    # YAML: the same files, in the same order, read and parsed with PyYAML's C loader, and kept (as the
    # build must keep them). The floor runs with the cyclic garbage collector off: with it on, its full
    # collections rescan every object loaded so far, over and over (reported for comparison).
    files = [p for paths in record_files(root / "raw" / "records").values() for p in paths]
    for key, collect in (("yaml_csafeloader_s", False), ("yaml_csafeloader_gc_on_s", True)):
        kept = []
        gc.collect()
        if not collect:
            gc.disable()
        t0 = time.perf_counter()
        for p in files:
            kept.append(yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
        out[key] = time.perf_counter() - t0
        gc.enable()
        del kept

    # SQLite: the final rows, read back from the built database (outside the timer), in the order the
    # build writes them (primary-key order), into a fresh file with the same schema and pragmas.
    data = final_rows(db)
    schema = sorted((root / "schema").glob("*.sql"))
    target = db.with_name(f".floor-{os.getpid()}.db")
    target.unlink(missing_ok=True)
    try:
        conn = sqlite3.connect(target, isolation_level=None)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(schema[0].read_text(encoding="utf-8"))
        out["sqlite_rows_s"] = insert_plainly(conn, data)
        for path in schema[1:]:
            t0 = time.perf_counter()
            conn.executescript(path.read_text(encoding="utf-8"))
            out[f"sqlite_{path.stem}_s"] = time.perf_counter() - t0
        conn.close()
    finally:
        target.unlink(missing_ok=True)
    print(json.dumps(out))


def child_extract(root: Path, articles: int = EXTRACT_ARTICLES) -> None:
    """Extraction at this scale, as `entanglement ingest` runs it: the records loaded as knowledge,
    then proposals for a document of the corpus read as a new article (its own text hidden, as
    ingest hides the article it reads); then the same for more articles with the same knowledge
    (what is prepared from the knowledge on first use is kept). Prints timings as JSON."""
    from entanglement.ingest import load_knowledge
    from entanglement.extract import Knowledge, extract
    from entanglement.pipeline import Layout, no_cyclic_gc

    with no_cyclic_gc():   # as run_ingest runs
        t0 = time.perf_counter()
        records, texts = load_knowledge(Layout(root))
        t1 = time.perf_counter()
        chosen = spread(sorted(texts), articles)
        per_article = []
        knowledge = None
        for sid in chosen:
            t = time.perf_counter()
            # later articles reuse the first one's knowledge (their own text stays in it: the cost is the same)
            knowledge = knowledge or Knowledge.from_records(records, {k: v for k, v in texts.items() if k != sid})
            props = extract(texts[sid], knowledge, sid)
            per_article.append(time.perf_counter() - t)
            assert props.quotations or props.non_quotations or props.copies or props.mentions, sid
    print(json.dumps({"load_knowledge_s": t1 - t0, "first_article_s": per_article[0],
                      "further_article_s": statistics.median(per_article[1:]) if articles > 1 else None,
                      "articles": articles}))


def final_rows(db: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every base table's columns and rows, in rowid order (the order the build wrote them)."""
    src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    tables = [r[0] for r in src.execute("select name from sqlite_master where type = 'table' and sql like 'CREATE TABLE%' "
                                         "and name not like 'sqlite_%' and name not like '%_fts%' order by rowid")]
    data = {}
    for t in tables:
        cols = [r[1] for r in src.execute(f'pragma table_info("{t}")')]
        data[t] = (cols, src.execute(f'select * from "{t}" order by rowid').fetchall())
    src.close()
    return data


def insert_plainly(conn: sqlite3.Connection, data: dict[str, tuple[list[str], list[tuple]]]) -> float:
    """The rows inserted with plain executemany in one transaction; the seconds it took."""
    t0 = time.perf_counter()
    conn.execute("BEGIN")
    for t, (cols, rows) in data.items():
        sql = f'INSERT INTO "{t}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) VALUES ({", ".join("?" * len(cols))})'
        conn.executemany(sql, rows)
    conn.execute("COMMIT")
    return time.perf_counter() - t0


def spread(ids: list[str], n: int) -> list[str]:
    """n of the ids, evenly spaced."""
    return [ids[(i * len(ids)) // n] for i in range(n)]


def run_child(args: list[str]) -> tuple[dict, float, float]:
    """Run `run.py <args>` in a child; return its JSON, its wall seconds and its peak RSS in MB (from wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, str(Path(__file__).resolve()), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO)
    stdout, stderr = [], []
    readers = [threading.Thread(target=lambda s=s, b=b: b.append(s.read())) for s, b in
               ((proc.stdout, stdout), (proc.stderr, stderr))]
    for t in readers:
        t.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    for t in readers:
        t.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"child {' '.join(args)} failed ({proc.returncode}):\n{''.join(stderr)[-4000:]}")
    return json.loads("".join(stdout).strip().splitlines()[-1]), wall, usage.ru_maxrss / 1024


# ---------------------------------------------------------------------------
# Serving

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


def query_files() -> dict[str, dict]:
    """The canned queries (schema/queries/*.sql), read by the module plugins/canned_queries.py serves
    them with."""
    plugins = str(REPO / "plugins")
    if plugins not in sys.path:
        sys.path.append(plugins)     # as the plugin files reach entanglement_shared/
    from entanglement_shared.canned_queries import DATABASE, read_queries
    return {"database": DATABASE, "queries": read_queries()}


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
        results = []
        eps = endpoints(db)
        with progress.stage("served endpoints", len(eps), "endpoints") as advance:
            for ep in eps:
                results.append(measure_endpoint(conn, ep, requests))
                advance(1)
        return {"command": " ".join(shlex.quote(c) for c in cmd[:2]) + " …", "startup_s": round(startup, 2),
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


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    k = math.ceil(p / 100 * len(sorted_values)) - 1
    return sorted_values[max(0, min(len(sorted_values) - 1, k))]


# ---------------------------------------------------------------------------
# One scale

def db_sizes(db: Path) -> dict:
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = {"bytes": db.stat().st_size}
    try:
        rows = c.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc").fetchall()
        out["largest_objects_mb"] = {n: round(s / 1e6, 2) for n, s in rows[:12]}
    except sqlite3.Error:
        pass
    c.close()
    return out


def median(values):
    return statistics.median(values) if values else None


def bench_scale(docs: int, seed: int, repeat: int, requests: int, serve: bool, progress: Progress = PLAIN) -> dict:
    print(f"== {docs} documents (seed {seed})", flush=True)
    root, generated = corpus_for(docs, seed, progress)
    facts = corpus_facts(root)
    print(f"  corpus {root.relative_to(REPO)}: {facts['text_bytes'] / 1e6:.1f} MB text, "
          f"{facts['yaml_bytes'] / 1e6:.1f} MB YAML" + (f" (generated in {generated:.1f} s)" if generated else " (cached)"),
          flush=True)
    db = root / "entanglement.db"
    builds, floors = [], []
    for i in range(repeat):
        db.unlink(missing_ok=True)
        with progress.stage(f"build {i + 1}/{repeat}"):
            data, wall, rss = run_child(["--child-build", str(root), str(db)])
        data.update(wall_s=wall, peak_rss_mb=rss)
        builds.append(data)
        print(f"  build {i + 1}/{repeat}: {wall:.2f} s wall, peak RSS {rss:.0f} MB", flush=True)
        with progress.stage(f"floors {i + 1}/{repeat}"):
            floor, _, _ = run_child(["--child-floors", str(root), str(db)])
        floors.append(floor)
    # `build --if-changed` with nothing changed must hash the inputs and stop (what `make serve` runs first).
    # The hash covers the build code too: if build/ changed since the build above (it is being worked
    # on), the first run rebuilds once, and only the runs that found the database up to date are timed.
    unchanged, verdicts = [], []
    with progress.stage("build --if-changed", 4, "runs") as advance:
        for _ in range(4):
            t0 = time.perf_counter()
            r = subprocess.run([str(Path(PY).with_name("entanglement")), "build", "--root", str(root), "--output",
                                str(db), "--if-changed"], capture_output=True, text=True, cwd=REPO)
            took = time.perf_counter() - t0
            verdicts.append(r.returncode == 0 and "up to date" in r.stdout)
            if verdicts[-1]:
                unchanged.append(took)
            advance(1)
    up_to_date = any(verdicts) and all(verdicts[verdicts.index(True):])

    extractions = []
    with progress.stage("extraction", repeat, "runs") as advance:
        for _ in range(repeat):
            extractions.append(run_child(["--child-extract", str(root)]))
            advance(1)
    extraction = {key: round(median([e[0][key] for e in extractions]), 4) for _, key in EXTRACTION_ROWS}
    extraction.update(wall_s=round(median([e[1] for e in extractions]), 3),
                      peak_rss_mb=round(max(e[2] for e in extractions), 1), articles=EXTRACT_ARTICLES)
    print(f"  ingest-style extraction: knowledge {extraction['load_knowledge_s']:.2f} s, first article "
          f"{extraction['first_article_s']:.2f} s, each further article {extraction['further_article_s'] * 1000:.0f} ms",
          flush=True)

    stages: dict[str, dict] = {}
    names = list(builds[0]["timings"]) + [n for n in builds[0]["extra"] if n not in builds[0]["timings"]]
    for name in names:
        if name == "total":
            continue
        secs = [b["timings"].get(name, b["extra"].get(name, 0.0)) for b in builds]
        stages[name] = {"s": round(median(secs), 4),
                        "peak_rss_mb": round(max(b["rss_peaks_mb"].get(name, 0.0) for b in builds), 1)}
    total = median([b["timings"]["total"] for b in builds])
    accounted = sum(v["s"] for v in stages.values())
    stages["other (analyze, fsync, rename, build_info)"] = {"s": round(max(0.0, total - accounted), 4),
                                                           "peak_rss_mb": None}
    floor = {k: round(median([f[k] for f in floors]), 4) for k in floors[0]}
    write_s = stages.get("write rows", {}).get("s", 0) + stages.get("schema 02_indexes", {}).get("s", 0)
    write_floor_s = floor.get("sqlite_rows_s", 0) + floor.get("sqlite_02_indexes_s", 0)
    sizes = db_sizes(db)
    result = {
        "scale": docs, "seed": seed, "generator": generator_hash(),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
                    "platform": platform.platform(), "loadavg_at_start": os.getloadavg()},
        "corpus": {**facts, "path": str(root.relative_to(REPO)), "generated_s": generated},
        "rows": builds[0]["rows"],
        "build": {"runs": repeat, "wall_s": round(median([b["wall_s"] for b in builds]), 3),
                  "wall_s_all": [round(b["wall_s"], 3) for b in builds], "in_process_total_s": round(total, 3),
                  "peak_rss_mb": round(max(b["peak_rss_mb"] for b in builds), 1), "stages": stages},
        "unchanged_rebuild": {"s": round(median(unchanged), 3) if unchanged else None, "up_to_date": up_to_date,
                              "runs_up_to_date": verdicts},
        "extraction": extraction,
        "floors": floor,
        "ratios": {
            "write_vs_floor": round(write_s / write_floor_s, 2) if write_floor_s else None,
            "write_rows_vs_floor": round(stages.get("write rows", {}).get("s", 0) / floor["sqlite_rows_s"], 2)
            if floor.get("sqlite_rows_s") else None,
            "indexes_vs_floor": round(stages.get("schema 02_indexes", {}).get("s", 0) / floor["sqlite_02_indexes_s"], 2)
            if floor.get("sqlite_02_indexes_s") else None,
            "fts_vs_floor": round(stages.get("schema 03_fts", {}).get("s", 0) / floor["sqlite_03_fts_s"], 2)
            if floor.get("sqlite_03_fts_s") else None,
            "load_vs_yaml_floor": round(stages["load records"]["s"] / floor["yaml_csafeloader_s"], 2)
            if floor.get("yaml_csafeloader_s") and "load records" in stages else None,
            "load_vs_yaml_floor_gc_on": round(stages["load records"]["s"] / floor["yaml_csafeloader_gc_on_s"], 2)
            if floor.get("yaml_csafeloader_gc_on_s") and "load records" in stages else None,
        },
        "db": {**sizes, "vs_text": round(sizes["bytes"] / facts["text_bytes"], 2),
               "vs_inputs": round(sizes["bytes"] / (facts["text_bytes"] + facts["yaml_bytes"]), 2)},
    }
    if serve:
        print("  serving with datasette …", flush=True)
        result["serve"] = serve_and_measure(db, requests, progress)
    result["machine"]["loadavg_at_end"] = os.getloadavg()
    return result


# ---------------------------------------------------------------------------
# Report

def checks(res: dict) -> list[dict]:
    """The bars of issue 6 for one scale's results."""
    out = []

    def bar(name, value, limit, unit=""):
        out.append({"bar": name, "value": value, "limit": limit, "unit": unit,
                    "pass": None if value is None else value <= limit})
    b = res["build"]
    bar("full build wall", b["wall_s"], BARS["build_wall_s"], "s")
    bar("peak memory", b["peak_rss_mb"], BARS["peak_rss_mb"], "MB")
    bar("write phase (rows + indexes) / plain sqlite3 floor", res["ratios"]["write_vs_floor"], BARS["write_vs_floor"], "×")
    bar("database size / text size", res["db"]["vs_text"], BARS["db_vs_text"], "×")
    out.append({"bar": "unchanged inputs: `build --if-changed` does not rebuild", "value": res["unchanged_rebuild"]["s"],
                "limit": None, "unit": "s", "pass": res["unchanged_rebuild"]["up_to_date"]})
    for ep in res.get("serve", {}).get("endpoints", []):
        limit = {"canned": BARS["canned_p95_ms"], "search": BARS["search_p95_ms"],
                 "facets": BARS["facets_p95_ms"], "page": BARS["page_p95_ms"]}.get(ep["kind"])
        if limit is not None:
            bar(f"p95 {ep['name']}", ep["p95_ms"], limit, "ms")
        if ep["status"] != [200]:
            out.append({"bar": f"HTTP 200 {ep['name']}", "value": ep["status"], "limit": [200], "unit": "",
                        "pass": False})
    return out


def growth(results: dict[int, dict]) -> list[dict]:
    """Each stage's time at 10× the documents, as a multiple of its time at the smaller scale."""
    out = []
    scales = sorted(results)
    for small, big in zip(scales, scales[1:]):
        if big != small * 10:
            continue
        a, b = results[small]["build"]["stages"], results[big]["build"]["stages"]
        rows = [("full build (wall)", results[small]["build"]["wall_s"], results[big]["build"]["wall_s"])]
        rows += [(n, a[n]["s"], b[n]["s"]) for n in b if n in a]
        ea, eb = results[small].get("extraction"), results[big].get("extraction")
        if ea and eb:
            rows += [(f"extraction: {label}", ea[key], eb[key]) for label, key in EXTRACTION_ROWS]
        for name, x, y in rows:
            judged = x >= GROWTH_MIN_S
            ratio = y / x if x else None
            out.append({"stage": name, "from": small, "to": big, "s_small": x, "s_big": y,
                        "ratio": round(ratio, 1) if ratio else None,
                        "pass": (ratio <= BARS["stage_growth_per_10x"]) if judged and ratio else None})
    return out


def fmt(v, digits=2):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}" if isinstance(v, int) else str(v)


def verdict(p) -> str:
    return "n/a" if p is None else ("pass" if p else "**FAIL**")


def label(name: str) -> str:
    """An endpoint's name without its parameter's value (which differs from one corpus to another)."""
    return re.sub(r"\((\w+)=[^)]*\)$", r"(\1)", name)


def write_report(results: dict[int, dict]) -> str:
    scales = sorted(results)
    for r in results.values():
        for e in r.get("serve", {}).get("endpoints", []):
            e["name"] = label(e["name"])
    L = ["# Benchmark results", "",
         "Generated by `bench/run.py` (`make bench`; one scale: `make bench SCALES=1000`). Synthetic corpora from",
         "`bench/corpus.py`, seed " + ", ".join(sorted({str(r['seed']) for r in results.values()})) + ". The machine is "
         "shared (2 cores): times are medians of the runs shown, and the ratios against floors measured in the same "
         "run are the figures to compare. Per-scale JSON: `bench/results/scale-<docs>.json` (not committed).", ""]
    L += ["## Corpus and build", "",
          "| documents | text MB | YAML MB | quote printings | citations | people + orgs | build wall s (runs) | peak RSS MB "
          "| database MB | db / text | unchanged rebuild s |", "|" + "---|" * 11]
    for s in scales:
        r = results[s]
        rows = r["rows"]
        L.append(f"| {s:,} | {r['corpus']['text_bytes'] / 1e6:.1f} | {r['corpus']['yaml_bytes'] / 1e6:.1f} | "
                 f"{rows.get('quote_appearances', 0):,} | {rows.get('citations', 0):,} | "
                 f"{rows.get('people', 0) + rows.get('organizations', 0):,} | {r['build']['wall_s']:.2f} ({r['build']['runs']}) | "
                 f"{r['build']['peak_rss_mb']:.0f} | {r['db']['bytes'] / 1e6:.1f} | {r['db']['vs_text']:.1f}× | "
                 f"{fmt(r['unchanged_rebuild']['s'])} |")
    L += ["", "## Stages (seconds, median; peak RSS MB during the stage at the largest scale)", "",
          "| stage | " + " | ".join(f"{s:,}" for s in scales) + " | peak RSS MB |", "|" + "---|" * (len(scales) + 2)]
    names = list(results[scales[-1]]["build"]["stages"])
    for n in names:
        vals = [results[s]["build"]["stages"].get(n, {}).get("s") for s in scales]
        rss = results[scales[-1]]["build"]["stages"][n].get("peak_rss_mb")
        L.append(f"| {n} | " + " | ".join(fmt(v, 3) for v in vals) + f" | {fmt(rss, 0)} |")
    ext = [s for s in scales if results[s].get("extraction")]
    if ext:
        L += ["", "## Extraction (what `entanglement ingest` does, in seconds; median of the build's runs)", "",
              "A document of the corpus read as a new article, its own text hidden: the records loaded as knowledge, "
              "then the proposals for the first article (which prepares the name matcher, the index of known "
              "quotations and the comparison with every held text), then the median of "
              f"{EXTRACT_ARTICLES - 1} further articles with the same knowledge.", "",
              "| documents | " + " | ".join(label for label, _ in EXTRACTION_ROWS) + " | peak RSS MB |",
              "|" + "---|" * (len(EXTRACTION_ROWS) + 2)]
        for s in ext:
            e = results[s]["extraction"]
            L.append(f"| {s:,} | " + " | ".join(fmt(e[key], 3) for _, key in EXTRACTION_ROWS) +
                     f" | {e['peak_rss_mb']:.0f} |")
    L += ["", "## Floors (same run)", "",
          "| documents | write rows + indexes s | plain sqlite3 floor s | ratio | FTS s | FTS floor s | "
          "load records s | CSafeLoader floor s (GC off) | ratio | CSafeLoader, GC on s |", "|" + "---|" * 10]
    for s in scales:
        r = results[s]
        st, fl = r["build"]["stages"], r["floors"]
        w = st.get("write rows", {}).get("s", 0) + st.get("schema 02_indexes", {}).get("s", 0)
        wf = fl.get("sqlite_rows_s", 0) + fl.get("sqlite_02_indexes_s", 0)
        L.append(f"| {s:,} | {w:.3f} | {wf:.3f} | {fmt(r['ratios']['write_vs_floor'])}× | "
                 f"{st.get('schema 03_fts', {}).get('s', 0):.3f} | {fl.get('sqlite_03_fts_s', 0):.3f} | "
                 f"{st.get('load records', {}).get('s', 0):.3f} | {fl.get('yaml_csafeloader_s', 0):.3f} | "
                 f"{fmt(r['ratios']['load_vs_yaml_floor'])}× | {fmt(fl.get('yaml_csafeloader_gc_on_s'), 3)} |")
    g = growth(results)
    if g:
        L += ["", "## Growth: time at 10× the documents, as a multiple (bar ≤ 12×; stages under "
              f"{GROWTH_MIN_S * 1000:.0f} ms at the smaller scale not judged)", "",
              "| stage | from → to | seconds | × | verdict |", "|---|---|---|---|---|"]
        for row in g:
            L.append(f"| {row['stage']} | {row['from']:,} → {row['to']:,} | {row['s_small']:.3f} → {row['s_big']:.3f} | "
                     f"{fmt(row['ratio'], 1)} | {verdict(row['pass'])} |")
    served = [s for s in scales if results[s].get("serve")]
    if served:
        eps = [e["name"] for e in results[served[-1]]["serve"]["endpoints"]]
        L += ["", "## Serving: Datasette over loopback, as `make serve` runs it", "",
              f"p50 / p95 ms of {results[served[-1]]['serve']['requests_per_endpoint']} requests each after 3 warm-ups, "
              "each request made unique with an ignored `_bench=N` parameter so that the response cache "
              "(plugins/response_cache.py) cannot answer it: Datasette runs the SQL and renders every time. "
              "In brackets: p95 when the same URL is repeated (answered from the cache).", "",
              "| endpoint | kind | " + " | ".join(f"{s:,}" for s in served) + " |", "|" + "---|" * (len(served) + 2)]
        for name in eps:
            cells = []
            for s in served:
                e = next((x for x in results[s]["serve"]["endpoints"] if x["name"] == name), None)
                if e is None:
                    cells.append("–")
                else:
                    flag = "" if e["status"] == [200] else f" (HTTP {e['status']})"
                    if e.get("facets_timed_out"):
                        flag += f" (facets timed out: {', '.join(e['facets_timed_out'])})"
                    rep_ = f" [{e['repeat_p95_ms']:.1f}]" if "repeat_p95_ms" in e else ""
                    if e["n"] < results[s]["serve"]["requests_per_endpoint"]:
                        flag += f" (n={e['n']}, {SERIES_BUDGET_S:.0f} s budget)"
                    cells.append(f"{e['p50_ms']:.0f} / {e['p95_ms']:.0f}{rep_}{flag}")
            kind = next(x["kind"] for x in results[served[-1]]["serve"]["endpoints"] if x["name"] == name)
            L.append(f"| `{name}` | {kind} | " + " | ".join(cells) + " |")
        L.append("")
        L.append("Datasette startup (to first response): " + ", ".join(
            f"{results[s]['serve']['startup_s']:.1f} s at {s:,}" for s in served) + ".")
    big = scales[-1]
    L += ["", f"## Bars (issue 6) at {big:,} documents" + ("" if big == 10000 else " (the bars are set for 10,000)"), "",
          "| bar | value | limit | verdict |", "|---|---|---|---|"]
    for c in checks(results[big]):
        L.append(f"| {c['bar']} | {fmt(c['value'])} {c['unit']} | {fmt(c['limit'])} {c['unit'] if c['limit'] is not None else ''} "
                 f"| {verdict(c['pass'])} |")
    return "\n".join(L) + "\n"


def load_results() -> dict[int, dict]:
    out = {}
    for p in sorted(RESULTS.glob("scale-*.json")):
        r = json.loads(p.read_text())
        out[r["scale"]] = r
    return out


def print_summary(res: dict) -> None:
    print(f"  == {res['scale']:,} documents: build {res['build']['wall_s']:.2f} s, peak {res['build']['peak_rss_mb']:.0f} MB, "
          f"db {res['db']['bytes'] / 1e6:.1f} MB ({res['db']['vs_text']:.1f}× text); write/floor "
          f"{fmt(res['ratios']['write_vs_floor'])}×, load/CSafeLoader {fmt(res['ratios']['load_vs_yaml_floor'])}×")
    for name, st in res["build"]["stages"].items():
        print(f"     {name:45} {st['s']:8.3f} s   peak {fmt(st['peak_rss_mb'], 0):>6} MB")
    for c in checks(res):
        print(f"     [{verdict(c['pass']):8}] {c['bar']}: {fmt(c['value'])} {c['unit']} (limit {fmt(c['limit'])})")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="100 1000 10000", help="documents per corpus, space-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="builds per scale (times are medians; default 3)")
    ap.add_argument("--requests", type=int, default=50, help="timed requests per endpoint")
    ap.add_argument("--no-serve", action="store_true", help="skip the Datasette measurements")
    ap.add_argument("--profile", type=int, metavar="DOCS", help="profile one build at this scale with cProfile")
    ap.add_argument("--child-build", nargs=2, type=Path, metavar=("ROOT", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--child-profile", nargs=3, type=Path, metavar=("ROOT", "DB", "OUT"), help=argparse.SUPPRESS)
    ap.add_argument("--child-floors", nargs=2, type=Path, metavar=("ROOT", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--child-extract", type=Path, metavar="ROOT", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child_build:
        return child_build(*args.child_build)
    if args.child_profile:
        return child_build(args.child_profile[0], args.child_profile[1], profile_to=args.child_profile[2])
    if args.child_floors:
        return child_floors(*args.child_floors)
    if args.child_extract:
        return child_extract(args.child_extract)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.profile:
        root, _ = corpus_for(args.profile, args.seed)
        out = RESULTS / f"profile-{args.profile}.txt"
        db = root / "entanglement.db"
        db.unlink(missing_ok=True)
        run_child(["--child-profile", str(root), str(db), str(out)])
        print(f"wrote {out.relative_to(REPO)}")
        return
    from entanglement.cli_common import progress_shown   # live stages on a terminal, plain lines otherwise
    for docs in (int(s) for s in args.scales.replace(",", " ").split()):
        with progress_shown() as progress:
            res = bench_scale(docs, args.seed, args.repeat, args.requests, not args.no_serve, progress)
        (RESULTS / f"scale-{docs}.json").write_text(json.dumps(res, indent=1) + "\n")
        print_summary(res)
    report = write_report(load_results())
    (BENCH / "RESULTS.md").write_text(report)
    print("wrote bench/results/scale-*.json and bench/RESULTS.md")


if __name__ == "__main__":
    main()
