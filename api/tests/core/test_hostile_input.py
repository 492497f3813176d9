"""Hostile input: lone surrogates in every text a client sends, then a battery of hostile requests
against every operation of the OpenAPI schema. No 5xx, every error JSON, nothing changed."""

import base64
import bz2
import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from api.core.throttle_cache import throttle_cache
from api.models import Note, User
from api.sessions import services
from api.tests.conftest import PASSWORD
from api.tests.hashers import QuickArgon2idHasher

pytestmark = pytest.mark.django_db

# Valid JSON (`"\ud800x"`) that decodes to a string no UTF-8 encoder, database or hash accepts.
LONE_SURROGATE = "\ud800x"
SURROGATE_REFUSED = "Surrogate characters are not allowed: U+D800."


def _post_json(client, path: str, body: dict, method: str = "post"):
    # json.dumps escapes the surrogate as `\ud800`, as a hostile client would send it.
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def _assert_surrogate_refused(response, field: str) -> None:
    """A JSON 400 of field errors, in which `field` is refused for holding a lone surrogate."""
    assert response.status_code == 400, (response.status_code, response.content)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert _is_error_body(body, 400) and "detail" not in body, body
    assert SURROGATE_REFUSED in body.get(field, []), body


# --- Lone surrogates --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["username", "password"])
def test_lone_surrogate_in_login_is_a_field_error(api_client, user, field):
    body = {"username": user.username, "password": "wrong password", field: LONE_SURROGATE}

    response = _post_json(api_client, "/api/token/", body)

    _assert_surrogate_refused(response, field)


@pytest.mark.parametrize("field", ["username", "password", "email"])
def test_lone_surrogate_in_registration_is_a_field_error(api_client, field):
    body = {"username": "newcomer", "password": "a long enough passphrase", "email": "n@example.com"}
    body[field] = LONE_SURROGATE

    response = _post_json(api_client, "/api/user/register/", body)

    _assert_surrogate_refused(response, field)
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/token/refresh/", "refresh"),
        ("/api/token/blacklist/", "refresh"),
        ("/api/token/verify/", "token"),
    ],
)
def test_lone_surrogate_as_a_token_is_a_field_error(api_client, path, field):
    response = _post_json(api_client, path, {field: LONE_SURROGATE})

    _assert_surrogate_refused(response, field)


@pytest.mark.parametrize("field", ["title", "content"])
@pytest.mark.parametrize("method", ["put", "patch"])
def test_lone_surrogate_in_a_note_update_is_a_field_error_and_changes_nothing(
    auth_client, user, make_note, method, field
):
    note = make_note(user, title="kept", content="kept")
    body = {"title": "new", "content": "new", field: LONE_SURROGATE}

    response = _post_json(auth_client, f"/api/notes/{note.pk}/", body, method=method)

    _assert_surrogate_refused(response, field)
    note.refresh_from_db()
    assert (note.title, note.content) == ("kept", "kept")


def test_lone_surrogate_in_an_account_change_is_a_field_error(auth_client, user):
    response = _post_json(
        auth_client, "/api/user/me/", {"email": LONE_SURROGATE, "password": PASSWORD}, method="patch"
    )

    _assert_surrogate_refused(response, "email")
    user.refresh_from_db()
    assert user.email == ""


