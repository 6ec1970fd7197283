"""`python -m bench <command>`: the options of each command, parsed here and passed to bench's modules.

    python -m bench run --scales "100 1000 10000" [--seed 1] [--repeat 3] [--requests 50] [--no-serve]   (make bench)
    python -m bench profile DOCS [--seed 1]          one build under cProfile -> bench/results/profile-DOCS.txt
    python -m bench load [--db entanglement.db] [--clients 32] [--seconds 60] -- <datasette serve options>   (make load)
    python -m bench experiments NAME [DOCS] [BEFORE] the experiments behind the fixes (bench/experiments.py)
    python -m bench corpus --docs N --seed S --out DIR   write one synthetic corpus
    python -m bench child build|profile|floors|extract|build-variant …   what the commands above run in a child process
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.paths import REPO


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m bench", description="The benchmark of the build and the served "
                                 "database (bench/README.md).")
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("run", help="measure the build and the served database at each size (make bench)",
                       description="Measure the build and the served database at each corpus size; write "
                       "bench/results/scale-<docs>.json and bench/RESULTS.md.")
    p.add_argument("--scales", default="100 1000 10000", help="documents per corpus, space- or comma-separated")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="builds per scale (times are medians; default 3)")
    p.add_argument("--requests", type=int, default=50, help="timed requests per endpoint")
    p.add_argument("--no-serve", action="store_true", help="skip the Datasette measurements")

    p = sub.add_parser("profile", help="one build under cProfile -> bench/results/profile-DOCS.txt")
    p.add_argument("docs", type=int, metavar="DOCS")
    p.add_argument("--seed", type=int, default=1)

    p = sub.add_parser("load", help="32 clients and hostile SQL against the served database (make load)",
                       description="Datasette on loopback, driven by concurrent clients with hostile SQL mixed in; "
                       "exits 1 if a bar is missed. Options after -- go to `datasette serve`.",
                       usage="python -m bench load [options] -- <datasette serve options>")
    p.add_argument("--db", default="entanglement.db")
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--hostile-every", type=int, default=20, help="every Nth request of a client is hostile")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--warm-up", type=float, default=10.0,
                   help="seconds at the start not counted in the steady-state figures (all are reported too)")
    p.add_argument("--show-slowest", type=int, default=0, help="print the N slowest ordinary requests")
    p.add_argument("--ramp-up", type=float, default=2.0, help="seconds over which the clients join")
    p.add_argument("--out", default="bench/results/load.json")

    from bench.experiments import EXPERIMENTS, __doc__ as experiments_doc
    p = sub.add_parser("experiments", help="the experiments behind the fixes proposed from the benchmark",
                       description=experiments_doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", choices=sorted(EXPERIMENTS))
    p.add_argument("docs", type=int, nargs="?", default=10000, metavar="DOCS")
    p.add_argument("before", nargs="?", metavar="BEFORE", help="progress only: an older checkout to compare with")

    p = sub.add_parser("corpus", help="write one synthetic corpus (bench/corpus.py)")
    p.add_argument("--docs", type=int, required=True, help="number of documents")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", type=Path, required=True, help="folder to write (its raw/ is replaced)")
    p.add_argument("--schema", type=Path, default=REPO / "schema", help="schema folder to link (default: the project's)")

    from bench.children import __doc__ as children_doc
    p = sub.add_parser("child", help="what the commands above run in a child process (prints JSON)",
                       description=children_doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = p.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, args in (("build", ("ROOT", "DB")), ("profile", ("ROOT", "DB", "OUT")), ("floors", ("ROOT", "DB")),
                       ("extract", ("ROOT",)), ("build-variant", ("ROOT", "DB", "MODE"))):
        k = kinds.add_parser(kind)
        for name in args:
            k.add_argument(name.lower(), type=str if name == "MODE" else Path, metavar=name)
    return ap


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # `load` passes everything after `--` to `datasette serve` as it is (options included).
    serve_options: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, serve_options = argv[:i], argv[i + 1:]
    ap = _parser()
    args = ap.parse_args(argv)
    if serve_options and args.command != "load":
        ap.error("only `load` takes options after --")

    if args.command == "run":
        from bench.run import run_scales
        run_scales([int(s) for s in args.scales.replace(",", " ").split()], args.seed, args.repeat, args.requests,
                   not args.no_serve)
    elif args.command == "profile":
        from bench.run import profile
        profile(args.docs, args.seed)
    elif args.command == "load":
        from bench.load import LoadOptions, load_run
        options = LoadOptions(db=args.db, clients=args.clients, seconds=args.seconds, hostile_every=args.hostile_every,
                              seed=args.seed, warm_up=args.warm_up, show_slowest=args.show_slowest,
                              ramp_up=args.ramp_up, out=args.out)
        return load_run(options, serve_options)
    elif args.command == "experiments":
        from bench.experiments import run_experiment
        run_experiment(args.name, args.docs, args.before)
    elif args.command == "corpus":
        from bench.corpus import make_corpus
        print(make_corpus(args.docs, args.seed, args.out, args.schema))
    elif args.command == "child":
        from bench import children
        if args.kind == "build":
            children.child_build(args.root, args.db)
        elif args.kind == "profile":
            children.child_build(args.root, args.db, profile_to=args.out)
        elif args.kind == "floors":
            children.child_floors(args.root, args.db)
        elif args.kind == "extract":
            children.child_extract(args.root)
        else:
            from bench.experiments import build_variant
            build_variant(args.root, args.db, args.mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
