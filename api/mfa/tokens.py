"""The `mfa_token` of a login waiting for its second factor; it names the account whose failed-login
limit its wrong codes count toward (`api.sessions.credentials`).

The token is a JWT of its own type (`api.sessions.tokens.MfaToken`), signed like every other
token and good for `MFA_TOKEN_LIFETIME` seconds. It names the user, the user's token version
(a password change or reset kills it), and the `MfaChallenge` row that counts its wrong codes.
"""

import uuid
from dataclasses import dataclass

from rest_framework_simplejwt.exceptions import TokenError

from api.core.clients import spelling_key
from api.sessions.tokens import VERSION_CLAIM, MfaToken, jwt_setting

CHALLENGE_CLAIM = "mfc"
# The digest of the account's name that the failed-login limit counts under
# (`core.clients.spelling_key`): the second step is limited before any database query.
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
    token[NAME_KEY_CLAIM] = spelling_key(user.username)
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
