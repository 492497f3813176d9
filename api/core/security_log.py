"""The security log and its notices: what happened to an account's security, kept for its owner
(`GET /api/user/security-events/`) and, for the changes that would let someone take the account,
mailed to the account's address, the old one when the address itself changed.

Every door records here: logins and their failures (`api.sessions.credentials`), the changes of
password, address, second factor and passkeys (`api.accounts`, `api.mfa`, `api.passkeys`),
sessions ended. A
notice says what, when, from which IP and user agent, and what to do if it was not the owner; it
goes through the outbox, within the address's mail budget.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api.core import outbox
from api.core.clients import client_of
from api.models import SecurityEvent

LOGIN_OK = "login"
LOGIN_FAILED = "login_failed"
LOGIN_LOCKED = "login_locked"
LOGIN_NEW_DEVICE = "login_new_device"
REAUTHENTICATED = "reauthenticated"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an event kind)
PASSWORD_RESET = "password_reset"  # noqa: S105 (an event kind)
EMAIL_CHANGE_REQUESTED = "email_change_requested"
EMAIL_CHANGED = "email_changed"
MFA_ENABLED = "mfa_enabled"
MFA_DISABLED = "mfa_disabled"
RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated"
PASSKEY_ADDED = "passkey_added"
PASSKEY_REMOVED = "passkey_removed"
PASSKEY_CLONE_SUSPECTED = "passkey_clone_suspected"
OIDC_LINKED = "oidc_linked"
OIDC_UNLINKED = "oidc_unlinked"
SESSION_ENDED = "session_ended"
SESSIONS_ENDED_ALL = "sessions_ended_all"

# What a notice says happened, for the kinds that send one.
NOTICES = {
    PASSWORD_CHANGED: _("your password was changed"),
    PASSWORD_RESET: _("your password was reset through an emailed link"),
    EMAIL_CHANGE_REQUESTED: _(
        "a change of your email address was asked for (it takes effect when the link sent to the new address is used)"
    ),
    EMAIL_CHANGED: _("your email address was changed; this address no longer receives the account's mail"),
    MFA_ENABLED: _("two-factor login was turned on"),
    MFA_DISABLED: _("two-factor login was turned off"),
    RECOVERY_CODES_REGENERATED: _("new recovery codes were made; the old ones no longer work"),
    LOGIN_NEW_DEVICE: _("someone logged in from a device that had not logged in before"),
    PASSKEY_ADDED: _("a passkey was added; it can log in to the account"),
    PASSKEY_REMOVED: _("a passkey was removed; it no longer logs in to the account"),
    OIDC_LINKED: _("a sign-in provider's account was linked; it can log in to the account"),
    OIDC_UNLINKED: _("a sign-in provider's account was unlinked; it no longer logs in to the account"),
    PASSKEY_CLONE_SUSPECTED: _(
        "a passkey was refused because its authenticator's counter went backwards, which a copied "
        "authenticator does; remove that passkey if you did not expect this"
    ),
}


def record(
    *,
    user,
    kind: str,
    request=None,
    detail: str = "",
    notice: str | None = "",
    notify_address: str | None = None,
) -> None:
    """Log `kind` for `user`. The notice of `notice` (by default the kind's own, None for none)
    is mailed to `notify_address` (by default the account's address) once the transaction commits."""
    client = client_of(request) if request is not None else {"ip": None, "user_agent": ""}
    now = timezone.now()
    event = SecurityEvent(user_id=user.pk, kind=kind, detail=detail[:100], created_at=now, **client)
    try:
        # The account may be deleted at this moment, and its log goes with it rather than failing
        # the request. Inside a caller's transaction that takes a savepoint (PostgreSQL would
        # refuse the rest of the transaction after the error); outside one, none is needed.
        if connection.in_atomic_block:
            with transaction.atomic():
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)
    except IntegrityError:
        return
    notice = kind if notice == "" else notice
    address = user.email if notify_address is None else notify_address
    if notice in NOTICES and address:
        context = {"user": user, "what": NOTICES[notice], "when": now, **client}
        subject = " ".join(render_to_string("api/email/security_notice_subject.txt", context).split())
        outbox.enqueue(
            outbox.Mail(
                kind=f"notice:{notice}"[:32],
                user_id=user.pk,
                to=address,
                subject=subject,
                body=render_to_string("api/email/security_notice.txt", context),
                html=render_to_string("api/email/security_notice.html", context),
            )
        )


def record_login(*, user, request, detail: str, known_device: bool) -> None:
    """Log a finished login; from a client without the account's device cookie, with a notice
    if `NOTIFY_NEW_DEVICE_LOGIN` is on."""
    record(
        user=user,
        kind=LOGIN_OK,
        request=request,
        detail=f"{detail}, {'known' if known_device else 'new'} device",
        notice=LOGIN_NEW_DEVICE if settings.NOTIFY_NEW_DEVICE_LOGIN and not known_device else None,
    )


def flush_expired(*, now: datetime | None = None) -> int:
    """Delete events older than `SECURITY_EVENT_RETENTION` seconds; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.SECURITY_EVENT_RETENTION)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted
