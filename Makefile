# samenplan developer entry points. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
TEST_WORKERS ?= 2
export FLASK_APP := samenplan

.PHONY: run serve test install migrate seed check-migrations test-unit test-integration test-e2e audit-verify messages bench clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/activate

# the translations, compiled for the app (the .mo files are built, never committed)
CATALOGS := $(wildcard samenplan/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)

%.mo: %.po $(BIN)/activate
	$(BIN)/pybabel compile -i $< -o $@

install: $(BIN)/activate $(COMPILED)

migrate: install
	$(BIN)/alembic upgrade head

seed: migrate
	$(BIN)/flask seed-demo

## run the app with the demo family on http://127.0.0.1:$(PORT): reloader on, but never the
## interactive debugger (it runs any code for whoever reaches an error page); mailed links on
## PUBLIC_URL and only the Host names of TRUSTED_HOSTS answered, as in production
run: seed
	PUBLIC_URL="$${PUBLIC_URL:-http://127.0.0.1:$(PORT)}" TRUSTED_HOSTS="$${TRUSTED_HOSTS:-127.0.0.1,localhost}" \
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT) --debug --no-debugger

## serve in production: gunicorn (workers from WEB_CONCURRENCY) on HOST:PORT (127.0.0.1:8000),
## SAMENPLAN_ENV=production (needs SECRET_KEY and PUBLIC_URL; see the README); migrates, never seeds
SERVE_PORT ?= 8000
serve: migrate
	SAMENPLAN_ENV=production PORT=$(SERVE_PORT) \
	$(BIN)/gunicorn -c samenplan/gunicorn_conf.py 'samenplan:create_app()'

## run every test: unit, integration (SQLite and PostgreSQL), browser; on TEST_WORKERS workers that
## finish together: the tests dealt out by their known durations (tests/support/ordering.py)
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-unit: install
	$(BIN)/python -m pytest tests/unit

test-integration: install
	$(BIN)/python -m pytest tests/integration

test-e2e: install
	$(BIN)/python -m pytest tests/e2e

check-migrations: install
	$(BIN)/alembic upgrade head && $(BIN)/alembic check

## what one page view costs: SQL statements, commits, audit inserts (SQLite; PostgreSQL too when it runs);
## and the plan page under gunicorn beside a bare Flask page of the same size (requests per second,
## p50/p95, sizes, the 304 poll); and at scale: 1,000 families, 200,000 audit events
bench: install
	$(BIN)/python bench/pages.py $$(pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo --postgresql)
	$(BIN)/python bench/serving.py $$(pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo --postgresql)
	$(BIN)/python bench/scale.py $$(pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo --postgresql)

audit-verify: install
	$(BIN)/flask audit verify

## extract every marked string and bring the catalogs up to date (then translate what is new)
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _mark --no-location --sort-output \
		-o samenplan/translations/messages.pot .
	$(BIN)/pybabel update -i samenplan/translations/messages.pot -d samenplan/translations \
		--no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache
