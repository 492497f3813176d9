"""The replay record under gunicorn with two workers, wherever it lives (the replay directory in
the SQLite pass, the database table in the PostgreSQL pass, and Redis where the suite has it):
one proof sent to both workers at once holds exactly once."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.tests.conftest import PASSWORD
from api.tests.dpop.conftest import DpopKey
from api.tests.live import server_env

PARALLEL = 8
ROUNDS = 3


def _at_once(server, headers: dict[str, str]) -> list:
    """GET the notes with these headers from PARALLEL clients at the same moment."""
    start = threading.Barrier(PARALLEL)

    def send(_):
        start.wait()
        return server.request("GET", "/api/notes/", headers=headers)

    with ThreadPoolExecutor(PARALLEL) as clients:
        return list(clients.map(send, range(PARALLEL)))


@pytest.mark.parametrize("record", ["local", "redis"])
def test_one_proof_sent_to_two_workers_at_once_holds_exactly_once(
    request, record, live_database_url, gunicorn_server
):
    redis = {"REDIS_URL": request.getfixturevalue("shared_redis_url")} if record == "redis" else {}
    server = gunicorn_server(
        server_env(DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min", **redis), workers=2
    )
    key = DpopKey()
    credentials = {"username": f"dpop-{uuid.uuid4().hex[:10]}", "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201
    login = server.request(
        "POST", "/api/token/", credentials, headers={"DPoP": key.proof("POST", server.url + "/api/token/")}
    )
    assert login.status == 200, login.body
    access = login.json()["access"]

    for _ in range(ROUNDS):
        proof = key.proof("GET", server.url + "/api/notes/", access=access)
        replies = _at_once(server, {"Authorization": f"DPoP {access}", "DPoP": proof})
        assert sorted(reply.status for reply in replies) == [200] + [401] * (PARALLEL - 1)
        assert {reply.json()["code"] for reply in replies if reply.status == 401} == {"invalid_dpop_proof"}
