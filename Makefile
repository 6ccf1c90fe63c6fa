# The two commands: `make run` and `make test`. See README.md.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= academy.settings.dev

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --- Installation ---------------------------------------------------------------------------
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/base.lock
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	@touch $@ $(VENV)/.installed-base

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/.built: node_modules/.installed scripts/build-assets.mjs $(shell find assets -type f)
	npm run --silent build
	@touch $@

install: $(VENV)/.installed-base build/.built ## Install locked dependencies and build the front end

# --- Run ------------------------------------------------------------------------------------
run: install ## Set everything up and serve the demo academy on http://127.0.0.1:8000
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	$(BIN)/python manage.py load_demo
	@echo "Serving the academy on http://127.0.0.1:$(PORT)/ (web, Celery worker and beat); Ctrl+C stops all three."
	PORT=$(PORT) $(BIN)/honcho --procfile Procfile start

# --- Quality --------------------------------------------------------------------------------
lint: $(VENV)/.installed-dev ## ruff lint and format check, import layers, migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=academy.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev ## Format and fix what ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# pytest-xdist workers for `make test` (CI has two cores), each handed whole modules in the order
# tests/conftest.py sorts them; PYTEST_WORKERS=0 runs the suite in one process.
PYTEST_WORKERS ?= 2
test: $(VENV)/.installed-dev build/.built lint ## The whole suite: unit, integration (PostgreSQL, Redis, a Celery worker) and browser tests
	DJANGO_SETTINGS_MODULE=academy.settings.test DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest --verbose -n $(PYTEST_WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev ## Peer-group composer; 10,000 emails through the outbox; 1,000 certificates; cached public pages against raw WSGI; signed-in pages on PostgreSQL, 1,000 learners and national scale
	$(BIN)/python bench/composer.py
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/certificates.py
	$(BIN)/python bench/public_pages.py && $(BIN)/python bench/signed_in_pages.py $(BENCH_ARGS)

# --- Dependencies ---------------------------------------------------------------------------
lock: $(VENV)/.installed-dev ## Re-resolve requirements/*.lock from pyproject.toml
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --quiet -o requirements/dev.lock

clean: ## Remove the virtualenv, node_modules, built assets and local data
	rm -rf $(VENV) node_modules build var db.sqlite3

.PHONY: help install run lint format test bench lock clean