@pytest.mark.parametrize(
    "path, method, body, field",
    [
        (
            "/api/user/password/",
            "post",
            {"old_password": LONE_SURROGATE, "new_password": "another passphrase"},
            "old_password",
        ),
        (
            "/api/user/password/",
            "post",
            {"old_password": "x", "new_password": LONE_SURROGATE},
            "new_password",
        ),
        ("/api/user/me/", "delete", {"password": LONE_SURROGATE}, "password"),
    ],
    ids=["old-password", "new-password", "delete-account-password"],
)
def test_lone_surrogate_as_a_password_confirmation_is_a_field_error(
    auth_client, user, path, method, body, field
):
    response = _post_json(auth_client, path, body, method=method)

    _assert_surrogate_refused(response, field)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_cursor_holding_deeply_nested_json_is_a_cursor_error(auth_client):
    cursor = base64.urlsafe_b64encode(b"[" * 3000 + b"]" * 3000).decode()

    response = auth_client.get(f"/api/notes/?cursor={cursor}")

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_refused_host_header_on_the_jwk_set_is_json(api_client):
    response = api_client.get("/.well-known/jwks.json", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


@pytest.mark.parametrize("query", ["%ED%A0%80x", "%F0%9F", "%C0%AF"])
def test_undecodable_search_query_is_searched_for_as_replacement_characters(
    auth_client, user, make_note, query
):
    # Django decodes a query string as UTF-8 with U+FFFD for what is not: a search for those.
    decoded = unquote(query)
    assert "\ufffd" in decoded
    make_note(user)
    make_note(user, title=f"before {decoded} after")

    response = auth_client.get(f"/api/notes/?search={query}")

    assert response.status_code == 200, response.content
    assert [note["title"] for note in response.json()] == [f"before {decoded} after"]


def test_nul_in_a_search_query_is_a_400_with_its_code(auth_client, user, make_note):
    make_note(user)

    response = auth_client.get("/api/notes/?search=%00")

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "null_characters_not_allowed"


# --- Every operation of the schema, against a battery of hostile requests ---------------------
#
# Each case is one operation (from the OpenAPI schema, plus the docs pages and methods no
# operation has) and one hostile input, sent anonymously and with a fresh Bearer token. Every
# answer must be below 500, JSON (but for 204, HEAD and the docs pages), an error object or field
# errors, and a 4xx must not write to the database.

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
HTML_PAGES = ("/api/docs/", "/api/redoc/")
# One hash for every test's user, made by the suite's hasher: a hash of another cost would be
# upgraded at the first login, a write that a refused request must not make.
PASSWORD_HASH = make_password(PASSWORD, hasher=QuickArgon2idHasher())
NEW_PASSWORD = "another long passphrase 42"


@dataclass(frozen=True)
class Operation:
    """A method and path template, with the request body fields and query parameters it takes."""

    method: str
    path: str
    fields: tuple[str, ...] = ()
    query: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _operations() -> list[Operation]:
    operations = []
    for path, item in SCHEMA["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            reference = body.get("schema", {}).get("$ref", "")
            component = SCHEMA["components"]["schemas"].get(reference.rpartition("/")[2], {})
            query = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            operations.append(Operation(method.upper(), path, tuple(component.get("properties", {})), query))
    return operations


OPERATIONS = _operations()
PATHS = sorted({operation.path for operation in OPERATIONS} | {"/api/schema/", *HTML_PAGES})
# What the schema leaves out: the docs routes (which authenticate nobody), and the methods no
# operation has.
DOCS_OPERATIONS = [Operation("GET", path) for path in ("/api/schema/", *HTML_PAGES)]
OTHER_METHODS = [
    Operation(method, path) for path in PATHS for method in ("OPTIONS", "HEAD", "TRACE", "PROPFIND")
]


class Context:
    """What a request may refer to: the caller, one of their notes, their tokens."""

    @cached_property
    def user(self) -> User:
        user = User(username="hostile", email="hostile@example.com", password=PASSWORD_HASH)
        user.save()
        return user

    @cached_property
    def note(self) -> Note:
        return Note.objects.create(author=self.user, title="kept", content="kept")

    @cached_property
    def _pair(self) -> services.TokenPair:
        return services.session_start(user=self.user)

    @property
    def access(self) -> str:
        return self._pair.access

    @property
    def refresh(self) -> str:
        return self._pair.refresh


def _valid_value(field: str, operation: Operation, ctx: Context) -> object:
    if field == "username":
        return "newcomer" if operation.path == "/api/user/register/" else ctx.user.username
    return {
        "password": PASSWORD,
        "old_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "email": "someone@example.com",
        "uid": "MQ",
        "title": "a title",
        "content": "some content",
        "refresh": ctx.refresh,
        "token": ctx.access,
        # The caller has no TOTP on, so no code is right; an access token is never an mfa_token.
        "code": "123456",
        "mfa_token": ctx.access,
        # A passkey's answer of the right shape (registration's and assertion's fields both) that
        # answers no challenge of the server's and names no passkey.
        "credential": PASSKEY_ANSWER,
        "name": "a name",
        # No provider is configured here: a link's start answers oidc_provider_unknown.
        "provider": "google",
        # No step-up flow was started: a code of none.
        "oidc_code": "a-code-of-no-step-up",
    }[field]


_B64 = base64.urlsafe_b64encode(
    json.dumps({"type": "webauthn.get", "challenge": "AAAA", "origin": "x"}).encode()
)
PASSKEY_ANSWER = {
    "id": "AAAA",
    "rawId": "AAAA",
    "type": "public-key",
    "response": {
        "clientDataJSON": _B64.decode(),
        "attestationObject": "oA",
        "authenticatorData": "AAAA",
        "signature": "AAAA",
    },
}


def _valid_body(operation: Operation, ctx: Context) -> dict:
    return {field: _valid_value(field, operation, ctx) for field in operation.fields}


@dataclass(frozen=True)
class Hostile:
    """One hostile input: what it changes in an otherwise valid request to an operation."""

    name: str
    body: Callable[[Operation, Context], bytes] | None = None
    content_type: str = "application/json"
    path_id: str | None = None
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    # Sends its own Authorization header, so there is no point sending it with a token too.
    own_credentials: bool = False


def _raw(data: bytes) -> Callable[[Operation, Context], bytes]:
    return lambda operation, ctx: data


def _with_field(field: str, value_json: str) -> Callable[[Operation, Context], bytes]:
    """The operation's valid body with one field's value replaced by raw JSON text."""

    def build(operation: Operation, ctx: Context) -> bytes:
        body = _valid_body(operation, ctx)
        body[field] = "\0"
        return json.dumps(body).replace('"\\u0000"', value_json).encode()

    return build


def _valid_json(operation: Operation, ctx: Context) -> bytes:
    return json.dumps(_valid_body(operation, ctx)).encode()


def _encoded(encoding: str) -> Callable[[Operation, Context], bytes]:
    return lambda operation, ctx: json.dumps(_valid_body(operation, ctx), ensure_ascii=False).encode(encoding)


def _multipart(operation: Operation, ctx: Context) -> bytes:
    parts = [
        f'--b\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in _valid_body(operation, ctx).items()
    ]
    return ("".join(parts) + "--b--\r\n").encode()


def _nested(depth: int, opening: str = "[", closing: str = "]", inner: str = "1") -> bytes:
    return (opening * depth + inner + closing * depth).encode()


BODY_ATTACKS = [
    Hostile("empty-body", _raw(b"")),
    Hostile("json-null", _raw(b"null")),
    Hostile("json-array", _raw(b"[]")),
    Hostile("json-array-of-objects", _raw(b'[{"title": "t", "content": "c"}]')),
    Hostile("json-string", _raw(b'"text"')),
    Hostile("json-number", _raw(b"12")),
    Hostile("json-true", _raw(b"true")),
    Hostile("truncated-json", _raw(b'{"title": "t", ')),
    Hostile("trailing-garbage", _raw(b"{} {}")),
    Hostile("single-quotes", _raw(b"{'title': 't'}")),
    Hostile("nan-and-infinity", _raw(b'{"title": NaN, "content": Infinity}')),
    Hostile("integer-of-5000-digits", _raw(b'{"title": ' + b"7" * 5000 + b"}")),
    Hostile("float-overflow", _raw(b'{"title": 1e999999, "content": -1e999999}')),
    Hostile("duplicate-keys", _raw(b'{"title": "a", "title": "b", "content": "c"}')),
    Hostile("ten-thousand-unknown-keys", _raw(json.dumps({f"k{n}": n for n in range(10_000)}).encode())),
    Hostile("byte-order-mark", _raw(b'\xef\xbb\xbf{"title": "t"}')),
    Hostile("invalid-utf8", _raw(b'{"title": "\xff\xfe", "content": "\xc3"}')),
    Hostile("overlong-utf8", _raw(b'{"title": "\xc0\xaf"}')),
    Hostile("utf8-encoded-surrogate", _raw(b'{"title": "\xed\xa0\x80"}')),
    Hostile("nul-bytes", _raw(b"\x00" * 64)),
    Hostile("nested-arrays-950", _raw(_nested(950))),
    Hostile("nested-objects-950", _raw(_nested(950, '{"a": ', "}"))),
    Hostile("nested-arrays-100000", _raw(_nested(100_000))),
    Hostile("nested-33-in-an-object", _raw(b'{"title": ' + _nested(32) + b"}")),
    Hostile("ten-thousand-empty-arrays", _raw(b"[" + b",".join([b"[]"] * 10_000) + b"]")),
    Hostile("over-the-size-limit", _raw(b'{"title": "' + b"x" * 2_621_440 + b'"}')),
    Hostile("valid-json-as-text-plain", _valid_json, content_type="text/plain"),
    Hostile("valid-json-as-xml", _valid_json, content_type="application/xml"),
    Hostile("valid-json-without-content-type", _valid_json, content_type=""),
    Hostile("valid-json-as-any-type", _valid_json, content_type="*/*"),
    Hostile(
        "form-urlencoded",
        _raw(b"title=t&content=c&username=u&password=p"),
        "application/x-www-form-urlencoded",
    ),
    Hostile("multipart", _multipart, content_type="multipart/form-data; boundary=b"),
    Hostile("multipart-without-boundary", _multipart, content_type="multipart/form-data"),
    Hostile("json-in-utf16", _encoded("utf-16"), content_type="application/json; charset=utf-16"),
    Hostile("json-in-latin1", _encoded("latin-1"), content_type="application/json; charset=latin-1"),
    Hostile("json-declared-utf16-sent-utf8", _valid_json, content_type="application/json; charset=utf-16"),
    Hostile(
        "json-with-bz2-charset",
        _raw(bz2.compress(b"{}" * 1000)),
        content_type="application/json; charset=bz2_codec",
    ),
    Hostile("json-with-unknown-charset", _valid_json, content_type="application/json; charset=no-such-codec"),
    Hostile("json-with-garbage-parameters", _valid_json, content_type="application/json;;;=;charset"),
    Hostile(
        "gzip-content-encoding", _raw(gzip.compress(b"{}")), headers=(("HTTP_CONTENT_ENCODING", "gzip"),)
    ),
]

# Raw JSON text put in place of one field's value.
FIELD_VALUES = {
    "list": "[]",
    "list-of-strings": '["a", "b"]',
    "object": '{"a": "b"}',
    "zero": "0",
    "negative": "-1",
    "huge-integer": str(2**64),
    "float": "1.5e308",
    "true": "true",
    "null": "null",
    "nested-40": _nested(40).decode(),
    "empty-string": '""',
    "whitespace": '" \\t\\n "',
    "million-characters": json.dumps("x" * 1_000_000),
    "lone-surrogate": '"\\ud800x"',
    "lone-low-surrogate": '"x\\udfff"',
    "nul-character": '"a\\u0000b"',
    "control-characters": '"\\u0001\\u001b[2J\\r\\n"',
    "bidi-and-zero-width": '"\\u202e\\u200b\\ufeff"',
    "astral-characters": json.dumps("\U0001f600" * 50),
    "combining-characters": json.dumps("a" + "\u0301" * 5000),
    "sql-and-html": json.dumps("'; DROP TABLE api_note; -- <script>alert(1)</script>"),
}


def _field_attacks(operation: Operation) -> list[Hostile]:
    return [
        Hostile(f"{field}={name}", _with_field(field, value))
        for field in operation.fields
        for name, value in FIELD_VALUES.items()
    ]


# Path ids: the URL converter takes ASCII digits only, the database 64-bit integers only.
PATH_IDS = {
    "zero": "0",
    "negative": "-1",
    "bigint-max": str(2**63 - 1),
    "bigint-max-plus-one": str(2**63),
    "two-to-the-64": str(2**64),
    "ten-to-the-30": str(10**30),
    "thousand-digits": "9" * 1000,
    "leading-zeros": "0000000001",
    "letters": "abc",
    "exponent": "1e3",
    "decimal": "1.0",
    "hexadecimal": "0x1",
    "plus-sign": "+1",
    "arabic-indic-digits": quote("١٢"),
    "fullwidth-digits": quote("\uff11\uff12"),
    "superscript-digit": quote("²"),
    "nul": "%00",
    "percent-encoded-slash": "1%2F2",
    "invalid-utf8": "%FF",
    "dot-dot": "..",
}


def _id_attacks(operation: Operation) -> list[Hostile]:
    if "{id}" not in operation.path:
        return []
    body = _valid_json if operation.method in BODY_METHODS else None
    return [Hostile(f"id={name}", body, path_id=value) for name, value in PATH_IDS.items()]


QUERY_VALUES = {
    "cursor": {
        "empty": "",
        "garbage": "!!!not-base64",
        "base64-garbage": "3q2-7w==",
        "base64-of-a-number": base64.urlsafe_b64encode(b"12").decode(),
        "base64-of-wrong-types": base64.urlsafe_b64encode(b'[1, 2, "x"]').decode(),
        "base64-of-deep-json": base64.urlsafe_b64encode(_nested(3000)).decode(),
        "base64-of-huge-id": base64.urlsafe_b64encode(
            json.dumps(["older", "2024-01-01T00:00:00+00:00", 2**64]).encode()
        ).decode(),
        "base64-of-extreme-date": base64.urlsafe_b64encode(
            json.dumps(["newer", "9999-12-31T23:59:59-23:59", 1]).encode()
        ).decode(),
        "nul": "%00",
        "long": "A" * 100_000,
    },
    "page_size": {
        "zero": "0",
        "negative": "-1",
        "over-the-maximum": "101",
        "huge": str(2**64),
        "letters": "abc",
        "exponent": "1e3",
        "arabic-indic-digits": quote("١٢"),
        "empty": "",
    },
    "search": {
        "ten-thousand-characters": "x" * 10_000,
        "eleven-words": "+".join("abcdefghijk"),
        "nul": "a%00b",
        "undecodable-utf8": "%ED%A0%80",
        "lone-quote": "%22",
        "unbalanced-quotes": "%22a+%22b",
        "like-wildcards": "%25_%5C",
        "only-spaces": "+++",
        "control-characters": "%01%1B",
    },
}


def _query_attacks(operation: Operation) -> list[Hostile]:
    attacks = [
        Hostile(f"{param}={name}", query=f"{param}={value}")
        for param in operation.query
        for name, value in QUERY_VALUES.get(param, {"garbage": "%00%FF"}).items()
    ]
    if operation.query:
        attacks.append(
            Hostile("every-parameter-twice", query="&".join(f"{p}=1&{p}=2" for p in operation.query))
        )
    return attacks


COMMON_ATTACKS = [
    Hostile("format=xml", query="format=xml"),
    Hostile("format=api", query="format=api"),
    Hostile("format=nul", query="format=%00"),
    Hostile("lang=unknown", query="lang=xx-nope"),
    Hostile("accept-xml", headers=(("HTTP_ACCEPT", "application/xml"),)),
    Hostile("accept-nothing", headers=(("HTTP_ACCEPT", "*/*;q=0"),)),
    Hostile("accept-huge-indent", headers=(("HTTP_ACCEPT", "application/json; indent=99999999"),)),
    Hostile("accept-garbage", headers=(("HTTP_ACCEPT", ";;,,=/"),)),
    Hostile("host-garbage", headers=(("HTTP_HOST", "a" * 1000 + ":99999"),)),
    *(
        Hostile(f"authorization-{name}", headers=(("HTTP_AUTHORIZATION", value),), own_credentials=True)
        for name, value in {
            "bearer-alone": "Bearer",
            "bearer-empty": "Bearer ",
            "bearer-three-dots": "Bearer a.b.c",
            "bearer-ten-thousand-characters": "Bearer " + "a" * 10_000,
            "bearer-two-tokens": "Bearer a b",
            "basic": "Basic dXNlcjpwYXNz",
            "unsigned-token": "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiMSJ9.",
            "latin1-characters": "Bearer \xe9\xff",
            "dpop-three-dots": "DPoP a.b.c",
            "dpop-unsigned-token": "DPoP eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiMSJ9.",
        }.items()
    ),
    # A proof beside a token or a login: refused as invalid_dpop_proof, never a 500.
    *(
        Hostile(f"dpop-proof-{name}", headers=(("HTTP_DPOP", value),))
        for name, value in {
            "three-dots": "a.b.c",
            "ten-thousand-characters": "a" * 10_000,
            "two-proofs": "a.b.c, d.e.f",
            "latin1-characters": "\xe9\xff.\xe9.\xe9",
            # JSON nested past the parser's recursion limit, inside the 4 KiB a proof may have.
            "nested-header": base64.urlsafe_b64encode(b"[" * 2900).rstrip(b"=").decode() + ".e30.AA",
            "header-not-an-object": base64.urlsafe_b64encode(b'"x"').rstrip(b"=").decode() + ".e30.AA",
        }.items()
    ),
]


def _needs_token(operation: Operation) -> bool:
    security = SCHEMA["paths"][operation.path][operation.method.lower()].get("security") or [{}]
    return {} not in security


def _cases():
    """(operation, attack, auth) for every operation of the schema, and for the extras."""
    for operation in OPERATIONS:
        for attack in [*COMMON_ATTACKS, *_id_attacks(operation), *_query_attacks(operation)]:
            for auth in ("anonymous",) if attack.own_credentials else ("anonymous", "bearer"):
                yield operation, attack, auth
        if operation.method in BODY_METHODS:
            # Sent the way the operation reads a body: anonymously, a body behind authentication
            # is never read, and the token endpoints ignore a token.
            auth = "bearer" if _needs_token(operation) else "anonymous"
            for attack in [*BODY_ATTACKS, *_field_attacks(operation)]:
                yield operation, attack, auth
    for operation in DOCS_OPERATIONS:
        for attack in COMMON_ATTACKS:
            yield operation, attack, "anonymous"
    for operation in OTHER_METHODS:
        for auth in ("anonymous", "bearer"):
            yield operation, Hostile("plain"), auth


def _case_groups() -> dict[str, list[tuple[Operation, Hostile, str]]]:
    """The cases by operation (the unlisted methods by path): one test each. A test per case
    spent more on pytest's setup and teardown than on its request; in one test each case still
    starts from nothing (its own savepoint, rolled back, and an empty cache) and every failing
    case is reported."""
    groups: dict[str, list[tuple[Operation, Hostile, str]]] = {}
    for operation, attack, auth in _cases():
        extra = operation.method in ("OPTIONS", "HEAD", "TRACE", "PROPFIND")
        key = f"unlisted methods {operation.path}" if extra else str(operation)
        groups.setdefault(key, []).append((operation, attack, auth))
    return groups


CASE_GROUPS = [pytest.param(cases, id=name) for name, cases in _case_groups().items()]


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


# The codes an error of each status may carry (docs/api.md, "Errors", and the endpoints' own);
# a 400 may be field errors instead.
CODES_BY_STATUS = {
    400: {
        "invalid",
        "parse_error",
        "bad_request",
        "invalid_token",
        "token_expired",
        "null_characters_not_allowed",
        "max_length",
        "max_terms",
        "mfa_not_enabled",
        "mfa_setup_not_started",
        "invalid_code",
        "passkey_invalid",
        "passkey_challenge_invalid",
        "no_passkey",
        # A DPoP proof refused at a token endpoint (RFC 9449 section 5).
        "invalid_dpop_proof",
        # A provider's callback with a state this server never issued.
        "oidc_state_invalid",
    },
    401: {
        "not_authenticated",
        "bad_authorization_header",
        "token_not_valid",
        "no_active_account",
        "mfa_token_invalid",
        "invalid_code",
        "passkey_invalid",
        "passkey_challenge_invalid",
        "invalid_dpop_proof",
        "oidc_code_invalid",
    },
    # A sensitive change without a fresh proof (api/sessions/stepup.py).
    403: {"reauthentication_required"},
    404: {"not_found", "passkeys_disabled", "oidc_provider_unknown"},
    405: {"method_not_allowed"},
    406: {"not_acceptable"},
    409: {
        "conflict",
        "mfa_already_enabled",
        "last_login_method",
        "too_many_passkeys",
        "passkey_already_registered",
    },
    411: {"length_required"},
    413: {"request_too_large"},
    415: {"unsupported_media_type"},
    429: {"throttled"},
}


def _is_error_body(body: object, status: int) -> bool:
    """Whether `body` is the error a `status` answer must be: `{detail, code}` with a code of that
    status (SimpleJWT adds `messages` to some 401s), or (a 400 only) field errors, each field a
    list of messages."""
    if not isinstance(body, dict) or not body:
        return False
    if "detail" in body:
        return (
            isinstance(body.get("code"), str)
            and isinstance(body["detail"], str)
            and body["code"] in CODES_BY_STATUS.get(status, ())
        )
    return status == 400 and all(
        isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages)
        for messages in body.values()
    )


@pytest.mark.parametrize("cases", CASE_GROUPS)
def test_hostile_requests_are_answered_without_a_server_error(cases):
    failures = []
    # Made once, outside every case's savepoint: a case that changes them (a password change,
    # a deleted note, a logout) is rolled back with its savepoint, so the next sees them again.
    ctx = Context()
    ctx.note, ctx.access  # noqa: B018 - made now, not inside the first case's savepoint
    for operation, attack, auth in cases:
        cache.clear()
        throttle_cache.reset()
        try:
            with transaction.atomic():
                try:
                    _assert_answered_safely(ctx, operation, attack, auth)
                finally:
                    transaction.set_rollback(True)
        except Exception as error:  # every failing case is reported, not only the first
            failures.append(f"{operation}|{attack.name}|{auth}: {type(error).__name__}: {error}")
    assert not failures, f"{len(failures)} of {len(cases)} cases failed:\n" + "\n".join(failures)


def _assert_answered_safely(ctx: Context, operation: Operation, attack: Hostile, auth: str) -> None:
    path = operation.path
    if "{id}" in path:
        path = path.replace("{id}", attack.path_id if attack.path_id is not None else str(ctx.note.pk))
    if attack.query:
        path = f"{path}?{attack.query}"
    headers = dict(attack.headers)
    if auth == "bearer":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ctx.access}"
    body = attack.body(operation, ctx) if attack.body else b""

    with CaptureQueriesContext(connection) as queries:
        response = Client().generic(operation.method, path, body, content_type=attack.content_type, **headers)

    assert response.status_code < 500, response.content[:500]
    if response.status_code == 204 or operation.method == "HEAD":
        return
    content_type = response.get("Content-Type", "")
    if operation.method == "GET" and response.status_code == 200 and operation.path in HTML_PAGES:
        assert content_type.startswith("text/html")
        return
    if operation.method == "GET" and response.status_code == 200 and operation.path == "/api/schema/":
        assert content_type.startswith(("application/vnd.oai.openapi", "application/json"))
        return
    assert content_type.split(";")[0] == "application/json", (content_type, response.content[:500])
    if response.status_code >= 400:
        assert _is_error_body(response.json(), response.status_code), (
            response.status_code,
            response.content[:500],
        )
        # Changes nothing: not one write, even one rolled back later.
        # A failed credential check is counted (api/core/counters.py) and logged for its account
        # (api/core/security_log.py): bookkeeping of the attempt, not a change to any data.
        assert not [
            q["sql"]
            for q in queries
            if q["sql"].lstrip().upper().startswith(WRITES)
            and not any(table in q["sql"] for table in ("api_limitcount", "api_securityevent"))
        ]
