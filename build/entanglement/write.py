"""Write stage: the rows into a new SQLite file, atomically.

The database is built in a temporary file beside the target and renamed over
it only when complete and checked, so a failed or killed build leaves the
previous database exactly as it was. A lock file serialises concurrent builds.
"""

from __future__ import annotations

import contextlib
import errno
import operator
import fcntl
import os
import sqlite3
import sys
import time
from pathlib import Path

import sqlite_utils

from .progress import PLAIN, Advance, Progress, nothing


class WriteError(Exception):
    pass


@contextlib.contextmanager
def build_lock(target: Path, wait: bool = True):
    """Hold an exclusive lock for building `target`; a second build waits (or fails when wait=False)."""
    lock_path = target.with_name(f".{target.name}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            if not wait:
                raise WriteError(f"another build of {target.name} is running (lock {lock_path.name}); try again when it ends")
            print(f"waiting for another build of {target.name} to finish…", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)   # closing releases the lock


def remove_leftovers(target: Path) -> list[Path]:
    """Temporary files of builds that were killed. Called with the lock held,
    so no live build owns them."""
    removed = []
    for path in target.parent.glob(f".{target.name}.tmp-*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def schema_files(schema_dir: Path) -> list[Path]:
    # the folder's own files only: schema/queries/ holds the canned queries, served, never applied
    files = sorted(schema_dir.glob("*.sql"))
    if not files:
        raise WriteError(f"no schema files in {schema_dir}")
    return files


# What each schema script after the tables does, as progress calls its stage.
SCHEMA_STAGES = {"02_indexes": "indexes", "03_fts": "full-text", "04_views": "views"}
# Rows inserted per executemany call: each call then advances the progress.
INSERT_BATCH = 20_000


def write_database(target: Path, schema_dir: Path, tables: dict[str, list[dict]], timings: dict[str, float],
                   progress: Progress = PLAIN) -> None:
    """Write a complete database to `target` (call with build_lock held)."""
    files = schema_files(schema_dir)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        conn = sqlite3.connect(tmp, isolation_level=None)
        db = sqlite_utils.Database(conn)
        # A fresh file that is renamed into place only when complete: no journal needed.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        # Nothing is deleted during a build, but should a later step ever delete,
        # its content must not linger in free pages of a published file.
        conn.execute("PRAGMA secure_delete = ON")
        t0 = time.perf_counter()
        with progress.stage("write rows", sum(map(len, tables.values())), "rows") as advance:
            db.executescript(files[0].read_text(encoding="utf-8"))
            conn.execute("BEGIN")
            for table, rows in tables.items():
                insert_rows(conn, table, rows, advance)
            conn.execute("COMMIT")
        timings["write rows"] = time.perf_counter() - t0
        for path in files[1:]:
            t0 = time.perf_counter()
            with progress.stage(SCHEMA_STAGES.get(path.stem, path.stem)):
                db.executescript(path.read_text(encoding="utf-8"))
            timings[f"schema {path.stem}"] = time.perf_counter() - t0
        with progress.stage("check and save"):
            conn.execute("ANALYZE")
            check_database(conn)
            conn.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def insert_rows(conn: sqlite3.Connection, table: str, rows: list[dict], advance: Advance = nothing) -> None:
    """Rows in primary-key order (so rowids, and the FTS indexes keyed on them, are the
    same for the same inputs), with one prepared INSERT (advance: per batch of rows)."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    columns = [r[1] for r in info]
    if not columns:
        raise WriteError(f"table {table} is not in the schema")
    if not rows:
        return
    unknown = set(rows[0]) - set(columns)
    if unknown:
        raise WriteError(f"table {table} has no column(s) {', '.join(sorted(unknown))}")
    pk = next(r[1] for r in info if r[5] == 1)
    rows = sorted(rows, key=operator.itemgetter(pk))
    sql = f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) VALUES ({", ".join("?" * len(columns))})'
    # Every row carries every column (the rows of a table are made by one function in
    # rows.py), so itemgetter builds the parameter tuples in C; a row that lacks one
    # stops the build (the temporary file is discarded).
    values = operator.itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    try:
        for start in range(0, len(rows), INSERT_BATCH):
            conn.executemany(sql, map(values, rows[start:start + INSERT_BATCH]))
            advance(min(INSERT_BATCH, len(rows) - start))
    except KeyError as exc:
        raise WriteError(f"a row of table {table} has no value for column {exc}") from None


def check_database(conn: sqlite3.Connection) -> None:
    bad_fk = conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad_fk:
        raise WriteError(f"foreign key check failed: {bad_fk[:5]}")
    # quick_check: every page and record well formed, in a fifth of the time of
    # integrity_check (which also re-derives every index of a file just built from
    # the same rows; the test suite runs the full check).
    integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
    if integrity != "ok":
        raise WriteError(f"integrity check failed: {integrity}")
