# Set-up and everyday commands. `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The newest Python 3.11+ found (3.12 first: some packages need it), through pyenv if present.
PYTHON ?= $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 python3.11 $$HOME/.pyenv/versions/3.11*/bin/python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
WORKSPACE ?= workspace

.PHONY: demo test lint format bench serve install clean

$(BIN)/publicsafety: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer was not found. Install it, or run: make PYTHON=/path/to/python3.12"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/publicsafety

demo: install
	$(BIN)/publicsafety demo --workspace $(WORKSPACE)

test: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

lint: install
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

serve: install
	$(BIN)/publicsafety serve --workspace $(WORKSPACE)

clean:
	rm -rf $(VENV) $(WORKSPACE) .pytest_cache .mypy_cache .ruff_cache
