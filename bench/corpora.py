"""The synthetic corpora the benchmark measures, cached under bench/corpus/.

Each is keyed by size, seed and a hash of the generator (bench/corpus.py), so editing the generator
makes new corpora; one is generated (in a child process, `python -m bench corpus`) only if missing.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from entanglement.progress import PLAIN, Progress

from bench.paths import BENCH, CORPUS, PY, REPO

def generator_hash() -> str:
    """The first 10 hex digits of the SHA-256 of bench/corpus.py: part of each cached corpus's name."""
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
        made = subprocess.run([PY, "-m", "bench", "corpus", "--docs", str(docs), "--seed", str(seed), "--out", str(tmp)],
                              check=True, stdout=subprocess.PIPE, text=True, cwd=REPO)
    print(made.stdout, end="", flush=True)
    took = time.perf_counter() - t0
    (tmp / ".complete").write_text(f"{took:.1f}\n")
    if folder.exists():
        shutil.rmtree(folder)
    tmp.rename(folder)
    return folder, took


def corpus_facts(root: Path) -> dict:
    """How many documents and record files a corpus has, and their bytes."""
    docs = sorted((root / "raw" / "documents").glob("*.txt"))
    ymls = sorted((root / "raw" / "records").rglob("*.yml"))
    return {"documents": len(docs), "text_bytes": sum(p.stat().st_size for p in docs),
            "yaml_bytes": sum(p.stat().st_size for p in ymls), "yaml_files": len(ymls)}

