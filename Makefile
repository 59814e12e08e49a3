# newsledger — `make run` and `make test` set up .venv from the pinned lock file first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup run test test-fast lint bench eval lock lock-upgrade clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

run: setup
	$(BIN)/newsledger run --raw raw --output output

test: setup
	$(BIN)/ruff check flows tests benchmarks
	$(BIN)/ruff format --check flows tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# everything but the tests marked slow (servers, clusters, subprocesses, releases): under a minute
test-fast: setup
	$(BIN)/ruff check flows tests benchmarks
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check flows tests benchmarks
	$(BIN)/ruff format --check flows tests benchmarks

bench: setup
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.archive $(ARCHIVE_ARGS)

# Real annotated corpora (../shared/corpora) → output/eval/scorecard.json; EVAL_ARGS="--limit 20" for a quick loop
eval: setup
	$(BIN)/python -m benchmarks.evaluate $(EVAL_ARGS)

# requirements.lock is generated from pyproject.toml by pip-compile (pip-tools, in a throw-away venv):
# `make lock` keeps every version the lock has (after a new dependency), `make lock-upgrade` resolves afresh.
PIP_TOOLS := /tmp/newsledger-pip-tools
COMPILE = test -x $(PIP_TOOLS)/bin/pip-compile || ($(PYTHON) -m venv $(PIP_TOOLS) && $(PIP_TOOLS)/bin/pip install --quiet pip-tools==7.5.2); \
	$(PIP_TOOLS)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links --no-header --annotation-style line
# (the dev extra names newsledger itself: pip-compile writes it as a file:// line of this checkout, which is dropped)
lock:
	$(COMPILE) --constraint requirements.lock --output-file requirements.lock.new pyproject.toml
	sed -e '/^newsledger @ /d' -e 's/ -c requirements.lock,//' requirements.lock.new > requirements.lock && rm requirements.lock.new
lock-upgrade:
	$(COMPILE) --output-file requirements.lock.new pyproject.toml
	sed -e '/^newsledger @ /d' requirements.lock.new > requirements.lock && rm requirements.lock.new

clean:
	rm -rf output/parquet output/csv output/reports output/.staging-*
