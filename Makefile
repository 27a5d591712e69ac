# Pimpasa LMS — `make run` serves the demo; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Each target names its own settings, whatever the calling shell exported:
# pytest-django prefers $DJANGO_SETTINGS_MODULE over pytest.ini, so an
# exported development value would silently run the tests on dev settings.
DEV := DJANGO_SETTINGS_MODULE=lms.settings.dev
TEST := DJANGO_SETTINGS_MODULE=lms.settings.test

.PHONY: help install setup run worker test check clean-db

help:
	@echo "make run    set up (venv, install, migrate, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "            with the background task worker beside it; Ctrl-C stops both"
	@echo "make test   set up and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1). Use: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }

# Reinstall only when requirements.txt changes.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

setup: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py seed_demo

# The task worker runs beside the web server. Both run in the background of one
# shell that waits for them: Ctrl-C, `kill <make pid>` or either process ending
# stops the other too. The worker runs without autoreload so that SIGTERM lets it
# finish its current task (a reloader parent would SIGKILL it mid-task); restart
# `make run` after changing task code.
run: setup
	@echo "Pimpasa LMS on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@trap 'trap - INT TERM HUP; kill $$server $$worker 2>/dev/null; wait' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; \
	$(DEV) $(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT) & server=$$!; \
	while kill -0 $$server 2>/dev/null && kill -0 $$worker 2>/dev/null; do sleep 1; done; \
	kill -0 $$worker 2>/dev/null || echo "make run: the task worker stopped; stopping the web server" >&2; \
	kill -0 $$server 2>/dev/null || echo "make run: the web server stopped; stopping the task worker" >&2; \
	exit 1

worker: install
	$(DEV) $(PY) manage.py db_worker --queue-name '*'

check: install
	$(TEST) $(PY) manage.py check --fail-level WARNING
	$(TEST) $(PY) manage.py makemigrations --check --dry-run

# pytest exits 5 when it collected no test: reported, and a failure like any other.
test: check
	@echo "$(TEST) $(PY) -m pytest $(PYTEST_ARGS)"
	@$(TEST) $(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$status

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
