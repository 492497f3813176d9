"""What every domain shares: limits counted across workers (api/core/counters.py), durable
mail (api/core/outbox.py) and the security log (api/core/security_log.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

# User-Agent headers are cut to this length when a session or the security log records them.
USER_AGENT_MAX_LENGTH = 256


# --- Limits counted across workers (api/core/counters.py) ---------------------------------------


class LimitCount(models.Model):
    """How much of one limit one key has used: failed credential checks per account, device or
    client IP, mail per recipient or account.

    In the database, not the cache: a place is taken with one conditional upsert
    (`api.core.counters`), so however many workers count at once, no more pass than the limit
    allows, and the count survives a cache outage.
    """

    # What is counted, e.g. "name:<digest>", "device:<id>", "ip:<address>", "mail-to:<digest>".
    key = models.CharField(primary_key=True, max_length=160)
    # The fixed window (Unix time // period) `count` is for; `previous` is the count of the window
    # before it, of which the share still inside the sliding period counts too.
    window_number = models.BigIntegerField()
    count = models.PositiveIntegerField()
    previous = models.PositiveIntegerField()
    # When the row can no longer affect a limit (the end of the window after its own).
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} counted for {self.key}"


# --- Mail (api/core/outbox.py) ----------------------------------------------------------------


class OutboxMessage(models.Model):
    """A message to send, stored in the transaction that decided to send it, so an answer that
    says mail is on its way is never a promise only a process held; the sender delivers it with
    retries, and the clean-up deletes it `OUTBOX_RETENTION` after it was sent or given up on."""

    kind = models.CharField(max_length=32)
    # Not a foreign key: the notice of an account's deletion outlives the account.
    user_id = models.BigIntegerField(null=True, blank=True)
    to = models.EmailField()
    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # A sender holds the message until then; one that died holding it lets it go when it passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # The error's type and SMTP code only: never the message, its link or token.
    last_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_due_idx",
            ),
            models.Index(fields=["created_at"], name="outbox_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} mail to user {self.user_id}"


# --- Security log (api/core/security_log.py) ----------------------------------------------------


class SecurityEvent(models.Model):
    """Something that happened to an account's security: a login, a failed or locked-out one, a
    change of password, address or second factor, a session ended. The owner lists their own
    (`GET /api/user/security-events/`); rows older than `SECURITY_EVENT_RETENTION` are deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(max_length=40)
    # Where it happened ("login", "admin", "reauthenticate"...), or what it concerned.
    detail = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="securityevent_user_newest_idx"),
            models.Index(fields=["created_at"], name="securityevent_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of user {self.user_id}"
