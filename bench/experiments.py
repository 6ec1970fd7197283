#!/usr/bin/env python3
"""Experiments behind the fixes proposed from the benchmark (issue 6), one command each.

    python bench/experiments.py build   [DOCS]   # the build as is, with the garbage collector off, and also freeing what is done with
    python bench/experiments.py size    [DOCS]   # the same rows under leaner schema variants: what the database size is made of
    python bench/experiments.py queries [DOCS]   # the slowest canned queries as they are and rewritten (same rows)
    python bench/experiments.py facets  [DOCS]   # table pages with Datasette's facet suggestions on and off
    python bench/experiments.py indexes [DOCS]   # index and FTS creation with more SQLite cache; integrity_check vs quick_check

DOCS (default 10000) picks the corpus `make bench` built (bench/corpus/, built first if missing).
Nothing in build/, schema/ or metadata.yml is changed: fixes are applied from outside (wrapping the
pipeline's functions, rewriting the SQL text in memory). The rewrites match today's schema and
metadata.yml; after those change they may need adjusting (an assertion says so).
"""

from __future__ import annotations

import json
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import run  # noqa: E402  (the benchmark's own helpers)


def corpus(docs: int) -> tuple[Path, Path]:
    root, _ = run.corpus_for(docs, 1)
    db = root / "entanglement.db"
    if not db.is_file():
        subprocess.run([str(Path(run.PY).with_name("entanglement")), "build", "--root", str(root), "--output", str(db)],
                       check=True, capture_output=True)
    return root, db


# ---------------------------------------------------------------------------
# build: the cyclic garbage collector, and memory held after use

BUILD_CHILD = r'''
import gc, json, sys, time
from pathlib import Path
import entanglement.pipeline as pipeline
root, db, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if mode != "as-is":
    gc.disable()                       # as gc.disable()/gc.freeze() around compile_tables would
if mode == "gc-off+free":
    validate, verify = pipeline.validate_records, pipeline.verify_citations
    def validate_then_free(raw, problems):
        out = validate(raw, problems)
        for records in raw.values():
            records.clear()            # as `del raw` after validation would
        return out
    def verify_then_free(requests, texts, problems):
        out = verify(requests, texts, problems)
        requests.clear()               # as `del requests` after verification would
        return out
    pipeline.validate_records, pipeline.verify_citations = validate_then_free, verify_then_free
r = pipeline.build(pipeline.Layout(root), db)
print(json.dumps({k: round(v, 2) for k, v in r.timings.items()}))
'''


def exp_build(docs: int) -> None:
    root, db = corpus(docs)
    out = db.with_name("experiment.db")
    print(f"{docs:,} documents: full build (wall s, peak RSS MB) and its slowest stages")
    for mode in ("as-is", "gc-off", "gc-off+free"):
        out.unlink(missing_ok=True)
        t0 = time.perf_counter()
        proc = subprocess.Popen([run.PY, "-c", BUILD_CHILD, str(root), str(out), mode], stdout=subprocess.PIPE, text=True)
        _, status, usage = run.os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        timings = json.loads(proc.stdout.read().strip().splitlines()[-1])
        top = ", ".join(f"{k} {v:.1f}" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])[1:6])
        print(f"  {mode:12} wall {wall:6.1f} s  peak {usage.ru_maxrss / 1024:6.0f} MB   {top}")
    out.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# size: what the database is made of

NULLABLE_FKS = ("aliases(person_id)", "aliases(organization_id)", "mentions(person_id)", "mentions(organization_id)",
                "quotation_spans(quote_appearance_id)", "quotation_spans(non_quotation_id)",
                "policy_provisions(by_person_id)", "policy_provisions(by_organization_id)",
                "quotes(speaker_person_id)", "quotes(speaker_organization_id)", "quotes(topic_policy_id)",
                "demand_parties(person_id)", "demand_parties(organization_id)",
                "data_flow_claims(by_person_id)", "data_flow_claims(by_organization_id)")


def _drop_column(sql: str, table: str, col: str) -> str:
    new = re.sub(rf"(CREATE TABLE {table} \((?:[^;])*?)\n    \"?{col}\"? [^\n]*", r"\1", sql)
    assert new != sql, f"schema changed: no column {table}.{col}"
    return new


def _integer_id(sql: str, table: str) -> str:
    new = re.sub(rf"(CREATE TABLE {table} \(\n)    id TEXT PRIMARY KEY,", r"\1    id INTEGER PRIMARY KEY,", sql)
    assert new != sql, f"schema changed: {table}.id"
    return new


