# `make run`: set up and serve on http://127.0.0.1:8000 with SQLite. `make test`: set up and test.
PYTHON ?= python3
VENV ?= env
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test test-clients bench lint format install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Development only: DEBUG on (unless the environment or .env says otherwise), which also
# allows the built-in development secret key.
run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver $(HOST)

# Tests need a secret key and a host name only because production settings insist on them; a
# throwaway key is made for each run unless one is set, and Django's test client is `testserver`.
test: install
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')} \
		DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-testserver} \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

# The reference Axios client and a headless-Chromium page, against live development servers.
test-clients: install
	bash examples/run-client-tests.sh

# Not a test: throughput and CPU ratios against a bare Django view (needs wrk).
# BENCH_ARGS="--database-url postgres://postgres@127.0.0.1:5432/postgres" adds PostgreSQL.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) bench/.venv-production .pytest_cache .ruff_cache
