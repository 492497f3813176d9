"""The second factor as logins and step-up ask for it (`api.sessions.second_factor`): TOTP and
recovery codes. Registered at startup by `api.apps`; another factor (passkeys) answers beside it."""

from api.mfa import codes, services
from api.models import User


class TotpFactor:
    def login_challenge(self, *, user: User) -> str | None:
        if not services.totp_enabled(user=user):
            return None
        return services.mfa_challenge_start(user=user)

    def code_use(self, *, user: User, code: str) -> None:
        services.code_use(user=user, code=code)

    def code_shape(self, code: str, *, recovery: bool) -> str | None:
        code = codes.normalised(code)
        if codes.is_totp_code(code) or (recovery and codes.is_recovery_code(code)):
            return code
        return None
