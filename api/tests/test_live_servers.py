"""The project served by gunicorn as in production, on free ports: static files, the request
log, tokens verified by another service, several instances behind one database and one Redis,
and concurrent writers."""

import json
import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import jwt
import pytest

from api.tests.conftest import PASSWORD, SHARED_SERVICES_NEEDED, suite_runs_on_postgres, suite_runs_with_redis
from api.tests.live import LiveServer, create_notes, manage_ok, server_env


def _username() -> str:
    return f"live{uuid.uuid4().hex[:12]}"


def _sign_up(server: LiveServer, username: str) -> dict:
    """Registers `username` and logs it in; returns the `{access, refresh}` pair."""
    registered = server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD})
    assert registered.status == 201, registered.body
    return _log_in(server, username)


def _log_in(server: LiveServer, username: str) -> dict:
    reply = server.request("POST", "/api/token/", {"username": username, "password": PASSWORD})
    assert reply.status == 200, reply.body
    return reply.json()


# --- One production server ------------------------------------------------------------------


def test_admin_assets_are_served_compressed_with_hashed_names_and_cached_forever(tmp_path, gunicorn_server):
    env = server_env(DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    manage_ok("collectstatic", "--no-input", env=env)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    server = gunicorn_server(env)

    reply = server.request("GET", f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})

    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/css")
    assert reply.headers["Content-Encoding"] == "gzip"
    assert "immutable" in reply.headers["Cache-Control"]


def test_requests_are_logged_to_stdout_without_credentials(live_database_url, gunicorn_server):
    server = gunicorn_server(server_env(DATABASE_URL=live_database_url))

    pair = _sign_up(server, _username())
    server.request("GET", "/api/notes/?search=private-words", token=pair["access"])
    server.stop()

    stdout = server.stdout.read_text()
    assert "POST /api/user/register/ 201 " in stdout
    assert "POST /api/token/ 200 " in stdout
    assert "GET /api/notes/ 200 " in stdout
    for secret in (PASSWORD, pair["access"], pair["refresh"], "private-words"):
        assert secret not in server.output()


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_another_service_verifies_access_tokens_with_the_published_jwk_set(
    live_database_url, gunicorn_server, key_files, algorithm
):
    private, public = key_files(algorithm)
    server = gunicorn_server(
        server_env(
            DATABASE_URL=live_database_url,
            JWT_ALGORITHM=algorithm,
            JWT_PRIVATE_KEY_FILE=str(private),
            JWT_PUBLIC_KEY_FILE=str(public),
        )
    )
    pair = _sign_up(server, _username())

    # What a separate service does: it knows only the JWK Set's address.
    signing_key = jwt.PyJWKClient(f"{server.url}/.well-known/jwks.json").get_signing_key_from_jwt(
        pair["access"]
    )
    claims = jwt.decode(pair["access"], signing_key.key, algorithms=[algorithm])

    me = server.request("GET", "/api/user/me/", token=pair["access"]).json()
    assert claims["user_id"] == str(me["id"])
    assert claims["token_type"] == "access"


# --- Several instances: one PostgreSQL database, one Redis ------------------------------------


@pytest.fixture
def two_instances(request, gunicorn_server):
    """Instances A and B on their own ports, sharing the database and Redis.

    3 logins a minute, and no grace for a replayed refresh token.
    """
    if not (suite_runs_on_postgres() and suite_runs_with_redis()):
        pytest.skip(SHARED_SERVICES_NEEDED)
    redis_url = request.getfixturevalue("shared_redis_url")
    env = server_env(
        DATABASE_URL=request.getfixturevalue("live_database_url"),
        REDIS_URL=redis_url,
        AUTH_THROTTLE_RATE="3/min",
        JWT_REFRESH_REUSE_GRACE="0",
    )
    return gunicorn_server(env), gunicorn_server(env)


def test_tokens_and_sessions_are_shared_by_instances(two_instances):
    a, b = two_instances
    pair = _sign_up(a, _username())

    seen_by_b = b.request("GET", "/api/user/me/", token=pair["access"])
    renewed_on_b = b.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]})
    # A knows that B spent that refresh token: the replay revokes the session on every instance.
    replayed_on_a = a.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]})
    successor_on_b = b.request("POST", "/api/token/refresh/", {"refresh": renewed_on_b.json()["refresh"]})

    assert seen_by_b.status == 200
    assert renewed_on_b.status == 200
    assert replayed_on_a.status == 401
    assert successor_on_b.status == 401


def test_logout_everywhere_on_one_instance_is_honoured_by_the_other(two_instances):
    a, b = two_instances
    pair = _sign_up(a, _username())
    assert b.request("GET", "/api/user/me/", token=pair["access"]).status == 200

    assert a.request("POST", "/api/user/logout-all/", token=pair["access"]).status == 204

    assert b.request("GET", "/api/user/me/", token=pair["access"]).status == 401
    assert b.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]}).status == 401


def test_throttle_counts_are_shared_by_instances(two_instances):
    a, b = two_instances
    wrong = {"username": "nobody", "password": "wrong password"}

    statuses = [server.request("POST", "/api/token/", wrong).status for server in (a, a, b, b)]

    # AUTH_THROTTLE_RATE=3/min for all instances together: counted apart, B would answer 401.
    assert statuses == [401, 401, 401, 429]


# --- Concurrent writers -----------------------------------------------------------------------

CLIENTS = 4
NOTES_PER_CLIENT = 25


def test_concurrent_writers_lose_nothing_and_see_no_errors(live_database_url, gunicorn_server):
    # SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass (live_database_url).
    env = server_env(DATABASE_URL=live_database_url)
    server = gunicorn_server(env, workers=3)
    run = uuid.uuid4().hex[:8]
    tokens = [_sign_up(server, _username())["access"] for _ in range(CLIENTS)]

    with ProcessPoolExecutor(CLIENTS, mp_context=multiprocessing.get_context("spawn")) as clients:
        statuses = list(
            clients.map(
                create_notes,
                [server.port] * CLIENTS,
                tokens,
                [f"{run}-{n}" for n in range(CLIENTS)],
                [NOTES_PER_CLIENT] * CLIENTS,
            )
        )

    assert statuses == [[201] * NOTES_PER_CLIENT] * CLIENTS
    count = (
        "from api.models import Note; "
        f"notes = Note.objects.filter(title__startswith='{run}-'); "
        "print(notes.count(), notes.values('title').distinct().count())"
    )
    rows, distinct_titles = map(int, manage_ok("shell", "--no-imports", "-c", count, env=env).split())
    assert rows == distinct_titles == CLIENTS * NOTES_PER_CLIENT


# --- Parallel refreshes -----------------------------------------------------------------------

PARALLEL_REFRESHES = 6


def test_parallel_refreshes_with_one_token_all_get_the_same_successor(live_database_url, gunicorn_server):
    # What an Axios interceptor does when several requests got 401 at once: the workers race for
    # the session row, exactly one rotates, the others are inside the grace.
    server = gunicorn_server(server_env(DATABASE_URL=live_database_url), workers=3)
    pair = _sign_up(server, _username())

    with ThreadPoolExecutor(PARALLEL_REFRESHES) as clients:
        replies = list(
            clients.map(
                lambda _: server.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]}),
                range(PARALLEL_REFRESHES),
            )
        )

    assert [reply.status for reply in replies] == [200] * PARALLEL_REFRESHES
    successors = {reply.json()["refresh"] for reply in replies}
    assert len(successors) == 1
    follow_up = server.request("POST", "/api/token/refresh/", {"refresh": successors.pop()})
    assert follow_up.status == 200
