"""What the benchmark runs in a child process, so that the wall time and peak memory are the kernel's
(os.wait4) and nothing measured earlier is still in memory.

Each is a subcommand of `python -m bench child` that prints its figures as one line of JSON:

    python -m bench child build ROOT DB         build ROOT into DB; per-stage times and peak memory
    python -m bench child profile ROOT DB OUT   the same under cProfile, the top functions written to OUT
    python -m bench child floors ROOT DB        the floors: DB's rows with plain sqlite3, the YAML with the C loader
    python -m bench child extract ROOT          extraction as `entanglement ingest` runs it
    python -m bench child build-variant ROOT DB MODE   experiment `build`'s variants (bench/experiments.py)

`run_child` (the parent's side) starts one and reads its JSON.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

from bench.paths import PY, REPO
from bench.stats import median

# Articles extracted per scale (the first with fresh knowledge, as one `entanglement ingest`).
EXTRACT_ARTICLES = 11
# What child_extract measures: (the label in reports, its key in the JSON).
EXTRACTION_ROWS = (("records loaded as knowledge", "load_knowledge_s"),
                   ("first article (knowledge prepared)", "first_article_s"),
                   ("each further article", "further_article_s"))


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
                      "further_article_s": median(per_article[1:]),
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
    """Run `python -m bench child <args>`; return its JSON, its wall seconds and its peak RSS in MB (from wait4)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "bench", "child", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
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

