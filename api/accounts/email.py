"""Account mail: messages built from templates, delivered by one background sender per process.

Why in the background: a request for a known address must not answer later than one for an
unknown address, and an SMTP exchange takes from milliseconds to `EMAIL_TIMEOUT`. So the
request does the same work either way (the same query, a message rendered), and the only step
that differs, talking to the mail server, happens after the answer, in a daemon thread fed by
a bounded queue. One thread per process is enough for mail that people ask for by hand, and
keeps the server's own footprint fixed: a flood of requests fills the queue, and what does not
fit is dropped and logged (the throttles make that rare; the user can ask again).

A message is queued only when the transaction that decided to send it commits, so no mail
points at an account that was rolled back. A failed delivery is logged, never raised: the
client already has its answer, and can ask for another link. `ACCOUNT_EMAIL_BACKGROUND` off
delivers in the request instead (tests).
"""

import atexit
import logging
import os
import queue
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger("api.accounts.email")

# Messages waiting for the sender; past this, new ones are dropped (and logged).
QUEUE_SIZE = 200
# At exit, how long the process waits for queued messages to go out.
EXIT_FLUSH_SECONDS = 5.0


@dataclass(frozen=True)
class AccountMail:
    """A message ready to send, and the secrets it carries, kept out of every log line."""

    kind: str
    user_id: int
    message: EmailMultiAlternatives
    secrets: tuple[str, ...] = field(default=())

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return text


def build(
    *, kind: str, template: str, user, link: str, token: str, context: dict, to: str | None = None
) -> AccountMail:
    """Render `api/email/<template>_subject.txt`, `.txt` and `.html` for `user` into a message.

    The templates are found by Django's normal lookup, so a project overrides them by placing
    its own under the same names earlier in `TEMPLATES`.
    """
    context = {"user": user, "link": link, **context}
    # One line: a header cannot hold a line break.
    subject = " ".join(render_to_string(f"api/email/{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"api/email/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to or user.email],
    )
    message.attach_alternative(render_to_string(f"api/email/{template}.html", context), "text/html")
    return AccountMail(kind=kind, user_id=user.pk, message=message, secrets=(link, token))


def send_on_commit(mail: AccountMail) -> None:
    """Hand `mail` to the sender once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: outbox.submit(mail))


def deliver(mail: AccountMail) -> bool:
    """Send one message now; a failure is logged without the link or token, never raised."""
    try:
        mail.message.send()
    except Exception as exc:
        # Whatever the backend raises (refused connection, timeout, authentication, a refused
        # recipient): the request was answered long ago, and the user can ask again.
        logger.warning(
            "Account email (%s) to user %s not sent: %s: %s",
            mail.kind,
            mail.user_id,
            type(exc).__name__,
            mail.redact(str(exc)),
        )
        return False
    logger.info("Account email (%s) to user %s sent", mail.kind, mail.user_id)
    return True


class Outbox:
    """A bounded queue and the daemon thread that delivers what is put in it."""

    def __init__(self, size: int = QUEUE_SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._queue: queue.Queue[AccountMail] = queue.Queue(size)
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def submit(self, mail: AccountMail) -> None:
        if not settings.ACCOUNT_EMAIL_BACKGROUND:
            deliver(mail)
            return
        self._ensure_sender()
        try:
            self._queue.put_nowait(mail)
        except queue.Full:
            logger.warning(
                "Account email (%s) to user %s not sent: %d messages already waiting",
                mail.kind,
                mail.user_id,
                self.size,
            )

    def wait_until_idle(self, timeout: float) -> bool:
        """Wait until every queued message has been tried; False if `timeout` passed first."""
        done = self._queue.all_tasks_done
        with done:
            return done.wait_for(lambda: self._queue.unfinished_tasks == 0, timeout)

    def _ensure_sender(self) -> None:
        with self._lock:
            if os.getpid() != self._pid:
                # A forked child inherits the queue but not the thread: start afresh.
                self._pid, self._queue, self._thread = os.getpid(), queue.Queue(self.size), None
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="account-email", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            mail = self._queue.get()
            try:
                deliver(mail)
            finally:
                self._queue.task_done()


outbox = Outbox()
# A worker stopping gracefully (a deploy, gunicorn's max-requests) first sends what it queued.
atexit.register(outbox.wait_until_idle, EXIT_FLUSH_SECONDS)
