"""The failed-credential limit holds exactly under concurrency: parallel wrong passwords and codes
sent to one account through gunicorn with several workers are checked at most the limit times
(SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass)."""

import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.tests.conftest import PASSWORD
from api.tests.live import server_env, totp_on

LIMIT = 10
PARALLEL = 40


def _at_once(server, path: str, bodies: list[dict]) -> Counter:
    """POST each body to `path` at the same moment; how many answers of each status."""
    start = threading.Barrier(len(bodies))

    def send(body: dict) -> int:
        start.wait(timeout=30)
        return server.request("POST", path, body).status

    with ThreadPoolExecutor(len(bodies)) as clients:
        return Counter(clients.map(send, bodies))


def _server(gunicorn_server, live_database_url, workers: int):
    return gunicorn_server(
        server_env(
            DATABASE_URL=live_database_url,
            # Only the per-account limit under test: the per-IP ones out of the way.
            AUTH_THROTTLE_RATE="100000/min",
            LOGIN_FAILURE_IP_RATE="100000/min",
            LOGIN_FAILURE_RATE=f"{LIMIT}/hour",
            # Production hashing: each check holds its worker as long as in production, so the
            # parallel requests overlap as they would there.
            DJANGO_SETTINGS_MODULE="backend.settings",
        ),
        workers=workers,
    )


def _sign_up(server) -> dict:
    credentials = {"username": f"limit-{uuid.uuid4().hex[:10]}", "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201
    return credentials


@pytest.mark.parametrize("workers", [2, 8])
def test_parallel_wrong_passwords_are_checked_at_most_the_limit_times(
    live_database_url, gunicorn_server, workers
):
    server = _server(gunicorn_server, live_database_url, workers)
    credentials = _sign_up(server)

    statuses = _at_once(
        server, "/api/token/", [{**credentials, "password": f"wrong {n}"} for n in range(PARALLEL)]
    )

    assert statuses == Counter({401: LIMIT, 429: PARALLEL - LIMIT}), statuses
    # The account stays locked for the right password too, from a client without a device cookie.
    assert server.request("POST", "/api/token/", credentials).status == 429


def test_parallel_wrong_codes_are_checked_at_most_the_limit_times(live_database_url, gunicorn_server):
    server = _server(gunicorn_server, live_database_url, 2)
    credentials = _sign_up(server)
    totp, _codes = totp_on(server, credentials)
    # Each mfa_token takes 5 wrong codes; enough of them that only the account's limit stops the rest.
    mfa_tokens = [server.request("POST", "/api/token/", credentials).json()["mfa_token"] for _ in range(8)]
    wrong = str((int(totp.now()) + 500_000) % 1_000_000).zfill(6)

    statuses = _at_once(
        server, "/api/token/mfa/", [{"mfa_token": mfa_tokens[n % 8], "code": wrong} for n in range(PARALLEL)]
    )

    assert statuses == Counter({401: LIMIT, 429: PARALLEL - LIMIT}), statuses
