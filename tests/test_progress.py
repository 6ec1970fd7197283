"""Progress on long work (issue 15): on a terminal the build shows each stage as
it runs and ends; through a pipe the output is today's plain lines (no bars, no
carriage returns); --quiet prints only problems and the final line; problems
still come all at once as `path:line: message`."""

from __future__ import annotations

import contextlib
import io
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from entanglement.pipeline import Layout, build
from entanglement.progress import Progress, batched
from test_build_errors import make_project

ROOT = Path(__file__).resolve().parents[1]
ENTANGLEMENT = [sys.executable, "-m", "entanglement.cli"]
BUILD_STAGES = ("hash inputs", "load records", "validate", "resolve", "read documents", "documentation", "rows",
                "verify citations", "quotations", "mentions", "evidence", "write rows", "indexes", "full-text", "views",
                "check and save")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BAR_CHARACTERS = "━╸╺"


def on_terminal(args: list[str], cwd: Path, timeout: float = 120) -> tuple[int, str]:
    """Run the command line on a pseudo-terminal (standard output and error both
    the terminal, as in a shell); its exit status and all it wrote."""
    pid, fd = pty.fork()
    if pid == 0:   # the child: becomes the command
        try:
            os.chdir(cwd)
            os.environ["TERM"] = "xterm-256color"
            os.execv(sys.executable, [*ENTANGLEMENT, *args])
        finally:
            os._exit(127)
    chunks, deadline = [], time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"{args} on a terminal did not finish in {timeout} s")
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:   # EIO: the child has closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")


def screen_lines(raw: str) -> list[str]:
    """What stays on the screen: colours removed, and of each line only what was
    written after its last carriage return (what the live display left)."""
    text = ANSI.sub("", raw)
    return [line.rstrip("\r").split("\r")[-1].rstrip() for line in text.split("\n")]


