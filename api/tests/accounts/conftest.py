"""Account mail in tests: Django's locmem backend (`mail.outbox`), delivered inside the request;
and the API's doors that set a password (`password_door`)."""

import re
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase
from rest_framework.test import APIClient

from api.core import outbox
from api.models import User
from api.tests.conftest import PASSWORD

RESET_URL = "https://app.example.com/reset/{uid}/{token}"
VERIFY_URL = "https://app.example.com/verify-email/{uid}/{token}"
# A link's uid and token, as a frontend route reads them.
LINK = re.compile(
    r"https://app\.example\.com/(?:reset|verify-email)/(?P<uid>[^/\s\"<]+)/(?P<token>[^/\s\"<]+)"
)


@pytest.fixture(autouse=True)
def _account_mail(settings):
    # pytest-django already swaps in the locmem backend; the suite runs with DEBUG off and no
    # EMAIL_URL, which leaves account mail off until the link templates are set.
    settings.PASSWORD_RESET_URL = RESET_URL
    settings.EMAIL_VERIFY_URL = VERIFY_URL
    settings.ACCOUNT_EMAIL_BACKGROUND = False
    settings.DEFAULT_FROM_EMAIL = "Notes <no-reply@example.com>"


@pytest.fixture(autouse=True)
def _commits_run_their_callbacks(monkeypatch):
    # Mail is queued when the request's transaction commits. A test's requests run inside the
    # test's own transaction, which never commits: each request here runs the callbacks its
    # commit would have run, as the server's autocommit does.
    request = APIClient.request

    def request_then_commit(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(APIClient, "request", request_then_commit)


@pytest.fixture
def stored_not_sent(settings, monkeypatch):
    """Mail is stored in the outbox and not yet sent (as with a sender that has not woken up);
    `outbox.deliver_due()` sends it."""
    settings.ACCOUNT_EMAIL_BACKGROUND = True
    monkeypatch.setattr(outbox.sender, "wake", lambda: None)


@pytest.fixture
def verification_required(settings):
    settings.REQUIRE_EMAIL_VERIFICATION = True


def link_in(message: mail.EmailMessage) -> dict[str, str]:
    """The uid and token of the one link in a message, checked to be the same in both bodies."""
    (html, _mimetype) = message.alternatives[0]
    found = LINK.findall(message.body)
    assert len(set(found)) == 1, message.body
    assert set(LINK.findall(html)) == set(found), html
    uid, token = found[0]
    return {"uid": uid, "token": token}


def only_message_to(address: str) -> mail.EmailMessage:
    messages = [message for message in mail.outbox if address in message.to]
    assert len(messages) == 1, [m.to for m in mail.outbox]
    return messages[0]


# --- Mail servers that misbehave (EMAIL_BACKEND takes a dotted path) -------------------------


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message, quoting it back (links and tokens included)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(554, f"rejected: {email_messages[0].body}")


class HeldBackend(BaseEmailBackend):
    """A mail server that accepts a message only once `release` is set."""

    release = threading.Event()
    delivered: list = []

    def send_messages(self, email_messages):
        assert self.release.wait(timeout=30), "never released"
        self.delivered.extend(email_messages)
        return len(email_messages)


REFUSING_BACKEND = f"{__name__}.RefusingBackend"
HELD_BACKEND = f"{__name__}.HeldBackend"


# --- The API's doors that set a password ------------------------------------------------------

# The account whose password the doors set, with context words of every kind: the username, and
# an email whose part before the @ is two words.
DOOR_USERNAME = "marguerite"
DOOR_EMAIL = "daisy.bloom@example.com"


class PasswordDoor:
    """One of the API's three doors that set a password, for the account `DOOR_USERNAME`:
    `set(password)` answers as the door does, `field` names the password's field there."""

    def __init__(self, name: str, make_user) -> None:
        self.name = name
        self.field = "password" if name == "register" else "new_password"
        self.client = APIClient()
        if name != "register":
            make_user(DOOR_USERNAME, email=DOOR_EMAIL)
        if name == "change":
            login = self.client.post(
                "/api/token/", {"username": DOOR_USERNAME, "password": PASSWORD}, format="json"
            )
            self.client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")

    def set(self, password: str):
        if self.name == "register":
            body = {"username": DOOR_USERNAME, "email": DOOR_EMAIL, "password": password}
            return self.client.post("/api/user/register/", body, format="json")
        if self.name == "change":
            body = {"old_password": PASSWORD, "new_password": password}
            return self.client.post("/api/user/password/", body, format="json")
        mail.outbox.clear()
        asked = self.client.post("/api/user/password-reset/", {"email": DOOR_EMAIL}, format="json")
        assert asked.status_code == 202, asked.content
        link = link_in(only_message_to(DOOR_EMAIL))
        return self.client.post(
            "/api/user/password-reset/confirm/", {**link, "new_password": password}, format="json"
        )

    def refused(self, response, code: str) -> None:
        """The door answered 400 with a field error of the password carrying `code`, and the
        account's password is unchanged (or, at registration, no account was made)."""
        assert response.status_code == 400, response.content
        assert set(response.json()) == {self.field}, response.json()
        assert code in [error.code for error in response.data[self.field]], response.data
        account = User.objects.filter(username=DOOR_USERNAME).first()
        if self.name == "register":
            assert account is None
        else:
            assert account.check_password(PASSWORD)

    def accepted(self, response) -> None:
        assert response.status_code in (200, 201, 204), response.content


@pytest.fixture(params=["register", "change", "reset"])
def password_door(request, make_user) -> PasswordDoor:
    """Each of the API's doors that set a password: registration, password change, reset confirm."""
    return PasswordDoor(request.param, make_user)
