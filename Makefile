# Two commands on a fresh clone: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test check pytest bench lock

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Start the bot: console without Slack variables, HTTP or Socket Mode with them (see README).
run: install
	$(BIN)/python app.py

## Everything CI checks: lint, types, layer rules, migration drift, then the test suite.
test: check pytest

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	tmp=$$(mktemp -d) && DATABASE_URL="sqlite:///$$tmp/check.db" $(BIN)/alembic upgrade head \
		&& DATABASE_URL="sqlite:///$$tmp/check.db" $(BIN)/alembic check; status=$$?; rm -rf "$$tmp"; exit $$status

pytest: install
	$(BIN)/pytest

bench: install
	$(BIN)/python -m bench.ack_latency
	$(BIN)/python -m bench.reminder_fanout
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.chart

## Refresh the pinned versions after changing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude smmbot > constraints.txt
	rm -rf .lock-venv
