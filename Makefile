# `make run`: set up and serve on http://127.0.0.1:8000 with SQLite. `make test`: set up and test.
PYTHON ?= python3
VENV ?= env
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The lock files' compiler, pinned so that every `make lock` resolves alike; never installed in env/.
UV ?= uv==0.13.8

.PHONY: run migrate superuser shell test test-clients bench lint format install lock clean FORCE

# "3.11 /usr/bin/python3.11": the version and the real file of $(PYTHON), empty if it does not run.
PYTHON_FOUND := $(shell $(PYTHON) -c 'import os, sys; print("%d.%d" % sys.version_info[:2], os.path.realpath(sys.executable))' 2>/dev/null)
# Stops at once on a Python older than 3.11, where pip would otherwise fail deep in a dependency.
CHECK_PYTHON = @$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	echo "needs Python 3.11+ (found $(or $(firstword $(PYTHON_FOUND)),no $(PYTHON))): make PYTHON=python3.11 $(or $(MAKECMDGOALS),install)" >&2; \
	exit 1; }

# env/ is remade when another interpreter made it. The stamp names that interpreter and is
# rewritten only when it changes, so that only a change reinstalls.
$(VENV)/.python: FORCE
	$(CHECK_PYTHON)
	@if [ "$$(cat $@ 2>/dev/null)" != "$(PYTHON_FOUND)" ]; then \
		echo "making $(VENV)/ with $(PYTHON) ($(firstword $(PYTHON_FOUND)))"; \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && \
		$(BIN)/python -m pip install --quiet --upgrade pip && \
		echo "$(PYTHON_FOUND)" > $@; \
	fi

# The lock pins every package, transitive ones too, with the hashes of its files.
$(VENV)/.installed: $(VENV)/.python requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

# Refreshes requirements.lock and requirements-dev.lock after a change to requirements*.txt,
# keeping the other pins (LOCK_ARGS=--upgrade moves the unpinned, transitive ones to their
# latest). The compiler runs from a throwaway virtualenv; the development lock takes the runtime
# lock's versions, so that tests run what production does.
LOCK = "$$tmp/bin/uv" pip compile --quiet --generate-hashes --python-version 3.11 --python-platform linux \
	--custom-compile-command "make lock" $(LOCK_ARGS)
lock:
	$(CHECK_PYTHON)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		$(PYTHON) -m venv "$$tmp" && "$$tmp/bin/python" -m pip install --quiet "$(UV)" && \
		$(LOCK) -o requirements.lock requirements.txt && \
		$(LOCK) -o requirements-dev.lock requirements-dev.txt --constraint requirements.lock

# Development only: DEBUG on, which also allows the built-in development secret key. A .env
# cannot turn it off here, since the variable this sets is in the real environment, which wins
# over .env; the real environment can (DJANGO_DEBUG=false make run).
DEVELOPMENT := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

run: migrate
	$(DEVELOPMENT) $(BIN)/python manage.py runserver $(HOST)

migrate: install
	$(DEVELOPMENT) $(BIN)/python manage.py migrate --no-input

# An account for /admin/.
superuser: migrate
	$(DEVELOPMENT) $(BIN)/python manage.py createsuperuser

shell: install
	$(DEVELOPMENT) $(BIN)/python manage.py shell

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
