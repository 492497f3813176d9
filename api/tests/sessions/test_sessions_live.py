"""Sessions under gunicorn: ending one makes every worker refuse its access token at the next
request, and a User-Agent sent as raw UTF-8 bytes is listed as the client wrote it."""

import http.client
import json
import uuid

from api.tests.conftest import PASSWORD
from api.tests.live import REQUEST_TIMEOUT, server_env

# Requests after the ending; with two workers on one port, both answer some of them.
REQUESTS_AFTER = 40


def test_an_ended_sessions_access_token_is_refused_by_every_worker(live_database_url, gunicorn_server):
    server = gunicorn_server(
        server_env(DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min"), workers=2
    )
    username = f"worker-{uuid.uuid4().hex[:10]}"
    assert (
        server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD}).status
        == 201
    )
    credentials = {"username": username, "password": PASSWORD}
    ended, kept = (server.request("POST", "/api/token/", credentials).json() for _ in range(2))
    # Every worker has now seen, and cached the signature of, the token about to be ended.
    for _ in range(REQUESTS_AFTER):
        assert server.request("GET", "/api/notes/", token=ended["access"]).status == 200
    sessions = server.request("GET", "/api/user/sessions/", token=kept["access"]).json()
    [ended_session] = [s for s in sessions if not s["current"]]

    assert (
        server.request("DELETE", f"/api/user/sessions/{ended_session['id']}/", token=kept["access"]).status
        == 204
    )

    answers = [server.request("GET", "/api/notes/", token=ended["access"]) for _ in range(REQUESTS_AFTER)]
    assert {reply.status for reply in answers} == {401}
    assert {reply.json()["code"] for reply in answers} == {"token_not_valid"}
    assert server.request("GET", "/api/notes/", token=kept["access"]).status == 200
    # Logout of the other session does the same for its access token.
    assert server.request("POST", "/api/token/blacklist/", {"refresh": kept["refresh"]}).status == 200
    after_logout = [server.request("GET", "/api/notes/", token=kept["access"]) for _ in range(REQUESTS_AFTER)]
    assert {reply.status for reply in after_logout} == {401}


def test_a_user_agent_sent_as_utf8_bytes_is_listed_as_the_client_wrote_it(live_database_url, gunicorn_server):
    server = gunicorn_server(server_env(DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min"))
    credentials = {"username": f"agent-{uuid.uuid4().hex[:10]}", "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201
    body = json.dumps(credentials).encode()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.putrequest("POST", "/api/token/")
        # http.client sends a bytes value as it is; a str would have to be latin-1.
        connection.putheader("User-Agent", "Über-App/1.0 ✓".encode())
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        login = connection.getresponse()
        assert login.status == 200
        access = json.loads(login.read())["access"]
    finally:
        connection.close()

    sessions = server.request("GET", "/api/user/sessions/", token=access).json()

    assert [s["user_agent"] for s in sessions] == ["Über-App/1.0 ✓"]
