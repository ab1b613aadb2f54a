# Yanyana — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint format bench fuzz clean dist dist-check

setup: $(STAMP)

# argostranslate is installed without dependencies on purpose: its own deps pull stanza -> torch (gigabytes).
# mypy is built from its sdist (pure Python, 17 MB) rather than the mypyc wheel (+44 MB), which alone would push
# the venv past the 600 MB budget (tests/test_dependencies.py); it is slower but runs in well under a minute.
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-binary mypy -e ".[dev]"
	$(PY) -m pip install --quiet --no-deps "argostranslate==1.11.0"
	touch $(STAMP)

# The check prints the one apt/dnf line for Qt's X11 libraries instead of Qt's abort (QT_QPA_PLATFORM: Qt's choice).
run: $(STAMP)
	@$(PY) -m reader.ui.system_check
	$(PY) main.py

# Cheapest first: ruff (lint, incl. "no Qt outside reader/ui", TID251), the format check, mypy (settings and
# file list in pyproject.toml; cache in .mypy_cache, made on first run), then pytest (tests/test_layers.py checks
# the layering over every import).
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Benchmarks print ratios against baselines measured in the same run (speed goals live here, not in tests).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/translate.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/startup.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/search.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/cancel.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/import.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/import_pdf.py
	QT_QPA_PLATFORM=offscreen $(PY) bench/import_library.py

# The desktop bundle (PyInstaller, the `dist` extra), its .tar.gz and .deb: see build-aux/build_dist.py.
# Not part of `make test`; `make dist-check` smoke-tests the result offline.
DIST_STAMP := $(VENV)/.dist-installed

$(DIST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,dist]"
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	$(PY) build-aux/build_dist.py

dist-check: $(STAMP)
	$(PY) build-aux/dist_check.py

# The fuzz tests run a bounded profile (40 examples each) inside `make test`; this runs 3,000 each.
fuzz: $(STAMP)
	YANYANA_FUZZ_PROFILE=fuzz QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m fuzz tests/fuzz

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache build dist
