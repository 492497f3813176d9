"""Ending a session under gunicorn: every worker refuses its access token at the next request."""

import uuid

from api.tests.conftest import PASSWORD
from api.tests.live import server_env

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
