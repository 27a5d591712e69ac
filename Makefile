# Pimpasa LMS — `make run` serves the demo; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The address certificates print in their QR code and link, and the admin's links:
# the one `make run` serves on (a wildcard HOST is reached as 127.0.0.1), unless
# PUBLIC_BASE_URL / SITE_URL are given (`make run PUBLIC_BASE_URL=http://192.0.2.10:8000`).
LINK_HOST := $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
PUBLIC_BASE_URL ?= http://$(LINK_HOST):$(PORT)
SITE_URL ?= $(PUBLIC_BASE_URL)

# Each target names its own settings, whatever the calling shell exported:
# pytest-django prefers $DJANGO_SETTINGS_MODULE over pytest.ini, so an
# exported development value would silently run the tests on dev settings.
DEV := DJANGO_SETTINGS_MODULE=lms.settings.dev
# The key that signs the certificate PDFs (README "Signed certificate PDFs"): the self-made
# DEMO key, made by `setup`, unless CERTIFICATE_SIGNING_P12 names another PKCS#12 file;
# `make run CERTIFICATE_SIGNING_P12=` renders unsigned PDFs.
DEMO_SIGNING_P12 := $(abspath var/demo-signing.p12)
CERTIFICATE_SIGNING_P12 ?= $(DEMO_SIGNING_P12)
CERTIFICATE_SIGNING_P12_PASSWORD ?= pimpasa-demo
SIGNING := CERTIFICATE_SIGNING_P12='$(CERTIFICATE_SIGNING_P12)' CERTIFICATE_SIGNING_P12_PASSWORD='$(CERTIFICATE_SIGNING_P12_PASSWORD)'
# The Ed25519 keys that sign the portable credentials (README "Portable credentials"): a demo key
# file made by `setup` under var/ (gitignored), unless CREDENTIAL_KEYS_FILE names another.
CREDENTIAL_KEYS_FILE ?= $(abspath var/credential-keys.json)
SIGNING += CREDENTIAL_KEYS_FILE='$(CREDENTIAL_KEYS_FILE)'
# ... and the development server, its task worker and the demo seed (which renders
# the demo PDFs) all print the address of this HOST and PORT, and sign with the same key.
SERVE := $(DEV) PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) SITE_URL=$(SITE_URL) $(SIGNING)
TEST := DJANGO_SETTINGS_MODULE=lms.settings.test

.PHONY: help install system-deps messages-compile messages npm signing-key credential-key setup run worker test e2e check clean-db serve rqworker prod-env

help:
	@echo "make run    set up (venv, install, migrate, demo data) and serve on http://$(HOST):$(PORT)"
	@echo "            with the background task worker beside it; Ctrl-C stops both"
	@echo "make test   set up, install the system packages the tests need (.ci/install-system-deps,"
	@echo "            sudo when not root) and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make e2e    only the browser tests (Playwright + /usr/bin/chromium; screenshots in test-artifacts/)"
	@echo "make messages  refresh locale/*/django.po from the source after adding strings (needs gettext)"

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

# Translation catalogues are compiled with polib (tools/i18n.py), so no GNU
# gettext is needed to run or test; only `make messages` (xgettext) needs it.
messages-compile: install
	$(PY) tools/i18n.py compile

# Re-extract every string from the source into both catalogues, copy the
# Indonesian source text into the id catalogue, then list what English lacks.
messages: install
	$(DEV) $(PY) manage.py makemessages -l id -l en --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=tools --ignore=staticfiles \
		--ignore=media --ignore=test-artifacts --ignore='*/tests/*'
	$(PY) tools/i18n.py fill-id
	@$(PY) tools/i18n.py check || echo "make messages: translate the entries above in locale/en/LC_MESSAGES/django.po" >&2

# What the tests need beyond Python (Chromium, fonts, gettext, npm, LibreOffice Calc),
# from Debian; idempotent, quick when all is present, sudo when not root. Only the
# tests need it: `make run` never installs system packages.
system-deps:
	@.ci/install-system-deps

# axe-core for the browser tests, from the npm registry at the locked version.
A11Y := tools/a11y
$(A11Y)/node_modules/.package-lock.json: $(A11Y)/package.json $(A11Y)/package-lock.json | system-deps
	@command -v npm >/dev/null || { echo "npm is needed for the browser tests' axe-core: run .ci/install-system-deps" >&2; exit 1; }
	cd $(A11Y) && npm ci --no-audit --no-fund --loglevel=error

# The JavaScript reference implementation of Verifiable Credentials (@digitalbazaar/vc with the
# eddsa-rdfc-2022 cryptosuite) that the tests verify our credentials with (certificates/tests/test_credentials.py).
CREDENTIALS_JS := tools/credentials
$(CREDENTIALS_JS)/node_modules/.package-lock.json: $(CREDENTIALS_JS)/package.json $(CREDENTIALS_JS)/package-lock.json | system-deps
	@command -v npm >/dev/null || { echo "npm is needed for the credential verification tests: run .ci/install-system-deps" >&2; exit 1; }
	cd $(CREDENTIALS_JS) && npm ci --no-audit --no-fund --loglevel=error

