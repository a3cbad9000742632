# The two commands: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_WORKERS ?= 2
# Locally the test database is kept between runs; CI builds it afresh.
ifeq ($(CI),true)
REUSE_DB := --create-db
else
REUSE_DB := --reuse-db
endif

.PHONY: run test install install-dev dirs chromium check-deploy bench backup restore clean messages compilemessages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

dirs:
	@mkdir -p var/broker/queue var/broker/processed var/broker/control var/mail var/media var/staticfiles

# The translations: locale/<code>/LC_MESSAGES/django.po are kept in git, the compiled .mo files
# are built here by `make run` and `make test`: with GNU gettext's msgfmt where it is installed
# (CI installs it), else with polib, in pure Python, so that `make run` needs nothing more. `make messages` brings
# the catalogs up to date with the source after a string changes; a test fails while any entry
# is new, untranslated or fuzzy (twinning/tests/test_translations.py).
MESSAGE_ARGS := --ignore=.venv --ignore=var --ignore=devtools --ignore='*/tests/*' --add-location=file --no-obsolete
messages: install
	$(BIN)/python manage.py makemessages $(MESSAGE_ARGS) -l es -l fr -l pt

compilemessages: install
	@if command -v msgfmt >/dev/null; then \
	  $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var -v 0; \
	else \
	  $(BIN)/python -c "import pathlib, polib; [polib.pofile(str(p)).save_as_mofile(str(p.with_suffix('.mo'))) for p in pathlib.Path('locale').glob('*/LC_MESSAGES/django.po')]"; \
	fi

# Development settings, named: the Celery app's own default is production.
run: export DJANGO_SETTINGS_MODULE = twinning.settings.development
run: install dirs compilemessages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/ with a worker and beat; Ctrl-C stops all three."
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

# Browser tests drive Debian's Chromium; install it when it is missing and we may.
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; fi; }

# Without Chromium (and not root to install it) the browser tests are skipped, loudly;
# CI (.ci/run) installs Chromium, so there everything runs.
# The layer contract (.importlinter) first: an upward import fails before any test runs.
test: install-dev dirs chromium compilemessages
	$(BIN)/lint-imports --no-cache
	@if [ -x /usr/bin/chromium ]; then \
	  DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n $(TEST_WORKERS) $(REUSE_DB) --durations=10 $(PYTEST_ARGS); \
	else \
	  echo "WARNING: Chromium is missing, so the browser tests are SKIPPED." >&2; \
	  echo "WARNING: install it with 'sudo apt-get install -y chromium' to run them." >&2; \
	  DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -n $(TEST_WORKERS) $(REUSE_DB) --durations=10 -m "not browser" $(PYTEST_ARGS); \
	fi

check-deploy: install
	DJANGO_SETTINGS_MODULE=twinning.settings.production SECRET_KEY=$$(openssl rand -hex 40) \
	  ALLOWED_HOSTS=twinning.example.org SITE_URL=https://twinning.example.org \
	  DATABASE_URL=$${DATABASE_URL:-postgres://twinning@db.invalid/twinning} \
	  REDIS_URL=$${REDIS_URL:-redis://redis.invalid:6379/0} \
	  AWS_STORAGE_BUCKET_NAME=$${AWS_STORAGE_BUCKET_NAME:-twinning-uploads} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Every page at society scale against /healthz and beside demo size, with a load run (README,
# Benchmarks). On PostgreSQL: DATABASE_URL, or twinning_bench on the local server; the database
# (and its _demo twin) is created when missing, migrated and seeded (once: later runs reuse the data).
# BENCH_ARGS adds options, e.g. BENCH_ARGS="--pages 'partnerships:list' --requests 10".
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/twinning_bench)
bench: export DJANGO_SETTINGS_MODULE = twinning.settings.development
bench: install dirs
	$(BIN)/python manage.py bench_pages --database-url "$(BENCH_DATABASE_URL)" --migrate \
	  --sections 5000 --partnerships 20000 --requests 30 --load $(BENCH_ARGS)

# Backups (README, "Backing up and restoring"): the database of DATABASE_URL to
# var/backups/<UTC time>.dump; uploads are copied with their storage's own tools.
# Run where the site is installed, with its environment (DJANGO_SETTINGS_MODULE, DATABASE_URL).
backup:
	$(BIN)/python manage.py backup_database

# Into a database that does not exist yet: make restore DUMP=var/backups/….dump
# TARGET_DATABASE_URL=postgres://user:password@host:5432/new_name
restore:
	@test -n "$(DUMP)" && test -n "$(TARGET_DATABASE_URL)" || { \
	  echo "usage: make restore DUMP=var/backups/<time>.dump TARGET_DATABASE_URL=postgres://user@host:5432/new_name" >&2; \
	  exit 2; }
	$(BIN)/python manage.py restore_database "$(DUMP)" --target "$(TARGET_DATABASE_URL)"

clean:
	rm -rf $(VENV) var
