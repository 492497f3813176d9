"""Account mail in tests: Django's locmem backend (`mail.outbox`), delivered inside the request."""

import re
import smtplib
import threading

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import TestCase
from rest_framework.test import APIClient

from api.core import outbox

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
