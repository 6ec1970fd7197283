# Entanglement: one command to build and serve, one to test.
#   make serve   set up .venv, build entanglement.db if its inputs changed, serve it on http://127.0.0.1:8001
#   make test    set up .venv, Chromium and axe-core (npm), build, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     := entanglement.db
PORT   ?= 8001
STAMP  := $(VENV)/.installed-stamp

# Limits that fit a public instance (see docs/publishing-and-serving.md, "Serving a public
# instance"); the same for make serve, make load and the deploy folder of make publish.
DATASETTE_SETTINGS := --setting sql_time_limit_ms 1000 --setting max_returned_rows 1000 \
                      --setting facet_time_limit_ms 500 --setting allow_download on \
                      --setting default_cache_ttl 300
SERVE_OPTIONS := --metadata metadata.yml --plugins-dir plugins --template-dir templates $(DATASETTE_SETTINGS)

.PHONY: venv build check public publish serve load test browser sqlite-shell clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

build: venv
	$(BIN)/entanglement build --if-changed

check: venv
	$(BIN)/entanglement check

public: venv
	$(BIN)/entanglement build --profile public --if-changed

serve: build
	$(BIN)/datasette serve -i $(DB) -h 127.0.0.1 -p $(PORT) $(SERVE_OPTIONS)

# The public profile in a ready deploy folder: dist/deploy (then: cd dist/deploy && flyctl deploy).
publish: venv
	$(BIN)/entanglement publish --generate-dir dist/deploy $(DATASETTE_SETTINGS)

# 32 clients for 60 s on loopback, hostile SQL included; figures in bench/results/load.json.
load: build
	$(BIN)/python -m bench load --db $(DB) -- $(SERVE_OPTIONS)

# Debian's Chromium for the browser tests (root installs it; otherwise sudo).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# Debian's sqlite3 shell, for the test that runs each canned query file (schema/queries/) alone.
sqlite-shell:
	@command -v sqlite3 >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3; }

# axe-core (the accessibility engine tests/test_pages.py injects into pages), pinned in package-lock.json.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

test: venv browser sqlite-shell $(AXE)
	$(BIN)/python -m pytest -q

clean:
	rm -f $(DB) .$(DB).tmp-* .$(DB).lock entanglement-public.db .entanglement-public.db.*
	rm -rf dist

# Benchmark (issue 6): build and serve synthetic corpora of each size; see bench/README.md.
#   make bench                 100, 1,000 and 10,000 documents (about 12 minutes here, most of it the last)
#   make bench SCALES=1000     one size
#   make bench SCALES=100 BENCH_OPTIONS="--repeat 1 --requests 10"   a quick check that it runs end to end
# (python -m bench --help: every command of the benchmark package.)
SCALES        ?= 100 1000 10000
BENCH_SEED    ?= 1
BENCH_OPTIONS ?=
.PHONY: bench
bench: venv
	$(BIN)/python -m bench run --scales "$(SCALES)" --seed $(BENCH_SEED) $(BENCH_OPTIONS)
