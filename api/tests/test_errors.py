"""Errors are JSON with a code; bad input changes nothing; CORS; production settings refuse to start."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from api.models import Note
from api.views import NoteListCreate

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.mark.parametrize("path", ["/api/nope/", "/api/notes/abc/", "/api/"])
def test_unknown_api_url_is_json_404(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found.", "code": "not_found"}


def test_refused_host_header_is_json_400_even_before_the_https_redirect(api_client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = api_client.get("/api/notes/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


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


def test_unexpected_server_error_is_json_500(auth_client, monkeypatch):
    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(NoteListCreate, "list", explode)

    response = auth_client.get("/api/notes/")

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred.", "code": "server_error"}


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


def test_admin_lists_users_and_notes(client, make_user, make_note):
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
        env={**clean, "DJANGO_SETTINGS_MODULE": "backend.settings", "DJANGO_DEBUG": "false", **env},
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
