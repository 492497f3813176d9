"""Writes of the emailed-link flows: password reset and email verification.

Requests for a link answer the same whatever the address (the views say how): here each does
one query, renders one message whether or not an account matched, and queues the real ones
for the sender (`api.accounts.email`, `api.core.outbox`), so neither the answer nor its timing tells
whether an account has the address.
"""

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from api.accounts import email
from api.accounts.errors import ExpiredLink, InvalidLink
from api.accounts.tokens import (
    TokenState,
    email_verification_tokens,
    password_reset_tokens,
    uid_for,
)
from api.core import outbox
from api.models import User
from api.sessions import services as sessions

logger = logging.getLogger("api.accounts.email")

RESET_MAIL = "password_reset"
VERIFY_MAIL = "verify_email"


def _link(template: str, user: User, token: str) -> str:
    # Only from the configured template, never from the request: a link built from the Host
    # or X-Forwarded-Host header would let anyone send a victim a link to their own site.
    return template.replace("{uid}", uid_for(user)).replace("{token}", token)


def _duration(seconds: int) -> str:
    """ "3 days", "1 hour", "1 hour and 30 minutes": how long a link works, in the message."""
    parts = []
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'s' if count > 1 else ''}")
    return " and ".join(parts[:2]) or "a minute"


def _message(kind: str, user: User) -> outbox.Mail:
    if kind == RESET_MAIL:
        template, token = settings.PASSWORD_RESET_URL, password_reset_tokens.make_token(user)
        timeout = settings.PASSWORD_RESET_TIMEOUT
    else:
        template, token = settings.EMAIL_VERIFY_URL, email_verification_tokens.make_token(user)
        timeout = settings.EMAIL_VERIFY_TIMEOUT
    return email.build(
        kind=kind,
        template=kind,
        user=user,
        link=_link(template, user, token),
        context={"valid_for": _duration(timeout)},
        # A verification link goes to the address it verifies: the pending one of a change.
        to=(user.pending_email or user.email) if kind == VERIFY_MAIL else user.email,
    )


def _mail_is_on(kind: str) -> bool:
    template = settings.PASSWORD_RESET_URL if kind == RESET_MAIL else settings.EMAIL_VERIFY_URL
    if not template:
        # Production without EMAIL_URL: settings allow that only with no link templates at all.
        logger.warning("Account email (%s) not sent: account email is not configured", kind)
    return bool(template)


def _send_each(kind: str, users: list[User], *, address: str | None = None) -> None:
    """Queue a message for each of `users`; with none, render one for `address` anyway and drop
    it, after taking its place in the address's budget, as a message to a known one would."""
    if not _mail_is_on(kind):
        return
    if not users:
        # The same rendering and budget work as for one account, so that the answer for an
        # unknown address takes as long as for a known one.
        nobody = User(pk=None, username="nobody", email=address or "nobody@example.invalid")
        outbox.within_budget(_message(kind, nobody))
        return
    # Proven addresses first, then the oldest accounts: accounts made later with someone else's
    # address cannot spend that address's budget ahead of its owner.
    for user in sorted(users, key=lambda user: (not user.email_verified, user.pk)):
        if outbox.enqueue(_message(kind, user)) is outbox.Queued.RECIPIENT_SPENT:
            break  # so is every other message of this request: all go to one address


def _accounts_with_email(address: str, **conditions) -> list[User]:
    # As Django's PasswordResetForm: several accounts may share an address, and each active
    # one gets its own link. The exact comparison after the case-insensitive query drops
    # addresses that only match under the database's case folding.
    folded = address.casefold()
    return [
        user
        for user in User.objects.filter(email__iexact=address, is_active=True, **conditions)
        if user.email.casefold() == folded
    ]


# --- Password reset -------------------------------------------------------------------------


def password_reset_request(*, email: str) -> None:
    """Mail a reset link to each active account with this address that has a password; with
    verification required, only to an address the account has proven (a reset link is the
    account)."""
    proven = {"email_verified": True} if settings.REQUIRE_EMAIL_VERIFICATION else {}
    users = [user for user in _accounts_with_email(email, **proven) if user.has_usable_password()]
    _send_each(RESET_MAIL, users, address=email)


def password_reset_confirm(*, user: User, token: str, new_password: str) -> None:
    """Set the password a valid reset token allows; every earlier token of the user dies."""
    # Hashed before the transaction: on SQLite a transaction holds the database's write lock
    # from its start, and hashing takes tens of milliseconds.
    hashed = make_password(new_password)
    with transaction.atomic():
        # The row lock makes two uses of one token queue up; the second then checks against
        # the new password hash and fails. A user deleted meanwhile is never written back.
        if not sessions.lock_account(user):
            raise InvalidLink()
        current = User.objects.filter(pk=user.pk, is_active=True).first()
        check_link(password_reset_tokens.check(current, token))
        current.password = hashed
        current.save(update_fields=["password"])
        sessions.sessions_end_all(user=current)


# --- Email verification ---------------------------------------------------------------------


def email_change_needs_link() -> bool:
    """Whether a new address waits for its link (account mail is on) or takes effect at once."""
    return bool(settings.EMAIL_VERIFY_URL)


def email_verification_send(*, user: User) -> None:
    """Mail `user` a link for its pending new address, or for its unverified current one, once
    the transaction commits."""
    if user.pending_email or (user.email and not user.email_verified):
        _send_each(VERIFY_MAIL, [user])


def email_verification_resend(*, email: str) -> None:
    """Mail a new link to each active account with this address unverified, or pending."""
    folded = email.casefold()
    # One query for both, as for any address (the answer's timing tells nothing).
    candidates = User.objects.filter(
        Q(email__iexact=email, email_verified=False, pending_email="") | Q(pending_email__iexact=email),
        is_active=True,
    )
    _send_each(
        VERIFY_MAIL,
        [user for user in candidates if (user.pending_email or user.email).casefold() == folded],
        address=email,
    )


def email_verify(*, user: User, token: str) -> str | None:
    """Use a link: the pending new address replaces the old one, or the current address is
    verified; only if the token is for that very address and change. Returns the old address
    when it was a change."""
    with transaction.atomic():
        if not sessions.lock_account(user):
            raise InvalidLink()
        current = User.objects.filter(pk=user.pk, is_active=True).first()
        check_link(email_verification_tokens.check(current, token))
        fields, old_address = ["email_verified"], None
        if current.pending_email:
            old_address = current.email
            current.email, current.pending_email, current.email_change_started_at = (
                current.pending_email,
                "",
                None,
            )
            fields += ["email", "pending_email", "email_change_started_at"]
        current.email_verified = True
        current.save(update_fields=fields)
    return old_address


def check_link(state: TokenState) -> None:
    """Raise the 400 a token's state calls for, if any."""
    if state is TokenState.EXPIRED:
        raise ExpiredLink()
    if state is not TokenState.VALID:
        raise InvalidLink()
