# Gongkai: the two commands. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
GK := $(BIN)/gongkai
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test test-sqlite test-postgres lint typecheck check install fonts migrate demo clean lock bench

run: install fonts
	$(GK) migrate --noinput
	$(GK) demo
	$(GK) runserver $(HOST):$(PORT)

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# Letters and annual reports are rendered to PDF with Debian's CJK fonts: installed when missing
# (as root), otherwise a warning.
fonts:
	@fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "== installing fonts-noto-cjk"; export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-noto-cjk fontconfig; \
	  else echo "== fonts-noto-cjk is missing: PDF letters and reports will lack Chinese glyphs"; fi; }

# The whole suite on SQLite, then again on PostgreSQL when one is reachable.
test: install lint typecheck test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

test-postgres: install
	@url=$$($(BIN)/python -m gongkai.config.pgprobe); \
	if [ -n "$$url" ]; then \
	  echo "== PostgreSQL: $$url"; DATABASE_URL=$$url $(BIN)/pytest -q -p no:cacheprovider; \
	else echo "== PostgreSQL: no server reachable (set DATABASE_URL); skipped"; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy gongkai

check: lint typecheck

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/publishing_pages.py
	$(BIN)/python bench/privacy_scan.py
	$(BIN)/python bench/search_scale.py --docs 50000 --queries 100

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

clean:
	rm -rf $(VENV) var/gongkai.sqlite3*
