"""Two-factor login (docs/mfa.md): TOTP set up and turned off, recovery codes, and the second step
of a login.

Rules:
- a device is pending until a first code confirms it; only a confirmed one makes logins ask for
  a code. Each setup call while pending issues a new secret; a pending setup expires after
  `TOTP_SETUP_LIFETIME`;
- a TOTP code works once: the device keeps the last time step used, and only later steps count;
- a recovery code works once: it is spent by a conditional UPDATE (`used_at IS NULL`), so of two
  requests with the same code exactly one wins;
- a login with the right password gets an `mfa_token` (`api.mfa.tokens`) instead of a
  pair. It works once, for `MFA_TOKEN_LIFETIME` seconds and `MFA_MAX_ATTEMPTS` wrong codes, and
  dies with a password change or reset (the user's token version) or when TOTP is turned off;
- turning TOTP on or off, and new recovery codes, end every other session of the user;
- every write takes the account's row lock first (`api.sessions.services.lock_account`), as
  the other writes to an account do: they queue instead of racing, and none recreates rows of a
  deleted account.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework_simplejwt.exceptions import InvalidToken
from rest_framework_simplejwt.utils import datetime_from_epoch

from api.core.exceptions import Conflict
from api.mfa import codes as mfa_codes
from api.mfa.errors import (
    MfaAlreadyEnabled,
    MfaNotEnabled,
    MfaSetupNotStarted,
    MfaTokenInvalid,
    WrongCode,
    WrongLoginCode,
)
from api.mfa.tokens import mfa_claims, mfa_token_for
from api.models import MfaChallenge, RecoveryCode, TokenFamily, TotpDevice, User
from api.sessions.services import TokenPair, lock_account, revoke_sessions, session_start

# Wrong codes one `mfa_token` may take; the next answer is `mfa_token_invalid`, even for a
# right code. Each also counts toward the account's failed-login limit.
MFA_MAX_ATTEMPTS = 5
# A secret shown by the setup call must be confirmed within this time.
TOTP_SETUP_LIFETIME = timedelta(hours=1)


def _account_gone() -> InvalidToken:
    # The caller's account was deleted during the request: its tokens are dead already.
    return InvalidToken(_("User not found"))


# --- Setup ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TotpSetup:
    """A pending setup as the authenticator app needs it."""

    secret: str
    otpauth_url: str
    qr_svg: str


def totp_enabled(*, user: User) -> bool:
    """Whether logins of `user` need a second factor (as of when `user` was read)."""
    return user.mfa_enabled


def _set_mfa_enabled(user: User, enabled: bool) -> None:
    User.objects.filter(pk=user.pk).update(mfa_enabled=enabled)
    user.mfa_enabled = enabled


def totp_start(*, user: User) -> TotpSetup:
    """Start (or start again, with a new secret) setting up TOTP; logins stay password-only
    until `totp_confirm`. `MfaAlreadyEnabled` if TOTP is on."""
    secret = mfa_codes.new_secret()
    now = timezone.now()
    with transaction.atomic():
        if not lock_account(user):
            raise _account_gone()
        device = TotpDevice.objects.filter(user=user).values_list("pk", "confirmed_at").first()
        if device is None:
            TotpDevice(user=user, secret=secret, created_at=now).save(force_insert=True)
        elif device[1] is not None:
            raise MfaAlreadyEnabled()
        else:
            TotpDevice.objects.filter(pk=device[0], confirmed_at__isnull=True).update(
                secret=secret, created_at=now, last_used_step=None
            )
    url = mfa_codes.otpauth_url(secret=secret, account_name=user.username)
    return TotpSetup(secret=secret, otpauth_url=url, qr_svg=mfa_codes.qr_svg(url))


def totp_confirm(*, user: User, code: str, keep_session: object) -> list[str]:
    """Turn TOTP on with a first code of the pending secret; returns the recovery codes, the
    only time they are ever shown. Every session but `keep_session` ends."""
    code = mfa_codes.normalised(code)
    codes = mfa_codes.new_recovery_codes()
    now = timezone.now()
    with transaction.atomic():
        if not lock_account(user):
            raise _account_gone()
        device = TotpDevice.objects.filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise MfaAlreadyEnabled()
        if device is None or device.created_at <= now - TOTP_SETUP_LIFETIME:
            raise MfaSetupNotStarted()
        step = mfa_codes.totp_step(secret=device.secret, code=code, at=now, after_step=None)
        if step is None:
            raise WrongCode()
        # Still the secret that code was checked against, and still pending.
        confirmed = TotpDevice.objects.filter(
            pk=device.pk, secret=device.secret, confirmed_at__isnull=True
        ).update(confirmed_at=now, last_used_step=step)
        if not confirmed:
            raise Conflict()
        _set_mfa_enabled(user, True)
        _replace_recovery_codes(user=user, codes=codes, now=now)
        _end_other_sessions(user=user, keep_session=keep_session)
    return codes


def recovery_codes_regenerate(*, user: User, code: str, keep_session: object) -> list[str]:
    """A new set of recovery codes for a current TOTP code; the old set stops working, and every
    session but `keep_session` ends."""
    code = mfa_codes.normalised(code)
    codes = mfa_codes.new_recovery_codes()
    now = timezone.now()
    with transaction.atomic():
        if not lock_account(user):
            raise _account_gone()
        device = _confirmed_device(user)
        if not _use_totp_code(device, code, now):
            raise WrongCode()
        _replace_recovery_codes(user=user, codes=codes, now=now)
        _end_other_sessions(user=user, keep_session=keep_session)
    return codes


def totp_disable(*, user: User, code: str, keep_session: object) -> None:
    """Turn TOTP off with a TOTP or recovery code (the caller has checked the password): the
    device, the recovery codes and any login waiting for a code go, and every session but
    `keep_session` ends."""
    code = mfa_codes.normalised(code)
    now = timezone.now()
    with transaction.atomic():
        if not lock_account(user):
            raise _account_gone()
        device = _confirmed_device(user)
        if not _use_code(device, code, now):
            raise WrongCode()
        _set_mfa_enabled(user, False)
        TotpDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        MfaChallenge.objects.filter(user=user).delete()
        _end_other_sessions(user=user, keep_session=keep_session)


def code_use(*, user: User, code: str) -> None:
    """Spend a TOTP or recovery code of `user` as a proof of the second factor (the admin login,
    reauthentication); `WrongCode` if it is not good, `MfaNotEnabled` without TOTP."""
    code = mfa_codes.normalised(code)
    now = timezone.now()
    with transaction.atomic():
        device = _confirmed_device(user)
        if not (mfa_codes.is_totp_code(code) or mfa_codes.is_recovery_code(code)) or not _use_code(
            device, code, now
        ):
            raise WrongCode()


# --- Login --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MfaLogin:
    """A finished two-factor login: the session's pair, and the account's name key (for the
    device cookie, as after any login)."""

    pair: TokenPair
    name_key: str
    user: User


def mfa_challenge_start(*, user: User) -> str:
    """The `mfa_token` for a login of `user` whose password was right, and that needs a code."""
    challenge_id = uuid.uuid4()
    token = mfa_token_for(user=user, challenge_id=challenge_id)
    now = timezone.now()
    challenge = MfaChallenge(
        id=challenge_id, user=user, created_at=now, expires_at=datetime_from_epoch(token["exp"])
    )
    with transaction.atomic():
        # As `session_start`: an account deleted at this moment fails as an unknown one.
        if not lock_account(user):
            raise exceptions.AuthenticationFailed(
                _("No active account found with the given credentials"), code="no_active_account"
            )
        challenge.save(force_insert=True)
    return str(token)


def mfa_login(
    *, mfa_token: str, code: str, user_agent: str = "", ip: str | None = None, dpop_jkt: str | None = None
) -> MfaLogin:
    """Second login step: a TOTP or recovery code for the login `mfa_token` names starts a
    session. `MfaTokenInvalid` if that login cannot finish; `WrongLoginCode` (counted against
    the token) if the code is not good."""
    code = mfa_codes.normalised(code)
    return mfa_login_by(
        mfa_token=mfa_token,
        proof=lambda user, device, now: _use_code(device, code, now),
        user_agent=user_agent,
        ip=ip,
        dpop_jkt=dpop_jkt,
    )


def mfa_login_by(
    *,
    mfa_token: str,
    proof: Callable[[User, TotpDevice, datetime], bool],
    user_agent: str = "",
    ip: str | None = None,
    dpop_jkt: str | None = None,
) -> MfaLogin:
    """Second login step with any proof of the second factor (a code, a passkey): `proof` runs
    once the login is known to be able to finish, under the account's lock, and says whether
    the factor is good. Its writes (a code spent, a challenge spent) commit either way; a
    wrong proof counts against the `mfa_token` and raises `WrongLoginCode`."""
    claims = mfa_claims(mfa_token)
    if claims is None:
        raise MfaTokenInvalid()
    now = timezone.now()
    with transaction.atomic():
        if not lock_account(User(pk=claims.user_id)):
            raise MfaTokenInvalid()
        challenge = (
            MfaChallenge.objects.select_related("user", "user__totp_device")
            .filter(pk=claims.challenge_id, user_id=claims.user_id)
            .first()
        )
        if challenge is None or not _may_finish(challenge, claims.token_version, now):
            raise MfaTokenInvalid()
        user = challenge.user
        try:
            device = user.totp_device
        except TotpDevice.DoesNotExist:
            device = None
        if device is None or device.confirmed_at is None:
            # Turned off since the password step: the login starts again, without a code.
            raise MfaTokenInvalid()
        if proof(user, device, now):
            MfaChallenge.objects.filter(pk=challenge.pk).update(used_at=now)
            pair = session_start(user=user, user_agent=user_agent, ip=ip, dpop_jkt=dpop_jkt)
            return MfaLogin(pair=pair, name_key=claims.name_key, user=user)
        # Committed with the block: the answer is an error, but the try counts.
        MfaChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
    raise WrongLoginCode()


def mfa_waiting_user(*, mfa_token: str) -> tuple[User, uuid.UUID]:
    """The account, and the waiting login's id, of an `mfa_token` whose login can still finish
    (for a second factor that must ask for a challenge first); `MfaTokenInvalid` if it cannot."""
    claims = mfa_claims(mfa_token)
    if claims is None:
        raise MfaTokenInvalid()
    challenge = (
        MfaChallenge.objects.select_related("user")
        .filter(pk=claims.challenge_id, user_id=claims.user_id)
        .first()
    )
    if challenge is None or not _may_finish(challenge, claims.token_version, timezone.now()):
        raise MfaTokenInvalid()
    return challenge.user, challenge.pk


def _may_finish(challenge: MfaChallenge, token_version: int, now: datetime) -> bool:
    return (
        challenge.used_at is None
        and challenge.expires_at > now
        and challenge.attempts < MFA_MAX_ATTEMPTS
        and challenge.user.is_active
        and challenge.user.token_version == token_version
    )


# --- Clean-up -------------------------------------------------------------------------------------


def mfa_flush_expired(*, now: datetime | None = None) -> int:
    """Delete logins waiting for a code that can no longer finish, and setups never confirmed in
    time; returns how many rows went."""
    now = now or timezone.now()
    challenges, _ = MfaChallenge.objects.filter(Q(expires_at__lte=now) | Q(used_at__isnull=False)).delete()
    setups, _ = TotpDevice.objects.filter(
        confirmed_at__isnull=True, created_at__lte=now - TOTP_SETUP_LIFETIME
    ).delete()
    return challenges + setups


# --- Helpers --------------------------------------------------------------------------------------


def _confirmed_device(user: User) -> TotpDevice:
    """Lock the account, then its confirmed device; `MfaNotEnabled` without one."""
    if not lock_account(user):
        raise _account_gone()
    device = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    if device is None:
        raise MfaNotEnabled()
    return device


def _use_code(device: TotpDevice, code: str, now: datetime) -> bool:
    """Spend a normalised TOTP or recovery code of the device's user; False if it is not good."""
    if mfa_codes.is_recovery_code(code):
        spent = RecoveryCode.objects.filter(
            user_id=device.user_id, code_hash=mfa_codes.recovery_code_hash(code), used_at__isnull=True
        ).update(used_at=now)
        return spent > 0
    return _use_totp_code(device, code, now)


def _use_totp_code(device: TotpDevice, code: str, now: datetime) -> bool:
    step = mfa_codes.totp_step(secret=device.secret, code=code, at=now, after_step=device.last_used_step)
    if step is None:
        return False
    # Conditional, so that two requests with one code cannot both pass, whatever the locking.
    later = Q(last_used_step__isnull=True) | Q(last_used_step__lt=step)
    return bool(
        TotpDevice.objects.filter(later, pk=device.pk, confirmed_at__isnull=False).update(last_used_step=step)
    )


def _replace_recovery_codes(*, user: User, codes: list[str], now: datetime) -> None:
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=mfa_codes.recovery_code_hash(code), created_at=now)
        for code in codes
    )


def _end_other_sessions(*, user: User, keep_session: object) -> None:
    others = TokenFamily.objects.filter(user=user)
    try:
        kept = uuid.UUID(str(keep_session)) if keep_session is not None else None
    except ValueError:
        kept = None
    if kept is not None:
        others = others.exclude(pk=kept)
    revoke_sessions(others)
