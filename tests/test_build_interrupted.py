"""Fault injection: a build killed with SIGKILL at random points leaves the
previous database byte-identical and usable, and the next build succeeds and
removes what the killed one left behind."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "entanglement.cli", "build", "--root", str(ROOT)]
RUNS = 24


def test_sigkill_at_random_points_never_damages_the_database(tmp_path):
    out = tmp_path / "entanglement.db"
    first = subprocess.run([*CLI, "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    good = out.read_bytes()

    # How long a whole build takes here, so that kill points spread over all of it.
    t0 = time.perf_counter()
    subprocess.run([*CLI, "--output", str(tmp_path / "timing.db")], check=True, capture_output=True, timeout=300)
    duration = time.perf_counter() - t0

    rng = random.Random(20251123)
    killed_midway = 0
    for _ in range(RUNS):
        proc = subprocess.Popen([*CLI, "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        killed_midway += proc.returncode == -signal.SIGKILL
        assert out.read_bytes() == good
        conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("select count(*) from sources").fetchone()[0] > 0
        conn.close()
    assert killed_midway >= RUNS // 2, "most runs should have been killed before finishing"

    after = subprocess.run([*CLI, "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert after.returncode == 0, after.stderr
    assert out.read_bytes() == good
    assert not list(tmp_path.glob(".entanglement.db.tmp-*"))
