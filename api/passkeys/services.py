"""Passkeys (docs/security.md, "Passkeys"): registered, renamed and deleted; used to log in, as the
second factor of a two-factor login, and for step-up.

Rules:
- registering needs a step-up (the options call's) and a challenge bound to the user; an account
  has at most `MAX_PASSKEYS`; user verification is required at every ceremony;
- a passkey login needs no password and satisfies two-factor login: it is possession of the
  authenticator plus the user verification it did (PIN or biometrics);
- the sign counter must grow, except for authenticators that keep none (0 then and now): one
  that stands still or goes back is refused as a cloned authenticator, and logged;
- a passkey is never deleted when it is the account's last way to log in (no usable password,
  no other passkey, no linked provider account: `api.sessions.login_methods`);
- every write to an account's passkeys takes the account's row lock first
  (`api.sessions.services.lock_account`), as the other writes to an account do.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework_simplejwt.exceptions import InvalidToken

from api.core import security_log
from api.mfa import services as mfa
from api.mfa.errors import MfaTokenInvalid, WrongLoginCode
from api.mfa.tokens import mfa_claims
from api.models import Passkey, PasskeyChallenge, User
from api.passkeys import ceremonies
from api.passkeys.ceremonies import Flow
from api.passkeys.errors import (
    NoPasskey,
    PasskeyAlreadyRegistered,
    PasskeyCloneSuspected,
    PasskeyRefused,
    TooManyPasskeys,
)
from api.sessions.login_methods import keep_a_way_in
from api.sessions.services import lock_account

# Passkeys one account may have: enough for every device a person owns, few enough that the
# options list them all.
MAX_PASSKEYS = 20
DEFAULT_NAME = "Passkey"
USER_HANDLE_BYTES = 32


def _account_gone() -> InvalidToken:
    # The caller's account was deleted during the request: its tokens are dead already.
    return InvalidToken(_("User not found"))


def _descriptors_of(user_id: int) -> list[tuple[str, list[str]]]:
    return list(Passkey.objects.filter(user_id=user_id).values_list("credential_id", "transports"))


# --- Registration -----------------------------------------------------------------------------


def passkey_registration_options(*, user: User) -> dict:
    """The options of a new passkey for `user` (`PublicKeyCredentialCreationOptionsJSON`);
    `TooManyPasskeys` at `MAX_PASSKEYS`."""
    ceremonies.relying_party()
    exclude = _descriptors_of(user.pk)
    if len(exclude) >= MAX_PASSKEYS:
        raise TooManyPasskeys()
    challenge = ceremonies.challenge_issue(flow=Flow.REGISTRATION, user_id=user.pk)
    return ceremonies.registration_options(
        challenge=challenge, user_handle=_user_handle(user), username=user.username, exclude=exclude
    )


def _user_handle(user: User) -> str:
    """The account's WebAuthn user handle, made once (a parallel first call keeps the winner's)."""
    if user.passkey_user_handle is None:
        handle = secrets.token_urlsafe(USER_HANDLE_BYTES)
        User.objects.filter(pk=user.pk, passkey_user_handle__isnull=True).update(passkey_user_handle=handle)
        user.refresh_from_db(fields=["passkey_user_handle"])
        if user.passkey_user_handle is None:
            raise _account_gone()
    return user.passkey_user_handle


def passkey_register(*, user: User, credential: dict, name: str = "") -> Passkey:
    """Store the passkey of a registration answer (`RegistrationResponseJSON`) to this user's
    options; `PasskeyRefused` or `PasskeyChallengeInvalid` (400) if it does not verify."""
    ceremonies.relying_party()
    parsed = ceremonies.parse_registration(credential)
    challenge = ceremonies.challenge_of(parsed, Flow.REGISTRATION)
    ceremonies.challenge_spend(challenge=challenge, flow=Flow.REGISTRATION, user_id=user.pk)
    new = ceremonies.registration_verify(parsed, challenge=challenge)
    now = timezone.now()
    passkey = Passkey(
        user=user,
        credential_id=new.credential_id,
        public_key=new.public_key,
        sign_count=new.sign_count,
        name=name or DEFAULT_NAME,
        transports=new.transports,
        aaguid=new.aaguid,
        backup_eligible=new.backup_eligible,
        backed_up=new.backed_up,
        created_at=now,
    )
    try:
        with transaction.atomic():
            if not lock_account(user):
                raise _account_gone()
            if Passkey.objects.filter(user=user).count() >= MAX_PASSKEYS:
                raise TooManyPasskeys()
            if Passkey.objects.filter(credential_id=new.credential_id).exists():
                raise PasskeyAlreadyRegistered()
            passkey.save(force_insert=True)
    except IntegrityError:
        # The same credential registered by a parallel request since the check.
        raise PasskeyAlreadyRegistered() from None
    return passkey


# --- Managing ---------------------------------------------------------------------------------


def passkey_rename(*, user: User, passkey_id: int, name: str) -> Passkey:
    """Rename one of `user`'s passkeys; `NotFound` if it is not (or no longer) theirs."""
    if not Passkey.objects.filter(pk=passkey_id, user=user).update(name=name):
        raise NotFound()
    return Passkey.objects.get(pk=passkey_id)


