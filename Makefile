PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint setup system-packages bench bench-10m clean

## run: set everything up and start the server on SQLite with the demo app
run: setup
	$(BIN)/postback serve --config postback.example.toml --show-credentials

## test: set everything up, check style and types, run the whole suite (SQLite and PostgreSQL)
test: setup system-packages lint
	$(BIN)/pytest -q -p no:cacheprovider

## bench: postback and a bare ASGI app under the same mixed load (installs wrk if missing)
bench: setup
	$(BIN)/python -m bench.run

BENCH_10M := data/bench-10m

## bench-10m: the same load on 10 million stored events, then the dashboard's queries on them
bench-10m: setup
	rm -rf $(BENCH_10M)
	$(BIN)/python -m bench.run --preload 10000000 --work-dir $(BENCH_10M)
	$(BIN)/python -m bench.reports --database-url sqlite:///$(BENCH_10M)/bench.db

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { scripts/install-system-packages.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

system-packages:
	scripts/install-system-packages.sh postgresql

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
