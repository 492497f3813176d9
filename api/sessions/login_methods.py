"""The one rule of an account's ways to log in: removing one never leaves the account without any.

The ways are a usable password, a passkey and a linked provider account (`OidcIdentity`). Each
door that removes one (deleting a passkey, unlinking a provider account, the admin disabling the
password) asks `keep_a_way_in`
inside the transaction that removes it. It takes the account's row lock first
(`api.sessions.services.lock_account`), the lock every write to an account takes, so two
removals of an account's last two ways at the same moment queue: the second sees the first's
removal and is refused.
"""

from django.contrib.auth.hashers import is_password_usable
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework_simplejwt.exceptions import InvalidToken

from api.models import OidcIdentity, Passkey, User
from api.sessions.services import lock_account

# What `keep_a_way_in` is told is going when it is the password.
PASSWORD = "password"  # noqa: S105 (a name, not a secret)


class LastWayToLogIn(exceptions.APIException):
    """409: removing this would leave the account no way to log in."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "This is the account's last way to log in: set a password, add a passkey or link a "
        "provider account first."
    )
    default_code = "last_login_method"


def keep_a_way_in(*, user: User, without: Passkey | OidcIdentity | str) -> None:
    """Raise `LastWayToLogIn` unless `user` keeps a way to log in once `without` is gone.

    Call it inside the transaction that removes `without`, before removing it: it takes the
    account's row lock for that transaction (the caller need not), so what it reads holds until
    the removal commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("keep_a_way_in needs the transaction that removes the way in.")
    if not lock_account(user):
        # The account was deleted during the request: its tokens are dead already.
        raise InvalidToken(_("User not found"))
    # Read under the lock, never from the caller's copy: a parallel password change or
    # removal committed before it is seen.
    password = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
    if without != PASSWORD and is_password_usable(password):
        return
    passkeys = Passkey.objects.filter(user=user)
    identities = OidcIdentity.objects.filter(user=user)
    if isinstance(without, Passkey):
        passkeys = passkeys.exclude(pk=without.pk)
    elif isinstance(without, OidcIdentity):
        identities = identities.exclude(pk=without.pk)
    if not passkeys.exists() and not identities.exists():
        raise LastWayToLogIn()
