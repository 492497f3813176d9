import copy
import itertools
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from rest_framework.test import APIClient

from api.core.throttle_cache import throttle_cache
from api.models import Note, User
from api.tests.live import ZYGOTE
from api.tests.range_server import RangeServer, dead_port
from api.tests.schema_contract import SchemaContract

# pytest reads plugins only from the root conftest; the live servers' fixtures live apart.
pytest_plugins = ["api.tests.live_fixtures"]

PASSWORD = "correct horse battery staple"
PROJECT_PASSWORD_HASHERS = list(django_settings.PASSWORD_HASHERS)
QUICK_HASHER = "api.tests.hashers.QuickArgon2idHasher"
# pytest-xdist names its workers gw0, gw1, ...; a run without it is "master".
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "master")
_SUITE_CACHE_LOCATION = str(django_settings.CACHES["default"].get("LOCATION", ""))
_usernames = (f"user{n}" for n in itertools.count(1))


@pytest.fixture(scope="session", autouse=True)
def _static_files(tmp_path_factory):
    # As in a deployment: the manifest storage renders admin pages only after collectstatic.
    # Autorefresh looks files up per request instead of indexing them whenever a test client
    # builds its middleware, which would double the suite's time. Django's manifest storage
    # gives the same hashed names without whitenoise's compression of every file, which took
    # most of a worker's start; test_live_servers.py serves them compressed, as production does.
    storages = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    static_root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=static_root, STORAGES=storages, WHITENOISE_AUTOREFRESH=True):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield


@pytest.fixture(scope="session", autouse=True)
def _zygote_stopped_at_the_end():
    yield
    ZYGOTE.stop()


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    # The test clients and pytest-django's live server speak plain HTTP, which production
    # redirects to HTTPS (test_production.py tests that redirect).
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session", autouse=True)
def _dpop_replay_dir_of_this_worker(tmp_path_factory):
    # Beside the development database by default; each worker records proofs in a directory of
    # its own, so a test that moves the clock cannot sweep away another worker's records.
    if not django_settings.DPOP_REPLAY_DIR:
        yield
        return
    with override_settings(DPOP_REPLAY_DIR=str(tmp_path_factory.mktemp("dpop-proofs"))):
        yield


# The relying party the suite's passkeys are made for: development's (make run and the React dev
# server), which the tests' software authenticator (api/tests/passkeys/authenticator.py) signs for.
PASSKEY_ORIGINS = ["http://localhost:5173", "http://localhost:8000"]


@pytest.fixture(scope="session", autouse=True)
def _passkeys_on_localhost():
    # With DEBUG off, as the suite runs, passkeys are off until WEBAUTHN_RP_ID is set.
    with override_settings(WEBAUTHN_RP_ID="localhost", WEBAUTHN_ORIGINS=PASSKEY_ORIGINS):
        yield


@pytest.fixture(scope="session", autouse=True)
def _quick_password_hashing():
    # New hashes are Argon2id at its least cost (api/tests/hashers.py); stored hashes of any
    # other kind still verify, as in production.
    project = django_settings.PASSWORD_HASHERS
    with override_settings(PASSWORD_HASHERS=[QUICK_HASHER, *project[1:]]):
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_breached_password_lookups():
    # The suite never asks the real range API (its default URL): the check is off unless a test
    # turns it on against a server of its own (`range_api`), and one that turns it on without
    # a server finds a port that refuses. The live servers get it off too (`live.project_env`).
    with (
        dead_port() as port,
        override_settings(PWNED_PASSWORDS_CHECK=False, PWNED_PASSWORDS_URL=f"http://127.0.0.1:{port}/range/"),
    ):
        yield


@pytest.fixture
def range_api(settings, monkeypatch):
    """The breached-password check on, against a range server of this test's own (tests/range_server.py)."""
    for variable in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(variable, raising=False)  # a proxy would stand between
    server = RangeServer()
    settings.PWNED_PASSWORDS_CHECK = True
    settings.PWNED_PASSWORDS_URL = server.url
    yield server
    server.close()


@pytest.fixture
def project_password_hashers(settings):
    """The production hashers, for tests of what a login stores and upgrades."""
    settings.PASSWORD_HASHERS = PROJECT_PASSWORD_HASHERS


@pytest.fixture(scope="session", autouse=True)
def _cache_of_this_worker():
    # Parallel workers (pytest-xdist) each clear the cache around every test: on a shared Redis
    # they would wipe each other's throttle counts, so each worker gets a database number of
    # its own (`redis_database_numbers`).
    if not suite_runs_with_redis() or _WORKER == "master":
        yield
        return
    suite, _ = redis_database_numbers()
    caches = copy.deepcopy(django_settings.CACHES)
    caches["default"]["LOCATION"] = redis_url(suite)
    with override_settings(CACHES=caches):
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


@pytest.fixture(scope="session", autouse=True)
def _answers_held_to_the_schema():
    # Every error answer of every test must be one the schema documents (api/tests/schema_contract.py).
    contract = SchemaContract.generate()
    request = Client.request

    def checked_request(self, **environ):
        response = request(self, **environ)
        problem = contract.problem(
            environ["REQUEST_METHOD"],
            environ["PATH_INFO"],
            environ.get("QUERY_STRING", ""),
            response.status_code,
            response.get("Content-Type", ""),
            b"" if response.streaming else response.content,
        )
        if problem is not None:
            raise AssertionError(f"The answer does not fit the OpenAPI schema: {problem}")
        return response

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Client, "request", checked_request)
        yield


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


# --- Live servers (api/tests/live.py; their fixtures: api/tests/live_fixtures.py) ----------


# Why the tests of several instances sharing one database and one Redis are skipped.
SHARED_SERVICES_NEEDED = (
    "needs PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://... "
    "(CI's PostgreSQL pass sets both)"
)


def suite_runs_on_postgres() -> bool:
    return django_settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def suite_runs_with_redis() -> bool:
    return django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"


def redis_database_numbers() -> tuple[int, int]:
    """This test process's Redis database numbers: its own cache's, and its live servers'.

    The suite's REDIS_URL names the first worker's cache (CI: 15); each further worker takes
    the next two numbers down, so parallel workers never clear each other's keys.
    """
    base = int(urlsplit(_SUITE_CACHE_LOCATION).path.strip("/") or 0)
    index = 0 if _WORKER == "master" else int(_WORKER.removeprefix("gw"))
    suite = (base - 2 * index) % 16
    return suite, (suite - 1) % 16


def redis_url(database: int) -> str:
    """The suite's Redis server, with another database number."""
    return urlunsplit(urlsplit(_SUITE_CACHE_LOCATION)._replace(path=f"/{database}"))
