# Deskwise: `make run` starts a working desk, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/deskwise
PYTEST_WORKERS ?= 2

.PHONY: run test lint typecheck pytest pytest-sqlite pytest-postgres bench system-test-deps clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12+ is required (see scripts/find-python)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

run: $(VENV)/.runtime
	$(BIN)/deskwise run

# Debian packages the tests need (chromium for the browser test, dovecot for
# the IMAP tests); installed only when missing.
system-test-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	{ command -v dovecot >/dev/null || test -x /usr/sbin/dovecot; } || missing="$$missing dovecot-imapd"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for the tests:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy deskwise

pytest-sqlite: $(VENV)/.dev system-test-deps
	DATABASE_URL= $(BIN)/pytest -n $(PYTEST_WORKERS)

pytest-postgres: $(VENV)/.dev system-test-deps
	@if $(BIN)/python scripts/pg-available "$(PG_TEST_URL)"; then \
	  DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest -n $(PYTEST_WORKERS); \
	elif [ "$${CI:-}" = "true" ]; then \
	  echo "PostgreSQL at $(PG_TEST_URL) does not answer, and CI requires the PostgreSQL run."; exit 1; \
	else \
	  echo "SKIPPED: PostgreSQL at $(PG_TEST_URL) does not answer; the PostgreSQL test run is skipped (required under CI=true)."; \
	fi

test: lint typecheck pytest-sqlite pytest-postgres

# make bench N=100000 DB=postgres   (DB=sqlite for the embedded database)
# It uses a database of its own, never the desk's: deskwise_bench on the
# PostgreSQL server, or var/bench/ for SQLite.
N ?= 100000
DB ?= postgres
BENCH_SECONDS ?= 10
BENCH_URL_postgres = postgres://postgres@127.0.0.1:5432/deskwise_bench
BENCH_URL_sqlite = sqlite:///$(CURDIR)/var/bench/deskwise-bench.sqlite3
bench: $(VENV)/.runtime
	@command -v wrk >/dev/null || { echo "Installing wrk..."; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@mkdir -p var/bench
	DATABASE_URL=$(BENCH_URL_$(DB)) $(BIN)/deskwise bench --tickets $(N) --seconds $(BENCH_SECONDS) --output var/bench/result-$(DB)-$(N).json

clean:
	rm -rf $(VENV) var/test* .mypy_cache .ruff_cache
