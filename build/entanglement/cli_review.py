"""The `ingest` and `evaluate` commands (registered on the `cli` group at the
end of cli.py): they parse options and call ingest.py and evaluate.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_common import find_root, guarded, root_option, watched
from .evaluate import (article_batches, bars_text, evaluate_articles, evaluate_corpus, format_calibration,
                       format_table, total, unmet_bars)
from .ingest import IngestError, run_ingest
from .pipeline import Layout
from .validate import SPECS

SOURCE_KINDS = SPECS["sources"]["kind"].choices


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--source-id", required=True, help="Id of the new source (a lowercase slug); the document becomes raw/documents/<id>.txt.")
@click.option("--title", default=None, help="Title (default: a web page's or PDF's metadata, else the document's first "
                                            "line, marked as machine-proposed).")
@click.option("--publisher", default=None)
@click.option("--author", default=None)
@click.option("--date", "date_", default=None, help='Date as "YYYY", "YYYY-MM" or "YYYY-MM-DD".')
@click.option("--url", default=None)
@click.option("--kind", type=click.Choice(SOURCE_KINDS), default=None,
              help="Kind of source (default: original_report, or repost/summary when it copies a known source).")
@click.option("--language", default="en", show_default=True)
@click.option("--force", is_flag=True, help="Replace an existing review file for this source (edits in it are lost).")
@root_option
def ingest(path, source_id, title, publisher, author, date_, url, kind, language, force, root):
    """Copy a new article verbatim into raw/documents/ and write
    raw/review/<source-id>.yml: proposed records (the source, its quotations
    with speakers, non-quotations, new people and organizations, copies of
    known quotations), each `review: unreviewed`, citations filled in.

    A saved web page (.html) or a PDF is kept verbatim in raw/originals/ and
    its article text, extracted without page chrome, running headers or page
    numbers, becomes the document; title, publisher, author and date come
    from its metadata unless given.

    Bad input (a missing, empty, non-UTF-8 or oversized file, a bad id or date,
    an id already used by a different document; a page with no article text;
    a scanned, encrypted or damaged PDF) is reported as `path:line: message`
    with exit status 1, and nothing is written.

    On a terminal, its long steps (loading what the records know, comparing
    the article with every held text) show as stages with elapsed time."""
    layout = Layout((root or find_root()).resolve())
    summary = guarded(watched(lambda progress: run_ingest(
                          layout, path, source_id, title=title, publisher=publisher, author=author, date=date_,
                          url=url, kind=kind, language=language, force=force, progress=progress)),
                      nothing="nothing was ingested.", single_problems=(IngestError,))
    for line in summary:
        click.echo(line)


@click.command()
@root_option
@click.option("--articles", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of held-out test articles (default: tests/extraction_articles in the project).")
@click.option("--source", "sources", multiple=True, help="Only these curated sources (repeatable).")
@click.option("--details", is_flag=True, help="List every miss: quotations not found, wrong speakers, extra names.")
@click.option("--bars", is_flag=True, help=f"Exit 1 unless the curated documents meet the bars ({bars_text()}).")
def evaluate(root, articles, sources, details, bars):
    """Compare the extractor's proposals with the curated records of each held
    document (leave-one-out: the document's own records are hidden from the
    extractor) and with the expected results of the held-out test articles;
    print precision and recall for quotation spans (exact and overlap),
    speaker accuracy on the quotations found, non-quotations, names, and
    derived_from. On a terminal, shows which documents and articles it is at."""
    layout = Layout((root or find_root()).resolve())
    folder = articles or layout.root / "tests" / "extraction_articles"
    batches = article_batches(folder) if not sources else []

    def measure(progress):
        return (*evaluate_corpus(layout.root, list(sources) or None, progress),
                [(batch, *evaluate_articles(batch, progress)) for batch in batches])

    scores, problems, batch_scores = watched(measure)()
    if problems:
        click.echo(f"warning: the records have {len(problems)} problem(s) (run `entanglement check`); "
                   "figures may be off", err=True)
    _echo_table("Curated documents (leave-one-out: each read with its own records hidden)", scores, details)
    all_articles = []
    for batch, art_scores, art_problems in batch_scores:
        if not art_scores:
            continue
        all_articles += art_scores
        for p in art_problems:
            click.echo(f"warning: {p}", err=True)
        click.echo("")
        _echo_table(f"Held-out test articles ({os.path.relpath(batch, layout.root)})", art_scores, details)
    if all_articles:
        click.echo("")
        click.echo("\n".join(format_calibration("Confidence calibration on the held-out test articles (right / proposed "
                                                "per confidence band)", all_articles)))
    click.echo("")
    click.echo("pieces: quotation pieces curated; exact/over: span precision and recall, exact offsets or overlap; "
               "speak: speaker accuracy on quotations found; nonq: non-quotations (nqKind: kind right); name/new: people and "
               "organizations named (new: unknown to the records beforehand); deriv: derived_from right; calibration: a quotation "
               "is right when it is one and its speaker is right, a name when the text names that person or organization, a "
               "non-quotation when its span and kind are the curated ones")
    if bars:
        failed = unmet_bars(total(scores))
        if failed:
            click.echo("below the bars: " + ", ".join(failed), err=True)
            sys.exit(1)
        click.echo(f"bars met: {bars_text()}")


def _echo_table(title: str, scores, details: bool) -> None:
    click.echo("\n".join(format_table(title, scores)))
    if details:
        for s in scores:
            for e in s.errors:
                click.echo(f"    {e}")
