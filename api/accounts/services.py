"""Writes to the account: sign-up, password change, account changes and deletion."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from api.accounts import recovery
from api.models import USERNAME_CLASH_MESSAGES, Note, TokenFamily, User
from api.sessions import services as sessions


def user_register(*, username: str, password: str, email: str = "") -> User:
    """Create a user; the caller has validated the input (`User.username_clash` among it).

    With `REQUIRE_EMAIL_VERIFICATION` on, the account starts unverified and a verification
    link is mailed once it is committed; a failed delivery never undoes the registration (the
    user asks for another link at /api/user/verify-email/resend/).

    A registration of the same or a look-alike name that commits between that check and this
    insert makes the insert violate a unique constraint: the answer is then the check's own.
    """
    # What create_user() does, with the password hashed (tens of milliseconds) before the
    # transaction: on SQLite a transaction holds the database's write lock from its start.
    user = User(
        username=User.normalize_username(username),
        email=User.objects.normalize_email(email),
        email_verified=not settings.REQUIRE_EMAIL_VERIFICATION,
    )
    user.set_password(password)
    try:
        # A savepoint when called inside a transaction: on PostgreSQL the failed INSERT would
        # otherwise leave that transaction unusable for the query below.
        with transaction.atomic():
            user.save(force_insert=True)
        recovery.email_verification_send(user=user)
        return user
    except IntegrityError:
        # Only a username collision is answered as one: the same check, now that the other
        # account is committed, must find it. Anything else stays the error it is.
        clash = User.username_clash(username)
        if clash is None:
            raise
        raise ValidationError({"username": [USERNAME_CLASH_MESSAGES[clash]]}, code=clash) from None


def password_change(
    *, user: User, new_password: str, user_agent: str = "", ip: str | None = None, dpop_jkt: str | None = None
) -> sessions.TokenPair:
    """Set a new password, revoke every earlier token, and log the caller's client in again
    (with `dpop_jkt`, bound to that DPoP key)."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sessions.sessions_end_all(user=user)
        return sessions.session_start(user=user, user_agent=user_agent, ip=ip, dpop_jkt=dpop_jkt)


def user_update(*, user: User, changes: dict[str, object]) -> User:
    """Change the given fields of the account; one deleted meanwhile is a 404, never re-created.

    An email change is a two-step change while account mail is on: the new address is pending
    and mailed a link, and replaces the old one only when that link is used (`recovery.
    email_verify`); asking for the current address again cancels a pending change. Without
    account mail it takes effect at once, unverified if verification is required.
    """
    changes = dict(changes)
    fields = list(changes)
    new_email = "email" in changes and changes["email"] != user.email
    if "email" in changes and (not new_email or (changes["email"] and recovery.email_change_needs_link())):
        requested = changes.pop("email")
        fields.remove("email")
        pending = requested if new_email else ""
        user.pending_email = pending
        user.email_change_started_at = timezone.now() if pending else None
        fields += ["pending_email", "email_change_started_at"]
    elif new_email:
        user.email_verified = not settings.REQUIRE_EMAIL_VERIFICATION
        fields.append("email_verified")
    for name, value in changes.items():
        setattr(user, name, value)
    # Only the changed columns, and never an INSERT: a plain save() of a row deleted since it
    # was read would write the whole account back. One statement: no transaction needed.
    user.save(update_fields=fields)
    if new_email:
        recovery.email_verification_send(user=user)
    return user


# A note created at the same moment can slip in after the deletion has collected the
# account's rows; the database then refuses the deletion, which is simply tried again.
USER_DELETE_ATTEMPTS = 5


def user_delete(*, user: User) -> None:
    """Delete the account, its notes and its sessions; its tokens stop working at once."""
    user_id = user.pk
    for attempt in range(1, USER_DELETE_ATTEMPTS + 1):
        # A deletion whose commit failed has already cleared the instance's pk.
        user.pk = user_id
        try:
            with transaction.atomic():
                if not sessions.lock_account(user):
                    return  # already deleted by a request that raced this one
                sessions.revoke_sessions(TokenFamily.objects.filter(user=user))
                Note.objects.filter(author=user).delete()
                user.delete()
            return
        except IntegrityError:
            if attempt == USER_DELETE_ATTEMPTS:
                raise
