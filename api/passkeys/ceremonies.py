"""The WebAuthn ceremonies as this server runs them, through Duo's py_webauthn: the options an
options call answers, the single-use challenges behind them, and the checks of what the browser
sends back (signature, challenge, origin, RP ID, user presence and verification).

Challenges are 32 random bytes, stored as their SHA-256 in a `PasskeyChallenge` row bound to its
flow (registration, login, mfa, reauth), to the user where one is known, and to the two-factor
login it finishes. The browser's answer carries the challenge in its signed client data, which
finds the row; spending it is one conditional UPDATE, so a challenge passes once, whatever the
number of parallel verifies. A challenge is spent before the answer is checked, so a refused
answer cannot be tried again with it either.
"""

import enum
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from api.models import Passkey, PasskeyChallenge
from api.passkeys.errors import PasskeyChallengeInvalid, PasskeyRefused, PasskeysDisabled

if TYPE_CHECKING:
    from webauthn.helpers.structs import AuthenticationCredential, RegistrationCredential

# py_webauthn (with pyOpenSSL and the ASN.1 modules) is imported by the functions that use it,
# not at import: about 6 MiB that a worker loads only once someone uses a passkey.

# A fixed name, so log filters survive the code moving. Why an answer was refused is logged at
# INFO (the library's reason: never a key, signature or challenge), and never told the client.
logger = logging.getLogger("api.passkeys")

CHALLENGE_BYTES = 32
# What the library raises for data it cannot parse, beyond its own errors (WebAuthnException):
# base64 and JSON decoding, CBOR structures of the wrong types, integers out of range.
_UNPARSABLE = (ValueError, TypeError, KeyError, IndexError, OverflowError)


def _unparsable() -> tuple[type[Exception], ...]:
    from webauthn.helpers.exceptions import WebAuthnException

    return (WebAuthnException, *_UNPARSABLE)


class Flow(enum.Enum):
    """The ceremony a challenge is for; registration and step-up are a signed-in caller's."""

    REGISTRATION = "registration"
    LOGIN = "login"
    MFA = "mfa"
    REAUTH = "reauth"

    @property
    def signed_in(self) -> bool:
        return self in (Flow.REGISTRATION, Flow.REAUTH)


def relying_party() -> tuple[str, str, list[str]]:
    """The RP ID, its name and the allowed origins; `PasskeysDisabled` without an RP ID."""
    if not settings.WEBAUTHN_RP_ID:
        raise PasskeysDisabled()
    return settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_RP_NAME, list(settings.WEBAUTHN_ORIGINS)


def _timeout_ms() -> int:
    return settings.WEBAUTHN_CHALLENGE_MAX_AGE * 1000


def _digest(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def descriptors(passkeys) -> list:
    """`allowCredentials` / `excludeCredentials` entries for `(credential_id, transports)` pairs."""
    from webauthn import base64url_to_bytes
    from webauthn.helpers.structs import AuthenticatorTransport, PublicKeyCredentialDescriptor

    known = {transport.value for transport in AuthenticatorTransport}
    return [
        PublicKeyCredentialDescriptor(
            id=base64url_to_bytes(credential_id),
            transports=[AuthenticatorTransport(t) for t in transports if t in known] or None,
        )
        for credential_id, transports in passkeys
    ]


# --- Challenges -------------------------------------------------------------------------------


def challenge_issue(*, flow: Flow, user_id: int | None = None, mfa_challenge_id=None) -> bytes:
    """A new challenge for `flow`, stored for WEBAUTHN_CHALLENGE_MAX_AGE seconds."""
    challenge = secrets.token_bytes(CHALLENGE_BYTES)
    now = timezone.now()
    PasskeyChallenge(
        digest=_digest(challenge),
        flow=flow.value,
        user_id=user_id,
        mfa_challenge_id=mfa_challenge_id,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.WEBAUTHN_CHALLENGE_MAX_AGE),
    ).save(force_insert=True)
    return challenge


def challenge_spend(
    *, challenge: bytes, flow: Flow, user_id: int | None = None, mfa_challenge_id=None
) -> None:
    """Spend the stored challenge of `flow` (and of that user and two-factor login): once, and
    before it expires; `PasskeyChallengeInvalid` otherwise."""
    now = timezone.now()
    rows = PasskeyChallenge.objects.filter(
        digest=_digest(challenge),
        flow=flow.value,
        user_id=user_id,
        mfa_challenge_id=mfa_challenge_id,
        used_at__isnull=True,
        expires_at__gt=now,
    )
    # Read first: an unknown challenge (most garbage) is refused without a write.
    if not rows.exists() or not rows.update(used_at=now):
        logger.info("Passkey %s refused: challenge unknown, used, expired or of another flow", flow.value)
        raise PasskeyChallengeInvalid(signed_in=flow.signed_in)


def challenge_of(credential: "RegistrationCredential | AuthenticationCredential", flow: Flow) -> bytes:
    """The challenge the browser's signed client data names (not yet checked against anything)."""
    from webauthn.helpers import parse_client_data_json

    try:
        return parse_client_data_json(credential.response.client_data_json).challenge
    except _unparsable() as exc:
        raise refused(flow, exc) from None


