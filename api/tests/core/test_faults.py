"""Outages: what the API answers while Redis or PostgreSQL is stopped or frozen, and that it
recovers on its own within seconds once they are back (docs/operations.md, "Outages").

The first tests run in this process. The others start the project's own throwaway PostgreSQL and
Redis on free ports and gunicorn servers with two workers against them, then stop, freeze or kill
processes; they never touch the machine's own database or Redis.
"""

import contextlib
import http.client
import logging
import os
import signal
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import redis
from django.db import OperationalError, connection
from django.test import override_settings

from api.core.db_deadline import database_deadline
from api.core.throttle_cache import RETRY_INTERVAL, FallbackCache, throttle_cache
from api.models import Note
from api.tests.conftest import PASSWORD, suite_runs_on_postgres
from api.tests.live import (
    BlackHoleProxy,
    LiveServer,
    ThrowawayPostgres,
    free_port,
    manage_ok,
    server_env,
)
from api.tests.live_fixtures import running_postgres

# How long a server may take to come back before the test fails; recovery is expected in
# seconds (about RETRY_INTERVAL for the throttles' return to Redis).
RECOVERY_TIMEOUT = 30
# "Does not hang": far above the bounds of docs/operations.md, "Outages", far below "forever".
ANSWER_BOUND = 20


def _redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.fixture
def redis_unreachable():
    """The cache is a Redis on a port nobody listens on."""
    with override_settings(CACHES=_redis_cache(f"redis://127.0.0.1:{free_port()}/0")):
        yield


# --- Redis unreachable, in process --------------------------------------------------------------


@pytest.mark.django_db
def test_login_answers_200_and_401_not_500_while_redis_is_unreachable(api_client, user, redis_unreachable):
    fallbacks_before = throttle_cache.fallbacks

    good = api_client.post("/api/token/", {"username": "alice", "password": PASSWORD}, format="json")
    wrong = api_client.post("/api/token/", {"username": "alice", "password": "wrong"}, format="json")

    assert good.status_code == 200
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "no_active_account"
    assert throttle_cache.outage
    assert throttle_cache.fallbacks > fallbacks_before


@pytest.mark.django_db
def test_refresh_and_register_answer_while_redis_is_unreachable(api_client, tokens):
    with override_settings(CACHES=_redis_cache(f"redis://127.0.0.1:{free_port()}/0")):
        refreshed = api_client.post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json")
        registered = api_client.post(
            "/api/user/register/", {"username": "bob", "password": PASSWORD}, format="json"
        )

    assert refreshed.status_code == 200
    assert registered.status_code == 201


@pytest.mark.django_db
def test_throttles_still_limit_in_process_memory_while_redis_is_unreachable(api_client, redis_unreachable):
    wrong = {"username": "nobody", "password": "wrong"}

    with override_settings(AUTH_THROTTLE_RATE="3/min"):
        replies = [api_client.post("/api/token/", wrong, format="json") for _ in range(4)]

    assert [reply.status_code for reply in replies] == [401, 401, 401, 429]
    assert replies[-1].json()["code"] == "throttled"
    assert int(replies[-1]["Retry-After"]) > 0


@pytest.mark.django_db
def test_health_reports_the_cache_failing_while_throttles_count_in_memory(api_client, redis_unreachable):
    api_client.post("/api/token/", {"username": "nobody", "password": "wrong"}, format="json")
    assert throttle_cache.outage

    health = api_client.get("/api/health/")

    assert health.status_code == 503
    assert health.json()["database"] == "ok"
    assert health.json()["cache"].startswith("error: ")


@pytest.mark.django_db
def test_a_redis_outage_is_logged_once_not_per_request(api_client, redis_unreachable, caplog):
    with caplog.at_level(logging.WARNING, logger="api.core.throttle_cache"):
        for _ in range(5):
            api_client.post("/api/token/", {"username": "nobody", "password": "wrong"}, format="json")

    warnings = [record.getMessage() for record in caplog.records if record.name == "api.core.throttle_cache"]
    assert len(warnings) == 1
    assert "Throttle cache unreachable" in warnings[0]
    # The reason is there for the operator (the log is private, unlike the health answer).
    assert "ConnectionError" in warnings[0]


# --- The circuit breaker, with a stand-in for Redis and a clock of the test's own ----------------


