# Two commands for a newcomer: `make run` (the product with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_ENV := SECRET_KEY=test-only-not-a-secret

.PHONY: run test fuzz lint format migrations-check openapi messages bench clean install install-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the declared or locked dependencies change.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	mkdir -p var
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py seed_demo
	DEBUG=1 bin/run-all

# Two processes (pytest-xdist); the API fuzzing makes a few requests per operation and role here,
# many in `make fuzz`.
test: install-dev
	$(TEST_ENV) $(BIN)/pytest -n auto

fuzz: install-dev
	$(TEST_ENV) FUZZ_EXAMPLES=40 $(BIN)/pytest -n auto -m fuzz

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/mypy .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install-dev
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

openapi: install-dev
	$(TEST_ENV) $(BIN)/python manage.py spectacular --lang da --fail-on-warn --validate --file openapi.yaml

# After changing user-facing text: update the English catalogue, translate, compile.
messages: install-dev
	$(TEST_ENV) $(BIN)/python manage.py makemessages -l en -e html,txt,py --no-location --ignore=.venv --ignore=tests --ignore=bench
	$(TEST_ENV) $(BIN)/python manage.py compilemessages -l en --ignore=.venv

# The benchmark at regional scale (PostgreSQL on loopback; installs Debian's wrk if missing).
bench: install-dev
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var staticfiles
