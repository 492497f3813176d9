"""Errors are JSON with a code; bad input changes nothing; CORS; production settings refuse to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    ProgrammingError,
    transaction,
)
from django.http import Http404, HttpResponse
from django.middleware.common import CommonMiddleware
from django.urls import include, path
from django.views import View
from rest_framework import exceptions

from api.core.exceptions import (
    DATABASE_RETRY_AFTER,
    Conflict,
    RequestTooLarge,
    ServerError,
    ServiceUnavailable,
    api_exception_for,
)
from api.core.parsers import LengthRequired
from api.models import Note, User
from api.notes.views import NoteListCreate

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]

NOT_FOUND = {"detail": "Not found.", "code": "not_found"}
SERVER_ERROR = {"detail": "A server error occurred.", "code": "server_error"}


def _crash(request):
    raise RuntimeError("boom")


def _raise_http404(request):
    raise Http404("No Note matches the given query.")


def _html_error_page(request, status):
    response = HttpResponse(f"<h1>Error {status}</h1>", status=status)
    response["Retry-After"] = "7"
    return response


class _GetOnly(View):
    """A plain Django view: other methods get Django's own empty 405."""

    def get(self, request):
        return HttpResponse("ok")


# Tests marked `urls(__name__)` route with the project's URLs plus these plain Django views,
# to reach the errors Django answers by itself.
urlpatterns = [
    path("api/test/crash/", _crash),
    path("api/test/http404/", _raise_http404),
    path("api/test/html-error/<int:status>/", _html_error_page),
    path("api/test/get-only/", _GetOnly.as_view()),
    path("", include("backend.urls")),
]


@pytest.mark.parametrize("body", ['{"title": "x",', "not json", '{"title": tru}'])
def test_malformed_json_is_400_json_and_saves_nothing(auth_client, body):
    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "parse_error"
    assert Note.objects.count() == 0


def test_lone_surrogate_in_json_string_is_a_field_error(auth_client):
    body = '{"title": "\\ud800", "content": "x"}'

    response = auth_client.post("/api/notes/", body, content_type="application/json")

    assert response.status_code == 400
    assert "title" in response.json()
    assert Note.objects.count() == 0


def test_json_array_body_is_a_json_400_with_a_non_field_error(auth_client):
    response = auth_client.post("/api/notes/", "[1, 2]", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]}
    assert Note.objects.count() == 0


def test_non_json_content_type_is_415(auth_client):
    response = auth_client.post("/api/notes/", "title=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/api/nope/", "/api/notes/abc/", "/api/", "/.well-known/nope"])
def test_unknown_api_url_is_json_404(api_client, settings, path, debug):
    settings.DEBUG = debug

    response = api_client.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == NOT_FOUND


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/nope/"),
        ("get", "/api/notes/{missing}/"),
        ("get", "/api/notes/{other}/"),
        ("patch", "/api/notes/{other}/"),
        ("delete", "/api/notes/delete/{other}/"),
        ("get", "/api/notes/?format=xml"),
        ("get", "/api/notes/{mine}/?format=xml"),
    ],
)
def test_every_404_reads_the_same_whether_the_url_or_the_object_is_unknown(
    auth_client, user, make_user, make_note, method, path
):
    ids = {"mine": make_note(user).pk, "other": make_note(make_user("bob")).pk, "missing": 2**40}

    body = {} if method == "get" else {"data": {"title": "x"}, "format": "json"}

    response = getattr(auth_client, method)(path.format(**ids), **body)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


@pytest.mark.urls(__name__)
def test_http404_raised_by_a_plain_django_view_does_not_reveal_its_message(api_client):
    response = api_client.get("/api/test/http404/")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_refused_host_header_is_json_400_even_before_the_https_redirect(api_client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = api_client.get("/api/notes/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request.", "code": "bad_request"}


@pytest.mark.urls(__name__)
def test_djangos_own_405_reads_as_drfs_and_keeps_the_allow_header(api_client):
    django_405 = api_client.post("/api/test/get-only/")
    drf_405 = api_client.post("/api/health/")

    expected = {"detail": 'Method "POST" not allowed.', "code": "method_not_allowed"}
    assert django_405.status_code == drf_405.status_code == 405
    assert django_405.json() == drf_405.json() == expected
    assert django_405["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "status, drf_error",
    [
        (403, exceptions.PermissionDenied()),
        (404, exceptions.NotFound()),
        (406, exceptions.NotAcceptable()),
        (409, Conflict()),
        (411, LengthRequired()),
        (413, RequestTooLarge()),
        (429, exceptions.Throttled()),
        (500, ServerError()),
        (502, ServerError()),
        (503, ServiceUnavailable()),
    ],
)
def test_djangos_error_page_for_a_status_reads_as_drfs_error_for_it(api_client, status, drf_error):
    response = api_client.get(f"/api/test/html-error/{status}/")

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": str(drf_error.detail), "code": drf_error.get_codes()}
    assert response["Retry-After"] == "7"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("status, code", [(400, "bad_request"), (410, "gone"), (414, "request_uri_too_long")])
def test_djangos_error_page_for_a_status_drf_has_no_error_for_is_its_phrase_as_a_sentence(
    api_client, status, code
):
    response = api_client.get(f"/api/test/html-error/{status}/")

    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"] in {"Bad request.", "Gone.", "Request-URI too long."}


@pytest.mark.parametrize(
    "method, path, headers, status, code",
    [
        ("delete", "/api/notes/", {}, 405, "method_not_allowed"),
        ("get", "/api/notes/", {"HTTP_ACCEPT": "text/html"}, 406, "not_acceptable"),
        ("get", "/api/notes/?format=xml", {}, 404, "not_found"),
    ],
)
def test_requests_the_endpoint_cannot_serve_get_json_errors(auth_client, method, path, headers, status, code):
    response = getattr(auth_client, method)(path, **headers)

    assert response.status_code == status
    assert response.json()["code"] == code


def _crash_in_a_drf_view(monkeypatch) -> str:
    monkeypatch.setattr(NoteListCreate, "list", lambda self, request, *args, **kwargs: _crash(request))
    return "/api/notes/"


def _crash_in_a_plain_django_view(monkeypatch) -> str:
    return "/api/test/crash/"


def _crash_in_a_middleware(monkeypatch) -> str:
    monkeypatch.setattr(CommonMiddleware, "process_request", lambda self, request: _crash(request))
    return "/api/notes/"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "crash", [_crash_in_a_drf_view, _crash_in_a_plain_django_view, _crash_in_a_middleware]
)
def test_every_unexpected_error_is_the_same_json_500(auth_client, monkeypatch, settings, crash, debug):
    settings.DEBUG = debug
    path = crash(monkeypatch)
    # Django's test client re-raises what its handler logged as unhandled; a real client gets the answer.
    auth_client.raise_request_exception = False

    response = auth_client.get(path)

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == SERVER_ERROR


