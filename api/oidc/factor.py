"""Step-up through a provider as `api.sessions.second_factor` asks for it: the one-time code of
a step-up flow (`POST /api/user/reauthenticate/oidc/`) that the caller started in this session.
Registered at startup by `api.apps`, beside the TOTP factor and passkeys."""

from api.models import User
from api.oidc import services


class ProviderFactor:
    def provider_code_use(self, *, user: User, session_id: str, code: object) -> None:
        services.reauth_code_spend(user=user, session_id=session_id, code=code)
