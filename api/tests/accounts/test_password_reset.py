"""Forgotten passwords: a link by email, built from the frontend's URL template, that sets a new
password once and ends every earlier session; the request tells nothing about which addresses
have accounts."""

import json
import logging
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test.signals import template_rendered
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts import recovery
from api.accounts.tokens import uid_for
from api.core import outbox
from api.models import User
from api.tests.accounts.conftest import (
    HELD_BACKEND,
    REFUSING_BACKEND,
    HeldBackend,
    link_in,
    only_message_to,
)
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REQUEST = "/api/user/password-reset/"
CONFIRM = "/api/user/password-reset/confirm/"
NEW_PASSWORD = "a brand new passphrase 42"


def _ask(client: APIClient, address: str, **headers):
    return client.post(REQUEST, {"email": address}, format="json", **headers)


def _confirm(client: APIClient, link: dict, password: str = NEW_PASSWORD):
    return client.post(CONFIRM, {**link, "new_password": password}, format="json")


def _link_for(client: APIClient, address: str) -> dict:
    mail.outbox.clear()
    assert _ask(client, address).status_code == 202
    return link_in(only_message_to(address))


def _assert_refused(response, code: str = "invalid_token") -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert "detail" in response.json()


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob", email="bob@example.com")


# --- Asking for a link -------------------------------------------------------------------------


def test_known_and_unknown_addresses_get_the_same_answer(api_client, bob):
    known = _ask(api_client, "bob@example.com")
    unknown = _ask(api_client, "nobody@example.com")

    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert known.json()["detail"]

    def headers(response):
        # The date and the request's own id differ for any two answers; nothing else may.
        varying = ("date", "x-request-id")
        return {name: value for name, value in response.headers.items() if name.lower() not in varying}

    assert headers(known) == headers(unknown)
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


@pytest.fixture
def rendered_templates():
    """The names of the templates rendered while the test runs, in order."""
    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def test_an_unknown_address_renders_the_same_mail_templates_as_a_known_one(
    api_client, bob, rendered_templates
):
    assert _ask(api_client, "bob@example.com").status_code == 202
    known = list(rendered_templates)
    rendered_templates.clear()

    assert _ask(api_client, "nobody@example.com").status_code == 202

    assert known == [
        "api/email/password_reset_subject.txt",
        "api/email/password_reset.txt",
        "api/email/password_reset.html",
    ]
    assert rendered_templates == known
    assert [message.to for message in mail.outbox] == [["bob@example.com"]]


def test_each_active_account_with_the_address_gets_its_own_link(api_client, make_user):
    first = make_user("first", email="shared@example.com")
    second = make_user("second", email="Shared@Example.com")
    make_user("gone", email="shared@example.com", is_active=False)
    make_user("nopassword", email="shared@example.com").set_unusable_password()
    User.objects.filter(username="nopassword").update(password="!")

    assert _ask(api_client, "SHARED@example.com").status_code == 202

    uids = {link_in(message)["uid"] for message in mail.outbox}
    assert uids == {uid_for(first), uid_for(second)}


def test_the_link_comes_from_the_setting_never_from_the_host_headers(api_client, bob, settings):
    # Both headers accepted, so the request is served and only the link can go wrong.
    settings.ALLOWED_HOSTS = ["testserver", "evil.example"]
    settings.USE_X_FORWARDED_HOST = True

    response = _ask(
        api_client, "bob@example.com", HTTP_HOST="evil.example", HTTP_X_FORWARDED_HOST="evil.example"
    )

    assert response.status_code == 202
    message = only_message_to("bob@example.com")
    (html, _) = message.alternatives[0]
    for body in (message.body, html):
        assert "evil.example" not in body
        assert "testserver" not in body
    link = link_in(message)
    assert f"https://app.example.com/reset/{link['uid']}/{link['token']}" in message.body


def test_the_message_is_plain_text_and_html_from_the_configured_sender(api_client, bob):
    _ask(api_client, "bob@example.com")

    message = only_message_to("bob@example.com")
    assert message.from_email == "Notes <no-reply@example.com>"
    assert message.subject == "Reset your password"
    assert message.alternatives[0][1] == "text/html"
    assert "1 hour" in message.body


def test_an_inactive_account_gets_no_mail(api_client, make_user):
    make_user("sleeper", email="sleeper@example.com", is_active=False)

    assert _ask(api_client, "sleeper@example.com").status_code == 202
    assert mail.outbox == []


