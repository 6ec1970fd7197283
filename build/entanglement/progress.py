"""What long work tells whoever watches it, without knowing who watches.

A stage of the build (or of ingest, evaluate, publish) is handed a `Progress`
and says when each of its steps starts and ends, how big it is when that is
known, and how far it has gone:

    with progress.stage("verify citations", total=len(requests), unit="citations") as advance:
        for request in requests: ...; advance(1)

plus the lines a person should read (`note`). This module holds no terminal
code: `Progress` itself shows no stages and prints notes as plain lines (the
library default, what a pipe or CI log gets), `Quiet` says nothing, and the
command line swaps in the live terminal display of cli_progress.py only when
standard error is a terminal. Stages therefore cost one call per step when
nobody watches; the hot loops advance in batches (`batched`) so that a
terminal display costs nothing measurable either.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

Advance = Callable[[int], None]


def nothing(_steps: int = 1) -> None:
    """An `Advance` that ignores the steps (the default of every stage function)."""


class Progress:
    """Shows no stages; prints notes as plain lines on standard output."""

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None, unit: str = "") -> Iterator[Advance]:
        yield nothing

    def note(self, line: str) -> None:
        print(line)


class Quiet(Progress):
    """--quiet: not even the notes (problems and the final line are the caller's)."""

    def note(self, line: str) -> None:
        pass


PLAIN = Progress()


def batched(items: Iterable, advance: Advance, size: int = 4096) -> Iterator:
    """The items, one by one, advancing by `size` after each batch of that many
    (and by the rest at the end): one call to `advance` per batch, not per item."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield from batch
        advance(len(batch))
