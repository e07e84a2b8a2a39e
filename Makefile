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

# Production-style serving: migrate, collectstatic, then gunicorn + WhiteNoise with DEBUG off
# on $(HOST):$(PORT). SECRET_KEY comes from the environment; when it is unset, one is
# generated once into .secret_key (git-ignored, for local use only). Plain HTTP unless HTTPS=1.
# Without REDIS_URL the page cache is off: the local-memory cache is per worker, so an edit
# made through one worker would not invalidate the others' pages (agendas/caching.py).
WEB_CONCURRENCY ?= $(shell echo $$(( 2 * $$(nproc) + 1 )))
GUNICORN_THREADS ?= 1
serve: export DEBUG = 0
serve: export HTTPS ?= 0
serve: export ALLOWED_HOSTS ?= 127.0.0.1,localhost
serve: setup
	@[ -n "$$SECRET_KEY" ] || [ -s .secret_key ] || { \
	  echo "==> SECRET_KEY unset: generating .secret_key for local use"; \
	  (umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret_key); }
	@export SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}"; \
	if [ -z "$$REDIS_URL" ]; then \
	  export CACHE_SECONDS="$${CACHE_SECONDS:-0}"; \
	  echo "==> REDIS_URL unset: page cache off (CACHE_SECONDS=$$CACHE_SECONDS)"; fi; \
	$(MANAGE) migrate --no-input -v0 && $(MANAGE) collectstatic --no-input -v0 && \
	echo "==> Serving on http://$(HOST):$(PORT)/ with $(WEB_CONCURRENCY) workers" && \
	exec $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WEB_CONCURRENCY) \
	  --threads $(GUNICORN_THREADS) --max-requests 10000 --max-requests-jitter 1000 \
	  $(GUNICORN_ARGS)

# Load benchmark (about 15 minutes; `make bench BENCH_QUICK=1` takes a few): demo data at
# scales 1 and 100 on PostgreSQL, every page probed (queries, render time), then `make serve`
# loaded by wrk at 16 connections, cached beside same-size static files and uncached; prints
# the results against issue 12's targets and writes bench/results.json and results.md.
# Settings: bench/run.py. Uses DATABASE_URL's PostgreSQL server and REDIS_URL when set, else
# starts its own (installing Debian's packages when missing). See docs/performance.md.
bench: setup
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "==> Installing wrk for the benchmark"; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	@case "$$DATABASE_URL" in postgres*) ;; *) \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	    echo "==> Installing PostgreSQL's server programs for the benchmark"; \
	    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; };; esac
	@[ -n "$$REDIS_URL" ] || command -v redis-server >/dev/null 2>&1 || { \
	  echo "==> Installing redis-server for the benchmark"; \
	  apt-get update -qq && apt-get install -y -qq redis-server >/dev/null; }
	$(BIN)/python bench/run.py
