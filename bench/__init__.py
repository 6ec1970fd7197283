"""The benchmark of the build and the served database (issues 6 and 12), run as `python -m bench <command>`.

    corpus.py       the synthetic corpus, deterministic from a seed
    corpora.py      the corpora cached under bench/corpus/, keyed by size, seed and the generator's hash
    children.py     what runs in a child process: a build, the floors, the extraction (`python -m bench child …`)
    serving.py      Datasette started as `make serve` starts it, and every endpoint timed
    scale.py        everything measured at one corpus size
    report.py       the bars, and bench/RESULTS.md written from every size measured so far
    run.py          `make bench`: each size measured in turn, then the report
    load.py         `make load`: 32 clients and hostile SQL against one served database
    experiments.py  the experiments behind the fixes proposed from the benchmark
    stats.py        the one percentile (nearest rank) and median every figure uses
    paths.py        where the benchmark keeps its corpora and results

`python -m bench --help` lists the commands (bench/__main__.py parses the options and calls these).
"""