def passkey_delete(*, user: User, passkey_id: int) -> Passkey:
    """Delete one of `user`'s passkeys, unless it is the account's last way to log in
    (`LastWayToLogIn`); `NotFound` if it is not theirs. Returns the deleted passkey."""
    with transaction.atomic():
        passkey = Passkey.objects.filter(pk=passkey_id, user=user).first()
        if passkey is None:
            raise NotFound()
        # Takes the account's row lock before the write, as every write to an account does.
        keep_a_way_in(user=user, without=passkey)
        Passkey.objects.filter(pk=passkey.pk).delete()
    return passkey


# --- Assertions -------------------------------------------------------------------------------


def passkey_for(credential: dict) -> Passkey | None:
    """The registered passkey a login's answer names (with its user), if any: whose failures
    count, before anything is verified. Any answer that names none is refused later."""
    rows = Passkey.objects.select_related("user")
    raw_id = credential.get("rawId") if isinstance(credential, dict) else None
    return rows.filter(credential_id=raw_id.rstrip("=")).first() if isinstance(raw_id, str) else None


def _assertion_use(
    parsed, *, passkey: Passkey | None, flow: Flow, user: User | None, mfa_challenge_id=None
) -> None:
    """Spend the answer's challenge of `flow`, then verify the answer as one of `passkey`'s
    (of `user` where the flow is a user's) and move its counter on; `PasskeyRefused` if not."""
    challenge = ceremonies.challenge_of(parsed, flow)
    ceremonies.challenge_spend(
        challenge=challenge,
        flow=flow,
        user_id=None if flow is Flow.LOGIN else user.pk,
        mfa_challenge_id=mfa_challenge_id,
    )
    if passkey is None or passkey.credential_id != ceremonies.credential_id_of(parsed):
        raise ceremonies.refused(flow, "unknown credential, or another account's")
    owner = passkey.user
    if not owner.is_active:
        raise ceremonies.refused(flow, "the account is not active")
    verified = ceremonies.assertion_verify(
        parsed, passkey=passkey, user_handle=owner.passkey_user_handle or "", challenge=challenge, flow=flow
    )
    stored = passkey.sign_count
    if (verified.sign_count or stored) and verified.sign_count <= stored:
        ceremonies.logger.info(
            "Passkey %s refused: sign counter %s after %s (a cloned authenticator?)",
            flow.value,
            verified.sign_count,
            stored,
        )
        raise PasskeyCloneSuspected(user=owner, signed_in=flow.signed_in)
    # Compared with the counter read: of two answers with one counter value, one moves it.
    moved = Passkey.objects.filter(pk=passkey.pk, sign_count=stored).update(
        sign_count=verified.sign_count, backed_up=verified.backed_up, last_used_at=timezone.now()
    )
    if not moved:
        raise ceremonies.refused(flow, "deleted or used at the same moment")


@contextmanager
def clone_reported(request) -> Iterator[None]:
    """Log a cloned authenticator for its owner (with a notice), whatever else the refusal does."""
    try:
        yield
    except PasskeyCloneSuspected as exc:
        security_log.record(
            user=exc.user, kind=security_log.PASSKEY_CLONE_SUSPECTED, request=request, detail=request.path
        )
        raise


