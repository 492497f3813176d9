"""Fixtures that start live servers: gunicorn, and the PostgreSQL and Redis behind them."""

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import psycopg
import pytest
import redis
from django.conf import settings as django_settings

from api.tests.conftest import (
    redis_database_numbers,
    redis_url,
    suite_runs_on_postgres,
    suite_runs_with_redis,
)
from api.tests.live import (
    ThrowawayPostgres,
    ThrowawayRedis,
    manage_ok,
    postgres_bindir,
    server_env,
    start_gunicorn,
)


@pytest.fixture
def gunicorn_server(tmp_path):
    """Starts gunicorn servers: `gunicorn_server(env, workers=1, config=None)` (`config`: a
    gunicorn config file, e.g. backend/gunicorn.py); all are stopped after the test."""
    servers = []

    def start(env: dict[str, str], *, workers: int = 1, config: str | None = None):
        server = start_gunicorn(env, tmp_path, workers=workers, config=config)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def live_database_url(tmp_path_factory):
    """A migrated database for live servers, shared by the session's live tests.

    On PostgreSQL (when the suite runs there), a throwaway database on the same server,
    dropped at the end; otherwise an SQLite file.
    """
    if not suite_runs_on_postgres():
        url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
        manage_ok("migrate", "--no-input", env=server_env(DATABASE_URL=url))
        yield url
        return
    name = f"notes_live_{uuid.uuid4().hex[:12]}"
    with _postgres_admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = _postgres_url(name)
        manage_ok("migrate", "--no-input", env=server_env(DATABASE_URL=url))
        yield url
    finally:
        with _postgres_admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_admin_connection() -> psycopg.Connection:
    db = django_settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _postgres_url(name: str) -> str:
    db = django_settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "localhost", safe="")
    return f"postgres://{credentials}@{host}:{db['PORT'] or 5432}/{name}"


@pytest.fixture
def shared_redis_url():
    """A Redis database for live servers, empty at the start and end of the test.

    The test suite's own cache (REDIS_URL) is on the same server, in another database number.
    """
    if not suite_runs_with_redis():
        pytest.skip("needs Redis: set REDIS_URL=redis://... (CI's PostgreSQL pass does)")
    url = redis_url(redis_database_numbers()[1])
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def throwaway_redis():
    """A started Redis of the test's own on a free port (`live.ThrowawayRedis`), removed after."""
    program = shutil.which("redis-server")
    if program is None:
        pytest.skip("needs redis-server to run a Redis of the test's own")
    server = ThrowawayRedis(program)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextlib.contextmanager
def running_postgres() -> Iterator[ThrowawayPostgres]:
    """A started PostgreSQL of the test's own on a free port (`live.ThrowawayPostgres`), removed after."""
    bindir = postgres_bindir()
    if bindir is None:
        pytest.skip("needs PostgreSQL's server programs (initdb, pg_ctl) to run a server of the test's own")
    server = ThrowawayPostgres(bindir)
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture
def throwaway_postgres():
    """`running_postgres` for one test."""
    with running_postgres() as server:
        yield server
