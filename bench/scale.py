"""Everything measured at one corpus size: the corpus, repeated builds and floors (each in a child
process), `build --if-changed` with nothing changed, the extraction, the database's size, and the
database served. Returns one plain dict, written as bench/results/scale-<docs>.json.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
import time
from pathlib import Path

from entanglement.progress import PLAIN, Progress

from bench.children import EXTRACT_ARTICLES, EXTRACTION_ROWS, run_child
from bench.corpora import corpus_facts, corpus_for, generator_hash
from bench.paths import PY, REPO
from bench.serving import serve_and_measure
from bench.stats import median


def db_sizes(db: Path) -> dict:
    """The database's bytes, and its largest tables and indexes in MB (from dbstat)."""
    c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = {"bytes": db.stat().st_size}
    try:
        rows = c.execute("select name, sum(pgsize) from dbstat group by name order by 2 desc").fetchall()
        out["largest_objects_mb"] = {n: round(s / 1e6, 2) for n, s in rows[:12]}
    except sqlite3.Error:
        pass
    c.close()
    return out


def bench_scale(docs: int, seed: int, repeat: int, requests: int, serve: bool, progress: Progress = PLAIN) -> dict:
    """Everything measured at `docs` documents (see the module's docstring): builds and floors `repeat`
    times (medians reported), and with `serve` each endpoint timed `requests` times."""
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
            data, wall, rss = run_child(["build", str(root), str(db)])
        data.update(wall_s=wall, peak_rss_mb=rss)
        builds.append(data)
        print(f"  build {i + 1}/{repeat}: {wall:.2f} s wall, peak RSS {rss:.0f} MB", flush=True)
        with progress.stage(f"floors {i + 1}/{repeat}"):
            floor, _, _ = run_child(["floors", str(root), str(db)])
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
            extractions.append(run_child(["extract", str(root)]))
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
