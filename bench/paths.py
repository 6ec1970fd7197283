"""Where the benchmark lives, and where it keeps its corpora and results (both git-ignored)."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = BENCH / "corpus"       # generated corpora, one folder per size, seed and generator hash
RESULTS = BENCH / "results"     # scale-<docs>.json, load.json, profile-<docs>.txt
PY = sys.executable             # child processes run with the same interpreter (the project's .venv)
