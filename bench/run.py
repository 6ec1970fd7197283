"""`make bench`: the build and the served database measured at several corpus sizes.

For each size (bench/scale.py): generate the synthetic corpus (bench/corpus.py; cached under
bench/corpus/, keyed by size, seed and the generator's hash), build it in a child process (wall time
and peak RSS from the kernel; per-stage time from the pipeline's own timings, per-stage peak RSS
from a sampler in the child), time a no-change `entanglement build --if-changed`, measure the floors
(the same final rows inserted with plain sqlite3 executemany in one transaction, with the same
schema, indexes and full-text indexes; the same YAML read with PyYAML's C loader), then serve the
database the way `make serve` does, on a free loopback port, and time every canned query, searches,
table pages with facets and row pages (bench/serving.py). Results: bench/results/scale-<docs>.json,
and bench/RESULTS.md (the tables for every size measured so far; bench/report.py).

Times are medians of --repeat runs; the machine is shared, so compare ratios against floors
measured in the same run rather than absolute times.

On a terminal the long steps (corpus generation, each build, the floors, the extraction runs, the
served endpoints) show as stages with elapsed time, as `entanglement build` shows its own
(entanglement.progress); piped, the output is plain lines.
"""

from __future__ import annotations

import json

from entanglement.cli_common import progress_shown

from bench.children import run_child
from bench.corpora import corpus_for
from bench.paths import BENCH, REPO, RESULTS
from bench.report import load_results, print_summary, write_report
from bench.scale import bench_scale


def run_scales(scales: list[int], seed: int, repeat: int, requests: int, serve: bool) -> None:
    """Measure each size in turn (bench/results/scale-<docs>.json), then rewrite bench/RESULTS.md
    from every size measured so far."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    for docs in scales:
        with progress_shown() as progress:   # live stages on a terminal, plain lines otherwise
            res = bench_scale(docs, seed, repeat, requests, serve, progress)
        (RESULTS / f"scale-{docs}.json").write_text(json.dumps(res, indent=1) + "\n")
        print_summary(res)
    (BENCH / "RESULTS.md").write_text(write_report(load_results()))
    print("wrote bench/results/scale-*.json and bench/RESULTS.md")


def profile(docs: int, seed: int) -> None:
    """One build of the corpus of this size under cProfile; the top functions go to
    bench/results/profile-<docs>.txt."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    root, _ = corpus_for(docs, seed)
    out = RESULTS / f"profile-{docs}.txt"
    db = root / "entanglement.db"
    db.unlink(missing_ok=True)
    run_child(["profile", str(root), str(db), str(out)])
    print(f"wrote {out.relative_to(REPO)}")
