"""Refresh cookie mode over real HTTP under gunicorn with two workers: login, refreshes through
the cookie (parallel ones too) with the CSRF token and Origin, and logout."""

import uuid
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

from api.tests.conftest import PASSWORD
from api.tests.live import Reply, server_env

FRONTEND = "http://app.example.test"
PARALLEL = 5


def _set_cookies(reply: Reply) -> SimpleCookie:
    jar = SimpleCookie()
    for header in reply.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return jar


def test_login_refresh_and_logout_through_the_cookie_with_two_workers(live_database_url, gunicorn_server):
    server = gunicorn_server(
        server_env(
            DATABASE_URL=live_database_url,
            JWT_REFRESH_COOKIE="true",
            JWT_REFRESH_COOKIE_SECURE="false",
            CORS_ALLOWED_ORIGINS=FRONTEND,
            AUTH_THROTTLE_RATE="100000/min",
        ),
        workers=2,
    )
    username = f"cookie-{uuid.uuid4().hex[:10]}"
    credentials = {"username": username, "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201

    csrf = server.request("GET", "/api/csrf/")
    csrf_token, csrf_cookie = csrf.json()["csrf_token"], _set_cookies(csrf)["csrftoken"].value

    def send(path: str, refresh: str | None, **headers: str) -> Reply:
        cookie = f"csrftoken={csrf_cookie}" + (f"; refresh_token={refresh}" if refresh else "")
        all_headers = {"Origin": FRONTEND, "X-CSRFToken": csrf_token, "Cookie": cookie, **headers}
        return server.request("POST", path, {}, headers=all_headers)

    login = server.request("POST", "/api/token/", credentials, headers={"Origin": FRONTEND})
    assert login.status == 200
    assert set(login.json()) == {"access"}
    cookie = _set_cookies(login)["refresh_token"]
    assert (cookie["path"], cookie["httponly"], cookie["samesite"]) == ("/api/token/", True, "Lax")

    refreshed = send("/api/token/refresh/", cookie.value)
    assert refreshed.status == 200
    assert set(refreshed.json()) == {"access"}
    current = _set_cookies(refreshed)["refresh_token"].value
    assert current != cookie.value

    # A page firing several requests at once: every worker answers with the same successor.
    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = list(pool.map(lambda _: send("/api/token/refresh/", current), range(PARALLEL)))
    assert [answer.status for answer in answers] == [200] * PARALLEL
    successors = {_set_cookies(answer)["refresh_token"].value for answer in answers}
    assert len(successors) == 1
    (final,) = successors
    assert (
        send("/api/token/refresh/", final, Origin="http://evil.example").json()["code"]
        == "origin_not_allowed"
    )
    assert send("/api/token/refresh/", final, **{"X-CSRFToken": "x" * 64}).json()["code"] == "csrf_failed"
    last = send("/api/token/refresh/", final)
    assert last.status == 200
    newest, access = _set_cookies(last)["refresh_token"].value, last.json()["access"]
    assert server.request("GET", "/api/notes/", token=access).status == 200

    logout = send("/api/token/blacklist/", newest)

    assert logout.status == 200
    cleared = _set_cookies(logout)["refresh_token"]
    assert (cleared.value, cleared["max-age"], cleared["path"]) == ("", "0", "/api/token/")
    # Every worker refuses the session's access token and refresh token at once.
    assert {server.request("GET", "/api/notes/", token=access).status for _ in range(10)} == {401}
    assert send("/api/token/refresh/", newest).status == 401
