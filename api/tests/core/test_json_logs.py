"""`LOG_FORMAT=json`: one JSON object per line, with the request's id, and never a secret.

In this process the JSON formatter is attached to the root logger for each test; one test runs
gunicorn with `LOG_FORMAT=json` and reads everything it printed.
"""

import io
import json
import logging
import re
import uuid
from urllib.parse import quote_plus, urlencode

import pytest

from api.core.log_format import JSONFormatter
from api.tests.conftest import PASSWORD
from api.tests.live import server_env

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {"time", "level", "logger", "message", "request_id", "method", "path", "status"}
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def json_log():
    """What the JSON formatter writes for everything logged during the test (a text stream)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous_level)


def _read(json_log: io.StringIO) -> list[dict]:
    """Each line parsed: one JSON object per line, nothing else."""
    return [json.loads(line) for line in json_log.getvalue().splitlines()]


def _request_entries(json_log) -> list[dict]:
    return [entry for entry in _read(json_log) if entry["logger"] == "api.requests"]


def test_each_request_is_one_json_object_with_its_fields(auth_client, user, json_log):
    response = auth_client.get("/api/notes/?search=private-words", HTTP_X_REQUEST_ID="edge-17.a_b")

    (entry,) = _request_entries(json_log)
    assert REQUEST_FIELDS | {"duration_ms", "user_id"} <= set(entry)
    assert entry["level"] == "INFO"
    assert entry["request_id"] == "edge-17.a_b" == response["X-Request-ID"]
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/api/notes/", 200)
    assert entry["user_id"] == str(user.pk)
    assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["time"])


def test_anonymous_requests_have_a_null_user(api_client, json_log):
    api_client.get("/api/notes/")

    (entry,) = _request_entries(json_log)
    assert entry["user_id"] is None
    assert entry["status"] == 401


@pytest.mark.parametrize(
    "given",
    ["", "x" * 129, "has space", "line\nbreak", "semi;colon", "ünïcode", '{"json":1}'],
    ids=["empty", "too-long", "space", "newline", "semicolon", "non-ascii", "json"],
)
def test_an_insane_request_id_is_replaced_by_a_generated_one(api_client, json_log, given):
    response = api_client.get("/api/health/", HTTP_X_REQUEST_ID=given)

    (entry,) = _request_entries(json_log)
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    assert entry["request_id"] == response["X-Request-ID"]


def test_requests_without_an_id_get_distinct_ones(api_client):
    ids = {api_client.get("/api/health/")["X-Request-ID"] for _ in range(3)}

    assert len(ids) == 3
    assert all(GENERATED_ID.fullmatch(request_id) for request_id in ids)


def test_lines_logged_during_a_request_carry_its_id(api_client, json_log):
    # Django logs a warning for every 4xx answer, inside the request.
    api_client.get("/api/no-such-page/", HTTP_X_REQUEST_ID="trace-me")

    warnings = [entry for entry in _read(json_log) if entry["logger"] == "django.request"]
    assert warnings
    assert {entry["request_id"] for entry in warnings} == {"trace-me"}


def test_the_formatter_writes_only_its_own_fields():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom %s", ("here",), None)
    record.request = object()  # what Django attaches to its own records
    record.password = PASSWORD

    entry = json.loads(JSONFormatter().format(record))

    assert set(entry) == {"time", "level", "logger", "message"}
    assert entry["message"] == "boom here"


def test_an_exception_is_one_line_too():
    try:
        raise ValueError("first line\nsecond line")
    except ValueError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "failed", (), __import__("sys").exc_info()
        )

    line = JSONFormatter().format(record)

    assert "\n" not in line
    assert "ValueError: first line\nsecond line" in json.loads(line)["exception"]


# --- Never a secret -------------------------------------------------------------------------


def _send_every_secret(request, username: str) -> list[str]:
    """Logs in, refreshes, asks for a reset link and calls the API with secrets everywhere a
    client can put them; returns the secrets, none of which may be logged."""
    reset_link = f"https://app.example.com/reset/MQ/{uuid.uuid4().hex}-reset-token"
    pair = request("POST", "/api/token/", {"username": username, "password": PASSWORD})
    renewed = request("POST", "/api/token/refresh/", {"refresh": pair["refresh"]})
    cookie = f"refresh_token={pair['refresh']}; sessionid=session-{uuid.uuid4().hex}"
    request(
        "GET",
        "/api/notes/?" + urlencode({"token": pair["access"], "next": reset_link, "password": PASSWORD}),
        None,
        {"Authorization": f"Bearer {renewed['access']}", "Cookie": cookie},
    )
    request(
        "POST",
        "/api/user/password-reset/confirm/?" + urlencode({"link": reset_link}),
        {
            "uid": "MQ",
            "token": "reset-token-in-the-body",
            "new_password": f"{PASSWORD}-new",
            "link": reset_link,
        },
    )
    request("POST", "/api/token/", {"username": username, "password": "wrong-password-value"})
    return [
        PASSWORD,
        quote_plus(PASSWORD),
        quote_plus(reset_link),
        "wrong-password-value",
        "reset-token-in-the-body",
        reset_link,
        cookie,
        "session-",
        pair["access"],
        pair["refresh"],
        renewed["access"],
        renewed["refresh"],
    ]


def test_no_token_password_cookie_or_reset_link_is_ever_logged(api_client, user, json_log):
    def request(method, path, body=None, headers=None):
        extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in (headers or {}).items()}
        response = api_client.generic(
            method, path, json.dumps(body) if body is not None else "", "application/json", **extra
        )
        return response.json() if response.content else {}

    secrets = _send_every_secret(request, user.username)

    # Raw, and decoded (a JSON string escapes what the raw text would show differently).
    logged = json_log.getvalue() + "\n".join(str(entry) for entry in _read(json_log))
    assert len(_request_entries(json_log)) == 5
    for secret in secrets:
        assert secret not in logged, f"logged: {secret[:12]}..."
    assert "Authorization" not in logged and "Bearer" not in logged


def test_a_live_servers_json_log_holds_no_secret(live_database_url, gunicorn_server):
    server = gunicorn_server(
        server_env(DATABASE_URL=live_database_url, LOG_FORMAT="json", AUTH_THROTTLE_RATE="100000/min")
    )
    username = f"logs-{uuid.uuid4().hex[:10]}"
    assert (
        server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD}).status
        == 201
    )

    def request(method, path, body=None, headers=None):
        reply = server.request(method, path, body, headers=headers)
        return reply.json() if reply.body else {}

    secrets = _send_every_secret(request, username)
    server.stop()

    lines = server.stdout.read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    requests = [entry for entry in entries if entry["logger"] == "api.requests"]
    assert [entry["path"] for entry in requests][-5:] == [
        "/api/token/",
        "/api/token/refresh/",
        "/api/notes/",
        "/api/user/password-reset/confirm/",
        "/api/token/",
    ]
    everything = server.output()
    for secret in secrets:
        assert secret not in everything, f"logged: {secret[:12]}..."