npm: $(A11Y)/node_modules/.package-lock.json $(CREDENTIALS_JS)/node_modules/.package-lock.json

# The demo signing key (idempotent: kept while valid), when the demo key is the one configured.
signing-key: install
	$(if $(filter $(DEMO_SIGNING_P12),$(CERTIFICATE_SIGNING_P12)),$(DEV) $(PY) manage.py create_demo_signing_certificate --output '$(DEMO_SIGNING_P12)' --password '$(CERTIFICATE_SIGNING_P12_PASSWORD)',@true)

# The credential signing key (idempotent: an existing key file is kept; rotate with
# `manage.py create_credential_key --rotate`).
credential-key: install
	$(DEV) $(PY) manage.py create_credential_key --file '$(CREDENTIAL_KEYS_FILE)'

setup: install messages-compile signing-key credential-key
	$(DEV) $(PY) manage.py migrate --noinput
	$(SERVE) $(PY) manage.py seed_demo
	$(SERVE) $(PY) manage.py rerender_certificates --stale

# The task worker runs beside the web server. Both run in the background of one
# shell that waits for them: Ctrl-C, `kill <make pid>` or either process ending
# stops the other too. The worker runs without autoreload so that SIGTERM lets it
# finish its current task (a reloader parent would SIGKILL it mid-task); restart
# `make run` after changing task code.
run: setup
	@echo "Pimpasa LMS on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	@trap 'trap - INT TERM HUP; kill $$server $$worker 2>/dev/null; wait' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; trap 'exit 129' HUP; \
	$(SERVE) $(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	$(SERVE) $(PY) manage.py runserver $(HOST):$(PORT) & server=$$!; \
	while kill -0 $$server 2>/dev/null && kill -0 $$worker 2>/dev/null; do sleep 1; done; \
	kill -0 $$worker 2>/dev/null || echo "make run: the task worker stopped; stopping the web server" >&2; \
	kill -0 $$server 2>/dev/null || echo "make run: the web server stopped; stopping the task worker" >&2; \
	exit 1

worker: install signing-key credential-key
	$(SERVE) $(PY) manage.py db_worker --queue-name '*'

# The layers of the code (.importlinter, README "Where the code lives"); --no-cache keeps
# .import_linter_cache/ out of the tree.
check: install messages-compile npm
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(TEST) $(PY) manage.py check --fail-level WARNING
	$(TEST) $(PY) manage.py makemigrations --check --dry-run

# pytest exits 5 when it collected no test: reported, and a failure like any other.
test: system-deps check
	@echo "$(TEST) $(PY) -m pytest $(PYTEST_ARGS)"
	@$(TEST) $(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$status

# Only the real-browser tests (also part of `make test`).
e2e: system-deps check
	$(TEST) $(PY) -m pytest -m e2e $(PYTEST_ARGS)

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm

# --- Production mode (README "Production"): gunicorn + RQ workers against the
# configured PostgreSQL and Redis. Nothing here falls back to SQLite or locmem.
PROD := DJANGO_SETTINGS_MODULE=lms.settings.production DJANGO_DEBUG=0

prod-env:
	@missing=""; \
	for var in SECRET_KEY DATABASE_URL REDIS_URL PUBLIC_BASE_URL; do \
		eval "val=\$${$$var}"; [ -n "$$val" ] || missing="$$missing $$var"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "make serve/rqworker: set$$missing in the environment (README \"Production\"), e.g." >&2; \
		echo "  SECRET_KEY=\$$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')" >&2; \
		echo "  DATABASE_URL=postgres://pimpasa:PASSWORD@db.internal:5432/pimpasa" >&2; \
		echo "  REDIS_URL=redis://redis.internal:6379/0" >&2; \
		echo "  PUBLIC_BASE_URL=https://lms.example.go.id   (printed on every certificate)" >&2; \
		exit 1; \
	fi; \
	case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
		*) echo "make serve/rqworker: DATABASE_URL must point at PostgreSQL (postgres://...)" >&2; exit 1;; esac; \
	case "$$REDIS_URL" in redis://*|rediss://*|unix://*) ;; \
		*) echo "make serve/rqworker: REDIS_URL must be a redis:// URL" >&2; exit 1;; esac

# Migrate, collect (hashed + compressed) static files, then serve with gunicorn
# (lms/gunicorn.conf.py; WEB_CONCURRENCY, GUNICORN_THREADS, HOST, PORT ...).
serve: install prod-env
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(PROD) exec $(VENV)/bin/gunicorn --config lms/gunicorn.conf.py

# One RQ worker for every task queue (PDF rendering, exports, imports); start as
# many as needed, on any machine that reaches the same Redis and PostgreSQL.
rqworker: install prod-env
	$(PROD) exec $(PY) manage.py rqworker --job-class django_tasks_rq.Job --with-scheduler $$($(PROD) $(PY) -c \
		"import django; django.setup(); from django.conf import settings; print(' '.join(settings.RQ_QUEUES))")