def test_cors_preflight_allows_authorization_from_configured_origin(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:5173"]

    response = api_client.options(
        "/api/notes/",
        HTTP_ORIGIN="http://localhost:5173",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "authorization" in response["Access-Control-Allow-Headers"]


def test_cors_exposes_link_header_and_refuses_unknown_origin(auth_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:5173"]

    allowed = auth_client.get("/api/notes/", HTTP_ORIGIN="http://localhost:5173")
    refused = auth_client.get("/api/notes/", HTTP_ORIGIN="http://evil.example")

    assert "link" in allowed["Access-Control-Expose-Headers"].lower()
    assert "Access-Control-Allow-Origin" not in refused


def test_admin_lists_users_and_notes(client, make_user, make_note, settings):
    settings.ADMIN_REQUIRE_MFA = False  # a superuser without a second factor (test_admin.py)
    admin = make_user("root", is_staff=True, is_superuser=True)
    make_note(admin)
    client.force_login(admin)

    assert client.get("/admin/api/user/").status_code == 200
    assert client.get("/admin/api/note/").status_code == 200


def _start_settings(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JWT_"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "secret",
    ["", "short-key", "django-insecure-" + "x" * 60, "a" * 60],
)
def test_production_refuses_to_start_with_missing_or_insecure_secret_key(secret):
    result = _start_settings(DJANGO_SECRET_KEY=secret)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_starts_with_a_strong_secret_key():
    result = _start_settings(DJANGO_SECRET_KEY="k" * 20 + "Zx9-Qw8_Er7+Ty6!Ui5@Op4#As3$Df2%Gh1^Jk0&Lz")

    assert result.returncode == 0, result.stderr


def test_search_term_with_a_null_character_is_a_400_object_with_a_code(auth_client):
    response = auth_client.get("/api/notes/?search=a%00b")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Null characters are not allowed.",
        "code": "null_characters_not_allowed",
    }


@pytest.mark.parametrize(
    "accept", ["*/*", "application/json", "application/json, text/plain, */*", "text/*, */*"]
)
def test_json_accepting_clients_get_json(auth_client, accept):
    response = auth_client.get("/api/notes/", HTTP_ACCEPT=accept)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# --- Database failures, as the API answers them (`api_exception_for`) ---------------------------


def _raised(action) -> BaseException:
    """What `action` raises inside a savepoint of its own (the test's transaction lives on)."""
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        action()
    return raised.value


def _status_and_code(exc: BaseException) -> tuple[int, str] | None:
    answer = api_exception_for(exc)
    return None if answer is None else (answer.status_code, answer.get_codes())


def test_a_constraint_violation_is_a_409_conflict(make_user):
    taken = make_user().username

    exc = _raised(lambda: User.objects.create(username=taken))

    assert isinstance(exc, IntegrityError)
    assert _status_and_code(exc) == (409, "conflict")


@pytest.mark.parametrize(
    "exc",
    [OperationalError("connection refused"), InterfaceError("connection already closed")],
    ids=["operational-error", "interface-error"],
)
def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(exc):
    answer = api_exception_for(exc)

    assert (answer.status_code, answer.get_codes()) == (503, "service_unavailable")
    assert answer.wait == DATABASE_RETRY_AFTER


@pytest.mark.parametrize(
    "save", [{"update_fields": ["title"]}, {"force_update": True}], ids=["update-fields", "force-update"]
)
def test_saving_a_row_deleted_meanwhile_is_a_404_not_found(user, make_note, save):
    note = make_note(user)
    Note.objects.filter(pk=note.pk).delete()
    note.title = "changed"

    exc = _raised(lambda: note.save(**save))

    assert _status_and_code(exc) == (404, "not_found")
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "exc",
    [
        ProgrammingError("relation does not exist"),
        DataError("value too long for type character varying(100)"),
        DatabaseError("Save with update_fields did not affect any rows"),
    ],
    ids=["programming-error", "data-error", "another-message"],
)
def test_other_database_errors_are_left_to_the_500_handler(exc):
    assert api_exception_for(exc) is None