class FakeRedis:
    """Answers like a cache while `up`, raises what redis-py raises otherwise; counts calls."""

    def __init__(self) -> None:
        self.up = False
        self.calls = 0
        self.values: dict = {}

    def get(self, key, default=None):
        self.calls += 1
        if not self.up:
            raise redis.ConnectionError("Connection refused")
        return self.values.get(key, default)

    def set(self, key, value, timeout=None):
        self.calls += 1
        if not self.up:
            raise redis.ConnectionError("Connection refused")
        self.values[key] = value


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_after_a_failure_redis_is_left_alone_for_the_retry_interval_then_asked_again():
    shared, clock = FakeRedis(), Clock()
    cache = FallbackCache(shared, clock=clock)

    cache.set("attempts", [1])
    cache.set("attempts", [1, 2])
    clock.now += RETRY_INTERVAL - 0.1
    kept_in_memory = cache.get("attempts")
    calls_while_open = shared.calls
    clock.now += 0.1
    shared.up = True
    asked_again = cache.get("attempts", "not in Redis")

    # One failed call opened the breaker: a hung Redis costs one request its timeout.
    assert calls_while_open == 1
    assert kept_in_memory == [1, 2]
    assert shared.calls == 2
    assert asked_again == "not in Redis"
    assert not cache.outage
    assert cache.fallbacks == 3


def test_a_long_outage_is_reminded_at_most_every_minute_and_its_end_is_logged_with_the_count(caplog):
    shared, clock = FakeRedis(), Clock()
    cache = FallbackCache(shared, clock=clock)

    with caplog.at_level(logging.WARNING, logger="api.core.throttle_cache"):
        for _ in range(24):  # two minutes of requests, one every RETRY_INTERVAL
            cache.get("key")
            clock.now += RETRY_INTERVAL
        shared.up = True
        cache.get("key")

    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 3
    assert messages[0].startswith("Throttle cache unreachable (ConnectionError: Connection refused)")
    assert messages[1].startswith("Throttle cache still unreachable after 60 s")
    assert messages[2].startswith("Throttle cache reachable again after 120 s; 24 throttle operations")


def test_without_redis_the_throttles_use_the_process_cache_directly():
    local = FakeRedis()
    local.up = True
    cache = FallbackCache(local)

    cache.set("key", "value")

    assert cache.get("key") == "value"
    assert cache.fallbacks == 0


# --- The database deadline, in process (PostgreSQL pass) -----------------------------------------


@pytest.mark.django_db
def test_a_query_past_its_deadline_fails_at_once_instead_of_waiting():
    if not suite_runs_on_postgres():
        pytest.skip("needs PostgreSQL: SQLite has no connection to cut (the CI's PostgreSQL pass runs it)")
    outcome: dict = {}

    def sleep_in_the_database():
        # A thread of its own: its own connection, as each gunicorn thread has.
        try:
            with database_deadline(1), connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")  # only the deadline can end the sleep
                outcome["backend"] = connection.connection.info.backend_pid
                cursor.execute("SELECT pg_sleep(600)")
            outcome["error"] = None
        except OperationalError as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    query = threading.Thread(target=sleep_in_the_database)
    query.start()
    query.join(ANSWER_BOUND)
    try:
        assert not query.is_alive(), f"the query was still waiting after {ANSWER_BOUND}s"
        assert isinstance(outcome["error"], OperationalError)
    finally:
        # The server does not notice the cut during pg_sleep; end that session here.
        if "backend" in outcome:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [outcome["backend"]])
        query.join(ANSWER_BOUND)


# --- Throwaway servers --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def postgres():
    """A migrated PostgreSQL of this module's own; each test leaves it running and thawed."""
    with running_postgres() as server:
        manage_ok("migrate", "--no-input", env=server_env(DATABASE_URL=server.url))
        yield server


