"""Account mail is durable and budgeted: a 202 means the message is stored with the change, a
sender delivers it with retries whichever process dies, and no address or account can be sent
more than its budget, however the requests are spread over accounts and endpoints."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.core import outbox
from api.models import OutboxMessage, User
from api.tests.accounts.conftest import REFUSING_BACKEND, link_in, only_message_to
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/api/user/password-reset/"
RESEND = "/api/user/verify-email/resend/"


def _ask(path: str, address: str, ip: str = "10.1.0.1"):
    return APIClient(REMOTE_ADDR=ip).post(path, {"email": address}, format="json")


def test_an_accepted_request_is_stored_before_any_sender_runs(make_user, stored_not_sent):
    # As a worker killed right after answering: nothing but the row is left, and it is enough.
    make_user("bob", email="bob@example.com")

    assert _ask(RESET, "bob@example.com").status_code == 202
    assert mail.outbox == []
    (stored,) = OutboxMessage.objects.all()
    assert (stored.to, stored.kind, stored.sent_at) == ("bob@example.com", "password_reset", None)

    call_command("sendqueuedmail", "--once", stdout=io.StringIO())

    assert only_message_to("bob@example.com")
    stored.refresh_from_db()
    assert stored.sent_at is not None


def test_a_failed_delivery_is_retried_later_and_then_given_up(make_user, settings, stored_not_sent):
    make_user("bob", email="bob@example.com")
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    _ask(RESET, "bob@example.com")

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
            assert outbox.deliver_due() == 0
            message = OutboxMessage.objects.get()
            assert message.attempts == attempt
            assert message.last_error == "SMTPDataError 554"
            # Not due again until its delay has passed.
            assert outbox.deliver_due() == 0
            assert OutboxMessage.objects.get().attempts == attempt
            clock.shift(outbox.retry_delay(attempt) + timedelta(seconds=1))

    message = OutboxMessage.objects.get()
    assert message.failed_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.deliver_due() == 0
    assert mail.outbox == []


def test_a_retry_after_the_server_recovers_delivers_the_same_link(make_user, settings, stored_not_sent):
    make_user("bob", email="bob@example.com")
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    _ask(RESET, "bob@example.com")
    outbox.deliver_due()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with time_machine.travel(timezone.now() + outbox.retry_delay(1) + timedelta(seconds=1)):
        assert outbox.deliver_due() == 1

    link = link_in(only_message_to("bob@example.com"))
    reply = APIClient().post(
        "/api/user/password-reset/confirm/",
        {**link, "new_password": "a brand new passphrase 9"},
        format="json",
    )
    assert reply.status_code == 204


def test_a_message_another_sender_holds_is_not_sent_twice(make_user, stored_not_sent):
    make_user("bob", email="bob@example.com")
    _ask(RESET, "bob@example.com")
    message = OutboxMessage.objects.get()

    held = outbox._claim(message.pk, timezone.now())

    assert held is not None
    assert outbox._claim(message.pk, timezone.now()) is None
    assert outbox.deliver_due() == 0
    # A sender that died holding it lets it go when its claim lapses.
    with time_machine.travel(timezone.now() + timedelta(seconds=outbox.CLAIM_SECONDS + 1)):
        assert outbox.deliver_due() == 1


def test_accounts_sharing_an_address_cannot_flood_it(make_user, settings):
    settings.MAIL_RECIPIENT_RATE = "5/hour"
    for n in range(15):
        make_user(f"sharer{n}", email="victim@example.com", email_verified=False)

    _ask(RESET, "victim@example.com", ip="10.1.0.2")
    _ask(RESEND, "victim@example.com", ip="10.1.0.3")

    assert len(mail.outbox) == 5
    # The oldest accounts come first: later ones cannot spend the owner's share.
    assert {message.to[0] for message in mail.outbox} == {"victim@example.com"}
    assert "sharer0" in mail.outbox[0].body


def test_the_recipient_budget_counts_every_kind_of_mail_together(make_user, settings):
    settings.MAIL_RECIPIENT_RATE = "3/hour"
    bob = make_user("bob", email="bob@example.com", email_verified=False)

    statuses = [
        _ask(path, "bob@example.com", ip=f"10.1.1.{n}").status_code
        for n, path in enumerate([RESET, RESEND] * 3)
    ]

    assert statuses == [202] * 6
    assert len(mail.outbox) == 3
    assert User.objects.get(pk=bob.pk).email == "bob@example.com"


def test_email_changes_of_one_account_stop_mailing_at_its_budget(user, auth_client, settings):
    settings.MAIL_ACCOUNT_RATE = "3/hour"
    settings.MAIL_RECIPIENT_RATE = "100/hour"

    for n in range(6):
        response = auth_client.patch(
            "/api/user/me/", {"email": f"new{n}@example.com", "password": PASSWORD}, format="json"
        )
        assert response.status_code == 200

    assert [message.to for message in mail.outbox] == [
        ["new0@example.com"],
        ["new1@example.com"],
        ["new2@example.com"],
    ]


def test_a_flood_from_one_account_does_not_delay_another_accounts_reset(user, auth_client, make_user):
    make_user("carol", email="carol@example.com")
    for n in range(50):
        auth_client.patch(
            "/api/user/me/", {"email": f"flood{n}@example.com", "password": PASSWORD}, format="json"
        )

    assert _ask(RESET, "carol@example.com", ip="10.1.2.1").status_code == 202

    assert only_message_to("carol@example.com")


def test_the_clean_up_deletes_sent_messages_past_their_retention(make_user, settings):
    make_user("bob", email="bob@example.com")
    settings.OUTBOX_RETENTION = 3600
    _ask(RESET, "bob@example.com")
    assert OutboxMessage.objects.filter(sent_at__isnull=False).count() == 1

    call_command("flushexpiredtokens", stdout=io.StringIO())
    assert OutboxMessage.objects.count() == 1
    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        call_command("flushexpiredtokens", stdout=io.StringIO())

    assert not OutboxMessage.objects.exists()


def test_enqueue_says_which_budget_was_spent(make_user, settings):
    settings.MAIL_RECIPIENT_RATE = "1/hour"
    settings.MAIL_ACCOUNT_RATE = "1/hour"
    bob = make_user("bob", email="bob@example.com")

    def mail(to: str) -> outbox.Mail:
        return outbox.Mail(kind="test", user_id=bob.pk, to=to, subject="s", body="b")

    assert outbox.enqueue(mail("bob@example.com")) is outbox.Queued.STORED
    assert outbox.enqueue(mail("bob@example.com")) is outbox.Queued.RECIPIENT_SPENT
    assert outbox.enqueue(mail("other@example.com")) is outbox.Queued.ACCOUNT_SPENT
    assert OutboxMessage.objects.count() == 1
