"""CSRF and Origin checks of refresh cookie mode, `GET /api/csrf/`, and CORS for a credentialed
frontend: another site can make a browser send the refresh cookie, never use it."""

import pytest
from corsheaders.defaults import default_headers
from rest_framework.test import APIClient

from api.models import TokenFamily
from api.tests.conftest import PASSWORD
from api.tests.live import settings_in_process
from api.tests.sessions import test_refresh_cookie
from api.tests.sessions.test_refresh_cookie import COOKIE, FRONTEND, Browser

pytestmark = pytest.mark.django_db

FOREIGN = "https://evil.example"

# The cookie-mode fixtures of the refresh cookie tests.
cookie_mode = test_refresh_cookie.cookie_mode
browser = test_refresh_cookie.browser


def _codes(response) -> tuple[int, str]:
    return response.status_code, response.json()["code"]


# --- GET /api/csrf/ ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [False, True], ids=["bearer-mode", "cookie-mode"])
def test_csrf_endpoint_answers_anonymously_with_a_token_and_the_cookie(settings, mode):
    settings.JWT_REFRESH_COOKIE = mode
    client = APIClient()
    # A stale access token must not make it refuse.
    client.credentials(HTTP_AUTHORIZATION="Bearer stale")

    response = client.get("/api/csrf/")

    assert response.status_code == 200
    assert set(response.json()) == {"csrf_token"}
    assert response.json()["csrf_token"]
    assert response.cookies["csrftoken"].value
    assert "no-store" in response["Cache-Control"]


# --- The CSRF token ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/token/refresh/", "/api/token/blacklist/"])
@pytest.mark.parametrize(
    "csrf_header", [None, "", "wrong-token-wrong-token-wrong-token-wrong-token-wrong-token-12345"]
)
def test_refresh_and_logout_without_the_csrf_token_are_403_csrf_failed(browser, path, csrf_header):
    headers = {"HTTP_X_CSRFTOKEN": csrf_header}
    if csrf_header is None:
        browser.headers.pop("HTTP_X_CSRFTOKEN")
        headers = {}

    response = browser.post(path, **headers)

    assert _codes(response) == (403, "csrf_failed")
    assert COOKIE not in response.cookies
    assert TokenFamily.objects.get().revoked_at is None


def test_a_csrf_token_without_its_cookie_is_403_csrf_failed(browser):
    browser.client.cookies.pop("csrftoken")

    response = browser.refresh()

    assert _codes(response) == (403, "csrf_failed")
    assert "CSRF cookie not set" in response.json()["detail"]


def test_another_clients_csrf_token_is_403_csrf_failed(browser):
    other = APIClient().get("/api/csrf/").json()["csrf_token"]

    assert _codes(browser.refresh(HTTP_X_CSRFTOKEN=other)) == (403, "csrf_failed")


def test_a_token_in_the_body_does_not_skip_the_checks(cookie_mode, user):
    page = Browser()
    refresh = page.login(user.username).cookies[COOKIE].value

    response = page.post("/api/token/refresh/", {"refresh": refresh}, HTTP_X_CSRFTOKEN="")

    assert _codes(response) == (403, "csrf_failed")


# --- The Origin ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/token/refresh/", "/api/token/blacklist/"])
def test_without_origin_or_referer_refresh_and_logout_are_403_origin_missing(browser, path):
    browser.headers.pop("HTTP_ORIGIN")

    response = browser.post(path)

    assert _codes(response) == (403, "origin_missing")
    assert TokenFamily.objects.get().revoked_at is None


@pytest.mark.parametrize("path", ["/api/token/refresh/", "/api/token/blacklist/"])
@pytest.mark.parametrize(
    "origin", [FOREIGN, "null", "http://app.example.com", "https://app.example.com:8443"]
)
def test_a_foreign_origin_is_403_origin_not_allowed(browser, path, origin):
    response = browser.post(path, HTTP_ORIGIN=origin)

    assert _codes(response) == (403, "origin_not_allowed")
    assert TokenFamily.objects.get().revoked_at is None


def test_without_origin_the_referer_decides(browser):
    browser.headers.pop("HTTP_ORIGIN")

    assert browser.refresh(HTTP_REFERER=f"{FRONTEND}/notes/7?tab=2").status_code == 200
    assert _codes(browser.refresh(HTTP_REFERER=f"{FOREIGN}/{FRONTEND}")) == (403, "origin_not_allowed")
    assert _codes(browser.refresh(HTTP_REFERER="http://[::1")) == (403, "origin_not_allowed")


def test_a_foreign_origin_wins_over_an_allowed_referer(browser):
    response = browser.refresh(HTTP_ORIGIN=FOREIGN, HTTP_REFERER=f"{FRONTEND}/")

    assert _codes(response) == (403, "origin_not_allowed")


