# HypeHere developer commands. `make run` and `make test` work on a bare machine with Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint fmt migrate worker bench venv typecheck layers pytest i18n openapi clean seed-demo

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/hypehere migrate
	$(BIN)/hypehere serve

migrate: $(STAMP)
	$(BIN)/hypehere migrate

worker: $(STAMP)
	$(BIN)/hypehere worker

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

layers: $(STAMP)
	$(BIN)/lint-imports

# Two pytest-xdist workers (each with its own PostgreSQL and Redis database, tests/conftest.py);
# PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2

pytest: $(STAMP)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test: lint typecheck layers pytest

i18n: $(STAMP)
	$(BIN)/python tools/i18n_catalog.py

openapi: $(STAMP)
	$(BIN)/python tools/export_openapi.py

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH)

seed-demo: $(STAMP)
	$(BIN)/hypehere migrate
	$(BIN)/hypehere seed-demo

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
