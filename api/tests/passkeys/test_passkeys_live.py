"""One passkey answer sent many times at once, through gunicorn with several workers: its
challenge is spent once, so exactly one request logs in (or registers) and the others are
refused, on SQLite in the SQLite pass and on PostgreSQL in the PostgreSQL pass."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.tests.conftest import PASSWORD
from api.tests.live import LiveServer, server_env
from api.tests.passkeys.authenticator import ORIGIN, SoftAuthenticator

WORKERS = 3
ROUNDS = 8
SENDERS = 6


@pytest.fixture
def passkey_server(live_database_url, gunicorn_server) -> LiveServer:
    return gunicorn_server(
        server_env(
            DATABASE_URL=live_database_url,
            AUTH_THROTTLE_RATE="100000/min",
            LOGIN_FAILURE_RATE="100000/min",
            WEBAUTHN_RP_ID="localhost",
            WEBAUTHN_ORIGINS=ORIGIN,
        ),
        workers=WORKERS,
    )


def _all_at_once(pool: ThreadPoolExecutor, send) -> list:
    start = threading.Barrier(SENDERS)

    def one(_):
        start.wait(timeout=30)
        return send()

    return list(pool.map(one, range(SENDERS)))


def _signed_up(server: LiveServer) -> str:
    username = f"pk{uuid.uuid4().hex[:12]}"
    assert (
        server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD}).status
        == 201
    )
    login = server.request("POST", "/api/token/", {"username": username, "password": PASSWORD})
    assert login.status == 200, login.body
    return login.json()["access"]


def _assert_one_passed(replies, ok: int, refused: int) -> None:
    statuses = sorted(reply.status for reply in replies)
    assert statuses == [ok] + [refused] * (SENDERS - 1), [(r.status, r.body[:200]) for r in replies]
    for reply in replies:
        if reply.status == refused:
            assert reply.json()["code"] == "passkey_challenge_invalid", reply.body


def test_parallel_registrations_of_one_answer_store_one_passkey(passkey_server):
    server = passkey_server
    access = _signed_up(server)

    with ThreadPoolExecutor(SENDERS) as pool:
        for _ in range(ROUNDS):
            options = server.request(
                "POST", "/api/user/passkeys/register/options/", {"password": PASSWORD}, token=access
            )
            assert options.status == 200, options.body
            answer = {"credential": SoftAuthenticator().create(options.json())}

            replies = _all_at_once(
                pool,
                lambda answer=answer: server.request(
                    "POST", "/api/user/passkeys/register/", answer, token=access
                ),
            )

            _assert_one_passed(replies, 201, 400)

    assert len(server.request("GET", "/api/user/passkeys/", token=access).json()) == ROUNDS


def test_parallel_logins_with_one_answer_log_in_once(passkey_server):
    server = passkey_server
    access = _signed_up(server)
    authenticator = SoftAuthenticator()
    options = server.request(
        "POST", "/api/user/passkeys/register/options/", {"password": PASSWORD}, token=access
    )
    registered = server.request(
        "POST",
        "/api/user/passkeys/register/",
        {"credential": authenticator.create(options.json())},
        token=access,
    )
    assert registered.status == 201, registered.body

    with ThreadPoolExecutor(SENDERS) as pool:
        for _ in range(ROUNDS):
            answer = {
                "credential": authenticator.get(server.request("POST", "/api/token/passkey/options/").json())
            }

            replies = _all_at_once(
                pool, lambda answer=answer: server.request("POST", "/api/token/passkey/", answer)
            )

            _assert_one_passed(replies, 200, 401)
