"""What every `entanglement` command shares: where the project is, how
progress is shown, and how failures reach the user (a message and an exit
status, never a traceback)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from .problems import BuildFailed
from .progress import PLAIN, Quiet
from .publish import PublishError
from .write import WriteError

root_option = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
                           help="Project folder holding raw/ and schema/ (default: found from the current folder).")


quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="Print only problems and the final line (no progress, no summary).")


def on_terminal() -> bool:
    """Progress is drawn only for a person at a terminal: standard error is one
    (and can redraw lines). Pipes, files and CI logs get plain lines."""
    return sys.stderr.isatty() and os.environ.get("TERM", "") != "dumb"


@contextlib.contextmanager
def progress_shown(quiet: bool = False):
    """The Progress a command hands its stages: live stages on a terminal,
    nothing with --quiet, plain notes otherwise. Stopped before the command's
    own output (and before guarded() prints any problem)."""
    if quiet:
        yield Quiet()
    elif on_terminal():
        from .cli_progress import TerminalProgress   # the only place rich is imported
        with TerminalProgress() as progress:
            yield progress
    else:
        yield PLAIN


def watched(action, quiet: bool = False):
    """A function running action(progress) with the progress shown for the
    duration; what guarded() runs, so that the display is gone before any
    problem is printed."""
    def run():
        with progress_shown(quiet) as progress:
            return action(progress)
    return run


def find_root() -> Path:
    """The project folder: $ENTANGLEMENT_ROOT, else the nearest folder upward
    from here that has raw/records/, else the checkout this package lives in."""
    if os.environ.get("ENTANGLEMENT_ROOT"):
        return Path(os.environ["ENTANGLEMENT_ROOT"]).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "raw" / "records").is_dir():
            return folder
    return Path(__file__).resolve().parents[2]


def guarded(action, nothing: str = "nothing was written.", single_problems: tuple = ()):
    """Run action(). Problems in the inputs (BuildFailed, or an exception of
    `single_problems` whose str() is `path:line: message`) are printed one per
    line and end with exit status 1, as do write and publish errors; a bug ends
    with exit status 2 and one line (ENTANGLEMENT_DEBUG=1 re-raises it)."""
    try:
        return action()
    except click.exceptions.Exit:
        raise
    except BuildFailed as failed:
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(failed.problems)} problem(s); {nothing}", err=True)
        sys.exit(1)
    except single_problems as problem:
        click.echo(str(problem), err=True)
        click.echo(nothing, err=True)
        sys.exit(1)
    except (WriteError, PublishError) as exc:
        click.echo(f"error: {exc}; {nothing}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo(f"interrupted; {nothing}", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug, not bad input: still no traceback for the user
        if os.environ.get("ENTANGLEMENT_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc}; {nothing} "
                   "Please report it (ENTANGLEMENT_DEBUG=1 shows the traceback).", err=True)
        sys.exit(2)
