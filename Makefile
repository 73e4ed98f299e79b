# Two commands: `make run` (install, migrate, load the demo, serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
# Every plugin package's own catalogues: each a Babel domain named after the plugin,
# in translations/<locale>/LC_MESSAGES/<plugin>.po beside the plugin's code.
PLUGIN_CATALOGUES = $(wildcard plugins/*/translations/*/LC_MESSAGES/*.po examples/*/*/translations/*/LC_MESSAGES/*.po)
BABEL_EXTRACT := -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header

.PHONY: install run-packages test-packages run test bench bench-province lint security translations clean

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

instance/config.py: | $(BIN)/.installed
	$(BIN)/flask xs init

run: install run-packages instance/config.py
	$(BIN)/flask db upgrade
	$(BIN)/flask xs demo
	$(BIN)/flask run --host $(HOST) --port $(PORT)

# Debian packages: fonts-noto-cjk renders Chinese in PDFs (serving needs it); the tests
# also drive Chromium, read PDFs back with poppler-utils and decode printed QR codes (zbar-tools).
RUN_PACKAGES := fonts-noto-cjk
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils zbar-tools
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Install Debian's packages: sudo apt-get install $$missing"; exit 1; \
	  fi; \
	fi
endef

run-packages:
	$(call apt_install,$(RUN_PACKAGES))

test-packages:
	$(call apt_install,$(TEST_PACKAGES))

test: install test-packages
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m tests.bench.run

# A synthetic province (30,000 units, 1,000,000 topics, 3,000,000 entries on PostgreSQL
# with DATABASE_URL set; a tenth of that on SQLite), its pages against bare endpoints,
# and a bounded load run (gunicorn, 4 workers; wrk on loopback).
bench-province: install
	$(call apt_install,wrk)
	$(BIN)/python -m tests.bench.province generate
	$(BIN)/python -m tests.bench.province measure
	$(BIN)/python -m tests.bench.province load

lint: install
	$(BIN)/ruff check core plugins tests examples

# Static security analysis of the shipped code (tests excluded), and known
# vulnerabilities in the installed packages. pip-audit needs a vulnerability service and
# fails on any package it could not audit (--strict); on a machine that reaches none,
# `make security AUDIT=offline` runs bandit alone and says that nothing was audited.
AUDIT ?= online
security: install
	$(BIN)/bandit -r core plugins examples -x '*/tests/*' -q
	@if [ "$(AUDIT)" = offline ]; then \
	  echo "pip-audit NOT run (AUDIT=offline): the installed packages were not checked for known vulnerabilities."; \
	else \
	  $(BIN)/pip-audit --progress-spinner off --skip-editable --strict; \
	fi

translations: install
	$(BIN)/pybabel extract $(BABEL_EXTRACT) -o translations/messages.pot core
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d translations --statistics
	for po in $(PLUGIN_CATALOGUES); do echo "$${po%%/translations/*} $$(basename $$po .po)"; done \
	  | sort -u | while read package domain; do \
	    $(BIN)/pybabel extract $(BABEL_EXTRACT) -o $$package/translations/$$domain.pot $$package && \
	    $(BIN)/pybabel update -D $$domain -i $$package/translations/$$domain.pot \
	      -d $$package/translations --no-fuzzy-matching && \
	    $(BIN)/pybabel compile -D $$domain -d $$package/translations || exit 1; \
	done

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
