"""Experiments behind the fixes proposed from the benchmark (issue 6), one command each.

    python -m bench experiments build   [DOCS]   # the build as is, with the garbage collector off, and also freeing what is done with
    python -m bench experiments size    [DOCS]   # the same rows under leaner schema variants: what the database size is made of
    python -m bench experiments queries [DOCS]   # the slowest canned queries as they are and rewritten (same rows)
    python -m bench experiments facets  [DOCS]   # table pages with Datasette's facet suggestions on and off
    python -m bench experiments indexes [DOCS]   # index and FTS creation with more SQLite cache; integrity_check vs quick_check
    python -m bench experiments write   [DOCS]   # plain sqlite3 at DOCS and DOCS/10 in one process, three page sizes: SQLite's own growth
    python -m bench experiments extract [DOCS]   # the extractor's quotation matching, limited as shipped and unlimited
    python -m bench experiments progress [DOCS] [BEFORE]  # `entanglement build` piped vs on a pseudo-terminal (live
                                                 # progress), and the build/ of an older checkout in BEFORE, alternating

DOCS (default 10000) picks the corpus `make bench` built (bench/corpus/, built first if missing).
Nothing in build/, schema/ or metadata.yml is changed: fixes are applied from outside (wrapping the
pipeline's functions, rewriting the SQL text in memory). The rewrites match today's schema and
canned queries (schema/queries/); after those change they may need adjusting (an assertion says so).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import time
from pathlib import Path

from bench.children import final_rows, insert_plainly, run_child, spread
from bench.corpora import corpus_facts, corpus_for
from bench.paths import PY, REPO
from bench.serving import datasette_command, free_port, get, param_values, query_files, stop_server, timed_series
from bench.stats import median, percentile


def corpus(docs: int) -> tuple[Path, Path]:
    """The corpus of this size (seed 1, as `make bench` builds it) and its database, built if missing."""
    root, _ = corpus_for(docs, 1)
    db = root / "entanglement.db"
    if not db.is_file():
        subprocess.run([str(Path(PY).with_name("entanglement")), "build", "--root", str(root), "--output", str(db)],
                       check=True, capture_output=True)
    return root, db


# ---------------------------------------------------------------------------
# build: the cyclic garbage collector, and memory held after use

def build_variant(root: Path, db: Path, mode: str) -> None:
    """The child of `build` (`python -m bench child build-variant ROOT DB MODE`): build ROOT into DB as is
    (mode as-is), with the cyclic garbage collector off (gc-off), or also freeing the YAML mappings and
    citation requests once used (gc-off+free); print the stage timings as JSON."""
    import gc

    import entanglement.pipeline as pipeline
    if mode != "as-is":
        gc.disable()                       # as gc.disable()/gc.freeze() around compile_tables would
    if mode == "gc-off+free":
        validate, verify = pipeline.validate_records, pipeline.verify_citations

        def validate_then_free(raw, problems, **progress):
            out = validate(raw, problems, **progress)
            for records in raw.values():
                records.clear()            # as `del raw` after validation would
            return out

        def verify_then_free(requests, texts, problems, **progress):
            out = verify(requests, texts, problems, **progress)
            requests.clear()               # as `del requests` after verification would
            return out
        pipeline.validate_records, pipeline.verify_citations = validate_then_free, verify_then_free
    r = pipeline.build(pipeline.Layout(root), db)
    print(json.dumps({k: round(v, 2) for k, v in r.timings.items()}))


def exp_build(docs: int) -> None:
    root, db = corpus(docs)
    out = db.with_name("experiment.db")
    print(f"{docs:,} documents: full build (wall s, peak RSS MB) and its slowest stages")
    for mode in ("as-is", "gc-off", "gc-off+free"):
        out.unlink(missing_ok=True)
        timings, wall, peak_mb = run_child(["build-variant", str(root), str(out), mode])
        top = ", ".join(f"{k} {v:.1f}" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])[1:6])
        print(f"  {mode:12} wall {wall:6.1f} s  peak {peak_mb:6.0f} MB   {top}")
    out.unlink(missing_ok=True)


# ---------------------------------------------------------------------------
# size: what the database is made of

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
    inputs = corpus_facts(root)
    all_inputs = inputs["text_bytes"] + inputs["yaml_bytes"]
    lean = tables
    for table, col in (("citations", "excerpt"), ("citations", "records_file"), ("quotation_spans", "text"),
                       ("mentions", "name")):
        lean = _drop_column(lean, table, col)
    lean_ids = lean
    for table in ("citations", "mentions", "quotation_spans"):
        lean_ids = _integer_id(lean_ids, table)
    no_source_text_fts = fts.replace("author, text,", "author,")
    assert no_source_text_fts != fts
    variants = [
        ("as built", tables, indexes, fts),
        ("drop derivable columns (citations.excerpt, .records_file, quotation_spans.text, mentions.name)",
         lean, indexes, fts),
        ("+ integer ids for citations, mentions, quotation_spans", lean_ids, indexes, fts),
        ("+ no full-text index of sources.text", lean_ids, indexes, no_source_text_fts),
    ]
    print(f"{docs:,} documents: {text / 1e6:.1f} MB of document text, {all_inputs / 1e6:.1f} MB of inputs (text + YAML)")
    for name, t, i, f in variants:
        size = _copy_rows(db, db.with_name("size-experiment.db"), t, [i, f])
        print(f"  {size / 1e6:7.1f} MB  {size / text:4.1f}× text  {size / all_inputs:4.1f}× inputs   {name}")
    size = _least_size(db, db.with_name("size-experiment.db"))
    print(f"  {size / 1e6:7.1f} MB  {size / text:4.1f}× text  {size / all_inputs:4.1f}× inputs   the least it could be: "
          "see _least_size")


def _least_size(src: Path, out: Path) -> int:
    """A lower bound for a database that still does what issues 2 and 3 ask: every document's text
    with full-text search over it, every quote's text searchable, and for each citation, mention,
    quote printing and quotation span where it is (source and offsets) and what it belongs to.
    Everything else is dropped or squeezed, beyond what a publication could afford: every key an
    integer, every repeated word (table names, fields, files, fidelity) a small integer code, no
    excerpts, names or texts that the offsets can recover, no search over quote printings, only
    the indexes that finding a fact's citations and a source's passages need. The other (small)
    tables are counted as built. If this is over 3× the document text, so is any schema that keeps
    those features."""
    out.unlink(missing_ok=True)
    c = sqlite3.connect(out, isolation_level=None)
    c.execute("pragma journal_mode = off")
    c.execute("pragma synchronous = off")
    c.execute(f"attach '{src}' as s")
    code = lambda col, values: "case " + col + " " + " ".join(f"when '{v}' then {i}" for i, v in enumerate(values)) + " end"
    distinct = lambda sql: [r[0] for r in c.execute(sql)]
    fact_tables = distinct("select distinct fact_table from s.citations")
    fact_rowid = "case c.fact_table " + " ".join(
        f"when '{t}' then (select rowid from s.\"{t}\" x where x.id = c.fact_id)" for t in fact_tables) + " end"
    rowid_of = lambda table, col: f"(select rowid from s.{table} x where x.id = {col})"
    c.executescript(f"""
    begin;
    create table sources as select rowid as id, title, title_basis, publisher, author, url, date, date_precision,
      date_basis, kind, language, {rowid_of('sources', 'y.derived_from')} as derived_from, relation, rights,
      original_file, document_path, held, text, sha256, length, word_count, notes from s.sources y order by rowid;
    create table quotes as select q.rowid as id, {rowid_of('people', 'q.speaker_person_id')} as speaker_person,
      {rowid_of('organizations', 'q.speaker_organization_id')} as speaker_organization, speaker_name, kind,
      {rowid_of('policies', 'q.topic_policy_id')} as topic, text, appearance_count, note from s.quotes q order by rowid;
    create table citations (id integer primary key, fact_table int, fact_rowid int, field int, source int, start int,
      "end" int, match int, records_file int, records_line int);
    insert into citations select c.rowid, {code('c.fact_table', fact_tables)}, {fact_rowid},
      {code('c.field', distinct('select distinct field from s.citations'))}, {rowid_of('sources', 'c.source_id')},
      start, "end", c.match = 'exact', {code('c.records_file', distinct('select distinct records_file from s.citations'))},
      records_line from s.citations c order by c.rowid;
    create table mentions (id integer primary key, source int, person int, organization int, start int, "end" int);
    insert into mentions select m.rowid, {rowid_of('sources', 'm.source_id')}, {rowid_of('people', 'm.person_id')},
      {rowid_of('organizations', 'm.organization_id')}, start, "end" from s.mentions m order by m.rowid;
    create table quote_appearances (id integer primary key, quote int, source int, start int, "end" int,
      attribution_start int, attribution_end int, fidelity int);
    insert into quote_appearances select a.rowid, {rowid_of('quotes', 'a.quote_id')}, {rowid_of('sources', 'a.source_id')},
      start, "end", attribution_start, attribution_end, {code('a.fidelity', ['verbatim', 'reworded', 'garbled'])}
      from s.quote_appearances a order by a.rowid;
    create table quotation_spans (id integer primary key, source int, start int, "end" int, depth int, appearance int,
      non_quotation int);
    insert into quotation_spans select q.rowid, {rowid_of('sources', 'q.source_id')}, start, "end", depth,
      {rowid_of('quote_appearances', 'q.quote_appearance_id')}, {rowid_of('non_quotations', 'q.non_quotation_id')}
      from s.quotation_spans q order by q.rowid;
    commit;
    create index citations_fact on citations(fact_table, fact_rowid);
    create index citations_source on citations(source, start);
    create index mentions_source on mentions(source, start);
    create index mentions_person on mentions(person) where person is not null;
    create index mentions_organization on mentions(organization) where organization is not null;
    create index quote_appearances_quote on quote_appearances(quote);
    create index quote_appearances_source on quote_appearances(source, start);
    create index quotation_spans_source on quotation_spans(source, start);
    create index quotes_speaker on quotes(speaker_person) where speaker_person is not null;
    create virtual table sources_fts using fts5(title, publisher, author, text, content='sources', content_rowid='id',
      tokenize='porter unicode61 remove_diacritics 2');
    insert into sources_fts(sources_fts) values ('rebuild');
    create virtual table quotes_fts using fts5(text, speaker_name, content='quotes', content_rowid='id',
      tokenize='porter unicode61 remove_diacritics 2');
    insert into quotes_fts(quotes_fts) values ('rebuild');
    """)
    squeezed = ("sources", "quotes", "citations", "mentions", "quote_appearances", "quotation_spans")
    fts = ("sources_fts", "quotes_fts", "quote_appearances_fts")
    lean = c.execute("select sum(pgsize) from dbstat").fetchone()[0]
    others = c.execute(f"""select sum(pgsize) from s.dbstat where name not in (
        select name from s.sqlite_master where tbl_name in ({", ".join(f"'{t}'" for t in squeezed + fts)}))
        and {" and ".join(f"name not like '{f}%'" for f in fts)}""").fetchone()[0]
    c.close()
    out.unlink()
    return lean + others


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
    assert len(branches) > 1 and "from (\n  select 'source'" in sql, "schema/queries/*_search.sql changed"
    out = []
    for b in branches:
        m = re.search(r"where (\w+_fts) match \(select q from m\)", b)
        assert m, "schema/queries/*_search.sql changed"
        b = b.replace(m.group(0), f"{m.group(0)} order by {m.group(1)}.rank limit {limit}")
        out.append(b)
    head, first = out[0].split("from (\n  select 'source'", 1)
    last, tail = out[-1].rsplit("\n)", 1)
    body = ["  select 'source'" + first] + out[1:-1] + [last]
    return head + "from (\n" + "\n  union all\n".join(f"select * from (\n{b}\n)" for b in body) + "\n)" + tail


def exp_queries(docs: int) -> None:
    from datasette.utils import escape_fts
    _, db = corpus(docs)
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    c.create_function("escape_fts", 1, escape_fts)
    queries = query_files()["queries"]
    values = param_values(db)

    def timed(sql, params, n=5):
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            rows = c.execute(sql, params).fetchall()
            times.append((time.perf_counter() - t0) * 1000)
        return median(times), rows

    print(f"{docs:,} documents: canned queries in SQLite alone (median ms), as they are and rewritten")
    mentions = queries["mentions_of"]["sql"]
    assert MENTIONS_WHERE in mentions, "schema/queries/*_mentions_of.sql changed"
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
        port = free_port()
        server = subprocess.Popen(datasette_command(db, port) + extra, cwd=REPO, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    get(conn, "/-/versions.json")
                    break
                except OSError:
                    time.sleep(0.1)
            for path in pages:
                times, _, _, _ = timed_series(conn, path, 8, unique=True)
                print(f"  suggest_facets {'off' if extra else 'on '}: {percentile(times, 50):7.0f} ms  {path}")
        finally:
            stop_server(server)


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


# ---------------------------------------------------------------------------
# write: plain sqlite3 at this size and a tenth of it, in one process, with three page sizes

def exp_write(docs: int) -> None:
    """The rows of the built databases (this size and a tenth of it) inserted again with plain sqlite3,
    then the index and FTS scripts, twice over for page sizes 4, 8 and 16 KB, all in this one process:
    how SQLite's own time grows with the rows, on a first run and once warm."""
    schema = sorted((REPO / "schema").glob("*.sql"))
    timings: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
    for size in (docs // 10, docs):
        _, db = corpus(size)
        data = final_rows(db)
        out = db.with_name("write-experiment.db")
        for rep in range(2):
            for page in (4096, 8192, 16384):
                out.unlink(missing_ok=True)
                c = sqlite3.connect(out, isolation_level=None)
                c.execute(f"pragma page_size = {page}")
                c.execute("pragma journal_mode = off")
                c.execute("pragma synchronous = off")
                c.executescript(schema[0].read_text())
                rows_s = insert_plainly(c, data)
                t1 = time.perf_counter()
                c.executescript(schema[1].read_text())
                t2 = time.perf_counter()
                c.executescript(schema[2].read_text())
                t3 = time.perf_counter()
                c.close()
                timings.setdefault((size, page), []).append((rows_s, t2 - t1, t3 - t2))
                print(f"  {size:6,} docs  page {page:5}  run {rep + 1}: rows {rows_s:6.3f} s  indexes {t2 - t1:6.3f} s  "
                      f"fts {t3 - t2:6.3f} s", flush=True)
        out.unlink(missing_ok=True)
    print(f"growth {docs // 10:,} -> {docs:,} documents (first run / second run):")
    for page in (4096, 8192, 16384):
        small, big = timings[(docs // 10, page)], timings[(docs, page)]
        cells = [f"{name} {big[0][i] / small[0][i]:4.1f}× / {big[1][i] / small[1][i]:4.1f}×"
                 for i, name in enumerate(("rows", "indexes", "fts"))]
        print(f"  page {page:5}: " + "   ".join(cells))


# ---------------------------------------------------------------------------
# extract: known quotations compared word by word with every candidate, or with the closest 100

def exp_extract(docs: int) -> None:
    """Proposals for 10 documents (3 above 1,000 documents: unlimited takes ~50 s each at 10,000) of the corpus read as new (each with its own text hidden),
    with QUOTE_CANDIDATES as shipped and unlimited (every known text sharing a stem is compared word
    by word, as before the limit): seconds per article and whether the proposals are the same."""
    import gc

    import entanglement.extract.assembly as extract_module   # extract(), Knowledge and QUOTE_CANDIDATES
    from entanglement.ingest import load_knowledge
    from entanglement.pipeline import Layout
    from entanglement.review_records import dump_review, records_from_proposals

    articles = 10 if docs <= 1000 else 3
    root, _ = corpus(docs)
    gc.disable()
    records, texts = load_knowledge(Layout(root))
    chosen = spread(sorted(texts), articles)
    shipped = extract_module.QUOTE_CANDIDATES
    results = {}
    for limit in (shipped, 10**9):
        extract_module.QUOTE_CANDIDATES = limit
        times, dumps = [], []
        for sid in chosen:
            know = extract_module.Knowledge.from_records(records, {k: v for k, v in texts.items() if k != sid})
            t0 = time.perf_counter()
            props = extract_module.extract(texts[sid], know, sid)
            times.append(time.perf_counter() - t0)
            dumps.append(dump_review(records_from_proposals(props, know, None)))
        results[limit] = (times, dumps)
    extract_module.QUOTE_CANDIDATES = shipped
    print(f"{docs:,} documents, {articles} articles read as new (knowledge prepared for each):")
    for limit, (times, _) in results.items():
        name = f"closest {limit}" if limit == shipped else "unlimited"
        print(f"  {name:12} median {median(times):6.2f} s per article, total {sum(times):6.1f} s")
    same = sum(a == b for a, b in zip(results[shipped][1], results[10**9][1]))
    print(f"  proposals identical for {same} of {articles} articles")


# ---------------------------------------------------------------------------
# progress: what the live progress display of issue 15 costs

def _timed_build(command: list[str], env: dict, terminal: bool) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the build and its parser processes, from wait4)
    of one build, its output read from a pipe or from a pseudo-terminal."""
    import pty
    t0 = time.perf_counter()
    if terminal:
        pid, fd = pty.fork()
        if pid == 0:
            try:
                os.environ.update(env)
                os.execv(command[0], command)
            finally:
                os._exit(127)
        seen = b""
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            seen += data
        os.close(fd)
        assert b"\r" in seen and b"verify citations" in seen, "no live progress was drawn"
    else:
        proc = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        proc.stdout.read()
        pid = proc.pid
    _, status, usage = os.wait4(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, command
    return time.perf_counter() - t0, usage.ru_utime + usage.ru_stime


def exp_progress(docs: int, before: str | None = None, rounds: int = 5) -> None:
    root, _ = corpus(docs)
    script = str(Path(PY).with_name("entanglement"))
    variants = {"piped (no progress drawn)": ({}, False), "pseudo-terminal (live progress)": ({}, True)}
    if before:   # e.g. `git archive 24c47ef build | tar -x -C /tmp/before`: the build before progress
        variants = {f"before ({before}), piped": ({"PYTHONPATH": str(Path(before) / "build")}, False), **variants}
    names = list(variants)
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    print(f"{docs:,} documents: `entanglement build`, {rounds} rounds, variants in rotating order")
    for i in range(rounds):
        for n in names[i % len(names):] + names[:i % len(names)]:
            env, terminal = variants[n]
            out = root / f"experiment-{names.index(n)}.db"
            w, c = _timed_build([script, "build", "--root", str(root), "--output", str(out)], env, terminal)
            wall[n].append(w)
            cpu[n].append(c)
            print(f"  round {i + 1} {n:45} wall {w:6.2f} s  cpu {c:6.2f} s  load {os.getloadavg()[0]:.1f}", flush=True)
            out.unlink(missing_ok=True)
    base = names[0]
    for n in names:
        mw, mc = median(wall[n]), median(cpu[n])
        print(f"  {n:47} median wall {mw:6.2f} s ({mw / median(wall[base]):.3f}×)  "
              f"median cpu {mc:6.2f} s ({mc / median(cpu[base]):.3f}×)")


EXPERIMENTS = {"build": exp_build, "size": exp_size, "queries": exp_queries, "facets": exp_facets,
               "indexes": exp_indexes, "write": exp_write, "extract": exp_extract, "progress": exp_progress}


def run_experiment(name: str, docs: int, before: str | None = None) -> None:
    """One experiment at DOCS documents (`before`: the older checkout `progress` compares with)."""
    if name == "progress":
        exp_progress(docs, before)
    else:
        EXPERIMENTS[name](docs)
