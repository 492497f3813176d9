"""The app's models, one module per domain; every domain imports them from here.

Shared by all domains (README, "Code map"), so no module of this package imports a domain's
package but `core`.
"""

from api.models.accounts import USERNAME_CLASH_MESSAGES, User, UsernameKey
from api.models.core import USER_AGENT_MAX_LENGTH, LimitCount, OutboxMessage, SecurityEvent
from api.models.dpop import DpopProofUse
from api.models.mfa import MfaChallenge, RecoveryCode, TotpDevice
from api.models.notes import Note
from api.models.oidc import OidcFlow, OidcIdentity, OidcLoginCode, OidcPurpose
from api.models.passkeys import Passkey, PasskeyChallenge
from api.models.sessions import TokenFamily

__all__ = [
    "USERNAME_CLASH_MESSAGES",
    "USER_AGENT_MAX_LENGTH",
    "DpopProofUse",
    "LimitCount",
    "MfaChallenge",
    "Note",
    "OidcFlow",
    "OidcIdentity",
    "OidcLoginCode",
    "OidcPurpose",
    "OutboxMessage",
    "Passkey",
    "PasskeyChallenge",
    "RecoveryCode",
    "SecurityEvent",
    "TokenFamily",
    "TotpDevice",
    "User",
    "UsernameKey",
]
