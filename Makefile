# Two commands set everything up on a fresh machine with python3 and make:
#   make serve   — the site, live, on http://127.0.0.1:$(PORT)
#   make test    — the whole suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: serve test site check build clean-docs bench bench-clean bench-build

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -m venv $(VENV) || { echo "error: '$(PYTHON) -m venv' failed — on Debian/Ubuntu: apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

build: $(VENV)/.installed
	$(PY) scripts/build.py build

# --dirty: after an edit only changed pages are rebuilt (seconds at 1,000 speeches, see
# docs/about/performance.md); MkDocs warns about every dirty build, hence --no-strict here.
serve: build
	$(VENV)/bin/mkdocs serve --dirty --no-strict --dev-addr 127.0.0.1:$(PORT)

site: build
	$(VENV)/bin/mkdocs build --strict

check: $(VENV)/.installed
	$(PY) scripts/build.py check

# axe-core for the accessibility tests, pinned in tests/a11y/package-lock.json (npm registry).
AXE := tests/a11y/node_modules/axe-core/axe.min.js
$(AXE): tests/a11y/package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found — on Debian/Ubuntu: apt-get install npm"; exit 1; }
	npm ci --prefix tests/a11y --no-audit --no-fund --silent
	@touch $@

test: $(VENV)/.installed $(AXE)
	$(PY) -m pytest

bench: build
	$(PY) scripts/bench_search.py

bench-clean: $(VENV)/.installed
	$(PY) scripts/bench_clean.py

bench-build: $(VENV)/.installed
	$(PY) scripts/bench_build.py --out bench/out/build.json
