"""The security log and its notices: the owner sees what happened to the account's security, and
the changes that would let someone take it are mailed to the account's (old) address."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import SecurityEvent
from api.tests.accounts.conftest import link_in, only_message_to
from api.tests.conftest import PASSWORD
from api.tests.mfa.conftest import clock  # noqa: F401
from api.tests.mfa.test_mfa_login import enable_totp

pytestmark = pytest.mark.django_db

EVENTS = "/api/user/security-events/"
NEW_PASSWORD = "a brand new passphrase 31"


@pytest.fixture
def dora(make_user):
    return make_user("dora", email="dora@example.com")


@pytest.fixture
def dora_client(dora, login):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {login('dora')['access']}")
    mail.outbox.clear()
    return client


def _kinds(client: APIClient) -> list[str]:
    response = client.get(EVENTS)
    assert response.status_code == 200
    return [event["kind"] for event in response.json()]


def _notices_to(address: str) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [address]]


def test_logins_and_failed_logins_are_listed_newest_first(dora, dora_client):
    APIClient(REMOTE_ADDR="198.51.100.7").post(
        "/api/token/", {"username": "dora", "password": "guess"}, format="json"
    )

    events = dora_client.get(EVENTS).json()

    assert [event["kind"] for event in events] == ["login_failed", "login"]
    assert events[0]["ip"] == "198.51.100.7"
    assert events[0]["detail"] == "/api/token/"
    assert set(events[0]) == {"id", "kind", "detail", "created_at", "ip", "user_agent"}


def test_the_failure_that_locks_the_account_is_logged_once(dora, dora_client, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    for _ in range(5):
        APIClient().post("/api/token/", {"username": "dora", "password": "guess"}, format="json")

    kinds = _kinds(dora_client)

    assert kinds.count("login_failed") == 3
    assert kinds.count("login_locked") == 1


def test_a_password_change_is_logged_and_mailed(dora, dora_client):
    response = dora_client.post(
        "/api/user/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")

    assert _kinds(fresh)[0] == "password_changed"
    (notice,) = mail.outbox
    assert notice.to == ["dora@example.com"]
    assert "your password was changed" in notice.body
    assert "127.0.0.1" in notice.body
    assert NEW_PASSWORD not in notice.body


def test_an_email_change_is_announced_to_the_old_address_at_both_steps(dora, dora_client):
    dora_client.patch("/api/user/me/", {"email": "dora@new.example", "password": PASSWORD}, format="json")
    assert _notices_to("dora@example.com") == [
        "Security notice: a change of your email address was asked for (it takes effect when the link sent to the new address is used)"
    ]
    link = link_in(only_message_to("dora@new.example"))
    mail.outbox.clear()

    assert APIClient().post("/api/user/verify-email/", link, format="json").status_code == 204

    (notice,) = mail.outbox
    assert notice.to == ["dora@example.com"]
    assert "no longer receives" in notice.body
    assert _kinds(dora_client)[:2] == ["email_changed", "email_change_requested"]


def test_turning_totp_on_and_off_is_logged_and_mailed(dora, dora_client, clock):  # noqa: F811
    _secret, codes = enable_totp(dora_client, clock)
    dora_client.delete("/api/user/mfa/totp/", {"password": PASSWORD, "code": codes[0]}, format="json")

    assert _kinds(dora_client)[:2] == ["mfa_disabled", "mfa_enabled"]
    subjects = _notices_to("dora@example.com")
    assert subjects == [
        "Security notice: two-factor login was turned on",
        "Security notice: two-factor login was turned off",
    ]


def test_ending_sessions_is_logged(dora, dora_client, login):
    login("dora")  # a second session, ended below
    sessions = dora_client.get("/api/user/sessions/").json()
    other_id = next(session["id"] for session in sessions if not session["current"])
    dora_client.delete(f"/api/user/sessions/{other_id}/")
    dora_client.post("/api/user/logout-all/")

    events = SecurityEvent.objects.filter(user__username="dora").order_by("-created_at", "-id")
    assert [(e.kind, e.detail) for e in events[:2]] == [
        ("sessions_ended_all", ""),
        ("session_ended", other_id),
    ]


def test_another_users_events_are_not_listed(dora, dora_client, make_user, client_for):
    eve = make_user("eve", email="eve@example.com")
    eve_client = client_for(eve)

    assert _kinds(eve_client) == ["login"]
    assert _kinds(dora_client) == ["login"]


def test_the_list_is_paginated_with_a_link_header(dora, dora_client, login):
    for _ in range(3):
        login("dora")

    first = dora_client.get(EVENTS, {"page_size": 2})

    assert len(first.json()) == 2
    assert 'rel="next"' in first["Link"]
    next_url = first["Link"].split(">")[0].lstrip("<")
    second = dora_client.get(next_url)
    assert len(second.json()) == 2
    assert {e["id"] for e in first.json()}.isdisjoint(e["id"] for e in second.json())


def test_the_list_needs_a_token(api_client):
    assert api_client.get(EVENTS).status_code == 401


def test_a_login_from_a_new_device_is_mailed_when_asked_for(dora, settings):
    settings.NOTIFY_NEW_DEVICE_LOGIN = True
    browser = APIClient()
    body = {"username": "dora", "password": PASSWORD}

    browser.post("/api/token/", body, format="json")
    browser.post("/api/token/", body, format="json")  # with the device cookie of the first

    assert _notices_to("dora@example.com") == [
        "Security notice: someone logged in from a device that had not logged in before"
    ]
    details = list(SecurityEvent.objects.filter(kind="login").order_by("id").values_list("detail", flat=True))
    assert details == ["password, new device", "password, known device"]


def test_new_device_logins_are_not_mailed_by_default(dora):
    APIClient().post("/api/token/", {"username": "dora", "password": PASSWORD}, format="json")

    assert mail.outbox == []


def test_events_past_their_retention_are_deleted_by_the_clean_up(dora, dora_client, settings):
    settings.SECURITY_EVENT_RETENTION = 3600
    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        call_command("flushexpiredtokens", stdout=io.StringIO())

    assert not SecurityEvent.objects.exists()


def test_a_garbage_cursor_is_a_400(dora_client):
    response = dora_client.get(EVENTS, {"cursor": "not a cursor"})

    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor."]}


def test_a_long_user_agent_is_logged_cut_to_length(dora):
    APIClient(HTTP_USER_AGENT="Agent/" + "x" * 1000).post(
        "/api/token/", {"username": "dora", "password": "guess"}, format="json"
    )

    (event,) = SecurityEvent.objects.filter(kind="login_failed")
    assert event.user_agent == ("Agent/" + "x" * 1000)[:256]