def _copy_rows(src: Path, out: Path, tables_sql: str, rest_sql: list[str], keep: bool = False) -> int:
    out.unlink(missing_ok=True)
    c = sqlite3.connect(out, isolation_level=None)
    c.execute("pragma journal_mode = off")
    c.execute("pragma synchronous = off")
    c.executescript(tables_sql)
    c.execute(f"attach '{src}' as s")
    c.execute("begin")
    for (table,) in c.execute("select name from main.sqlite_master where type = 'table'").fetchall():
        info = c.execute(f'pragma main.table_info("{table}")').fetchall()
        cols = ", ".join(f'"{r[1]}"' for r in info)
        select = ", ".join("rowid" if r[1] == "id" and r[2] == "INTEGER" else f'"{r[1]}"' for r in info)
        c.execute(f'insert into main."{table}" ({cols}) select {select} from s."{table}" order by rowid')
    c.execute("commit")
    c.execute("detach s")
    for sql in rest_sql:
        c.executescript(sql)
    c.close()
    size = out.stat().st_size
    if not keep:
        out.unlink()
    return size


def exp_size(docs: int) -> None:
    root, db = corpus(docs)
    schema = root / "schema"
    tables = (schema / "01_tables.sql").read_text()
    indexes = (schema / "02_indexes.sql").read_text()
    fts = (schema / "03_fts.sql").read_text()
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    text = c.execute("select sum(length(cast(text as blob))) from sources").fetchone()[0]
    c.close()
    inputs = run.corpus_facts(root)
    all_inputs = inputs["text_bytes"] + inputs["yaml_bytes"]
    lean = tables
    for table, col in (("citations", "excerpt"), ("citations", "records_file"), ("quotation_spans", "text"),
                       ("mentions", "name")):
        lean = _drop_column(lean, table, col)
    lean_ids = lean
    for table in ("citations", "mentions", "quotation_spans"):
        lean_ids = _integer_id(lean_ids, table)
    partial = indexes
    for fk in NULLABLE_FKS:
        col = fk.split("(")[1][:-1]
        partial = partial.replace(f"ON {fk};", f"ON {fk} WHERE {col} IS NOT NULL;")
    no_source_text_fts = fts.replace("author, text,", "author,")
    assert no_source_text_fts != fts
    variants = [
        ("as built", tables, indexes, fts),
        ("drop derivable columns (citations.excerpt, .records_file, quotation_spans.text, mentions.name)",
         lean, indexes, fts),
        ("+ integer ids for citations, mentions, quotation_spans", lean_ids, indexes, fts),
        ("+ partial indexes on nullable foreign keys", lean_ids, partial, fts),
        ("+ no full-text index of sources.text", lean_ids, partial, no_source_text_fts),
    ]
    print(f"{docs:,} documents: {text / 1e6:.1f} MB of document text, {all_inputs / 1e6:.1f} MB of inputs (text + YAML)")
    for name, t, i, f in variants:
        size = _copy_rows(db, db.with_name("size-experiment.db"), t, [i, f])
        print(f"  {size / 1e6:7.1f} MB  {size / text:4.1f}× text  {size / all_inputs:4.1f}× inputs   {name}")


# ---------------------------------------------------------------------------
# queries: the slowest canned queries, rewritten

MENTIONS_WHERE = """where trim(:name) = ''
  or instr(lower(coalesce(p.name, o.name)), lower(trim(:name))) > 0
  or instr(lower(m.name), lower(trim(:name))) > 0
  or exists (
    select 1 from aliases a
    where (a.person_id = m.person_id or a.organization_id = m.organization_id)
      and instr(lower(a.name), lower(trim(:name))) > 0)"""
MENTIONS_IDS_FIRST = """where trim(:name) = ''
   or m.person_id in (select id from people where instr(lower(name), lower(trim(:name))) > 0
                      union select person_id from aliases where instr(lower(name), lower(trim(:name))) > 0)
   or m.organization_id in (select id from organizations where instr(lower(name), lower(trim(:name))) > 0
                      union select organization_id from aliases where instr(lower(name), lower(trim(:name))) > 0)"""


def search_best_per_kind(sql: str, limit: int = 200) -> str:
    """Each branch of the search query keeps only its best `limit` matches (FTS5 serves ORDER BY rank
    LIMIT from the index, so snippet() runs on those rows only). With limit = the final limit (200),
    the result is exactly the same: relevance is rank / the kind's best rank, which each branch keeps."""
    branches = sql.split("\n  union all\n")
    assert len(branches) > 1 and "from (\n  select 'source'" in sql, "metadata.yml search query changed"
    out = []
    for b in branches:
        m = re.search(r"where (\w+_fts) match \(select q from m\)", b)
        assert m, "metadata.yml search query changed"
        b = b.replace(m.group(0), f"{m.group(0)} order by {m.group(1)}.rank limit {limit}")
        out.append(b)
    head, first = out[0].split("from (\n  select 'source'", 1)
    last, tail = out[-1].rsplit("\n)", 1)
    body = ["  select 'source'" + first] + out[1:-1] + [last]
    return head + "from (\n" + "\n  union all\n".join(f"select * from (\n{b}\n)" for b in body) + "\n)" + tail


