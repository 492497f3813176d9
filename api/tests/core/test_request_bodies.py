"""Hostile request bodies: nested, oversized, badly encoded or badly framed. Each is a 4xx JSON
error that saves nothing, in-process and through gunicorn on a real socket."""

import json
import socket
import uuid

import pytest

from api.core import parsers
from api.core.parsers import MAX_JSON_DEPTH, json_nesting_exceeds
from api.models import Note, User
from api.tests.conftest import PASSWORD
from api.tests.live import LiveServer, server_env, start_gunicorn

pytestmark = pytest.mark.django_db

DEFAULT_UPLOAD_LIMIT = 2_621_440  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, which the project keeps


def _nested(depth: int, inner: str = "1") -> str:
    return "[" * depth + inner + "]" * depth


# --- Nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [950, 100_000])
def test_json_nested_past_the_recursion_limit_is_a_400_parse_error(auth_client, depth):
    body = '{"title": ' + _nested(depth) + ', "content": "x"}'

    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert Note.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/token/", "/api/user/register/", "/api/token/refresh/"])
def test_deeply_nested_json_to_an_anonymous_endpoint_is_a_400_parse_error(api_client, path):
    # The login throttle reads the body before the view does: the parser must hold there too.
    response = api_client.post(path, _nested(950), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_json_nested_one_level_past_the_limit_is_a_400_parse_error(auth_client):
    body = '{"title": ' + _nested(MAX_JSON_DEPTH) + ', "content": "x"}'

    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested deeper than" in response.json()["detail"]


def _nested_objects(depth: int, inner: str = "1") -> str:
    return '{"a": ' * depth + inner + "}" * depth


def _mixed(depth: int) -> str:
    """Objects and arrays taking turns, `depth` levels in all."""
    opening = "".join('{"a": ' if level % 2 else "[" for level in range(depth))
    closing = "".join("}" if level % 2 else "]" for level in reversed(range(depth)))
    return opening + "1" + closing


@pytest.mark.parametrize(
    "value",
    [_nested_objects(MAX_JSON_DEPTH), _mixed(MAX_JSON_DEPTH), _nested_objects(950)],
    ids=["objects-one-past-the-limit", "objects-and-arrays-one-past-the-limit", "objects-950"],
)
def test_json_objects_nested_past_the_limit_are_a_400_parse_error_before_validation(auth_client, value):
    # The field holds what validation would refuse; refused first, the answer says nesting.
    body = '{"title": ' + value + ', "content": "x"}'

    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels.",
        "code": "parse_error",
    }
    assert Note.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/token/", "/api/user/register/", "/api/user/password-reset/"])
