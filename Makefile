# The few things people run. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint typecheck audit bench eval worker beat clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## run: the embedded LabIntel (SQLite, in-process tasks): migrate, load the seed entities, ingest
## the seed storylines, the demo corpus (fetch, extract, analyse), serve.
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py load_storylines
	$(PY) manage.py demo --port $(PORT)

## test: the whole suite (real PostgreSQL/Redis/worker tests run when DATABASE_URL/REDIS_URL are set).
test: $(VENV)/.dev-installed
	$(PY) -m pytest

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy

## audit: known vulnerabilities in the pinned requirements (pip-audit, then PyPI's project pages
## for what it could not reach). Fails on a vulnerable pin; prints NOT AUDITED for a pin nothing
## could check (AUDIT_STRICT=1 fails on those too).
audit: $(VENV)/.dev-installed
	$(PY) .ci/audit.py

## bench: ingestion (loopback feed-and-page server) and linking benchmarks; tables and JSON.
## pages.py needs PostgreSQL (BENCH_DATABASE_URL, default: database labintel_bench on the local
## server); its first run generates a million articles there, later runs reuse them.
# digests.py makes (and drops) its own database on this server: the full stack's database.
# load.py runs the full stack (gunicorn, a celery worker) on its own database labintel_load there
# and flushes Redis database 15 (LOAD_REDIS_URL names another).
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/postgres
bench: $(VENV)/.dev-installed
	$(PY) bench/ingest.py
	$(PY) bench/linking.py
	$(PY) bench/analysis.py
	$(PY) bench/digests.py --postgres $(BENCH_POSTGRES)
	$(PY) bench/pages.py
	$(PY) bench/load.py --postgres $(BENCH_POSTGRES)

## eval: event extraction scored on the labelled sets (tests/fixtures/eval/): dev, then the
## blind holdout.
eval: $(VENV)/.dev-installed
	$(PY) bench/evaluate.py --set dev
	$(PY) bench/evaluate.py --set holdout

## worker / beat: the full stack's processes (need DATABASE_URL and REDIS_URL).
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A labintel worker -Q fetch,extract,analyze,default --loglevel INFO

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A labintel beat --loglevel INFO --schedule var/celerybeat-schedule

clean:
	rm -rf var/labintel.sqlite3 var/static .pytest_cache
