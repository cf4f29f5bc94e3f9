# ECM Provider Onboarding Portal: `make run` for the demo, `make test` for every check CI runs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# The SQLite suite in parallel, one process per core (each has its own in-memory database).
PYTEST_WORKERS ?= auto
# The embedded default (SQLite in var/, local documents, console email, eager Celery) in debug mode.
DEV_ENV := DEBUG=true DEMO_TOTP_BYPASS_CODE=123456

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.PHONY: help venv run test lock clean

help:
	@echo "make run    migrate, create the demo accounts and serve on http://127.0.0.1:8000/"
	@echo "make test   ruff, ruff format --check, mypy and pytest (PYTEST_ARGS='-k ...' passes through;"
	@echo "            the tests run in one process per core, PYTEST_WORKERS=0 runs them in one)"
	@echo "make lock   re-pin requirements/base.txt and requirements/dev.txt from pyproject.toml"
	@echo "make venv   create $(VENV) and install requirements/dev.txt (only when it changed)"
	@echo "make clean  remove $(VENV) and caches (keeps the demo data in var/)"

venv: $(STAMP)

# Reinstall only when the lock file is newer than the last install.
$(STAMP): requirements/dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

run: venv
	mkdir -p var
	$(DEV_ENV) $(BIN)/python manage.py migrate --no-input
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

# The checks run with DEBUG off, as production does, so they need a secret key and a field
# encryption key of their own (the portal refuses its public development keys unless DEBUG is
# on): random ones, unless they are set.
test: export SECRET_KEY ?= $(shell $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')
test: export FIELD_ENCRYPTION_KEY ?= $(shell $(PYTHON) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())')
test: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# pip-compile writes this machine's package sources into the files; they are not part of the lock.
lock: venv
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		-o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra dev \
		-o requirements/dev.txt pyproject.toml
	sed -i.bak -E '/^--(extra-index-url|find-links)/d' requirements/base.txt requirements/dev.txt
	rm -f requirements/base.txt.bak requirements/dev.txt.bak

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache staticfiles test-output .coverage
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
