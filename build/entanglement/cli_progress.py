"""The live terminal display of progress.py's stages, for commands run on a
terminal: one line per running stage (a bar where its size is known, the count
done, the time elapsed and an estimate of what remains), replaced by a line
with its count and time when it ends.

It is made with rich's progress display (the one pip shows): rich redraws it
from a thread of its own a few times a second, so the clock keeps moving
during steps that cannot report (SQLite building an index), and it writes the
lines that other code prints above the display instead of through it.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator

from rich.console import Console
from rich.progress import BarColumn, Progress as Display, ProgressColumn, SpinnerColumn, Task, TextColumn
from rich.table import Column
from rich.text import Text

from .progress import Advance, Progress

# A few redraws a second: enough for a clock, too few to cost anything measurable.
REDRAWS_PER_SECOND = 4


class _Count(ProgressColumn):
    def render(self, task: Task) -> Text:
        unit = task.fields.get("unit", "")
        if task.total is None:
            return Text(f"{int(task.completed):,} {unit}" if task.completed else "")
        return Text(f"{int(task.completed):,}/{int(task.total):,} {unit}")


class _Times(ProgressColumn):
    def render(self, task: Task) -> Text:
        text = f"{task.elapsed or 0:.1f}s"
        left = task.time_remaining
        if task.total and left is not None and not task.finished:
            text += f", ~{left:.0f}s left"
        return Text(text, style="progress.elapsed")


class TerminalProgress(Progress):
    def __init__(self, console: Console | None = None):
        # soft_wrap: lines printed above the display are left for the terminal to wrap, not broken
        self.console = console or Console(stderr=True, soft_wrap=True)
        # one line of at most 80 columns per running stage
        self._display = Display(SpinnerColumn(), TextColumn("{task.description:<17}"), BarColumn(bar_width=16),
                                _Count(table_column=Column(no_wrap=True)), _Times(table_column=Column(no_wrap=True)),
                                console=self.console, refresh_per_second=REDRAWS_PER_SECOND,
                                # notes and summaries printed meanwhile go above the display (stdout only
                                # when it is this terminal too: a redirected stdout stays plain)
                                redirect_stdout=sys.stdout.isatty(), redirect_stderr=True)

    def __enter__(self) -> "TerminalProgress":
        self._display.start()
        return self

    def __exit__(self, *exc) -> None:
        self._display.stop()

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Advance]:
        task = self._display.add_task(name, total=total, unit=unit)
        t0 = time.perf_counter()

        def advance(steps: int = 1) -> None:
            self._display.advance(task, steps)

        try:
            yield advance
        except BaseException:
            self._display.remove_task(task)
            raise
        done = next(t.completed for t in self._display.tasks if t.id == task)
        self._display.remove_task(task)
        self._display.refresh()   # the finished stage's line is replaced now, not at the next redraw
        count = f"{int(total if total is not None else done):,} {unit}" if (total is not None or done) else ""
        self.console.print(Text.assemble(("✓", "green"), f" {name:<17} {count:<28} {time.perf_counter() - t0:6.2f}s"))

    def note(self, line: str) -> None:
        print(line)   # rich puts it above the display (or straight to stdout when that is not this terminal)
