# hospital-kg: two commands for a fresh machine (only Python 3.11+ needed).
#   make demo   set up .venv, build, validate, export, print a sample query,
#               write the network explorer page
#   make test   set up .venv, lint (ruff, mypy), run the tests
#   make bench  national-scale query benchmark, Oxigraph vs rdflib memory (BENCH_ARGS="--hospitals 300")
#   make bench-load  the endpoint under load: cheap clients, heavy beside cheap
#   make bench-virtuoso  hospital-kg serve vs Virtuoso vs oxigraph serve-read-only (needs
#               Debian's virtuoso-opensource-7-bin: bash .ci/system-deps as root)
#   make bench-columnar  Oxigraph vs maplib, a columnar engine: speed and same answers
#               (maplib goes into its own venv, build/maplib-venv)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint clean bench bench-load bench-virtuoso bench-columnar system-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "hospital-kg needs Python 3.11 or newer (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/hospital-kg build
	$(BIN)/hospital-kg validate
	$(BIN)/hospital-kg export --format turtle --with-ontology --output build/hospital-kg-with-ontology.ttl
	@echo
	@echo "Sample query: national-level designations (hospital-kg query national-designations)"
	$(BIN)/hospital-kg query national-designations
	@echo
	$(BIN)/hospital-kg viz --output build/explorer.html
	@echo "Open the network explorer in a browser: file://$(CURDIR)/build/explorer.html"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Chromium and a CJK font for the browser tests (installed when root with apt-get).
system-deps:
	@bash .ci/system-deps

test: system-deps lint
	$(BIN)/pytest

BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_queries.py $(BENCH_ARGS)

# The endpoint under load: 200 cheap clients; 20 heavy beside 5 cheap (national graph).
bench-load: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py $(BENCH_ARGS)

# Every library query on hospital-kg serve, Virtuoso and oxigraph serve-read-only: JSON and
# TSV, cold and warm, evaluation alone. Installs nothing: without Virtuoso it says how, exit 2.
bench-virtuoso: $(STAMP)
	$(BIN)/python benchmarks/bench_virtuoso.py $(BENCH_ARGS)

# Would a columnar engine close the gap? maplib's evaluation and answers beside Oxigraph's.
bench-columnar: $(STAMP)
	$(BIN)/python benchmarks/columnar_probe.py $(BENCH_ARGS)

clean:
	rm -rf build .pytest_cache .ruff_cache