def test_deeply_nested_json_objects_to_an_anonymous_endpoint_are_a_400_parse_error(api_client, path):
    response = api_client.post(path, _nested_objects(MAX_JSON_DEPTH + 1), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert "nested deeper than" in response.json()["detail"]


def test_json_objects_nested_to_the_limit_reach_validation(auth_client):
    body = '{"title": ' + _nested_objects(MAX_JSON_DEPTH - 1) + ', "content": "x"}'

    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert "title" in response.json()


def test_json_nested_to_the_limit_reaches_validation(auth_client):
    body = '{"title": ' + _nested(MAX_JSON_DEPTH - 1) + ', "content": "x"}'

    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert "title" in response.json()


def test_brackets_and_escaped_quotes_inside_strings_are_not_nesting(auth_client):
    content = '[{"\\' * 2000 + "]}" * 2000

    response = auth_client.post("/api/notes/", {"title": "code", "content": content}, format="json")

    assert response.status_code == 201, response.content
    assert Note.objects.get().content == content


@pytest.mark.parametrize(
    "document",
    [
        "{}",
        "[[[]]]",
        '{"a": [{"b": [1, {"c": {}}]}], "d": "[[[[[[["}',
        r'["\\", ["\\\"[[[", [[]]]]',
        '"[[[[[[[[[[[["',
        '[[], [[]], [[[]]], {"k": [{"l": []}]}]',
        r'{"\u005b\u005b": [["\"]]]\""]]}',
    ],
)
@pytest.mark.parametrize("limit", [1, 2, 3, 4])
def test_nesting_scan_agrees_with_the_decoded_document(document, limit):
    def depth(value) -> int:
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        return 0 if children is None else 1 + max(map(depth, children), default=0)

    assert json_nesting_exceeds(document, limit) == (depth(json.loads(document)) > limit)


@pytest.mark.parametrize(
    "body, status",
    [
        ({"title": "t", "content": "[x] {y}"}, 201),
        ({"title": "t", "content": "[link](url) {code} " * 1000}, 201),
        ({"title": ["t"], "content": {"a": [1]}}, 400),
    ],
    ids=["flat", "flat-with-brackets-in-its-text", "nested-with-few-brackets"],
)
def test_note_bodies_cost_no_nesting_scan(auth_client, monkeypatch, body, status):
    # The hot path: a flat body, or one with fewer brackets than the limit, is never scanned.
    def scan(text, limit):
        raise AssertionError("scanned")

    monkeypatch.setattr(parsers, "json_nesting_exceeds", scan)

    response = auth_client.post("/api/notes/", body, format="json")

    assert response.status_code == status, response.content


# --- Size -------------------------------------------------------------------------------------


def _padded_note(size: int) -> bytes:
    """A note body of exactly `size` bytes."""
    skeleton = b'{"title": "t", "content": ""}'
    return skeleton[:-2] + b"x" * (size - len(skeleton)) + skeleton[-2:]


def test_body_over_the_upload_limit_is_a_413_json_error_and_saves_nothing(auth_client, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == DEFAULT_UPLOAD_LIMIT

    response = auth_client.post(
        "/api/notes/", _padded_note(DEFAULT_UPLOAD_LIMIT + 1), content_type="application/json"
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body is too large.", "code": "request_too_large"}
    assert Note.objects.count() == 0


@pytest.mark.parametrize("path", ["/api/token/", "/api/user/register/"])
def test_oversized_body_to_an_anonymous_endpoint_is_a_413(api_client, settings, path):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"username": "u" * 1000, "password": "p"})

    response = api_client.post(path, body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not User.objects.exists()


def test_oversized_body_to_a_note_update_is_a_413_and_changes_nothing(auth_client, user, make_note, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    note = make_note(user, title="kept", content="kept")

    response = auth_client.put(f"/api/notes/{note.pk}/", _padded_note(1001), content_type="application/json")

    assert response.status_code == 413
    note.refresh_from_db()
    assert (note.title, note.content) == ("kept", "kept")


def test_body_exactly_at_the_upload_limit_is_read(auth_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = auth_client.post("/api/notes/", _padded_note(1000), content_type="application/json")

    assert response.status_code == 201, response.content


# --- Encoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b'{"title": "\xff\xfe", "content": "x"}', b"\xef\xbb\xbf{}", b'{"title": "\xed\xa0\x80"}'],
    ids=["invalid-utf8", "byte-order-mark", "utf8-encoded-surrogate"],
)
def test_body_that_is_not_utf8_json_is_a_400_parse_error(auth_client, body):
    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert Note.objects.count() == 0


# --- Framing ----------------------------------------------------------------------------------


def test_chunked_body_the_server_did_not_decode_is_411(auth_client):
    # Django's development server passes chunked bodies on undecoded (no wsgi.input_terminated).
    response = auth_client.post(
        "/api/notes/",
        {"title": "t", "content": "x"},
        format="json",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    assert response.status_code == 411
    assert response.json()["code"] == "length_required"
    assert Note.objects.count() == 0


# --- Through gunicorn, on a real socket -------------------------------------------------------


@pytest.fixture(scope="module")
def server(live_database_url, tmp_path_factory):
    server = start_gunicorn(server_env(DATABASE_URL=live_database_url), tmp_path_factory.mktemp("bodies"))
    yield server
    server.stop()


@pytest.fixture
def token(server) -> str:
    username = f"bodies{uuid.uuid4().hex[:12]}"
    credentials = {"username": username, "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201
    return server.request("POST", "/api/token/", credentials).json()["access"]


class RawReply:
    """A response read off the socket as bytes, chunked or not."""

    def __init__(self, raw: bytes):
        head, _, body = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in header_lines)}
        if self.headers.get("transfer-encoding") == "chunked":
            body = self._dechunk(body)
        self.body = body

    @staticmethod
    def _dechunk(body: bytes) -> bytes:
        out = b""
        while True:
            size, _, rest = body.partition(b"\r\n")
            if not int(size, 16):
                return out
            out, body = out + rest[: int(size, 16)], rest[int(size, 16) + 2 :]

    def json(self):
        assert self.headers["content-type"] == "application/json", self.headers
        return json.loads(self.body)


def send_raw(server: LiveServer, request: bytes, *, close_after_sending: bool = False) -> RawReply:
    """Sends bytes as they are and reads the answer until the server closes the connection.

    The server may answer and close before reading a body it refuses: the client then fails to
    send the rest, and reads the answer all the same, as a browser does.
    """
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        try:
            connection.sendall(request)
            if close_after_sending:
                connection.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return RawReply(received)


def http(method: str, path: str, token: str, body: bytes, **headers: object) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines += [f"Authorization: Bearer {token}", *(f"{k.replace('_', '-')}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def chunked(*parts: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in parts) + b"0\r\n\r\n"


OVERSIZED = b'{"title": "t", "content": "' + b"x" * DEFAULT_UPLOAD_LIMIT + b'"}'


@pytest.mark.parametrize(
    "framing",
    ["content-length", "declared-length-alone", "chunked"],
)
def test_oversized_body_through_gunicorn_is_a_413_json_error_and_saves_nothing(server, token, framing):
    request = {
        "content-length": http("POST", "/api/notes/", token, OVERSIZED, Content_Length=len(OVERSIZED)),
        # A client that claims a huge body and sends none is answered at once, not waited for.
        "declared-length-alone": http("POST", "/api/notes/", token, b"{}", Content_Length=10**12),
        "chunked": http("POST", "/api/notes/", token, chunked(OVERSIZED), Transfer_Encoding="chunked"),
    }[framing]

    reply = send_raw(server, request)

    assert reply.status == 413
    assert reply.json() == {"detail": "Request body is too large.", "code": "request_too_large"}
    assert server.request("GET", "/api/notes/", token=token).json() == []


def test_chunked_body_through_gunicorn_is_read_like_any_other(server, token):
    created = send_raw(
        server,
        http(
            "POST",
            "/api/notes/",
            token,
            chunked(b'{"title": "chun', b'ked", "content": "x"}'),
            Transfer_Encoding="chunked",
        ),
    )
    assert created.status == 201, created.body
    note_id = created.json()["id"]

    patched = send_raw(
        server,
        http(
            "PATCH",
            f"/api/notes/{note_id}/",
            token,
            chunked(b'{"title": "changed"}'),
            Transfer_Encoding="chunked",
        ),
    )

    assert patched.status == 200, patched.body
    assert server.request("GET", f"/api/notes/{note_id}/", token=token).json()["title"] == "changed"


@pytest.mark.parametrize(
    "body, close_after_sending",
    [
        (b"zz\r\n{}\r\n0\r\n\r\n", False),
        (b"2\r\n{}XX0\r\n\r\n", False),
        (b'40\r\n{"title": "t"', True),
    ],
    ids=["bad-chunk-size", "missing-chunk-terminator", "connection-closed-mid-chunk"],
)
def test_malformed_chunked_body_through_gunicorn_is_a_400_json_error(
    server, token, body, close_after_sending
):
    request = http("POST", "/api/notes/", token, body, Transfer_Encoding="chunked")

    reply = send_raw(server, request, close_after_sending=close_after_sending)

    assert reply.status == 400
    assert reply.json()["code"] == "parse_error"
    assert server.request("GET", "/api/notes/", token=token).json() == []


@pytest.mark.parametrize(
    "declared, body, close_after_sending",
    [
        (10, b'{"title": "t", "content": "x"}', False),
        (100, b'{"title": "t", "content": "x"', True),
    ],
    ids=["shorter-than-the-body", "longer-than-the-body"],
)
def test_body_with_a_lying_content_length_through_gunicorn_is_a_400_json_error(
    server, token, declared, body, close_after_sending
):
    request = http("POST", "/api/notes/", token, body, Content_Length=declared)

    reply = send_raw(server, request, close_after_sending=close_after_sending)

    assert reply.status == 400
    assert reply.json()["code"] == "parse_error"
    assert server.request("GET", "/api/notes/", token=token).json() == []