def test_the_apis_own_origin_is_accepted(browser):
    # A frontend served by the API's own host (the test client's is http://testserver).
    assert browser.refresh(HTTP_ORIGIN="http://testserver").status_code == 200
    assert browser.refresh(HTTP_ORIGIN="https://testserver").status_code == 403


def test_over_https_the_origin_must_match_the_https_scheme(browser):
    assert browser.refresh(HTTP_ORIGIN="https://testserver", secure=True).status_code == 200
    assert _codes(browser.refresh(HTTP_ORIGIN="http://testserver", secure=True)) == (
        403,
        "origin_not_allowed",
    )


def test_over_https_a_referer_from_the_frontend_passes_djangos_strict_referer_check(browser):
    browser.headers.pop("HTTP_ORIGIN")

    assert browser.refresh(HTTP_REFERER=f"{FRONTEND}/page", secure=True).status_code == 200


def test_login_needs_an_allowed_origin_but_no_csrf_token(cookie_mode, user):
    client = APIClient(enforce_csrf_checks=True)
    credentials = {"username": user.username, "password": PASSWORD}

    missing = client.post("/api/token/", credentials, format="json")
    foreign = client.post("/api/token/", credentials, format="json", HTTP_ORIGIN=FOREIGN)
    allowed = client.post("/api/token/", credentials, format="json", HTTP_ORIGIN=FRONTEND)

    assert _codes(missing) == (403, "origin_missing")
    assert _codes(foreign) == (403, "origin_not_allowed")
    assert allowed.status_code == 200
    # Refused logins started no session.
    assert TokenFamily.objects.count() == 1


@pytest.fixture(scope="module")
def null_origin_settings() -> dict:
    # What a process makes of "null" listed beside the frontend: accepted (CORS answers it), and
    # left out of Django's trusted origins.
    values = settings_in_process(
        {"cors": "s.CORS_ALLOWED_ORIGINS", "trusted": "s.CSRF_TRUSTED_ORIGINS"},
        JWT_REFRESH_COOKIE="true",
        CORS_ALLOWED_ORIGINS=f"{FRONTEND},null",
    )
    assert values == {"cors": [FRONTEND, "null"], "trusted": [FRONTEND]}
    return values


@pytest.fixture
def null_origin_listed(cookie_mode, null_origin_settings):
    cookie_mode.CORS_ALLOWED_ORIGINS = null_origin_settings["cors"]
    cookie_mode.CSRF_TRUSTED_ORIGINS = null_origin_settings["trusted"]
    return cookie_mode


def test_login_from_a_null_origin_is_403_origin_not_allowed_even_if_listed(null_origin_listed, user):
    client = APIClient(enforce_csrf_checks=True)
    credentials = {"username": user.username, "password": PASSWORD}

    refused = client.post("/api/token/", credentials, format="json", HTTP_ORIGIN="null")

    assert _codes(refused) == (403, "origin_not_allowed")
    assert COOKIE not in refused.cookies
    assert not TokenFamily.objects.exists()
    # The frontend listed beside it still logs in.
    assert client.post("/api/token/", credentials, format="json", HTTP_ORIGIN=FRONTEND).status_code == 200


@pytest.mark.parametrize("path", ["/api/token/refresh/", "/api/token/blacklist/"])
def test_refresh_and_logout_from_a_null_origin_are_403_even_if_listed(null_origin_listed, user, path):
    page = Browser()
    assert page.login(user.username).status_code == 200

    response = page.post(path, HTTP_ORIGIN="null")

    assert _codes(response) == (403, "origin_not_allowed")
    assert COOKIE not in response.cookies
    assert TokenFamily.objects.get().revoked_at is None


def test_with_the_flag_off_login_needs_no_origin(user, api_client):
    response = api_client.post(
        "/api/token/", {"username": user.username, "password": PASSWORD}, format="json", HTTP_ORIGIN=FOREIGN
    )

    assert response.status_code == 200


# --- CORS ----------------------------------------------------------------------------------------


def _preflight(origin: str):
    return APIClient().options(
        "/api/token/refresh/",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-csrftoken",
    )


def test_preflight_from_an_allowed_origin_allows_credentials_and_the_csrf_header(cookie_mode):
    response = _preflight(FRONTEND)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONTEND
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "x-csrftoken" in response["Access-Control-Allow-Headers"].split(", ")


def test_preflight_from_another_origin_allows_nothing(cookie_mode):
    response = _preflight(FOREIGN)

    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


def test_the_csrf_header_is_among_cors_default_allowed_headers(settings):
    assert "x-csrftoken" in default_headers
    assert set(default_headers) <= set(settings.CORS_ALLOW_HEADERS)
    # And the step-up token's header (api/sessions/stepup.py).
    assert "x-reauth-token" in settings.CORS_ALLOW_HEADERS
