"""The one credential check: every door that checks a password or a second factor goes through
here (API login and its second step, the admin login, reauthentication, password change, account
deletion, turning TOTP off, new recovery codes), so each wrong one counts toward the same limits.

Failures count per account name, as login normalises it (`core.clients.spelling_key`), and
per client IP (`NUM_PROXIES`), with the atomic counts of `api.core.counters`. A client that
presents a device cookie for the account (it logged in to it before) counts on its own instead
of under the name and IP, so guessers elsewhere cannot lock the owner out.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from rest_framework.throttling import BaseThrottle

from api.core import counters, security_log
from api.core.clients import spelling_key
from api.core.counters import TooManyFailures
from api.models import User
from api.sessions.login_devices import device_for

__all__ = [
    "CountedModelBackend",
    "TooManyFailures",
    "attempt",
    "attempt_by",
    "counts_for",
    "password_is_right",
]


class _Wrong(Exception):
    """A credential did not match: the failure stays counted."""

    counts_as_failure = True


def counts_for(request, *, name_key: str | None) -> list[tuple[str, counters.Limit]]:
    """The counts an attempt for the account `name_key` from `request`'s client falls under."""
    per_account = counters.Limit.parse(settings.LOGIN_FAILURE_RATE)
    # No request: `authenticate()` called from code (a shell, a command), counted by name alone.
    device = device_for(request, name_key) if request is not None and name_key is not None else None
    if device is not None:
        return [(f"device:{device.device_id}", per_account)] if per_account else []
    counts = []
    if per_account and name_key is not None:
        counts.append((f"name:{name_key}", per_account))
    per_ip = counters.Limit.parse(settings.LOGIN_FAILURE_IP_RATE)
    if per_ip and request is not None and (ip := BaseThrottle().get_ident(request)):
        counts.append((f"ip:{ip}", per_ip))
    return counts


@contextmanager
def attempt(request, *, name_key: str | None, user: User | None = None) -> Iterator[None]:
    """Check a credential inside this block: 429 first if a count is full; an error marked
    `counts_as_failure` raised in it counts one failure, logged for `user` (if known) with the
    lock-out it may have caused."""
    try:
        with counters.attempt(counts_for(request, name_key=name_key)) as reservation:
            yield
    except Exception as exc:
        if getattr(exc, "counts_as_failure", False) and user is not None:
            _log_failure(request, user, locked=bool(reservation.filled))
        raise


def _log_failure(request, user: User, *, locked: bool) -> None:
    door = getattr(request, "path", "")
    security_log.record(user=user, kind=security_log.LOGIN_FAILED, request=request, detail=door)
    if locked:
        security_log.record(user=user, kind=security_log.LOGIN_LOCKED, request=request, detail=door)


def attempt_by(request, user: User):
    """`attempt` for a signed-in caller proving a credential of its own account."""
    return attempt(request, name_key=spelling_key(user.username), user=user)


def password_is_right(*, request, user: User, password: object) -> bool:
    """Whether `password` is `user`'s, counted as an attempt for that account."""
    try:
        with attempt_by(request, user):
            if not user.check_password(password):
                raise _Wrong()
    except _Wrong:
        return False
    return True


class CountedModelBackend(ModelBackend):
    """Django's username-and-password backend, with the failed-credential limit: API login and
    the admin login both authenticate through it. Over the limit it raises `TooManyFailures`
    (a 429 through the API) without looking at the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        # ModelBackend's own steps, so the account found is known to the failure log.
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        try:
            with attempt(request, name_key=spelling_key(username), user=user):
                if user is None:
                    # As much hashing as for a real account: the answer's timing tells nothing.
                    User().set_password(password)
                    raise _Wrong()
                if not (user.check_password(password) and self.user_can_authenticate(user)):
                    raise _Wrong()
        except _Wrong:
            return None
        return user
