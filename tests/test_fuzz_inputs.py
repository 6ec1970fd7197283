"""Property-based: random and mutated records and documents given to `check`
and `build` end in success or in `path:line: message` problems; never a
traceback, a hang, or a changed database."""

from __future__ import annotations

import re
import shutil
import sqlite3
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from entanglement.cli import cli

BASE = Path(__file__).parent / "build_errors" / "base"
SCHEMA = Path(__file__).resolve().parents[1] / "schema"
FILES = sorted(str(p.relative_to(BASE)) for p in BASE.rglob("*") if p.is_file())
PROBLEM_LINE = re.compile(r"^raw/[^:]+:\d+: .+$")

# Pieces that YAML and the quotation finder find hard.
NASTY = ["\n", "  ", "\t", ": ", "- ", "#", "&a ", "*a", "!!python/object:os.system ", "!tag ", "'", '"', "“", "”",
         "‘", "’", "{", "}", "[", "]", "|", ">", "---\n", "...", "\x00", "\ufeff", "é", "{snip}", "- id: x\n",
         "cite:\n  - source: story\n    excerpt: nope\n", "occurrence: 0", "date: 2025-99", "\\", "%YAML 9.9\n"]

mutation = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.sampled_from(NASTY)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.text(max_size=12)),
    st.tuples(st.just("delete"), st.integers(0, 10_000), st.integers(1, 40)),
    st.tuples(st.just("swap_lines"), st.integers(0, 200), st.integers(0, 200)),
    st.tuples(st.just("bytes"), st.integers(0, 10_000), st.binary(min_size=1, max_size=4)),
)


def apply(data: bytes, op) -> bytes:
    kind, a, b = op
    pos = a % (len(data) + 1)
    if kind == "insert":
        return data[:pos] + b.encode("utf-8", "surrogatepass") + data[pos:]
    if kind == "delete":
        return data[:pos] + data[pos + b:]
    if kind == "bytes":
        return data[:pos] + b + data[pos:]
    lines = data.split(b"\n")
    i, j = a % len(lines), b % len(lines)
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def check_outcome(result, db: Path, before: bytes | None) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        lines = result.stderr.strip().splitlines()
        assert lines[-1].endswith("nothing was written.") or lines[-1].startswith("error:"), lines[-1]
        for line in lines[:-1]:
            assert PROBLEM_LINE.match(line), line
        if before is not None:
            assert db.read_bytes() == before
    if db.exists():
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(FILES), ops=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_inputs_fail_cleanly_or_build(target, ops):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(BASE, root)
        (root / "schema").symlink_to(SCHEMA)
        runner = CliRunner()
        good = runner.invoke(cli, ["build", "--root", str(root)])
        assert good.exit_code == 0, good.output
        db = root / "entanglement.db"
        before = db.read_bytes()
        path = root / target
        data = path.read_bytes()
        for op in ops:
            data = apply(data, op)
        path.write_bytes(data)
        check_outcome(runner.invoke(cli, ["check", "--root", str(root)]), db, before)
        check_outcome(runner.invoke(cli, ["build", "--root", str(root)]), db, before)


record_value = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=20) | st.sampled_from(["story", "ana-reyes", "lapd"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "name", "source", "excerpt", "cite", "kind", "text", "date", "speaker", "appearances",
                         "aliases", "members", "occurrence", "fidelity", "document", "title", "language"]),
        children, max_size=5),
    max_leaves=12)


@settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["sources", "people", "organizations", "quotes", "non_quotations", "cases", "policies"]),
       records=st.lists(record_value, max_size=3))
def test_random_records_fail_cleanly(kind, records):
    import yaml
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(BASE, root)
        path = root / "raw" / "records" / f"{kind}.yml"
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(existing + "\n" + yaml.safe_dump(records, allow_unicode=True) if records else existing + "\n- 1\n",
                        encoding="utf-8")
        result = CliRunner().invoke(cli, ["check", "--root", str(root)])
        check_outcome(result, root / "entanglement.db", None)