def test_without_link_templates_no_mail_is_sent_and_the_answer_is_the_same(api_client, bob, settings, caplog):
    expected = _ask(APIClient(REMOTE_ADDR="10.0.0.9"), "nobody@example.com").content
    settings.PASSWORD_RESET_URL = ""

    with caplog.at_level(logging.WARNING, logger="api.accounts.email"):
        response = _ask(api_client, "bob@example.com")

    assert (response.status_code, response.content) == (202, expected)
    assert mail.outbox == []
    assert "not configured" in caplog.text


@pytest.mark.parametrize("body", [{}, {"email": "not-an-address"}, {"email": ["bob@example.com"]}, [1, 2]])
def test_a_request_without_an_address_is_a_400(api_client, body):
    response = api_client.post(REQUEST, body, format="json")

    assert response.status_code == 400
    assert isinstance(response.json(), dict)


# --- Using the link ------------------------------------------------------------------------------


def test_the_link_sets_the_new_password(api_client, bob, login):
    link = _link_for(api_client, "bob@example.com")

    response = _confirm(api_client, link)

    assert response.status_code == 204
    assert login("bob", NEW_PASSWORD)["access"]
    wrong = api_client.post("/api/token/", {"username": "bob", "password": PASSWORD}, format="json")
    assert wrong.status_code == 401


def test_old_access_and_refresh_tokens_stop_working_after_a_reset(api_client, bob, login):
    old = login("bob")
    link = _link_for(api_client, "bob@example.com")

    assert _confirm(api_client, link).status_code == 204

    notes = APIClient(HTTP_AUTHORIZATION=f"Bearer {old['access']}").get("/api/notes/")
    assert notes.status_code == 401
    refreshed = api_client.post("/api/token/refresh/", {"refresh": old["refresh"]}, format="json")
    assert refreshed.status_code == 401


def test_a_link_works_once(api_client, bob):
    link = _link_for(api_client, "bob@example.com")
    assert _confirm(api_client, link).status_code == 204

    _assert_refused(_confirm(api_client, link, "yet another passphrase 7"))


