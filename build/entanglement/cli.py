"""The `entanglement` command line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .cli_common import find_root, guarded, quiet_option, root_option, watched
from .pipeline import Layout, Result, build as run_build, check as run_check
from .profiles import PROFILES
from .publish import generate

TABLE_ORDER = ("sources", "segments", "people", "organizations", "aliases", "affiliations", "memberships",
               "policies", "policy_provisions", "demands", "demand_parties", "cases", "case_events", "quotes",
               "quote_appearances", "non_quotations", "quotation_spans", "data_flows", "data_flow_intermediaries",
               "data_flow_claims", "discrepancies", "citations", "mentions")


profile_option = click.option("--profile", type=click.Choice(PROFILES), default="full", show_default=True,
                              help="full: the research build; public: the build for the open web.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="entanglement")
def cli():
    """Build Entanglement, a source-cited SQLite database of how LAPD data
    reaches federal immigration enforcement, from raw/documents/ (verbatim
    texts), raw/records/ (curated YAML) and the accepted proposals in
    raw/review/ (see `ingest`).

    Problems in the inputs are reported together as `path:line: message`, with
    exit status 1; the database is then left untouched.

    On a terminal, long work shows each stage as it runs (a bar where its size
    is known, time elapsed and an estimate of what remains) on standard error;
    piped or redirected output gets no progress, and --quiet prints only
    problems and the final line.
    """


@cli.command()
@root_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Database file to write (default: entanglement.db in the project folder).")
@click.option("--if-changed", is_flag=True,
              help="Do nothing if the database was built from exactly these inputs (records, documents, schema, metadata.yml, code).")
@click.option("--no-wait", is_flag=True, help="Fail instead of waiting when another build holds the lock.")
@profile_option
@quiet_option
def build(root, output, if_changed, no_wait, profile, quiet):
    """Validate the records, verify every citation, compute offsets and
    mentions, and write the database atomically (build in a temporary file,
    then rename), printing rows per table and the time taken (with --quiet,
    only the time taken).

    --profile public writes the database for the open web (default file
    entanglement-public.db): redacted people's names replaced by pseudonyms
    everywhere, and no full text of sources whose rights are reserved (their
    excerpts cut to 50 words)."""
    layout = Layout((root or find_root()).resolve())
    default = "entanglement.db" if profile == "full" else "entanglement-public.db"
    output = (output or layout.root / default).resolve()
    result = _run(lambda progress: run_build(layout, output, if_changed=if_changed, wait=not no_wait, profile=profile,
                                             progress=progress), quiet)
    if result.up_to_date:
        click.echo(f"{_rel(output)} is up to date (inputs {result.inputs_sha256[:12]}); nothing to do.")
        return
    if not quiet:
        _summary(result)
    click.echo(f"wrote {_rel(output)} in {result.timings['total']:.2f}s")


@cli.command()
@root_option
@profile_option
@click.option("--strict", is_flag=True, help="Also fail while any proposal in raw/review/ is unreviewed.")
@quiet_option
def check(root, profile, strict, quiet):
    """Run every check that `build` runs, without writing anything."""
    layout = Layout((root or find_root()).resolve())
    result = _run(lambda progress: run_check(layout, profile, progress), quiet)
    if not quiet:
        _summary(result)
    if strict:
        from .review import strict_problems
        unreviewed = strict_problems(result.tables.get("review_coverage", []))
        for problem in unreviewed:
            click.echo(str(problem), err=True)
        if unreviewed:
            click.echo(f"{len(unreviewed)} problem(s): proposals still unreviewed (--strict)", err=True)
            sys.exit(1)
    click.echo("check passed: no problems")


@cli.command(context_settings={"ignore_unknown_options": True})
@root_option
@click.option("--generate-dir", "deploy_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist/deploy"),
              show_default=True, help="Folder to write the deploy files into (replaced if it exists).")
@click.option("--app", default="entanglement", show_default=True, help="Fly app name written into fly.toml.")
@quiet_option
@click.argument("settings", nargs=-1, type=click.UNPROCESSED)
def publish(root, deploy_dir, app, quiet, settings):
    """Build the public profile and generate a ready deploy folder for it
    (Datasette's own publishing machinery, datasette-publish-fly's
    --generate-dir): the database immutable, redacted metadata, plugins,
    templates and Datasette's inspect file. SETTINGS are passed on to Datasette,
    e.g. `--setting sql_time_limit_ms 1000`. Then `cd DIR && flyctl deploy`."""
    layout = Layout((root or find_root()).resolve())
    out = _run(lambda progress: generate(layout, deploy_dir.resolve(), app, list(settings), progress), quiet)
    click.echo(f"deploy folder ready: {_rel(out)} (cd there and run: flyctl deploy)")


def _run(action, quiet: bool):
    """action(progress), with progress shown (cli_common.progress_shown) and failures reported."""
    return guarded(watched(action, quiet))


def _summary(result: Result) -> None:
    for table in TABLE_ORDER:
        if table in result.tables:
            click.echo(f"  {table:26} {len(result.tables[table]):7,d}")


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


from .cli_review import evaluate as _evaluate, ingest as _ingest  # noqa: E402  (commands of cli_review.py)

cli.add_command(_ingest)
cli.add_command(_evaluate)


if __name__ == "__main__":  # pragma: no cover
    cli()
