# The only way in: make run, make test, make lint, make ci. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: install install-dev run worker test lint format ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Development server on SQLite with the whole country's units and the demo data.
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_units
	DEBUG=1 $(BIN)/python manage.py load_units --legacy
	DEBUG=1 $(BIN)/python manage.py seed_demo
	# No worker beside the development server: background tasks run inside the request.
	DEBUG=1 TASKS_BACKEND=immediate $(BIN)/python manage.py runserver $(HOST)

# A background-task worker (README "Background tasks"), beside `make run` or on any machine that
# shares the database; the database must be migrated (`make run` or the deploy does it).
worker: install
	$(BIN)/python manage.py db_worker --no-reload

test: install-dev
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

ci: lint test

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache
