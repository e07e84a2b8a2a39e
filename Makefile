# Alignment Agendas: `make run` to serve locally, `make test` to run the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup browser lint serve bench clean

$(STAMP): pyproject.toml
	@echo "==> Creating $(VENV) and installing the project (first run takes a minute)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --progress-bar on -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

run: export DEBUG ?= 1
run: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) load_content
	@echo
	@echo "==> Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	@echo "    Create an admin account with:  $(BIN)/python manage.py createsuperuser"
	@echo "    then sign in at http://$(HOST):$(PORT)/admin/"
	@echo
	$(MANAGE) runserver $(HOST):$(PORT)

# Debian's chromium drives the real-browser tests; install it when missing (needs root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "==> Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup browser lint
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache
