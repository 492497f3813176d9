"""Refresh cookie mode over plain HTTP under gunicorn with two workers, DEBUG off and
`JWT_REFRESH_COOKIE_SECURE=false`: login, refreshes through the cookie (parallel ones too) with the
CSRF token and Origin, and logout, with a cookie jar that keeps and sends cookies as a browser does."""

import copy
import http.cookiejar
import json
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from api.tests.conftest import PASSWORD
from api.tests.live import REQUEST_TIMEOUT, Reply, server_env

FRONTEND = "http://app.example.test"
PARALLEL = 5


class CookieBrowser:
    """HTTP requests through a cookie jar: the jar alone decides which cookies are kept and which
    go back, so a cookie a browser would not send (Secure over http, another path) is not sent.

    The standard policy suits 127.0.0.1 as it is: the API's cookies name no Domain, so they are
    host-only and match the address as a string (the "domain-like name" checks apply only to a
    Domain attribute), and a Secure cookie goes only to https (`secure_protocols`), as in browsers.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy())
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, method: str, path: str, body: dict | None = None, **headers: str) -> Reply:
        all_headers = {"Accept": "application/json", "Origin": FRONTEND, **headers}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        # Always the live server's own http:// URL.
        request = urllib.request.Request(self.base_url + path, data, all_headers, method=method)  # noqa: S310
        try:
            with self._opener.open(request, timeout=REQUEST_TIMEOUT) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            # The cookie processor has already seen the answer (a 401 logout clears the cookie).
            with error:
                return Reply(error.code, error.headers, error.read())

    def cookie(self, name: str) -> http.cookiejar.Cookie | None:
        return next((cookie for cookie in self.jar if cookie.name == name), None)

    def tab(self) -> "CookieBrowser":
        """Another tab of the same browser at this moment: the same cookies, sent independently."""
        tab = CookieBrowser(self.base_url)
        for cookie in self.jar:
            tab.jar.set_cookie(copy.copy(cookie))
        return tab


def test_a_browser_over_plain_http_logs_in_refreshes_and_logs_out_with_two_workers(
    live_database_url, gunicorn_server
):
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
    browser = CookieBrowser(server.url)
    username = f"cookie-{uuid.uuid4().hex[:10]}"
    credentials = {"username": username, "password": PASSWORD}
    assert browser.request("POST", "/api/user/register/", credentials).status == 201

    csrf = browser.request("GET", "/api/csrf/")
    assert csrf.status == 200
    csrf_token = csrf.json()["csrf_token"]
    assert browser.cookie("csrftoken") is not None

    def refresh(client: CookieBrowser = browser, **headers: str) -> Reply:
        return client.request("POST", "/api/token/refresh/", {}, **{"X-CSRFToken": csrf_token, **headers})

    login = browser.request("POST", "/api/token/", credentials)
    assert login.status == 200
    assert set(login.json()) == {"access"}
    cookie = browser.cookie("refresh_token")
    assert (cookie.path, cookie.secure, cookie.has_nonstandard_attr("HttpOnly")) == (
        "/api/token/",
        False,
        True,
    )
    assert cookie.get_nonstandard_attr("SameSite") == "Lax"

    # The jar sends the csrftoken cookie back over plain HTTP only if it is not Secure.
    refreshed = refresh()
    assert refreshed.status == 200, refreshed.json()
    assert set(refreshed.json()) == {"access"}
    current = browser.cookie("refresh_token").value
    assert current != cookie.value

    # A page firing several requests at once, each with the same cookie: every worker answers
    # with the same successor.
    tabs = [browser.tab() for _ in range(PARALLEL)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = list(pool.map(refresh, tabs))
    assert [answer.status for answer in answers] == [200] * PARALLEL
    successors = {tab.cookie("refresh_token").value for tab in tabs}
    assert len(successors) == 1
    assert successors != {current}
    browser = tabs[0]
    assert refresh(browser, Origin="http://evil.example").json()["code"] == "origin_not_allowed"
    assert refresh(browser, **{"X-CSRFToken": "x" * 64}).json()["code"] == "csrf_failed"
    last = refresh(browser)
    assert last.status == 200
    newest, access = browser.cookie("refresh_token").value, last.json()["access"]
    assert server.request("GET", "/api/notes/", token=access).status == 200

    logout = browser.request("POST", "/api/token/blacklist/", {}, **{"X-CSRFToken": csrf_token})

    assert logout.status == 200
    # The answer's Max-Age=0 made the jar drop the cookie, as a browser does.
    assert browser.cookie("refresh_token") is None
    assert browser.cookie("csrftoken") is not None
    # Every worker refuses the session's access token and refresh token at once.
    assert {server.request("GET", "/api/notes/", token=access).status for _ in range(10)} == {401}
    stale = browser.tab()
    stale.jar.set_cookie(_with_value(cookie, newest))
    assert refresh(stale).status == 401


def _with_value(cookie: http.cookiejar.Cookie, value: str) -> http.cookiejar.Cookie:
    replaced = copy.copy(cookie)
    replaced.value = value
    return replaced
