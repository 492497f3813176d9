import itertools
import shutil
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
import redis
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from api.models import Note, User
from api.tests.live import (
    ThrowawayPostgres,
    ThrowawayRedis,
    manage_ok,
    postgres_bindir,
    server_env,
    start_gunicorn,
)
from api.throttle_cache import throttle_cache

PASSWORD = "correct horse battery staple"
_usernames = (f"user{n}" for n in itertools.count(1))


@pytest.fixture(scope="session", autouse=True)
def _static_files(tmp_path_factory):
    # As in a deployment: the manifest storage renders admin pages only after collectstatic.
    # Autorefresh looks files up per request instead of indexing them whenever a test client
    # builds its middleware, which would double the suite's time; test_live_servers.py serves
    # them as production does.
    with override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static"), WHITENOISE_AUTOREFRESH=True):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    # The test clients and pytest-django's live server speak plain HTTP, which production
    # redirects to HTTPS (test_production.py tests that redirect).
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters live in the cache (or, while it is unreachable, in process memory, with
    # the outage remembered for a few seconds); each test starts with none.
    cache.clear()
    throttle_cache.reset()
    yield
    cache.clear()
    throttle_cache.reset()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def make_user(db):
    def make(username: str | None = None, password: str = PASSWORD, **extra) -> User:
        return User.objects.create_user(username=username or next(_usernames), password=password, **extra)

    return make


@pytest.fixture
def user(make_user) -> User:
    return make_user("alice")


@pytest.fixture
def login(api_client):
    """Logs in through the API and returns the `{access, refresh}` answer."""

    def do_login(username: str, password: str = PASSWORD) -> dict:
        response = api_client.post("/api/token/", {"username": username, "password": password}, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return do_login


@pytest.fixture
def tokens(user, login) -> dict:
    return login(user.username)


@pytest.fixture
def auth_client(tokens) -> APIClient:
    """A client that sends alice's access token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client


@pytest.fixture
def client_for(login):
    """A logged-in client for any user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {login(user.username)['access']}")
        return client

    return make


@pytest.fixture
def make_note(db):
    def make(author: User, title: str = "A note", content: str = "Some text") -> Note:
        return Note.objects.create(author=author, title=title, content=content)

    return make


@pytest.fixture
def key_files(tmp_path):
    """Writes a new key pair for an algorithm to PEM files: `key_files("RS256")` -> (private, public)."""

    def write(algorithm: str, name: str = "jwt") -> tuple[Path, Path]:
        if algorithm == "RS256":
            key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        else:
            key = ec.generate_private_key(ec.SECP256R1())
        private, public = tmp_path / f"{name}-private.pem", tmp_path / f"{name}-public.pem"
        private.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        public.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return private, public

    return write


# --- Live servers (api/tests/live.py) --------------------------------------------------------


# Why the tests of several instances sharing one database and one Redis are skipped.
SHARED_SERVICES_NEEDED = (
    "needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://... "
    "(CI's PostgreSQL pass sets both)"
)


def suite_runs_on_postgres() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def suite_runs_with_redis() -> bool:
    return django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def gunicorn_server(tmp_path):
    """Starts gunicorn servers: `gunicorn_server(env, workers=1)`; all are stopped after the test."""
    servers = []

    def start(env: dict[str, str], *, workers: int = 1):
        server = start_gunicorn(env, tmp_path, workers=workers)
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
    cache_settings = django_settings.CACHES["default"]
    parts = urlsplit(cache_settings["LOCATION"])
    suite_db = int(parts.path.strip("/") or 0)
    url = urlunsplit(parts._replace(path=f"/{14 if suite_db != 14 else 13}"))
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


@pytest.fixture
def throwaway_postgres():
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
