"""Writes racing each other on the same rows, through gunicorn with several workers.

Runs on SQLite in the SQLite pass and on PostgreSQL in the PostgreSQL pass (`live_database_url`).
Each round releases its requests together from a barrier, so they overlap in the workers.
"""

import re
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.tests.conftest import PASSWORD
from api.tests.live import LiveServer, Reply, manage_ok, server_env

WORKERS = 3
NOTE_ROUNDS = 120
ACCOUNT_ROUNDS = 100


@pytest.fixture
def race_server(live_database_url, gunicorn_server) -> LiveServer:
    # Throttles out of the way: the rounds log in far faster than any real client would.
    return gunicorn_server(
        server_env(
            DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min", LOGIN_FAILURE_RATE="100000/min"
        ),
        workers=WORKERS,
    )


def _race(pool: ThreadPoolExecutor, actions: list[tuple[str, object]]) -> list[tuple[str, Reply]]:
    """Send every `(name, request)` at the same moment; returns `(name, reply)` in order."""
    start = threading.Barrier(len(actions))

    def send(action):
        name, request = action
        start.wait(timeout=30)
        return name, request()

    return list(pool.map(send, actions))


def _note_actions(server: LiveServer, token: str, note_id: int, round_number: int):
    path = f"/api/notes/{note_id}/"
    return [
        ("DELETE", lambda: server.request("DELETE", path, token=token)),
        (
            "DELETE tutorial path",
            lambda: server.request("DELETE", f"/api/notes/delete/{note_id}/", token=token),
        ),
        ("PUT", lambda: server.request("PUT", path, {"title": "put", "content": "put"}, token=token)),
        ("PUT", lambda: server.request("PUT", path, {"title": "put", "content": "put"}, token=token)),
        ("PATCH title", lambda: server.request("PATCH", path, {"title": "patched"}, token=token)),
        ("PATCH content", lambda: server.request("PATCH", path, {"content": "patched"}, token=token)),
        (
            "POST",
            lambda: server.request(
                "POST", "/api/notes/", {"title": f"kept-{round_number}", "content": "c"}, token=token
            ),
        ),
    ]


def _account_actions(server: LiveServer, username: str, pair: dict):
    access, refresh = pair["access"], pair["refresh"]
    login = {"username": username, "password": PASSWORD}
    # One step-up for the round's three sensitive changes: a password in each would be three
    # more Argon2 computations per round, the bulk of the test's time, and no other race.
    proof = {"X-Reauth-Token": pair["reauth_token"]}
    return [
        ("DELETE me", lambda: server.request("DELETE", "/api/user/me/", token=access, headers=proof)),
        (
            "PATCH me",
            lambda: server.request(
                "PATCH", "/api/user/me/", {"email": "a@example.com"}, token=access, headers=proof
            ),
        ),
        (
            "PATCH me",
            lambda: server.request(
                "PATCH", "/api/user/me/", {"email": "b@example.com"}, token=access, headers=proof
            ),
        ),
        (
            "POST note",
            lambda: server.request("POST", "/api/notes/", {"title": "t", "content": "c"}, token=access),
        ),
        (
            "POST note",
            lambda: server.request("POST", "/api/notes/", {"title": "t", "content": "c"}, token=access),
        ),
        ("login", lambda: server.request("POST", "/api/token/", login)),
        ("refresh", lambda: server.request("POST", "/api/token/refresh/", {"refresh": refresh})),
        ("GET notes", lambda: server.request("GET", "/api/notes/", token=access)),
    ]


def _sign_up(server: LiveServer, username: str) -> tuple[int, dict]:
    """Register and log in; the answer's tokens, with a step-up token for the sensitive changes."""
    registered = server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD})
    assert registered.status == 201, registered.body
    pair = server.request("POST", "/api/token/", {"username": username, "password": PASSWORD})
    assert pair.status == 200, pair.body
    access = pair.json()["access"]
    stepped_up = server.request("POST", "/api/user/reauthenticate/", {"password": PASSWORD}, token=access)
    assert stepped_up.status == 200, stepped_up.body
    return registered.json()["id"], {**pair.json(), "reauth_token": stepped_up.json()["reauth_token"]}


def _errors_logged(server: LiveServer) -> str:
    """What the server logged besides one line per request: the exception behind a 5xx."""
    request_line = re.compile(
        r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) |^(Unauthorized|Not Found|Bad Request): "
    )
    return "\n".join(line for line in server.output().splitlines() if not request_line.match(line))[-4000:]


def _assert_json_errors_below_500(server: LiveServer, replies: list[tuple[str, Reply]]) -> None:
    for action, reply in replies:
        assert reply.status < 500, f"{action}: {reply.status} {reply.body[:300]!r}\n{_errors_logged(server)}"
        if reply.status >= 400:
            assert reply.headers["Content-Type"] == "application/json", f"{action}: {reply.body[:300]!r}"


NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
# What each update of `_note_actions` changes, and so answers when it runs before the DELETEs.
NOTE_CHANGES = {
    "PUT": {"title": "put", "content": "put"},
    "PATCH title": {"title": "patched"},
    "PATCH content": {"content": "patched"},
}


def _assert_note_race_reply(name: str, reply: Reply) -> None:
    """A DELETE's or an update's reply in a round of `_note_actions`. Which status it gets depends
    on the order the requests ran in; each status must then be the one answer it stands for."""
    context = f"{name}: {reply.status} {reply.body!r}"
    if reply.status == 404:
        # An update that ran after a DELETE finds nothing to update, a DELETE nothing to delete.
        assert reply.json() == NOT_FOUND, context
    elif name.startswith("DELETE"):
        # Both DELETEs may answer 204 when both found the note: DELETE is idempotent.
        assert (reply.status, reply.body) == (204, b""), context
    else:
        assert reply.status == 200, context
        changes = NOTE_CHANGES[name]
        assert {field: reply.json()[field] for field in changes} == changes, context


def test_deleted_note_never_comes_back_when_updates_race_the_delete(race_server):
    server = race_server
    _, pair = _sign_up(server, f"race{uuid.uuid4().hex[:12]}")
    token = pair["access"]
    seen: Counter[str] = Counter()
    acknowledged_creates: list[int] = []

    with ThreadPoolExecutor(7) as pool:
        for round_number in range(NOTE_ROUNDS):
            note_id = server.request(
                "POST", "/api/notes/", {"title": "t", "content": "c"}, token=token
            ).json()["id"]
            replies = _race(pool, _note_actions(server, token, note_id, round_number))
            _assert_json_errors_below_500(server, replies)
            for name, reply in replies:
                seen[f"{name} {reply.status}"] += 1
                if name == "POST":
                    assert reply.status == 201, reply.body
                    acknowledged_creates.append(reply.json()["id"])
                else:
                    _assert_note_race_reply(name, reply)

            assert any(reply.status == 204 for name, reply in replies if name.startswith("DELETE"))
            after = server.request("GET", f"/api/notes/{note_id}/", token=token)
            assert after.status == 404, f"round {round_number}: note {note_id} came back: {after.body!r}"

    # Every round really raced: some updates landed before the delete and some after it.
    assert seen["PUT 404"] + seen["PATCH title 404"] + seen["PATCH content 404"] > 0, seen
    for note_id in acknowledged_creates:
        assert server.request("GET", f"/api/notes/{note_id}/", token=token).status == 200


REFUSED_CODES = {401: "token_not_valid", 404: "not_found"}


def test_deleted_account_stays_deleted_when_requests_race_the_deletion(race_server, live_database_url):
    server = race_server
    run = uuid.uuid4().hex[:10]
    allowed = {
        "DELETE me": {204},
        "PATCH me": {200, 401, 404},
        "POST note": {201, 401},
        "login": {200, 401},
        "refresh": {200, 401},
        "GET notes": {200, 401},
    }
    user_ids = []

    with ThreadPoolExecutor(8) as pool:
        for round_number in range(ACCOUNT_ROUNDS):
            username = f"gone{run}x{round_number}"
            user_id, pair = _sign_up(server, username)
            user_ids.append(user_id)
            replies = _race(pool, _account_actions(server, username, pair))
            _assert_json_errors_below_500(server, replies)
            for name, reply in replies:
                context = f"round {round_number} {name}: {reply.status} {reply.body!r}"
                assert reply.status in allowed[name], context
                if reply.status >= 400:
                    # Refused because the account is gone: its tokens died with it, its name is unknown.
                    expected = "no_active_account" if name == "login" else REFUSED_CODES[reply.status]
                    assert reply.json()["code"] == expected, context

            # Whatever ran beside it, the deletion won: nothing of the account answers.
            assert server.request("GET", "/api/user/me/", token=pair["access"]).status == 401
            again = server.request("POST", "/api/token/", {"username": username, "password": PASSWORD})
            assert again.status == 401, f"round {round_number}: the deleted account logged in again"

    leftovers = (
        "from api.models import Note, TokenFamily, User; "
        f"ids = {user_ids!r}; "
        "print(User.objects.filter(pk__in=ids).count(), Note.objects.filter(author_id__in=ids).count(), "
        "TokenFamily.objects.filter(user_id__in=ids).count())"
    )
    output = manage_ok(
        "shell", "--no-imports", "-c", leftovers, env=server_env(DATABASE_URL=live_database_url)
    )
    assert output.split() == ["0", "0", "0"]
