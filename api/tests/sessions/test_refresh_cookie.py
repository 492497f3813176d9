"""Refresh cookie mode (`JWT_REFRESH_COOKIE`): the refresh token lives in an HttpOnly cookie scoped
to /api/token/, never in a body; rotation, reuse detection and the grace work through it."""

import time
from datetime import timedelta

import jwt
import pytest
import time_machine
from rest_framework.test import APIClient

from api.models import TokenFamily
from api.sessions import cookies
from api.sessions.services import TokenPair
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FRONTEND = "https://app.example.com"
COOKIE = "refresh_token"


@pytest.fixture
def cookie_mode(settings):
    """Cookie mode on, with one allowed frontend, as the settings would make it."""
    settings.JWT_REFRESH_COOKIE = True
    settings.JWT_REFRESH_COOKIE_NAME = COOKIE
    settings.JWT_REFRESH_COOKIE_SECURE = True
    settings.JWT_REFRESH_COOKIE_SAMESITE = "Lax"
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]
    settings.CSRF_TRUSTED_ORIGINS = [FRONTEND]
    settings.CORS_ALLOW_CREDENTIALS = True
    return settings


class Browser:
    """A frontend page at FRONTEND: it keeps cookies, sends its Origin and the CSRF token."""

    def __init__(self) -> None:
        # Django's test client skips CSRF checks unless asked, as it does for every view.
        self.client = APIClient(enforce_csrf_checks=True)
        self.csrf_token = self.client.get("/api/csrf/").json()["csrf_token"]
        self.headers = {"HTTP_ORIGIN": FRONTEND, "HTTP_X_CSRFTOKEN": self.csrf_token}

    def post(self, path: str, body: dict | None = None, **headers):
        return self.client.post(path, body or {}, format="json", **{**self.headers, **headers})

    def login(self, username: str):
        return self.post("/api/token/", {"username": username, "password": PASSWORD})

    def refresh(self, **headers):
        return self.post("/api/token/refresh/", **headers)

    def logout(self, **headers):
        return self.post("/api/token/blacklist/", **headers)

    @property
    def refresh_cookie(self) -> str:
        return self.client.cookies[COOKIE].value

    def use_refresh_cookie(self, value: str) -> None:
        # A new morsel: the client's current one is also the last response's, which tests read.
        self.client.cookies.pop(COOKIE, None)
        self.client.cookies[COOKIE] = value


@pytest.fixture
def bearer_refresh(settings, user, login) -> str:
    """A refresh token from a login in Bearer mode, before the test turns cookie mode on."""
    cookie_mode = settings.JWT_REFRESH_COOKIE
    settings.JWT_REFRESH_COOKIE = False
    refresh = login(user.username)["refresh"]
    settings.JWT_REFRESH_COOKIE = cookie_mode
    return refresh


@pytest.fixture
def browser(cookie_mode, user) -> Browser:
    """Alice, logged in from the frontend in cookie mode."""
    page = Browser()
    assert page.login(user.username).status_code == 200
    return page


def _exp(token: str) -> int:
    return jwt.decode(token, options={"verify_signature": False})["exp"]


def _can_use_access(access: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/notes/").status_code == 200


# --- The cookie ---------------------------------------------------------------------------------


def test_login_sets_an_httponly_secure_lax_cookie_for_the_token_endpoints_only(cookie_mode, user, settings):
    page = Browser()

    response = page.login(user.username)

    assert response.status_code == 200
    assert set(response.json()) == {"access"}
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/api/token/"
    remaining = _exp(cookie.value) - time.time()
    assert abs(int(cookie["max-age"]) - remaining) <= 2
    assert abs(int(cookie["max-age"]) - settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds()) <= 2
    assert _can_use_access(response.json()["access"])


def test_cookie_attributes_follow_the_settings(cookie_mode, user):
    cookie_mode.JWT_REFRESH_COOKIE_NAME = "rt"
    cookie_mode.JWT_REFRESH_COOKIE_SAMESITE = "None"

    cookie = Browser().login(user.username).cookies["rt"]

    assert cookie["samesite"] == "None"
    assert cookie["secure"] is True
    assert COOKIE not in Browser().login(user.username).cookies


def test_plain_http_development_may_drop_secure(cookie_mode, user):
    cookie_mode.JWT_REFRESH_COOKIE_SECURE = False

    cookie = Browser().login(user.username).cookies[COOKIE]

    assert cookie["secure"] == ""
    assert cookie["httponly"] is True


def test_max_age_is_the_remaining_life_of_a_token_reissued_in_the_grace(browser):
    spent = browser.refresh_cookie
    first = browser.refresh()
    with time_machine.travel(timedelta(seconds=20)):
        browser.use_refresh_cookie(spent)
        again = browser.refresh()

    assert again.status_code == 200
    cookie = again.cookies[COOKIE]
    assert cookie.value == first.cookies[COOKIE].value
    # Issued 20 seconds before, at the rotation: its life is that much shorter than a new one's.
    assert abs(int(cookie["max-age"]) - (_exp(cookie.value) - time.time() - 20)) <= 2
    assert int(first.cookies[COOKIE]["max-age"]) - int(cookie["max-age"]) >= 18


# --- Refresh through the cookie ------------------------------------------------------------------


def test_refresh_from_the_cookie_rotates_and_sets_the_successor(browser):
    old = browser.refresh_cookie

    response = browser.refresh()

    assert response.status_code == 200
    assert set(response.json()) == {"access"}
    assert response.cookies[COOKIE].value != old
    assert response.cookies[COOKIE]["path"] == "/api/token/"
    assert _can_use_access(response.json()["access"])
    assert browser.refresh().status_code == 200


def test_no_body_ever_holds_the_refresh_token(browser, user):
    bodies = [browser.login(user.username).content]
    spent = browser.refresh_cookie
    bodies.append(browser.refresh().content)
    browser.use_refresh_cookie(spent)
    bodies.append(browser.refresh().content)  # the grace answer
    bodies.append(browser.logout().content)

    for body in bodies:
        assert b"refresh" not in body
    tokens = [browser.refresh_cookie, spent]
    assert not any(token.encode() in body for token in tokens if token for body in bodies)


def test_a_refresh_token_in_the_body_is_still_accepted_but_answered_through_the_cookie(
    cookie_mode, bearer_refresh
):
    page = Browser()

    response = page.post("/api/token/refresh/", {"refresh": bearer_refresh})

    assert response.status_code == 200
    assert set(response.json()) == {"access"}
    assert COOKIE in response.cookies


def test_refresh_without_cookie_or_body_is_a_400_field_error(cookie_mode):
    response = Browser().refresh()

    assert response.status_code == 400
    assert response.json() == {"refresh": ["This field is required."]}


@pytest.mark.parametrize("value", ["garbage", "a.b.c", "x" * 5000, "ünïcödé"])
def test_a_garbage_cookie_is_401_token_not_valid(cookie_mode, value):
    page = Browser()
    page.use_refresh_cookie(value)

    response = page.refresh()

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_with_rotation_off_refresh_answers_access_and_leaves_the_cookie(browser, settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ROTATE_REFRESH_TOKENS": False}
    kept = browser.refresh_cookie

    response = browser.refresh()

    assert response.status_code == 200
    assert set(response.json()) == {"access"}
    assert COOKIE not in response.cookies
    assert browser.refresh_cookie == kept
    assert browser.refresh().status_code == 200


# --- Rotation rules through the cookie -----------------------------------------------------------


def test_parallel_refreshes_with_one_cookie_all_succeed_and_leave_a_working_cookie(browser):
    shared = browser.refresh_cookie
    answers = []
    for _ in range(5):
        # Each request was sent with the cookie the page had before any of them returned.
        browser.use_refresh_cookie(shared)
        answers.append(browser.refresh())

    assert [answer.status_code for answer in answers] == [200] * 5
    assert len({answer.cookies[COOKIE].value for answer in answers}) == 1
    assert all(_can_use_access(answer.json()["access"]) for answer in answers)
    final = browser.refresh()
    assert final.status_code == 200
    assert COOKIE in final.cookies


def test_an_old_cookie_replayed_after_the_grace_ends_the_session(browser):
    stolen = browser.refresh_cookie
    assert browser.refresh().status_code == 200
    current = browser.refresh_cookie

    with time_machine.travel(timedelta(seconds=31)):
        browser.use_refresh_cookie(stolen)
        replay = browser.refresh()
        browser.use_refresh_cookie(current)
        owner = browser.refresh()

    assert replay.status_code == 401
    assert replay.json()["code"] == "token_not_valid"
    assert owner.status_code == 401
    assert TokenFamily.objects.get().revoked_at is not None


# --- Logout --------------------------------------------------------------------------------------


def _assert_cleared(response, *, samesite: str = "Lax", name: str = COOKIE) -> None:
    cookie = response.cookies[name]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
    assert cookie["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert cookie["path"] == "/api/token/"
    assert cookie["samesite"] == samesite
    assert cookie["secure"] is True
    assert cookie["httponly"] is True


def test_logout_ends_the_session_and_clears_the_cookie_as_it_was_set(cookie_mode, user):
    page = Browser()
    access = page.login(user.username).json()["access"]
    kept = page.refresh_cookie

    response = page.logout()

    assert response.status_code == 200
    _assert_cleared(response)
    assert not _can_use_access(access)
    page.use_refresh_cookie(kept)
    assert page.refresh().status_code == 401


def test_logout_clears_a_samesite_none_cookie_with_the_same_attributes(cookie_mode, user):
    cookie_mode.JWT_REFRESH_COOKIE_SAMESITE = "None"
    page = Browser()
    page.login(user.username)

    _assert_cleared(page.logout(), samesite="None")


def test_logout_with_a_dead_cookie_is_401_and_still_clears_it(cookie_mode):
    page = Browser()
    page.use_refresh_cookie("garbage")

    response = page.logout()

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"
    _assert_cleared(response)


def test_logout_without_csrf_token_is_refused_and_keeps_the_session(browser):
    response = browser.logout(HTTP_X_CSRFTOKEN="")

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert COOKIE not in response.cookies
    assert browser.refresh().status_code == 200


def test_logout_with_a_refresh_token_in_the_body_ends_that_session(cookie_mode, bearer_refresh):
    response = Browser().post("/api/token/blacklist/", {"refresh": bearer_refresh})

    assert response.status_code == 200
    assert TokenFamily.objects.get().revoked_at is not None


# --- Bearer mode is unchanged --------------------------------------------------------------------


def test_with_the_flag_off_bodies_carry_the_refresh_token_and_no_cookie_is_set(api_client, user):
    login = api_client.post("/api/token/", {"username": user.username, "password": PASSWORD}, format="json")

    assert set(login.json()) == {"access", "refresh"}
    assert COOKIE not in login.cookies
    refresh = api_client.post("/api/token/refresh/", {"refresh": login.json()["refresh"]}, format="json")
    assert set(refresh.json()) == {"access", "refresh"}
    assert COOKIE not in refresh.cookies


def test_with_the_flag_off_a_refresh_cookie_is_ignored(api_client, user, login):
    api_client.cookies[COOKIE] = login(user.username)["refresh"]

    response = api_client.post("/api/token/refresh/", {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"refresh": ["This field is required."]}


def test_with_the_flag_off_refresh_and_logout_need_no_csrf_token_or_origin(user, login):
    client = APIClient(enforce_csrf_checks=True)
    refresh = login(user.username)["refresh"]

    rotated = client.post("/api/token/refresh/", {"refresh": refresh}, format="json")
    assert rotated.status_code == 200
    assert (
        client.post(
            "/api/token/blacklist/", {"refresh": rotated.json()["refresh"]}, format="json"
        ).status_code
        == 200
    )


# --- Other endpoints that log a client in --------------------------------------------------------


def test_token_response_with_the_flag_off_answers_the_pair_and_sets_no_cookie():
    response = cookies.token_response(TokenPair(access="access-token", refresh="refresh-token"))

    assert response.status_code == 200
    assert response.data == {"access": "access-token", "refresh": "refresh-token"}
    assert COOKIE not in response.cookies


def test_token_response_in_cookie_mode_answers_access_only(cookie_mode, user, login):
    pair = TokenPair(access="access-token", refresh=Browser().login(user.username).cookies[COOKIE].value)

    response = cookies.token_response(pair, status=201)

    assert response.status_code == 201
    assert response.data == {"access": pair.access}
    assert response.cookies[COOKIE].value == pair.refresh
    assert response.cookies[COOKIE]["httponly"] is True


def test_password_change_in_cookie_mode_answers_access_and_sets_the_new_sessions_cookie(browser):
    access = browser.refresh().json()["access"]
    old_cookie = browser.refresh_cookie

    changed = browser.client.post(
        "/api/user/password/",
        {"old_password": PASSWORD, "new_password": "a whole new passphrase"},
        format="json",
        HTTP_AUTHORIZATION=f"Bearer {access}",
    )

    assert changed.status_code == 200
    assert set(changed.json()) == {"access"}
    assert browser.refresh_cookie not in ("", old_cookie)
    assert browser.refresh().status_code == 200
    browser.use_refresh_cookie(old_cookie)
    assert browser.refresh().status_code == 401
