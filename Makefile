# hack365 — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "hack365 needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/hack365 compile_translations

demo: install
	$(BIN)/hack365 migrate --noinput
	$(BIN)/hack365 createcachetable
	$(BIN)/hack365 demo
	DEBUG=true $(BIN)/hack365 runserver 127.0.0.1:8000

test: install
	DJANGO_SETTINGS_MODULE=hack365.settings.test $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) staticfiles hack365.sqlite3*