def _child_pids(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # pid (command) state ppid ...: the command may hold spaces and parentheses.
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if ppid == parent:
            children.append(int(stat.parent.name))
    return children


@contextlib.contextmanager
def _frozen(server: ThrowawayPostgres):
    """SIGSTOP the postmaster and every backend: the server stops answering but its kernel
    still accepts connections and acknowledges packets, as on a paused machine."""
    postmaster = int((server.data / "postmaster.pid").read_text().split()[0])
    stopped = []
    try:
        # The postmaster first, so that it starts no backend after the list is read.
        for pid in [postmaster, *_child_pids(postmaster)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
        yield
    finally:
        for pid in stopped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)


def _open_client_connections(server: ThrowawayPostgres) -> int:
    """Client connections to `server` other than the one asking."""
    with psycopg.connect(server.url, connect_timeout=5) as db:
        (count,) = db.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()
    return count


def _wait_for(condition, what: str, timeout: float = RECOVERY_TIMEOUT) -> float:
    """Seconds until `condition()` held; fails the test after `timeout`."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            pytest.fail(f"no {what} within {timeout}s")
        time.sleep(0.1)
    return time.monotonic() - started


def _timed(server: LiveServer, method: str, path: str, body: dict | None = None, **kwargs):
    started = time.monotonic()
    reply = server.request(method, path, body, **kwargs)
    return reply, time.monotonic() - started


def _sign_up(server: LiveServer, username: str) -> dict:
    registered = server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD})
    assert registered.status == 201, registered.body
    reply = server.request("POST", "/api/token/", {"username": username, "password": PASSWORD})
    assert reply.status == 200, reply.body
    return reply.json()


def _username() -> str:
    return f"fault{uuid.uuid4().hex[:12]}"


def _assert_service_unavailable(reply, what: str) -> None:
    assert reply.status == 503, (what, reply.status, reply.body)
    assert reply.json()["code"] == "service_unavailable", (what, reply.body)
    assert int(reply.headers["Retry-After"]) > 0, what


# --- A worker killed under load -------------------------------------------------------------------

WRITERS = 4


def test_a_worker_killed_under_load_loses_no_acknowledged_write_and_is_replaced(postgres, gunicorn_server):
    server = gunicorn_server(server_env(DATABASE_URL=postgres.url), workers=2)
    master = server.process.pid
    run = uuid.uuid4().hex[:8]
    tokens = [_sign_up(server, _username())["access"] for _ in range(WRITERS)]
    workers = _child_pids(master)
    assert len(workers) == 2
    acknowledged: list[str] = []
    outcomes: Counter = Counter()
    stop = threading.Event()

    def write(writer: int) -> None:
        for n in range(10_000):
            if stop.is_set():
                return
            title = f"{run}-{writer}-{n}"
            try:
                reply = server.request(
                    "POST", "/api/notes/", {"title": title, "content": "x"}, token=tokens[writer]
                )
            except (OSError, http.client.HTTPException):
                # The killed worker's connections end without an answer: nothing was promised.
                outcomes["connection lost"] += 1
                continue
            outcomes[reply.status] += 1
            if reply.status == 201:
                acknowledged.append(title)

    with ThreadPoolExecutor(WRITERS) as pool:
        writers = [pool.submit(write, writer) for writer in range(WRITERS)]
        try:
            _wait_for(lambda: len(acknowledged) >= 40, "40 notes created before the kill")
            victim = workers[0]
            os.kill(victim, signal.SIGKILL)
            at_kill = len(acknowledged)
            _wait_for(
                lambda: len(replacements := _child_pids(master)) == 2 and victim not in replacements,
                "replacement worker",
            )
            _wait_for(lambda: len(acknowledged) >= at_kill + 40, "40 notes created after the kill")
        finally:
            stop.set()
            for done in writers:
                done.result()

    with psycopg.connect(postgres.url) as db:
        stored = {
            title
            for (title,) in db.execute(
                f"SELECT title FROM {Note._meta.db_table} WHERE title LIKE %s",  # noqa: S608 - a model's table name
                [f"{run}-%"],
            )
        }
    assert set(acknowledged) <= stored, f"acknowledged but lost: {sorted(set(acknowledged) - stored)}"
    # Only 201s and lost connections: no live worker answered an error.
    assert set(outcomes) <= {201, "connection lost"}, outcomes
    assert server.request("GET", "/api/health/").status == 200
    assert server.process.poll() is None


# --- Redis stopped ------------------------------------------------------------------------------

RATE = 4


def test_with_redis_stopped_logins_and_notes_keep_working_and_throttles_count_per_worker(
    postgres, throwaway_redis, gunicorn_server
):
    server = gunicorn_server(
        server_env(
            DATABASE_URL=postgres.url, REDIS_URL=throwaway_redis.url, AUTH_THROTTLE_RATE=f"{RATE}/min"
        ),
        workers=2,
    )
    username = _username()
    pair = _sign_up(server, username)
    assert server.request("GET", "/api/health/").status == 200

    throwaway_redis.stop()
    login = server.request("POST", "/api/token/", {"username": username, "password": PASSWORD})
    refreshed = server.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]})
    created = server.request("POST", "/api/notes/", {"title": "during", "content": "x"}, token=pair["access"])
    listed = server.request("GET", "/api/notes/", token=pair["access"])
    health, health_took = _timed(server, "GET", "/api/health/")
    wrong = [
        server.request("POST", "/api/token/", {"username": _username(), "password": "wrong"})
        for _ in range(3 * RATE)
    ]

    assert (login.status, refreshed.status, created.status, listed.status) == (200, 200, 201, 200)
    assert health.status == 503
    assert health.json()["database"] == "ok"
    assert health.json()["cache"].startswith("error: ")
    assert health_took < ANSWER_BOUND
    statuses = [reply.status for reply in wrong]
    assert set(statuses) <= {401, 429}
    # Each of the two workers lets RATE logins through (the good one included), no more.
    assert 1 + statuses.count(401) <= 2 * RATE
    throttled = next(reply for reply in wrong if reply.status == 429)
    assert throttled.json()["code"] == "throttled"
    assert int(throttled.headers["Retry-After"]) > 0

    throwaway_redis.start()
    _wait_for(lambda: server.request("GET", "/api/health/").status == 200, "health 200 after Redis restarted")
    shared = redis.Redis(port=throwaway_redis.port)

    def login_counted_in_redis() -> bool:
        server.request("POST", "/api/token/", {"username": _username(), "password": "wrong"})
        return bool(shared.keys("*throttle_login_*"))

    def outage_end_logged() -> bool:
        # Only a worker that saw the outage logs its end, at its next throttled request; which
        # worker takes a request is gunicorn's choice, so ask until it has been one of them.
        server.request("POST", "/api/token/", {"username": _username(), "password": "wrong"})
        return "Throttle cache reachable again" in server.output()

    try:
        _wait_for(login_counted_in_redis, "login throttle counted in Redis again")
        _wait_for(outage_end_logged, "the end of the outage logged")
    finally:
        shared.close()

    # Once per worker and outage, not once per request.
    assert 1 <= server.output().count("Throttle cache unreachable") <= 2


# --- PostgreSQL stopped ---------------------------------------------------------------------------


def test_with_postgresql_stopped_requests_answer_503_json_and_recover_when_it_restarts(
    postgres, gunicorn_server
):
    server = gunicorn_server(server_env(DATABASE_URL=postgres.url), workers=2)
    username = _username()
    pair = _sign_up(server, username)
    credentials = {"username": username, "password": PASSWORD}

    postgres.stop()
    try:
        during = {
            "login": [server.request("POST", "/api/token/", credentials) for _ in range(3)],
            "notes list": [server.request("GET", "/api/notes/", token=pair["access"]) for _ in range(3)],
            "note create": [
                server.request("POST", "/api/notes/", {"title": "t", "content": "x"}, token=pair["access"])
                for _ in range(3)
            ],
            "refresh": [server.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]})],
        }
        health, health_took = _timed(server, "GET", "/api/health/")
    finally:
        postgres.start()

    for what, replies in during.items():
        for reply in replies:
            _assert_service_unavailable(reply, what)
    assert health.status == 503
    assert health.json()["database"].startswith("error: ")
    assert health_took < ANSWER_BOUND

    _wait_for(
        lambda: server.request("GET", "/api/health/").status == 200, "health 200 after PostgreSQL restarted"
    )
    assert [server.request("GET", "/api/notes/", token=pair["access"]).status for _ in range(4)] == [200] * 4
    assert server.request("POST", "/api/token/", credentials).status == 200
    # Nothing was spent while the database was away: the refresh token still works.
    assert server.request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]}).status == 200


# --- PostgreSQL frozen ----------------------------------------------------------------------------

CONNECT_TIMEOUT = 2
REQUEST_TIMEOUT = 3


def test_with_postgresql_frozen_requests_answer_503_in_bounded_time_and_recover_after_sigcont(
    postgres, gunicorn_server
):
    server = gunicorn_server(
        server_env(
            DATABASE_URL=postgres.url,
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            DATABASE_REQUEST_TIMEOUT=str(REQUEST_TIMEOUT),
        ),
        workers=2,
    )
    pair = _sign_up(server, _username())

    def list_notes():
        return _timed(server, "GET", "/api/notes/", token=pair["access"])

    def check_health():
        return _timed(server, "GET", "/api/health/")

    def both_workers_hold_a_connection() -> bool:
        # Two at a time, until each worker holds an open connection: the one that will hang.
        # Which worker takes a request is gunicorn's choice, so the database is asked, not assumed:
        # a sync worker keeps at most one, and health checks close theirs.
        assert [reply.status for reply, _ in clients.map(lambda _: list_notes(), range(2))] == [200, 200]
        return _open_client_connections(postgres) == 2

    with ThreadPoolExecutor(2) as clients:
        _wait_for(both_workers_hold_a_connection, "both workers holding a database connection")
        with _frozen(postgres):
            # Each worker meets its hung connection: one in a request (cut after REQUEST_TIMEOUT),
            # one in the health check (cut after CONNECT_TIMEOUT); then each tries a new connection.
            on_hung_connections = [
                done.result() for done in (clients.submit(list_notes), clients.submit(check_health))
            ]
            # No open connection is left to hang on: a new one is given up after CONNECT_TIMEOUT.
            on_new_connections = [list_notes(), check_health()]

    for (notes, notes_took), (health, health_took) in (on_hung_connections, on_new_connections):
        _assert_service_unavailable(notes, "notes list")
        assert notes_took < ANSWER_BOUND
        assert health.status == 503, health.body
        assert health.json()["database"].startswith("error: ")
        assert health_took < ANSWER_BOUND
    assert "connection cut" in server.output()

    _wait_for(lambda: server.request("GET", "/api/health/").status == 200, "health 200 after SIGCONT")
    assert [server.request("GET", "/api/notes/", token=pair["access"]).status for _ in range(4)] == [200] * 4


# --- PostgreSQL hung behind a proxy ---------------------------------------------------------------

# What a load balancer's check tolerates, with the test's own overhead; and the slack on a
# request's DATABASE_REQUEST_TIMEOUT (the watchdog's interval, a busy machine).
HEALTH_BOUND = 2.5
DEADLINE_SLACK = 1.5


@pytest.fixture
def black_hole(postgres):
    """A proxy to this module's PostgreSQL that can stop forwarding: a hung server to its clients
    only, while the server itself keeps running (`live.BlackHoleProxy`)."""
    proxy = BlackHoleProxy(postgres.port)
    yield proxy
    proxy.close()


def test_with_the_database_hung_health_answers_within_2_s_and_requests_within_their_deadline(
    black_hole, gunicorn_server
):
    # One worker, so that the connection it holds open is the one that hangs.
    server = gunicorn_server(
        server_env(
            DATABASE_URL=black_hole.url("postgres"),
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            DATABASE_REQUEST_TIMEOUT=str(REQUEST_TIMEOUT),
        )
    )
    pair = _sign_up(server, _username())
    assert server.request("GET", "/api/notes/", token=pair["access"]).status == 200

    black_hole.black_hole()
    try:
        health_while_open, health_while_open_took = _timed(server, "GET", "/api/health/")
        # The worker's open connection hangs: cut at the deadline, and no new attempt after it.
        on_open, on_open_took = _timed(server, "GET", "/api/notes/", token=pair["access"])
        # That connection is gone: the new one hangs while connecting, within the deadline too.
        on_new, on_new_took = _timed(server, "GET", "/api/notes/", token=pair["access"])
        health_while_new, health_while_new_took = _timed(server, "GET", "/api/health/")
    finally:
        black_hole.forward()

    for health, took in (
        (health_while_open, health_while_open_took),
        (health_while_new, health_while_new_took),
    ):
        assert health.status == 503, health.body
        assert health.json()["database"].startswith("error: ")
        assert health.json()["cache"] == "ok"
        assert took <= HEALTH_BOUND
    for reply, took in ((on_open, on_open_took), (on_new, on_new_took)):
        _assert_service_unavailable(reply, "notes list")
        assert took <= REQUEST_TIMEOUT + DEADLINE_SLACK
    assert "connection cut" in server.output()

    _wait_for(lambda: server.request("GET", "/api/health/").status == 200, "health 200 once forwarding again")
    assert [server.request("GET", "/api/notes/", token=pair["access"]).status for _ in range(3)] == [200] * 3
