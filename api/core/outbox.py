"""Durable, budgeted mail: messages are rows (`api.OutboxMessage`) stored in the transaction of the
change that sends them, and a sender delivers them with retries.

- **Nothing acknowledged is lost.** A 202 means the row is committed; a worker killed before or
  while sending leaves it to the next sender (its claim lapses after `CLAIM_SECONDS`). Delivery is
  at least once: a sender killed between the SMTP exchange and marking the row sent sends again.
- **Senders.** One daemon thread per process, started by gunicorn's worker hook
  (`backend/gunicorn.py`) or the first message, woken at each commit and polling every
  `POLL_SECONDS`; and `manage.py sendqueuedmail` for a separate worker. Rows are claimed by a
  conditional UPDATE, so any number of senders never send one message twice at once.
- **Retries.** A failed delivery is tried again after 30 s, 1, 2, 4... minutes (at most an hour
  apart), `MAX_ATTEMPTS` times, then given up and logged.
- **Budgets** (`MAIL_RECIPIENT_RATE`, `MAIL_ACCOUNT_RATE`): each message takes a place in the
  count of its recipient address (every kind of mail together) and of its account, with the
  atomic counts of `api.core.counters`; past either, it is not stored, and that is logged. No
  address can be flooded, whatever the number of accounts that share it, and since nothing is
  capped across accounts, no flood delays another account's mail.
"""

import enum
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from api.core import counters
from api.core.clients import spelling_key
from api.models import OutboxMessage

# A fixed name, so log filters survive the code moving.
logger = logging.getLogger("api.mail")

MAX_ATTEMPTS = 8
POLL_SECONDS = 30.0
# Longer than any SMTP exchange can take (EMAIL_TIMEOUT), with room to spare.
CLAIM_SECONDS = 300
BATCH_SIZE = 20


@dataclass(frozen=True)
class Mail:
    """A message ready to store: who it is for, and what it says."""

    kind: str
    user_id: int | None
    to: str
    subject: str
    body: str
    html: str = ""


def _budgets(mail: Mail) -> list[tuple[str, counters.Limit]]:
    budgets = [(f"mail-to:{spelling_key(mail.to)}", counters.Limit.parse(settings.MAIL_RECIPIENT_RATE))]
    if mail.user_id is not None:
        budgets.append((f"mail-account:{mail.user_id}", counters.Limit.parse(settings.MAIL_ACCOUNT_RATE)))
    return [(key, limit) for key, limit in budgets if limit is not None]


class Queued(enum.Enum):
    """What became of a message handed to `enqueue`."""

    STORED = "stored"
    # Over the budget of its address: so is every other message to it for now.
    RECIPIENT_SPENT = "recipient"
    ACCOUNT_SPENT = "account"


def _within_budget(mail: Mail) -> Queued:
    """Take the message's places in its budgets (nothing taken if one is spent)."""
    try:
        counters.reserve(_budgets(mail))
    except counters.TooManyFailures as exc:
        logger.warning("Mail (%s) to user %s not sent: over its mail budget", mail.kind, mail.user_id)
        return Queued.RECIPIENT_SPENT if exc.key.startswith("mail-to:") else Queued.ACCOUNT_SPENT
    return Queued.STORED


def within_budget(mail: Mail) -> bool:
    """Take `mail`'s places in its budgets without storing it (the same work as `enqueue` does
    before storing); False if a budget is spent."""
    return _within_budget(mail) is Queued.STORED


def enqueue(mail: Mail) -> Queued:
    """Store `mail` in the current transaction, within its budgets; it is delivered once that
    commits. Anything but `STORED`: a budget is spent and nothing was stored."""
    if (queued := _within_budget(mail)) is not Queued.STORED:
        return queued
    now = timezone.now()
    message = OutboxMessage.objects.create(
        kind=mail.kind,
        user_id=mail.user_id,
        to=mail.to,
        subject=mail.subject,
        body=mail.body,
        html=mail.html,
        created_at=now,
        next_attempt_at=now,
    )
    transaction.on_commit(lambda: _committed(message.pk))
    return Queued.STORED


def _committed(pk: int) -> None:
    if settings.ACCOUNT_EMAIL_BACKGROUND:
        sender.wake()
    else:
        # Tests: delivered within the request, so they read it from Django's test outbox.
        deliver_due(only=pk)


# --- Delivery ---------------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    return Q(sent_at__isnull=True, failed_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim(pk: int, now: datetime) -> OutboxMessage | None:
    """The message, if this sender got it: no other sender holds it until the claim lapses."""
    claimed = OutboxMessage.objects.filter(_due(now), pk=pk).update(
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1
    )
    return OutboxMessage.objects.filter(pk=pk).first() if claimed else None


def retry_delay(attempts: int) -> timedelta:
    """How long after its `attempts`-th failed try a message is tried again."""
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 3600))


def _send(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body, from_email=settings.DEFAULT_FROM_EMAIL, to=[message.to]
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send()


def _deliver(message: OutboxMessage) -> bool:
    try:
        _send(message)
    except Exception as exc:
        # Whatever the backend raises (refused connection, timeout, authentication, a refused
        # recipient). Only the type and SMTP code are kept: an error's text may quote the message.
        code = getattr(exc, "smtp_code", None)
        error = f"{type(exc).__name__}{f' {code}' if code else ''}"
        now = timezone.now()
        gave_up = message.attempts >= MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            claimed_until=None,
            last_error=error,
            failed_at=now if gave_up else None,
            next_attempt_at=now + retry_delay(message.attempts),
        )
        logger.warning(
            "Mail (%s) to user %s not sent (try %d of %d%s): %s",
            message.kind,
            message.user_id,
            message.attempts,
            MAX_ATTEMPTS,
            ", given up" if gave_up else "",
            error,
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), claimed_until=None)
    logger.info("Mail (%s) to user %s sent", message.kind, message.user_id)
    return True


def deliver_due(*, only: int | None = None) -> int:
    """Send every message that is due (or only message `only`); returns how many went out."""
    sent = 0
    while True:
        now = timezone.now()
        due = OutboxMessage.objects.filter(_due(now))
        if only is not None:
            due = due.filter(pk=only)
        batch = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:BATCH_SIZE])
        claimed = [message for pk in batch if (message := _claim(pk, now)) is not None]
        for message in claimed:
            sent += _deliver(message)
        if len(batch) < BATCH_SIZE or not claimed:
            return sent


def flush_sent(*, now: datetime | None = None) -> int:
    """Delete messages sent or given up on more than `OUTBOX_RETENTION` seconds ago."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.OUTBOX_RETENTION)
    deleted, _ = OutboxMessage.objects.filter(Q(sent_at__lte=cutoff) | Q(failed_at__lte=cutoff)).delete()
    return deleted


class Sender:
    """The daemon thread that delivers this process's (and any other's) due messages."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._stopping = False

    def start(self) -> None:
        with self._lock:
            if os.getpid() != self._pid:
                # A forked child inherits the object but not the thread.
                self._pid, self._wake, self._thread = os.getpid(), threading.Event(), None
            self._stopping = False
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
                self._thread.start()

    def wake(self) -> None:
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """End the thread after its current round (tests; a process exiting needs nothing)."""
        with self._lock:
            thread, self._stopping = self._thread, True
        self._wake.set()
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping:
            try:
                deliver_due()
            except Exception:
                # The database is down, say: the rows wait, and the next round tries again.
                logger.exception("Mail sender: a round failed; trying again later")
            finally:
                # This thread's own connections: not held open between rounds.
                connections.close_all()
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()


sender = Sender()
