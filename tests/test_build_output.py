"""The database file itself: reproducible, consistent, written atomically and
one build at a time. Built from the real records and documents."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from entanglement.citations import fold

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "entanglement.cli"]


def build(output: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, "build", "--root", str(ROOT), "--output", str(output), *extra],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "entanglement.db"
    result = build(out)
    assert result.returncode == 0, result.stderr
    return out


def test_two_builds_of_the_same_inputs_are_byte_identical(built, tmp_path):
    again = tmp_path / "again.db"
    assert build(again).returncode == 0
    assert again.read_bytes() == built.read_bytes()


def test_database_is_consistent(built):
    conn = sqlite3.connect(built)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for (fts,) in conn.execute("select name from sqlite_master where type = 'table' and name like '%\\_fts' escape '\\'"):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")


def test_every_citation_slices_back_to_its_excerpt(built):
    conn = sqlite3.connect(built)
    rows = conn.execute("select c.id, c.excerpt, c.match, substr(s.text, c.start + 1, c.\"end\" - c.start) "
                        "from citations c join sources s on s.id = c.source_id").fetchall()
    assert rows
    for cid, excerpt, match, passage in rows:
        if match == "exact":
            assert passage == excerpt, cid
        else:
            assert fold(passage).strip() == fold(excerpt).strip(), cid


def test_every_offset_column_slices_inside_its_source(built):
    conn = sqlite3.connect(built)
    for table in ("segments", "quote_appearances", "non_quotations", "mentions", "quotation_spans"):
        bad = conn.execute(f'select count(*) from {table} t join sources s on s.id = t.source_id '
                           f'where t.start < 0 or t."end" > s.length or t.start >= t."end"').fetchone()[0]
        assert bad == 0, table
    names = conn.execute('select m.name, substr(s.text, m.start + 1, m."end" - m.start) from mentions m '
                         'join sources s on s.id = m.source_id').fetchall()
    assert names and all(a == b for a, b in names)


def test_sources_keep_the_received_bytes(built):
    conn = sqlite3.connect(built)
    for sid, path, text, sha in conn.execute("select id, document_path, text, sha256 from sources where held = 1"):
        raw = (ROOT / path).read_bytes()
        assert text.encode("utf-8") == raw, sid
        import hashlib
        assert hashlib.sha256(raw).hexdigest() == sha


def test_if_changed_skips_an_up_to_date_build(built):
    before = built.stat().st_mtime_ns
    result = build(built, "--if-changed")
    assert result.returncode == 0 and "up to date" in result.stdout
    assert built.stat().st_mtime_ns == before


def test_a_second_build_waits_for_the_first(tmp_path):
    out = tmp_path / "entanglement.db"
    lock = tmp_path / ".entanglement.db.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        refused = build(out, "--no-wait")
        assert refused.returncode == 1
        assert "another build of entanglement.db is running" in refused.stderr
        waiting = subprocess.Popen([*CLI, "build", "--root", str(ROOT), "--output", str(out)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        assert waiting.poll() is None, "the second build should wait for the lock"
    finally:
        os.close(fd)
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0
    assert "waiting for another build" in err
    assert sqlite3.connect(out).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_two_builds_started_at_once_leave_a_good_database(tmp_path):
    out = tmp_path / "entanglement.db"
    procs = [subprocess.Popen([*CLI, "build", "--root", str(ROOT), "--output", str(out)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    assert sqlite3.connect(out).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert not list(tmp_path.glob(".entanglement.db.tmp-*"))
