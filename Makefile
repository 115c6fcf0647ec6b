# Two commands on a fresh clone: `make run` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp

.PHONY: install run test check pytest bench lock

# `make run` installs what the bot needs and nothing else: a regular (non-editable) install, so
# no dev tools and no setuptools editable-install warning. `python app.py` runs from the project
# root, so it always runs the working tree. Once `make test` has made the editable dev install
# (a superset), `make run` keeps it rather than replacing it.
$(RUN_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	if [ -f $(DEV_STAMP) ]; then $(MAKE) --no-print-directory $(DEV_STAMP); \
	else $(BIN)/python -m pip install --quiet --constraint constraints.txt .; fi
	touch $@

# `make test` adds the dev extra (pytest, ruff, mypy, import-linter) as an editable install.
$(DEV_STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

install: $(RUN_STAMP)

## Start the bot: console without Slack variables, HTTP or Socket Mode with them (see README).
run: $(RUN_STAMP)
	$(BIN)/python app.py

## Everything CI checks: lint, types, layer rules, migration drift, then the test suite.
test: check pytest

check: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	tmp=$$(mktemp -d) && DATABASE_URL="sqlite:///$$tmp/check.db" $(BIN)/alembic upgrade head \
		&& DATABASE_URL="sqlite:///$$tmp/check.db" $(BIN)/alembic check; status=$$?; rm -rf "$$tmp"; exit $$status

# One worker per core (pytest-xdist); tests that kill and restart processes on a timer share a
# worker (`xdist_group`), so they never race each other for the CPU. PYTEST_WORKERS=0 runs serially.
# Bytecode caches are written even where the environment says not to (PYTHONDONTWRITEBYTECODE):
# the suite starts hundreds of Python processes (workers, `python app.py`, engines), and each
# would compile the project again (about 0.5 s of CPU apiece).
PYTEST_WORKERS ?= auto
pytest: $(DEV_STAMP)
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: $(RUN_STAMP)
	$(BIN)/python -m bench.ack_latency
	$(BIN)/python -m bench.reminder_fanout
	$(BIN)/python -m bench.startup
	$(BIN)/python -m bench.chart
	# PostgreSQL benches: only when a database is given (SMMBOT_BENCH_POSTGRES_URL or the tests').
	if [ -n "$${SMMBOT_BENCH_POSTGRES_URL:-$$SMMBOT_TEST_POSTGRES_URL}" ]; then \
		$(BIN)/python -m bench.digest_fanout; fi

## Refresh the pinned versions after changing pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude smmbot > constraints.txt
	rm -rf .lock-venv
