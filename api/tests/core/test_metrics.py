"""`GET /metrics`: Prometheus' text format, for operators only, with requests counted per route
and the sessions' events counted where they happen (docs/operations.md, "Observability")."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from rest_framework.test import APIClient

from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "t" * 40
OUTSIDER = "203.0.113.7"


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Counts:
    """Samples read before and after: `counts.delta(name, **labels)`."""

    def __init__(self, *samples: tuple[str, dict]) -> None:
        self.samples = samples
        self.before = {self._key(name, labels): _value(name, **labels) for name, labels in samples}

    @staticmethod
    def _key(name: str, labels: dict) -> tuple:
        return name, tuple(sorted(labels.items()))

    def delta(self, name: str, **labels: str) -> float:
        return _value(name, **labels) - self.before[self._key(name, labels)]


def _scrape(client, **extra):
    return client.get("/metrics", **extra)


# --- Who may scrape -------------------------------------------------------------------------


def test_loopback_scrapes_prometheus_text(client):
    response = _scrape(client)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    names = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert {
        "notes_http_requests",
        "notes_http_request_duration_seconds",
        "notes_logins",
        "notes_token_refreshes",
        "notes_refresh_token_reuses",
        "notes_sessions_ended",
        "notes_throttled_requests",
        "notes_breached_password_checks",
    } <= names


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": OUTSIDER},
        {"REMOTE_ADDR": OUTSIDER, "HTTP_AUTHORIZATION": "Bearer wrong-token-of-forty-characters-xxxxxx"},
        {"REMOTE_ADDR": OUTSIDER, "HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        # A proxy on the same machine: the peer is loopback, the client is not known.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": OUTSIDER},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": OUTSIDER},
    ],
    ids=["outsider", "wrong-token", "not-bearer", "through-a-local-proxy", "x-real-ip"],
)
def test_anyone_else_gets_the_apis_404(client, settings, extra):
    settings.METRICS_TOKEN = TOKEN

    response = _scrape(client, **extra)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW"])
@pytest.mark.parametrize(
    "extra",
    [{"REMOTE_ADDR": OUTSIDER}, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": OUTSIDER}],
    ids=["outsider", "through-a-local-proxy"],
)
def test_any_method_from_anyone_else_gets_the_same_404_as_get(method, extra):
    # As a browser's request is checked: the CSRF check must not answer before the view.
    client = Client(enforce_csrf_checks=True)

    response = client.generic(method, "/metrics", **extra)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "BREW"])
def test_a_method_other_than_get_from_an_allowed_client_is_a_json_405(method, settings):
    settings.METRICS_TOKEN = TOKEN
    client = Client(enforce_csrf_checks=True)

    for extra in ({}, {"REMOTE_ADDR": OUTSIDER, "HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}):
        response = client.generic(method, "/metrics", **extra)

        assert response.status_code == 405
        assert response.json() == {"detail": f'Method "{method}" not allowed.', "code": "method_not_allowed"}
        assert response["Allow"] == "GET, HEAD"


def test_head_from_an_allowed_client_answers_as_get(client):
    response = client.head("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")


def test_the_metrics_token_opens_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = TOKEN

    assert _scrape(client, REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_without_a_token_set_no_bearer_opens_it(client, settings):
    settings.METRICS_TOKEN = ""

    assert _scrape(client, REMOTE_ADDR=OUTSIDER, HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_allowed_networks_and_trusted_proxies(client, settings):
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "::1"]

    assert _scrape(client, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert _scrape(client, REMOTE_ADDR="::ffff:10.1.2.3").status_code == 200
    assert _scrape(client, REMOTE_ADDR="127.0.0.1").status_code == 404
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert _scrape(client, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 200
    assert _scrape(client, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR=OUTSIDER).status_code == 404


def test_metrics_are_outside_the_api_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert not [path for path in schema["paths"] if "metrics" in path]


# --- Requests, per route ----------------------------------------------------------------------


def test_requests_are_counted_per_route_name_not_per_path(auth_client, user, make_note):
    notes = [make_note(user) for _ in range(3)]
    detail = {"view": "note-detail", "method": "GET", "status": "200"}
    missing = {"view": "unmatched", "method": "GET", "status": "404"}
    counts = Counts(
        ("notes_http_requests_total", detail),
        ("notes_http_request_duration_seconds_count", detail),
        ("notes_http_requests_total", missing),
    )

    for note in notes:
        assert auth_client.get(f"/api/notes/{note.pk}/").status_code == 200
    auth_client.get("/api/no-such-thing/")
    auth_client.get("/api/no-such-thing-either/")

    assert counts.delta("notes_http_requests_total", **detail) == 3
    assert counts.delta("notes_http_request_duration_seconds_count", **detail) == 3
    assert counts.delta("notes_http_requests_total", **missing) == 2
    exposed = _scrape(APIClient()).content.decode()
    assert f"/api/notes/{notes[0].pk}/" not in exposed
    assert "no-such-thing" not in exposed


def test_an_unknown_method_is_counted_as_other(api_client):
    labels = {"view": "note-list", "method": "other", "status": "401"}
    counts = Counts(("notes_http_requests_total", labels))

    api_client.generic("BREW", "/api/notes/")

    assert counts.delta("notes_http_requests_total", **labels) == 1


# --- Sessions' events -----------------------------------------------------------------------


def _login(client, username, password=PASSWORD):
    return client.post("/api/token/", {"username": username, "password": password}, format="json")


def test_logins_are_counted_ok_failed_and_throttled(api_client, user, settings):
    settings.LOGIN_FAILURE_RATE = "2/hour"
    counts = Counts(*[("notes_logins_total", {"outcome": o}) for o in ("ok", "failed", "throttled")])
    throttled = Counts(("notes_throttled_requests_total", {"scope": "login"}))

    assert _login(api_client, user.username).status_code == 200
    assert [_login(api_client, user.username, "wrong").status_code for _ in range(3)] == [401, 401, 429]

    assert counts.delta("notes_logins_total", outcome="ok") == 1
    assert counts.delta("notes_logins_total", outcome="failed") == 2
    assert counts.delta("notes_logins_total", outcome="throttled") == 1
    assert throttled.delta("notes_throttled_requests_total", scope="login") == 1


def test_a_login_refused_by_both_throttles_counts_once(api_client, user, settings):
    settings.LOGIN_FAILURE_RATE = "1/hour"
    settings.AUTH_THROTTLE_RATE = "2/hour"
    _login(api_client, user.username, "wrong")
    _login(api_client, user.username, "wrong")
    counts = Counts(("notes_logins_total", {"outcome": "throttled"}))

    assert _login(api_client, user.username).status_code == 429

    assert counts.delta("notes_logins_total", outcome="throttled") == 1


def test_refreshes_reuses_and_ended_sessions_are_counted(api_client, user, login, auth_client):
    counts = Counts(
        ("notes_token_refreshes_total", {}),
        ("notes_refresh_token_reuses_total", {}),
        ("notes_sessions_ended_total", {}),
    )
    stolen = login(user.username)
    rotated = api_client.post("/api/token/refresh/", {"refresh": stolen["refresh"]}, format="json")
    assert rotated.status_code == 200
    with time_machine.travel(timedelta(seconds=31)):
        assert (
            api_client.post("/api/token/refresh/", {"refresh": stolen["refresh"]}, format="json").status_code
            == 401
        )
    assert counts.delta("notes_token_refreshes_total") == 1
    assert counts.delta("notes_refresh_token_reuses_total") == 1
    assert counts.delta("notes_sessions_ended_total") == 1

    # Logging out everywhere ends every live session (the auth client's and one more), and
    # counts only those still live.
    login(user.username)
    assert auth_client.post("/api/user/logout-all/").status_code == 204
    assert counts.delta("notes_sessions_ended_total") == 3


def test_throttled_requests_are_counted_by_scope(api_client, settings):
    settings.AUTH_THROTTLE_RATE = "1/hour"
    counts = Counts(("notes_throttled_requests_total", {"scope": "refresh"}))

    statuses = [
        api_client.post("/api/token/refresh/", {"refresh": "x"}, format="json").status_code for _ in range(3)
    ]

    assert statuses == [401, 429, 429]
    assert counts.delta("notes_throttled_requests_total", scope="refresh") == 2
