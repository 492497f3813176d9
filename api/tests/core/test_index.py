"""`/` is a JSON index of the API, answered to anyone, and held to the API's rules: HTTPS, Host
checks, JSON errors."""

from urllib.parse import urlsplit

import pytest
from django.middleware.common import CommonMiddleware
from django.urls import resolve

pytestmark = pytest.mark.django_db


def test_root_is_a_json_index_of_the_api_for_anonymous_clients(api_client):
    response = api_client.get("/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response.json() == {
        "name": "Notes API",
        "version": "1.0.0",
        "links": {
            "docs": "http://testserver/api/docs/",
            "redoc": "http://testserver/api/redoc/",
            "schema": "http://testserver/api/schema/",
            "health": "http://testserver/api/health/",
            "jwks": "http://testserver/.well-known/jwks.json",
            "login": "http://testserver/api/token/",
        },
    }


def test_root_links_lead_to_the_documented_endpoints(api_client):
    links = api_client.get("/").json()["links"]

    for name in ("docs", "redoc", "health"):
        assert api_client.get(links[name]).status_code == 200, name
    assert api_client.get(links["schema"], HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["openapi"]
    assert resolve(urlsplit(links["login"]).path).url_name == "token-obtain-pair"
    assert resolve(urlsplit(links["jwks"]).path).url_name == "jwks"


def test_root_links_use_the_scheme_and_host_the_client_used(api_client, settings):
    settings.ALLOWED_HOSTS = ["api.example.com"]

    links = api_client.get("/", HTTP_HOST="api.example.com", secure=True).json()["links"]

    assert links["docs"] == "https://api.example.com/api/docs/"


def test_root_is_left_out_of_the_schema_like_the_docs_routes(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert "/" not in schema["paths"]
    assert "/api/docs/" not in schema["paths"]


def test_root_redirects_plain_http_to_https_in_production(api_client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = api_client.get("/")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"


def test_root_refuses_an_unknown_host_with_a_json_400(api_client):
    response = api_client.get("/", HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response.json() == {"detail": "Bad request.", "code": "bad_request"}


@pytest.mark.parametrize(
    "method, headers, status, body",
    [
        ("post", {}, 405, {"detail": 'Method "POST" not allowed.', "code": "method_not_allowed"}),
        (
            "get",
            {"HTTP_ACCEPT": "text/html"},
            406,
            {"detail": "Could not satisfy the request Accept header.", "code": "not_acceptable"},
        ),
    ],
)
def test_root_answers_requests_it_cannot_serve_with_json_errors(api_client, method, headers, status, body):
    response = getattr(api_client, method)("/", **headers)

    assert response.status_code == status
    assert response.json() == body


@pytest.mark.parametrize("debug", [False, True])
def test_root_crashing_outside_its_view_is_a_json_500(api_client, monkeypatch, settings, debug):
    settings.DEBUG = debug
    monkeypatch.setattr(CommonMiddleware, "process_request", lambda self, request: 1 / 0)
    api_client.raise_request_exception = False

    response = api_client.get("/")

    assert response.status_code == 500
    assert response.json() == {"detail": "A server error occurred.", "code": "server_error"}


def test_root_answers_a_client_that_sends_a_stale_or_forged_token(api_client):
    # Clients attach their token to every call; the index authenticates nobody, so never says 401.
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")

    response = api_client.get("/")

    assert response.status_code == 200
