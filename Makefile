# The two commands a newcomer needs: `make run` (set up and serve with demo content) and
# `make test` (the whole test suite). Everything else here supports those two.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEV_ENV := DEBUG=1

.PHONY: run test install messages lint format serve worker createsuperuser mail screenshots benchmark bench clean backup restore

# seed_demo ends by printing the addresses to open and the demo logins (the same every run).
run: install messages
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEV_ENV) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py seed_demo
	$(DEV_ENV) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)} $(PY) manage.py runserver $(PORT)

test: install messages
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Compiles the gettext catalogues under locale/; msgfmt comes with GNU gettext.
messages: install
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -qq gettext >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }; \
	  else echo "Please install GNU gettext (e.g. sudo apt-get install gettext)"; exit 1; fi; }
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v0

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production-style serving: DEBUG off, static files collected and served by whitenoise,
# gunicorn as thinktank/gunicorn.conf.py says (127.0.0.1:$(PORT) unless BIND is set).
# With CELERY_BROKER_URL set, jobs (mail, newsletters, CDN purges, the periodic jobs) wait
# for a worker: run `make worker` beside it, or, on several machines, on each
# `celery -A thinktank worker` and on one only `celery -A thinktank beat`.
serve: install messages
	$(PY) manage.py collectstatic --no-input -v0
	$(PY) manage.py migrate --no-input
	PORT=$(PORT) $(VENV)/bin/gunicorn -c thinktank/gunicorn.conf.py thinktank.wsgi

# A job worker with beat (the periodic jobs) in the same process: one of these per site; more
# workers without -B if needed. Needs CELERY_BROKER_URL (a Redis database of its own).
worker: install
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/2"; exit 1; }
	$(VENV)/bin/celery -A thinktank worker -B --loglevel=INFO $(WORKER_ARGS)

# The first admin of a new site, asked in English throughout, then what to do next (a first
# series, a first commentary); `manage.py set_role <username> Editor` for the others. Without
# SECRET_KEY in the environment it is the development site's (DEBUG=1), as `make run`'s.
FIRST_ADMIN_ENV := $(if $(SECRET_KEY),,$(DEV_ENV))
createsuperuser: install
	$(FIRST_ADMIN_ENV) $(PY) manage.py migrate --no-input -v0
	$(FIRST_ADMIN_ENV) $(PY) manage.py first_admin $(if $(DJANGO_SUPERUSER_PASSWORD),--no-input)

# A local mail catcher: an SMTP server on 127.0.0.1:$(MAIL_PORT) that prints every mail it gets.
# Then run the site with EMAIL_HOST=127.0.0.1 EMAIL_PORT=$(MAIL_PORT) (see the README).
MAIL_PORT ?= 1025
mail: install
	$(PY) -u -m aiosmtpd -n -l 127.0.0.1:$(MAIL_PORT)

# Requests per second under gunicorn, as ratios to a bare Django view (docs/performance.md).
bench: install messages
	$(DEV_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEV_ENV) $(PY) manage.py migrate --no-input -v0
	$(DEV_ENV) $(PY) manage.py seed_demo >/dev/null
	$(PY) scripts/loadbench.py $(BENCH_ARGS)
	$(PY) scripts/publishbench.py $(PUBLISH_BENCH_ARGS)  # publishing under load, outages

# The database (pg_dump, custom format) and media on disk (.tar.gz) into BACKUP_DIR, and back
# into an empty database: docs/backup.md (schedule, point-in-time recovery).
BACKUP_DIR ?= backups
backup: install
	$(PY) manage.py backup $(BACKUP_DIR)

restore: install
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=$(BACKUP_DIR)/<time>.dump"; exit 1; }
	$(PY) manage.py restore $(FILE)

screenshots: install
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
