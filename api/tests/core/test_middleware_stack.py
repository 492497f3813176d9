"""Django's session, user and message middleware work for the admin alone: the API answers
without a session, a CSRF cookie or `Vary: Cookie`, the admin keeps all of them (its login
enforces CSRF), and the request log and metrics record what they did before."""

import logging
import re

import pytest
from django.test import Client
from prometheus_client import REGISTRY

from api.models import User
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _requests_counted(view: str, status: str) -> float:
    labels = {"view": view, "method": "GET", "status": status}
    return REGISTRY.get_sample_value("notes_http_requests_total", labels) or 0.0


def test_an_api_request_answers_without_session_csrf_cookie_or_vary_cookie(auth_client, make_note, user):
    make_note(user)
    auth_client.cookies["sessionid"] = "not-a-session"

    response = auth_client.get("/api/notes/")

    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    # Django's own user is not set up outside the admin; DRF's is the token's user.
    assert response.wsgi_request.user.pk == user.pk
    # Nor a session or message storage: none of the three middleware did any work.
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "_messages")


def test_an_admin_request_gets_the_session_user_and_messages(db):
    response = Client().get("/admin/login/")

    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "session")
    assert hasattr(response.wsgi_request, "_messages")
    assert response.wsgi_request.user.is_anonymous


def test_the_csrf_endpoint_still_sets_its_cookie_and_keeps_it(api_client):
    first = api_client.get("/api/csrf/")
    second = api_client.get("/api/csrf/")

    assert first.status_code == second.status_code == 200
    assert first.cookies["csrftoken"].value
    # The secret read back from the cookie is kept, not replaced on every call.
    assert "csrftoken" not in second.cookies or (
        second.cookies["csrftoken"].value == first.cookies["csrftoken"].value
    )


def test_the_admin_login_keeps_sessions_messages_and_csrf(db, settings):
    settings.ADMIN_REQUIRE_MFA = False
    User.objects.create_superuser("root", password=PASSWORD)
    browser = Client(enforce_csrf_checks=True)

    page = browser.get("/admin/login/?next=/admin/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    refused = browser.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    signed_in = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert page.status_code == 200 and "csrftoken" in page.cookies
    assert refused.status_code == 403
    assert signed_in.status_code == 302
    assert browser.cookies["sessionid"].value
    assert "cookie" in browser.get("/admin/").get("Vary", "").lower()
    assert browser.get("/admin/").status_code == 200


def test_admin_messages_still_reach_the_next_page(db, settings):
    settings.ADMIN_REQUIRE_MFA = False
    User.objects.create_superuser("root", password=PASSWORD)
    browser = Client()
    browser.login(username="root", password=PASSWORD)

    added = browser.post(
        "/admin/api/user/add/",
        {"username": "someone", "password1": "a long passphrase 93", "password2": "a long passphrase 93"},
        follow=True,
    )

    assert added.status_code == 200
    assert any("someone" in str(message) for message in added.context["messages"])


def test_the_request_log_and_metrics_record_the_same_fields(auth_client, user, caplog):
    before = _requests_counted("note-list", "200")

    with caplog.at_level(logging.INFO, logger="api.requests"):
        response = auth_client.get("/api/notes/?search=milk")

    (record,) = [r for r in caplog.records if r.name == "api.requests"]
    assert record.getMessage() == f"GET /api/notes/ 200 {record.duration_ms:.1f}ms user={user.pk}"
    assert (record.method, record.path, record.status, record.user_id) == (
        "GET",
        "/api/notes/",
        200,
        str(user.pk),
    )
    assert response["X-Request-ID"]
    assert _requests_counted("note-list", "200") == before + 1


def test_a_path_to_encode_is_still_logged_encoded(api_client, caplog):
    with caplog.at_level(logging.INFO, logger="api.requests"):
        api_client.get("/api/no such%0Apath/")

    (record,) = [r for r in caplog.records if r.name == "api.requests"]
    assert record.path == "/api/no%20such%0Apath/"
    assert "\n" not in record.getMessage()
