# Alignment Agendas: `make run` to serve locally, `make test` before a commit, `make test-all`
# for every test (what CI runs).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Every dependency pinned with hashes, both files written by `make lock`: LOCK for production
# (the app's own dependencies), DEV_LOCK for development and tests (the same pins plus the
# test tools), which `make setup` installs.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(LOCK) $(DEV_LOCK) | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The Nu HTML Checker for tests/test_html_validity.py, from tests/html/package-lock.json.
VNU := tests/html/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test test-all test-all-tests setup browser html-checker lint format lock serve bench clean

# A new pyproject.toml or lock file rebuilds the virtualenv from scratch, so it holds exactly
# what the lock file says: the pinned files, checked against their hashes, then the app itself.
$(STAMP): pyproject.toml $(LOCK) $(DEV_LOCK)
	@echo "==> Creating $(VENV) from $(DEV_LOCK) (first run takes a minute)"
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --progress-bar on --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/pip check
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

# The jar comes inside the npm package; its install script (which would fetch a Java runtime)
# is not run: Debian's java runs it.
html-checker: $(VNU)
$(VNU): tests/html/package-lock.json
	@command -v java >/dev/null 2>&1 || { \
	  echo "==> Installing Debian's Java runtime for the HTML checker"; \
	  apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; }
	npm ci --prefix tests/html --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check --tabwidth 2 templates
	$(BIN)/mypy

# Rewrite the code and the templates in the house style that make lint checks.
format: setup
	$(BIN)/ruff check --fix --quiet .
	$(BIN)/ruff format --quiet .
	$(BIN)/djhtml --tabwidth 2 templates

# pytest-xdist runs the tests in this many processes: one per core by default; 0 runs them
# in this process, where a debugger can stop.
PYTEST_WORKERS ?= auto

# Every test a developer needs before a commit, in a few minutes: the suite without its slow
# tiers (the markers in pyproject.toml), and the property-based tests at a fifth of their
# examples (tests/fuzzing.py).
test: setup lint
	$(BIN)/pytest -m "not slow" -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# Every test: the slow tiers too (real browser, HTML checker, wheel, replica, outage, the real
# Shallow Review export) and the property-based tests at full strength, with a fixed seed
# when HYPOTHESIS_SEED is set. .ci/run runs it on SQLite and on PostgreSQL.
test-all: setup browser html-checker lint
	$(MAKE) --no-print-directory test-all-tests

# make test-all's tests alone, once its set-up and lint are done (.ci/run runs two at once).
test-all-tests: export HYPOTHESIS_PROFILE = ci
test-all-tests:
	$(BIN)/pytest -n $(PYTEST_WORKERS) --maxschedchunk 1 \
	  $(if $(HYPOTHESIS_SEED),--hypothesis-seed=$(HYPOTHESIS_SEED)) $(PYTEST_ARGS)

# Re-pin the dependencies after editing pyproject.toml and commit both lock files; pip-tools
# runs from its own virtualenv. The development lock is resolved with the production pins as
# constraints, so both files pin a package shared by both to the same version.
# `make lock LOCK_ARGS=--upgrade` moves every pin to its newest release within pyproject.toml's
# bounds.
PIP_COMPILE := .venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
  --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file $(LOCK) pyproject.toml
	$(PIP_COMPILE) --extra test --constraint $(LOCK) --output-file $(DEV_LOCK) pyproject.toml

clean:
	rm -rf $(VENV) .venv-lock staticfiles test-artifacts .pytest_cache tests/html/node_modules

# Production-style serving: migrate, collectstatic, then gunicorn + WhiteNoise with DEBUG off
# on $(HOST):$(PORT). SECRET_KEY comes from the environment; when it is unset, one is
# generated once into .secret_key (git-ignored, for local use only). Plain HTTP unless HTTPS=1.
# Without REDIS_URL the page cache is off: the local-memory cache is per worker, so an edit
# made through one worker would not invalidate the others' pages (agendas/cache/).
# gunicorn's settings (workers: WEB_CONCURRENCY, default 2 x cores + 1; GUNICORN_THREADS) are
# in config/gunicorn.py, which production uses too.
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
	echo "==> Serving on http://$(HOST):$(PORT)/" && \
	exec $(BIN)/gunicorn --config python:config.gunicorn config.wsgi --bind $(HOST):$(PORT) \
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