def _allow_list(user: User) -> list[tuple[str, list[str]]]:
    allow = _descriptors_of(user.pk)
    if not allow:
        raise NoPasskey()
    return allow


def passkey_login_options() -> dict:
    """Options of a passwordless login: no account named, so the browser offers the passkeys it
    holds for this RP (conditional UI: `autocomplete="username webauthn"`)."""
    ceremonies.relying_party()
    return ceremonies.authentication_options(challenge=ceremonies.challenge_issue(flow=Flow.LOGIN), allow=[])


def passkey_login(*, credential: dict, passkey: Passkey | None) -> User:
    """The user a passwordless login's answer (`AuthenticationResponseJSON`) proves, with
    `passkey` the one it names (`passkey_for`); `PasskeyRefused` (401) if it does not verify."""
    ceremonies.relying_party()
    parsed = ceremonies.parse_assertion(credential, Flow.LOGIN)
    _assertion_use(parsed, passkey=passkey, flow=Flow.LOGIN, user=None)
    return passkey.user


def passkey_mfa_options(*, mfa_token: str) -> dict:
    """Options for finishing the two-factor login of `mfa_token` with one of its account's passkeys."""
    ceremonies.relying_party()
    user, waiting = mfa.mfa_waiting_user(mfa_token=mfa_token)
    allow = _allow_list(user)
    challenge = ceremonies.challenge_issue(flow=Flow.MFA, user_id=user.pk, mfa_challenge_id=waiting)
    return ceremonies.authentication_options(challenge=challenge, allow=allow)


def passkey_mfa_login(
    *,
    mfa_token: str,
    credential: dict,
    user_agent: str = "",
    ip: str | None = None,
    dpop_jkt: str | None = None,
) -> mfa.MfaLogin:
    """Finish a two-factor login with a passkey of its account instead of a code; as
    `mfa.mfa_login`, but a refused passkey is `PasskeyRefused` (counted against the token too)."""
    ceremonies.relying_party()
    claims = mfa_claims(mfa_token)
    if claims is None:
        raise MfaTokenInvalid()
    parsed = ceremonies.parse_assertion(credential, Flow.MFA)
    refusal: list[PasskeyRefused] = []

    def proof(user: User, device, now: datetime) -> bool:
        passkey = (
            Passkey.objects.select_related("user")
            .filter(user=user, credential_id=ceremonies.credential_id_of(parsed))
            .first()
        )
        try:
            _assertion_use(
                parsed, passkey=passkey, flow=Flow.MFA, user=user, mfa_challenge_id=claims.challenge_id
            )
        except PasskeyRefused as exc:
            refusal.append(exc)
            return False
        return True

    try:
        return mfa.mfa_login_by(
            mfa_token=mfa_token, proof=proof, user_agent=user_agent, ip=ip, dpop_jkt=dpop_jkt
        )
    except WrongLoginCode:
        raise (refusal[0] if refusal else PasskeyRefused()) from None


def passkey_reauth_options(*, user: User) -> dict:
    """Options for a step-up of `user` with one of their passkeys."""
    ceremonies.relying_party()
    allow = _allow_list(user)
    return ceremonies.authentication_options(
        challenge=ceremonies.challenge_issue(flow=Flow.REAUTH, user_id=user.pk), allow=allow
    )


def passkey_reauth(*, user: User, credential: dict) -> None:
    """Verify a step-up answer of one of `user`'s passkeys; `PasskeyRefused` (400) if not good."""
    ceremonies.relying_party()
    parsed = ceremonies.parse_assertion(credential, Flow.REAUTH)
    passkey = (
        Passkey.objects.select_related("user")
        .filter(user=user, credential_id=ceremonies.credential_id_of(parsed))
        .first()
    )
    _assertion_use(parsed, passkey=passkey, flow=Flow.REAUTH, user=user)


# --- Clean-up ---------------------------------------------------------------------------------


def passkey_challenges_flush(*, now: datetime | None = None) -> int:
    """Delete challenges that can no longer be used; returns how many."""
    now = now or timezone.now()
    deleted, _ = PasskeyChallenge.objects.filter(Q(expires_at__lte=now) | Q(used_at__isnull=False)).delete()
    return deleted
