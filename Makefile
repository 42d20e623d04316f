# BackCare: `make run` to try it, `make test` to check it. Both set up what they need.

PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test serve lint jstest pytest chromium wrk bench bench-pages bench-runner bench-timer bench-progress bench-figures bench-load bench-balanced clean screens lighthouse

# The task worker (it sends the mail and the reminders) in the background, then the web
# server in the foreground: Ctrl-C, or the server stopping, stops both. With
# DJANGO_TASKS_BACKEND=rq the queue is in Redis, and so is the worker.
ifeq ($(DJANGO_TASKS_BACKEND),rq)
WORKER = rqworker default --job-class django_tasks_rq.backend.Job --with-scheduler
else
WORKER = db_worker
endif
WITH_WORKER = trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py $(WORKER) & worker=$$!;

## run: create .venv, install, migrate, load the library and serve on http://127.0.0.1:8000
## with the task worker beside it
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_library
	@$(WITH_WORKER) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: install the dev tools and a Chromium if missing, then ruff and the whole suite
test: $(VENV)/.dev chromium lint jstest pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The runner's browser modules, with Node's own test runner (no npm packages).
jstest:
	@command -v node >/dev/null 2>&1 || { echo "Installing Debian's nodejs for the JavaScript tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs >/dev/null; }
	node --test tests/js/

# Tests run on every core (pytest-xdist): about 6 minutes instead of 9 on two cores.
PYTEST_WORKERS ?= auto
pytest: $(VENV)/.dev chromium
	$(BIN)/pytest -n $(PYTEST_WORKERS)

## serve: gunicorn with production settings (DJANGO_DEBUG=0) and the task worker beside it,
## for trying the deployed shape; gunicorn.conf.py keeps secret addresses out of its log
serve: $(VENV)/.runtime $(VENV)/serve-secret-key
	@set -e; \
	export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(VENV)/serve-secret-key)}" \
	       DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}"; \
	$(BIN)/python manage.py collectstatic --noinput -v0; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py load_library; \
	$(WITH_WORKER) \
	$(BIN)/gunicorn backcare.wsgi --config gunicorn.conf.py --bind $(HOST):$(PORT) \
	    --workers $${WEB_CONCURRENCY:-3} --access-logfile -

## bench: the benchmarks, on SQLite (or on DATABASE_URL's PostgreSQL); figures in bench-results/
bench: bench-pages bench-runner bench-progress bench-figures bench-load

## screens: full-page screenshots of every page, phone and desktop, light and dark
screens: $(VENV)/.dev chromium
	$(BIN)/python tests/bench/screens.py --out screens

## lighthouse: page weight against the 60 KB budget, and Lighthouse's scores, per page
lighthouse: $(VENV)/.dev chromium
	$(BIN)/python tests/bench/lighthouse.py

bench-pages: $(VENV)/.dev wrk
	$(BIN)/python tests/bench/bench_pages.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-runner: $(VENV)/.dev chromium
	$(BIN)/python tests/bench/bench_runner.py --skip-timer $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# The 5-minute hold in Chromium, in real time: about six minutes.
bench-timer: $(VENV)/.dev chromium
	$(BIN)/python tests/bench/bench_runner.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

bench-progress: $(VENV)/.dev
	$(BIN)/python tests/bench/bench_progress.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

# What drawing a figure costs, cold and cached.
bench-figures: $(VENV)/.dev
	$(BIN)/python tests/bench/bench_figures.py

# 200 users at once, then the same with a worker killed and with a full restart mid-run.
bench-load: $(VENV)/.dev
	for fault in none worker-kill restart; do \
	  $(BIN)/python tests/bench/bench_load.py --fault $$fault \
	    $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL)) || exit 1; \
	done

# Two gunicorn servers behind HAProxy (installed when missing) on PostgreSQL, sharing the
# Redis cache at 127.0.0.1:6379/1: without a fault, then with one server killed mid-run.
BALANCED_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/backcare_balanced
bench-balanced: $(VENV)/.dev
	for fault in none server-kill; do \
	  $(BIN)/python tests/bench/bench_load.py --balanced --fault $$fault \
	    --database-url $(BALANCED_DATABASE_URL) || exit 1; \
	done

$(VENV)/serve-secret-key: | $(BIN)/python
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changed.
$(VENV)/.runtime: pyproject.toml | $(BIN)/python
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' > $(VENV)/runtime.txt
	$(BIN)/python -m pip install --quiet -r $(VENV)/runtime.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime pyproject.toml
	$(BIN)/python -m pip install --quiet --group dev
	touch $@

# Playwright cannot download its own browser on every machine, so the tests use
# Debian's chromium (or BACKCARE_CHROMIUM, a path to any Chromium).
chromium:
	@if [ -n "$$BACKCARE_CHROMIUM" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; \
	else $(BIN)/playwright install chromium; fi

# wrk measures the shared pages' throughput in bench-pages, beside its own client.
wrk:
	@command -v wrk >/dev/null 2>&1 || { echo "Installing Debian's wrk for the page benchmark"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
