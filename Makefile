# Yanyana — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint format bench clean

setup: $(STAMP)

# argostranslate is installed without dependencies on purpose: its own deps pull stanza -> torch (gigabytes).
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	$(PY) -m pip install --quiet --no-deps "argostranslate==1.11.0"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

# ruff check first: it enforces "no Qt in reader/core, reader/translation, translations_cache" (TID251).
test: $(STAMP)
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks print ratios against baselines measured in the same run (speed goals live here, not in tests).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/translate.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/search.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