def exp_queries(docs: int) -> None:
    import yaml
    from datasette.utils import escape_fts
    _, db = corpus(docs)
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    c.create_function("escape_fts", 1, escape_fts)
    queries = yaml.safe_load((run.REPO / "metadata.yml").read_text())["databases"]["entanglement"]["queries"]
    values = run.param_values(db)

    def timed(sql, params, n=5):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            rows = c.execute(sql, params).fetchall()
            times.append((time.perf_counter() - t0) * 1000)
        return statistics.median(times), rows

    print(f"{docs:,} documents: canned queries in SQLite alone (median ms), as they are and rewritten")
    mentions = queries["mentions_of"]["sql"]
    assert MENTIONS_WHERE in mentions, "metadata.yml mentions_of changed"
    for name in (values["name"], ""):
        a, ra = timed(mentions, {"name": name}, 3)
        b, rb = timed(mentions.replace(MENTIONS_WHERE, MENTIONS_IDS_FIRST), {"name": name}, 3)
        print(f"  mentions_of(name={name!r}): {a:7.1f} → {b:7.1f} ms (ids first), same rows: {ra == rb}")
    search = queries["search"]["sql"]
    fast = search_best_per_kind(search)
    for q in ("fingerprints", "ICE", "police data"):
        a, ra = timed(search, {"q": q}, 3)
        b, rb = timed(fast, {"q": q})
        print(f"  search(q={q!r}): {a:7.1f} → {b:7.1f} ms (best 200 per kind), same rows: {ra == rb}")


# ---------------------------------------------------------------------------
# facets: Datasette's facet suggestions

def exp_facets(docs: int) -> None:
    import http.client
    _, db = corpus(docs)
    pages = ["/entanglement/citations", "/entanglement/mentions", "/entanglement/quote_appearances"]
    print(f"{docs:,} documents: table pages with their metadata facets (p50 ms of 8 uncached requests)")
    for extra in ([], ["--setting", "suggest_facets", "off"]):
        port = run.free_port()
        server = subprocess.Popen(run.datasette_command(db, port) + extra, cwd=run.REPO, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    run.get(conn, "/-/versions.json")
                    break
                except OSError:
                    time.sleep(0.1)
            for path in pages:
                times, _, _, _ = run.timed_series(conn, path, 8, unique=True)
                print(f"  suggest_facets {'off' if extra else 'on '}: {run.percentile(times, 50):7.0f} ms  {path}")
        finally:
            server.terminate()
            server.wait()


# ---------------------------------------------------------------------------
# indexes: SQLite settings for the index and full-text builds, and the final checks

def exp_indexes(docs: int) -> None:
    root, db = corpus(docs)
    schema = sorted((root / "schema").glob("*.sql"))
    print(f"{docs:,} documents: the same rows, then indexes and full-text indexes (s), under SQLite settings")
    settings = {"defaults (as the build)": [],
                "cache_size 512 MB, temp_store memory, threads 2": ["PRAGMA cache_size = -524288",
                                                                   "PRAGMA temp_store = MEMORY", "PRAGMA threads = 2"]}
    for name, pragmas in settings.items():
        out = db.with_name("indexes-experiment.db")
        _copy_rows(db, out, schema[0].read_text(), [], keep=True)
        c = sqlite3.connect(out, isolation_level=None)
        for p in ["PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF"] + pragmas:
            c.execute(p)
        times = []
        for path in schema[1:3]:
            t0 = time.perf_counter()
            c.executescript(path.read_text())
            times.append(time.perf_counter() - t0)
        c.close()
        out.unlink()
        print(f"  indexes {times[0]:6.2f} s  fts {times[1]:6.2f} s   {name}")
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for pragma in ("integrity_check", "quick_check", "foreign_key_check"):
        t0 = time.perf_counter()
        c.execute(f"PRAGMA {pragma}").fetchall()
        print(f"  PRAGMA {pragma:18} {time.perf_counter() - t0:6.2f} s")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    docs = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    experiments = {"build": exp_build, "size": exp_size, "queries": exp_queries, "facets": exp_facets,
                   "indexes": exp_indexes}
    if what not in experiments:
        raise SystemExit(__doc__)
    experiments[what](docs)
