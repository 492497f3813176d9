"""The `mfa_token` of a login waiting for its second factor, and how wrong codes count toward the
account's failed-login limit (`LOGIN_FAILURE_RATE`, `api.sessions.throttles`).

The token is a JWT of its own type (`api.sessions.tokens.MfaToken`), signed like every other
token and good for `MFA_TOKEN_LIFETIME` seconds. It names the user, the user's token version
(a password change or reset kills it), and the `MfaChallenge` row that counts its wrong codes.
"""

import uuid
from dataclasses import dataclass

from rest_framework_simplejwt.exceptions import TokenError

from api.sessions.login_devices import device_for, login_name_key
from api.sessions.throttles import LoginFailureThrottle
from api.sessions.tokens import VERSION_CLAIM, MfaToken, jwt_setting

CHALLENGE_CLAIM = "mfc"
# The digest of the account's name that the failed-login limit counts under
# (`login_devices.login_name_key`): the second step is limited before any database query.
NAME_KEY_CLAIM = "nk"


@dataclass(frozen=True)
class MfaClaims:
    """What a valid `mfa_token` says."""

    user_id: int
    token_version: int
    challenge_id: uuid.UUID
    name_key: str


def mfa_token_for(*, user, challenge_id: uuid.UUID) -> MfaToken:
    """A new `mfa_token` for `user`'s waiting login `challenge_id` (its expiry: `token["exp"]`)."""
    token = MfaToken()
    token[jwt_setting("USER_ID_CLAIM")] = str(user.pk)
    token[VERSION_CLAIM] = user.token_version
    token[CHALLENGE_CLAIM] = str(challenge_id)
    token[NAME_KEY_CLAIM] = login_name_key(user.username)
    return token


def mfa_claims(raw: object) -> MfaClaims | None:
    """The claims of a valid, unexpired `mfa_token`; None for anything else (any other token)."""
    if not isinstance(raw, str) or not raw:
        return None
    try:
        token = MfaToken(raw)
        claims = MfaClaims(
            user_id=int(token[jwt_setting("USER_ID_CLAIM")]),
            token_version=int(token[VERSION_CLAIM]),
            challenge_id=uuid.UUID(str(token[CHALLENGE_CLAIM])),
            name_key=str(token[NAME_KEY_CLAIM]),
        )
    except (TokenError, KeyError, TypeError, ValueError):
        return None
    return claims


def _failure_cache_key(throttle: LoginFailureThrottle, request, name_key: str | None) -> str | None:
    # As `LoginFailureThrottle`: per device for a client with the account's device cookie,
    # per account name otherwise. The same keys, so wrong passwords and wrong codes add up.
    if name_key is None:
        return None
    device = device_for(request, name_key)
    ident = f"device:{device.device_id}" if device else f"name:{name_key}"
    return throttle.cache_format % {"scope": throttle.scope, "ident": ident}


class MfaLoginFailureThrottle(LoginFailureThrottle):
    """The failed-login limit at the second login step: the account is the one the `mfa_token`
    names. An account at its limit cannot finish a login either; each wrong code counts."""

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        claims = mfa_claims(data.get("mfa_token") if isinstance(data, dict) else None)
        return _failure_cache_key(self, request, None if claims is None else claims.name_key)


class MfaCodeFailureThrottle(LoginFailureThrottle):
    """The failed-login limit for the signed-in caller's account, where a code proves the second
    factor (new recovery codes, turning TOTP off): a stolen access token cannot guess codes."""

    def get_cache_key(self, request, view) -> str | None:
        user = request.user
        if not user or not user.is_authenticated:
            return None
        return _failure_cache_key(self, request, login_name_key(user.username))