def refused(flow: Flow, reason: object) -> PasskeyRefused:
    """The refusal of an answer of `flow`, with why logged (never told the client)."""
    logger.info("Passkey %s refused: %s", flow.value, reason)
    return PasskeyRefused(signed_in=flow.signed_in)


# --- Registration -----------------------------------------------------------------------------


def registration_options(*, challenge: bytes, user_handle: str, username: str, exclude) -> dict:
    """`PublicKeyCredentialCreationOptionsJSON`: a discoverable credential (resident key)
    preferred, user verification required, no attestation, the account's passkeys excluded."""
    from webauthn import base64url_to_bytes, generate_registration_options
    from webauthn.helpers.options_to_json_dict import options_to_json_dict
    from webauthn.helpers.structs import (
        AttestationConveyancePreference,
        AuthenticatorSelectionCriteria,
        ResidentKeyRequirement,
        UserVerificationRequirement,
    )

    rp_id, rp_name, _ = relying_party()
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=rp_name,
        user_id=base64url_to_bytes(user_handle),
        user_name=username,
        challenge=challenge,
        timeout=_timeout_ms(),
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=descriptors(exclude),
    )
    return options_to_json_dict(options)


def parse_registration(credential: dict) -> "RegistrationCredential":
    from webauthn.helpers.parse_registration_credential_json import parse_registration_credential_json

    try:
        return parse_registration_credential_json(credential)
    except _unparsable() as exc:
        raise refused(Flow.REGISTRATION, exc) from None


@dataclass(frozen=True)
class NewPasskey:
    """A verified registration, as it is stored."""

    credential_id: str
    public_key: bytes
    sign_count: int
    aaguid: str
    transports: list[str]
    backup_eligible: bool
    backed_up: bool


def registration_verify(credential: "RegistrationCredential", *, challenge: bytes) -> NewPasskey:
    """Check a registration against its challenge, the origins and the RP ID, with user
    verification required; `PasskeyRefused` (400) if anything is off."""
    from webauthn import verify_registration_response
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.structs import CredentialDeviceType

    rp_id, _, origins = relying_party()
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            require_user_verification=True,
        )
    except _unparsable() as exc:
        raise refused(Flow.REGISTRATION, exc) from None
    return NewPasskey(
        credential_id=bytes_to_base64url(verified.credential_id),
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        aaguid=verified.aaguid,
        transports=[transport.value for transport in credential.response.transports or []],
        backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
        backed_up=verified.credential_backed_up,
    )


# --- Assertions (login, second factor, step-up) -----------------------------------------------


def authentication_options(*, challenge: bytes, allow) -> dict:
    """`PublicKeyCredentialRequestOptionsJSON` with user verification required; `allow` empty
    lets the browser offer any passkey of this RP (a discoverable one: conditional UI)."""
    from webauthn import generate_authentication_options
    from webauthn.helpers.options_to_json_dict import options_to_json_dict
    from webauthn.helpers.structs import UserVerificationRequirement

    rp_id, _, _ = relying_party()
    options = generate_authentication_options(
        rp_id=rp_id,
        challenge=challenge,
        timeout=_timeout_ms(),
        allow_credentials=descriptors(allow),
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json_dict(options)


def parse_assertion(credential: dict, flow: Flow) -> "AuthenticationCredential":
    from webauthn.helpers.parse_authentication_credential_json import parse_authentication_credential_json

    try:
        return parse_authentication_credential_json(credential)
    except _unparsable() as exc:
        raise refused(flow, exc) from None


def credential_id_of(credential: "AuthenticationCredential") -> str:
    """The credential id an assertion names, as stored."""
    from webauthn.helpers import bytes_to_base64url

    return bytes_to_base64url(credential.raw_id)


@dataclass(frozen=True)
class Assertion:
    """A verified assertion: the authenticator's counter now, and whether it is backed up."""

    sign_count: int
    backed_up: bool


def assertion_verify(
    credential: "AuthenticationCredential",
    *,
    passkey: Passkey,
    user_handle: str,
    challenge: bytes,
    flow: Flow,
) -> Assertion:
    """Check an assertion of `passkey` against its challenge, the origins and the RP ID, with
    user verification required; `PasskeyRefused` if anything is off. The counter is the
    caller's to compare: the library is handed 0, so that a counter that went backwards is
    told apart from a bad signature."""
    from webauthn import base64url_to_bytes, verify_authentication_response

    rp_id, _, origins = relying_party()
    handle = credential.response.user_handle
    # A discoverable passkey names its account too: it must be the one the credential is of.
    if handle and handle != base64url_to_bytes(user_handle):
        raise refused(flow, "user handle is not the passkey owner's")
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origins,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=0,
            require_user_verification=True,
        )
    except _unparsable() as exc:
        raise refused(flow, exc) from None
    return Assertion(sign_count=verified.new_sign_count, backed_up=verified.credential_backed_up)