def piped(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*ENTANGLEMENT, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_build_on_a_terminal_shows_every_stage_then_the_summary(tmp_path):
    status, raw = on_terminal(["build", "--root", str(ROOT), "--output", str(tmp_path / "entanglement.db")], tmp_path)
    assert status == 0, raw
    assert "\r" in raw, "no live display was drawn"
    lines = screen_lines(raw)
    done = [line for line in lines if line.startswith("✓ ")]
    assert [next(s for s in BUILD_STAGES if line[2:].startswith(s + " ")) for line in done] == list(BUILD_STAGES), done
    assert re.search(r"^✓ verify citations +[\d,]+ citations +\d+\.\d\ds$", "\n".join(done), re.M), done
    assert re.search(r"^✓ write rows +[\d,]+ rows +\d+\.\d\ds$", "\n".join(done), re.M), done
    # the summary keeps its form, after the stages
    at = lines.index(done[-1])
    assert re.fullmatch(r"  sources +\d+", lines[at + 1]), lines[at:]
    assert any(re.fullmatch(r"  citations +[\d,]+", line) for line in lines[at:])
    assert re.fullmatch(r"wrote .*entanglement\.db in \d+\.\d\ds", [line for line in lines if line][-1])
    assert "Traceback" not in raw


def test_build_through_a_pipe_has_no_progress(tmp_path):
    result = piped(["build", "--root", str(ROOT), "--output", str(tmp_path / "entanglement.db")], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    assert "\r" not in out and "\x1b" not in out and not set(BAR_CHARACTERS + "✓") & set(out)
    *tables, last = out.splitlines()
    assert all(re.fullmatch(r"  \w+ +[\d,]+", line) for line in tables), tables
    assert len(tables) >= 20
    assert re.fullmatch(r"wrote .*entanglement\.db in \d+\.\d\ds", last)


@pytest.mark.parametrize("where", ["pipe", "terminal"])
def test_quiet_build_prints_only_the_final_line(tmp_path, where):
    args = ["build", "--quiet", "--root", str(ROOT), "--output", str(tmp_path / "entanglement.db")]
    if where == "pipe":
        result = piped(args, tmp_path)
        status, out, err = result.returncode, result.stdout, result.stderr
    else:
        status, out = on_terminal(args, tmp_path)
        err = ""
    assert status == 0, out + err
    assert err == ""
    assert "\r" not in out.replace("\r\n", "\n") and "\x1b" not in out
    assert re.fullmatch(r"wrote .*entanglement\.db in \d+\.\d\ds", out.strip()), out


def test_quiet_check_prints_only_the_verdict(tmp_path):
    result = piped(["check", "-q", "--root", str(ROOT)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("check passed: no problems\n", "")


def test_quiet_failing_build_prints_only_the_problems(tmp_path):
    root = make_project(tmp_path, "many_problems")
    result = piped(["build", "--quiet", "--root", str(root)], root)
    assert result.returncode == 1
    assert result.stdout == ""
    *problems, summary = result.stderr.strip().splitlines()
    assert len(problems) == 3 and all(re.fullmatch(r"raw/[^:]+:\d+: .+", p) for p in problems), problems
    assert summary == "3 problem(s); nothing was written."


def test_failing_build_on_a_terminal_still_reports_every_problem_as_one_line(tmp_path):
    root = make_project(tmp_path, "many_problems")
    expected = piped(["build", "--root", str(root)], root).stderr.strip().splitlines()
    status, raw = on_terminal(["build", "--root", str(root)], root)
    assert status == 1
    lines = screen_lines(raw)
    assert [line for line in lines if line and not line.startswith("✓ ")] == expected
    assert lines[lines.index(expected[0]) - 1].startswith("✓ "), "the display must be gone before the problems"
    assert "Traceback" not in raw


def test_ingest_on_a_terminal_shows_its_long_steps(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(ROOT / "raw", root / "raw", ignore=shutil.ignore_patterns("review"))
    shutil.copytree(ROOT / "schema", root / "schema")
    article = ROOT / "tests" / "extraction_articles" / "council-audit.txt"
    status, raw = on_terminal(["ingest", str(article), "--source-id", "council-audit", "--root", str(root)], root)
    assert status == 0, raw
    lines = screen_lines(raw)
    for stage in ("load records", "validate", "read documents", "prepare knowledge", "propose records"):
        assert any(line.startswith(f"✓ {stage} ") for line in lines), (stage, lines)
    assert any(line.startswith("wrote raw/review/council-audit.yml: ") for line in lines), lines


class Recorder(Progress):
    """Every stage: its name, its size, and the steps it advanced by."""

    def __init__(self):
        self.stages: list[list] = []
        self.notes: list[str] = []

    @contextlib.contextmanager
    def stage(self, name, total=None, unit=""):
        entry = [name, total, 0]
        self.stages.append(entry)

        def advance(steps=1):
            entry[2] += steps
        yield advance

    def note(self, line):
        self.notes.append(line)


def test_every_sized_stage_of_the_build_reaches_its_size(tmp_path):
    recorder = Recorder()
    build(Layout(ROOT), tmp_path / "entanglement.db", progress=recorder)
    assert [s[0] for s in recorder.stages] == list(BUILD_STAGES)
    sized = {name: (total, done) for name, total, done in recorder.stages if total is not None}
    assert set(sized) >= {"load records", "validate", "read documents", "verify citations", "quotations", "mentions",
                          "write rows"}
    for name, (total, done) in sized.items():
        assert total > 0 and done == total, (name, total, done)


def test_batched_advances_once_per_batch_and_yields_every_item():
    steps = []
    assert list(batched(range(10), steps.append, 4)) == list(range(10))
    assert steps == [4, 4, 2]


def test_terminal_display_shows_bar_count_elapsed_and_remaining():
    from rich.console import Console

    from entanglement.cli_progress import TerminalProgress
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=80, color_system=None)
    with TerminalProgress(console) as progress:
        with progress.stage("verify citations", 1000, "citations") as advance:
            advance(250)
            time.sleep(0.3)
            advance(250)
            progress._display.refresh()
            shown = screen_lines(screen.getvalue())
            running = [line for line in shown if "verify citations" in line][-1]
            assert "500/1,000 citations" in running and "left" in running and set(BAR_CHARACTERS) & set(running)
            assert len(running) <= 80
            advance(500)
    lines = screen_lines(screen.getvalue())
    assert re.fullmatch(r"✓ verify citations +1,000 citations +\d+\.\d\ds", [line for line in lines if line][-1])