def test_a_link_expires_after_the_reset_timeout(api_client, bob, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    link = _link_for(api_client, "bob@example.com")

    with time_machine.travel(timezone.now() + timedelta(seconds=3600 + 5)):
        _assert_refused(_confirm(api_client, link), code="token_expired")
    with time_machine.travel(timezone.now() + timedelta(seconds=3600 - 60)):
        assert _confirm(api_client, link).status_code == 204


def test_a_tampered_token_is_refused(api_client, bob):
    link = _link_for(api_client, "bob@example.com")
    timestamp, digest = link["token"].split("-")
    flipped = digest[:-1] + ("0" if digest[-1] != "0" else "1")

    _assert_refused(_confirm(api_client, {**link, "token": f"{timestamp}-{flipped}"}))
    # A later timestamp with the same digest: the HMAC covers the timestamp.
    _assert_refused(_confirm(api_client, {**link, "token": f"{timestamp}z-{digest}"}))


def test_another_accounts_token_is_refused(api_client, bob, make_user):
    carol = make_user("carol", email="carol@example.com")
    bobs = _link_for(api_client, "bob@example.com")

    _assert_refused(_confirm(api_client, {"uid": uid_for(carol), "token": bobs["token"]}))
    carol.refresh_from_db()
    assert carol.check_password(PASSWORD)


def test_a_login_since_the_mail_ends_the_link(api_client, bob, login):
    # Django's reset token hashes the last login: a link is for an account still locked out.
    link = _link_for(api_client, "bob@example.com")
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        login("bob")

    _assert_refused(_confirm(api_client, link))


def test_a_weak_new_password_is_a_field_error_and_the_link_still_works(api_client, bob):
    link = _link_for(api_client, "bob@example.com")

    response = _confirm(api_client, link, "12345678")

    assert response.status_code == 400
    assert set(response.json()) == {"new_password"}
    assert _confirm(api_client, link).status_code == 204


def test_a_bad_token_is_refused_before_the_password_is_judged(api_client, bob):
    response = _confirm(api_client, {"uid": uid_for(bob), "token": "abc-123"}, "1")

    _assert_refused(response)


def test_an_account_deleted_before_the_link_is_used_is_not_recreated(api_client, bob):
    link = _link_for(api_client, "bob@example.com")
    bob.delete()

    _assert_refused(_confirm(api_client, link))
    assert not User.objects.filter(username="bob").exists()


def test_an_account_deleted_between_the_check_and_the_write_is_not_recreated(api_client, bob, monkeypatch):
    link = _link_for(api_client, "bob@example.com")
    make_password = recovery.make_password

    def deleted_meanwhile(password):
        # Hashing runs after the link was checked and before the write's transaction.
        User.objects.filter(pk=bob.pk).delete()
        return make_password(password)

    monkeypatch.setattr(recovery, "make_password", deleted_meanwhile)

    _assert_refused(_confirm(api_client, link))
    assert not User.objects.filter(pk=bob.pk).exists()


GARBAGE = {
    "uid-number": {"uid": 1, "token": "abc-def"},
    "uid-list": {"uid": ["MQ"], "token": "abc-def"},
    "uid-object": {"uid": {"$gt": ""}, "token": "abc-def"},
    "uid-null": {"uid": None, "token": "abc-def"},
    "uid-bool": {"uid": True, "token": "abc-def"},
    "uid-huge": {"uid": "M" * 100_000, "token": "abc-def"},
    "uid-unicode": {"uid": "\N{CYRILLIC CAPITAL LETTER EM}Q", "token": "abc-def"},
    "uid-null-byte": {"uid": "MQ\x00", "token": "abc-def"},
    "uid-bad-base64": {"uid": "M", "token": "abc-def"},
    "uid-not-a-number": {"uid": "YWJj", "token": "abc-def"},  # "abc"
    "uid-negative": {"uid": "LTE", "token": "abc-def"},  # "-1"
    "uid-too-big": {"uid": "OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "token": "abc-def"},  # 21 nines
    "uid-other-digits": {"uid": "wrnCssKz", "token": "abc-def"},  # "²³" in UTF-8
    "uid-unknown": {"uid": "OTk5OTk5", "token": "abc-def"},  # 999999
    "token-huge": {"uid": "MQ", "token": "a" * 100_000},
    "token-no-dash": {"uid": "MQ", "token": "abcdef"},
    "token-long-timestamp": {"uid": "MQ", "token": "z" * 14 + "-abc"},
    "token-many-dashes": {"uid": "MQ", "token": "a-b-c-d"},
    "token-unicode": {"uid": "MQ", "token": "\N{SNOWMAN}-\N{SNOWMAN}"},
    "token-null-byte": {"uid": "MQ", "token": "abc\x00-def"},
    "token-nested": {"uid": "MQ", "token": {"a": [{"b": None}]}},
    "password-object": {"uid": "MQ", "token": "abc-def", "new_password": {"x": 1}},
    "password-null": {"uid": "MQ", "token": "abc-def", "new_password": None},
    "password-huge": {"uid": "MQ", "token": "abc-def", "new_password": "p" * 100_000},
    "nothing": {},
}


@pytest.mark.parametrize("body", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_of_any_shape_is_a_400(api_client, bob, body):
    body = {"new_password": NEW_PASSWORD, **body}

    response = api_client.post(CONFIRM, body, format="json")

    assert response.status_code == 400, response.content
    assert isinstance(response.json(), dict)
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


@pytest.mark.parametrize(
    "raw",
    [b'{"uid": "\\ud800", "token": "a-b", "new_password": "x"}', b"[[[[[]]]]]", b'"MQ"', b"{", b"null"],
    ids=["lone-surrogate", "nested-list", "string", "broken", "null"],
)
def test_bodies_that_are_not_a_form_are_a_400(api_client, raw):
    response = api_client.generic("POST", CONFIRM, raw, content_type="application/json")

    assert response.status_code == 400, response.content
    assert isinstance(json.loads(response.content), dict)


# --- Limits ---------------------------------------------------------------------------------------


def test_requests_are_limited_per_client_ip(settings, bob):
    settings.EMAIL_THROTTLE_RATE = "2/min"
    first, second = APIClient(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.2")

    statuses = [_ask(first, f"someone{n}@example.com").status_code for n in range(3)]

    assert statuses == [202, 202, 429]
    throttled = _ask(first, "bob@example.com")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "throttled"
    assert _ask(second, "bob@example.com").status_code == 202


def test_requests_are_limited_per_address_whatever_the_ip_or_spelling(settings, bob):
    settings.EMAIL_ADDRESS_THROTTLE_RATE = "2/min"
    spellings = ["bob@example.com", " BOB@example.com", "Bob@Example.COM"]

    statuses = [
        _ask(APIClient(REMOTE_ADDR=f"10.0.1.{n}"), address).status_code for n, address in enumerate(spellings)
    ]

    assert statuses == [202, 202, 429]
    assert len(mail.outbox) == 2
    assert _ask(APIClient(REMOTE_ADDR="10.0.1.9"), "carol@example.com").status_code == 202


def test_an_unknown_address_is_limited_like_a_known_one(settings, bob):
    settings.EMAIL_ADDRESS_THROTTLE_RATE = "1/min"

    known = [_ask(APIClient(REMOTE_ADDR=f"10.0.2.{n}"), "bob@example.com").status_code for n in range(2)]
    unknown = [_ask(APIClient(REMOTE_ADDR=f"10.0.3.{n}"), "nobody@example.com").status_code for n in range(2)]

    assert known == unknown == [202, 429]


def test_the_address_is_never_stored_in_the_throttle_cache_key(settings, bob, monkeypatch):
    from api.core.throttle_cache import throttle_cache

    keys = []
    set_ = throttle_cache.set
    monkeypatch.setattr(throttle_cache, "set", lambda key, *a, **k: keys.append(key) or set_(key, *a, **k))

    _ask(APIClient(), "bob@example.com")

    assert keys
    assert not [key for key in keys if "bob" in key.lower() or "example" in key]


# --- Delivery ---------------------------------------------------------------------------------


def test_a_failed_send_answers_the_same_is_logged_without_the_link_and_can_be_retried(
    api_client, bob, settings, caplog
):
    expected = _ask(APIClient(REMOTE_ADDR="10.0.0.9"), "nobody@example.com").content
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with caplog.at_level(logging.INFO, logger="api.mail"):
        failed = _ask(api_client, "bob@example.com")

    assert (failed.status_code, failed.content) == (202, expected)
    (record,) = [r for r in caplog.records if r.name == "api.mail"]
    assert record.levelno == logging.WARNING
    assert "not sent" in record.getMessage() and "SMTPDataError 554" in record.getMessage()
    # The server quoted the message back in its error: only the error's type and code are logged.
    assert "/reset/" not in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    link = _link_for(api_client, "bob@example.com")
    assert link["token"] not in caplog.text
    assert _confirm(api_client, link).status_code == 204


@pytest.mark.django_db(transaction=True)
def test_the_answer_does_not_wait_for_the_mail_server(api_client, bob, settings):
    # A known address must not answer later than an unknown one: the server here holds every
    # message until released, yet the request has its answer; the sender thread delivers it.
    settings.ACCOUNT_EMAIL_BACKGROUND = True
    settings.EMAIL_BACKEND = HELD_BACKEND
    HeldBackend.release.clear()
    HeldBackend.delivered.clear()
    try:
        response = _ask(api_client, "bob@example.com")
        assert response.status_code == 202
        assert HeldBackend.delivered == []
    finally:
        HeldBackend.release.set()
    try:
        deadline = time.monotonic() + 10
        while not HeldBackend.delivered and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        outbox.sender.stop()
    assert [message.to for message in HeldBackend.delivered] == [["bob@example.com"]]


# --- Cost -------------------------------------------------------------------------------------


def test_asking_for_a_link_and_using_it_take_a_bounded_number_of_queries(
    api_client, make_user, settings, stored_not_sent, django_assert_max_num_queries
):
    settings.MAIL_RECIPIENT_RATE = "3/hour"
    for n in range(8):
        make_user(f"shared{n}", email="shared@example.com")
    # The accounts; for each message its two budget places and its row, at most the address's
    # budget of them however many accounts share it; then the one refused place.
    with django_assert_max_num_queries(1 + 3 * 3 + 1):
        assert _ask(api_client, "shared@example.com").status_code == 202
    # An unknown address: the lookup, and its place in its budget as for a real message.
    with django_assert_max_num_queries(2):
        assert _ask(api_client, "nobody@example.com").status_code == 202
    assert outbox.deliver_due() == 3

    link = link_in(mail.outbox[0])
    # The account, its row lock and the check under it, the password, and the end of every
    # session (savepoints included, as tests run inside a transaction); then the security log's
    # row (in a savepoint of its own) and the notice's budget places and row.
    with django_assert_max_num_queries(17):
        assert _confirm(api_client, link).status_code == 204
