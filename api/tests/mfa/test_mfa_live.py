"""Races of the second login step under gunicorn with two workers (SQLite in the SQLite pass,
PostgreSQL in the PostgreSQL pass): of parallel logins with one recovery code, or one TOTP code,
exactly one finishes."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from api.tests.conftest import PASSWORD
from api.tests.live import server_env, totp_on

ROUNDS = 3
PARALLEL = 4


def _parallel(server, bodies: list[dict]) -> list[int]:
    """POST each body to /api/token/mfa/ at the same moment; their statuses."""
    start = threading.Barrier(len(bodies))

    def send(body: dict) -> int:
        start.wait()
        return server.request("POST", "/api/token/mfa/", body).status

    with ThreadPoolExecutor(len(bodies)) as clients:
        return list(clients.map(send, bodies))


def test_parallel_logins_with_one_code_finish_exactly_once(live_database_url, gunicorn_server):
    server = gunicorn_server(
        server_env(
            DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min", LOGIN_FAILURE_RATE="1000/min"
        ),
        workers=2,
    )
    username = f"mfa-{uuid.uuid4().hex[:10]}"
    credentials = {"username": username, "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201
    totp, recovery_codes = totp_on(server, credentials)

    def mfa_tokens() -> list[str]:
        answers = [server.request("POST", "/api/token/", credentials) for _ in range(PARALLEL)]
        assert {a.status for a in answers} == {401}
        return [a.json()["mfa_token"] for a in answers]

    for code in recovery_codes[:ROUNDS]:
        statuses = _parallel(server, [{"mfa_token": t, "code": code} for t in mfa_tokens()])
        assert sorted(statuses) == [200] + [401] * (PARALLEL - 1), statuses

    # The next time step's code (within the drift allowed; the one that confirmed is spent), sent
    # by every client at once.
    code = totp.at(time.time() + 30)
    statuses = _parallel(server, [{"mfa_token": t, "code": code} for t in mfa_tokens()])
    assert sorted(statuses) == [200] + [401] * (PARALLEL - 1), statuses
