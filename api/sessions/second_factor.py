"""What a login and a step-up ask of the second factor, and the login's answer while a code is due.

The second factor lives in `api.mfa`, which builds on sessions: it starts the session a two-step
login ends in, signs its `mfa_token` as every token is signed, and counts wrong codes in the
failed-credential limit. So sessions does not import it; `api.apps` registers `api.mfa`'s
answers here at startup, and sessions asks only through this module. Passkeys (`api.passkeys`,
which builds on both) answer the step-up's passkey question the same way, and sign-in with a
provider (`api.oidc`) the step-up's question of a provider's code. Until something is
registered, every question fails loudly: a login never passes for want of an answer.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from api.models import User
from api.sessions.tokens import jwt_setting


class SecondFactor(Protocol):
    def login_challenge(self, *, user: User) -> str | None:
        """The `mfa_token` of a login of `user` (password right) that needs a code; None if none."""

    def code_use(self, *, user: User, code: str) -> None:
        """Spend a code of `user` as proof of the second factor; raise the answer if not good."""

    def code_shape(self, code: str, *, recovery: bool) -> str | None:
        """`code` as compared, if it has the shape of an app's code (or, with `recovery`, of a
        recovery code); None if not."""


class PasskeyProof(Protocol):
    def passkey_use(self, *, request, user: User, credential: object) -> None:
        """Verify `credential`, the browser's answer to step-up options, as a passkey of `user`;
        raise the answer (a field error, or a failure counted by the caller) if not good."""


class ProviderProof(Protocol):
    def provider_code_use(self, *, user: User, session_id: str, code: object) -> None:
        """Spend `code`, the one-time code of a step-up at a provider that `user` started in the
        session `session_id`; raise a failure counted by the caller if it is not such a code."""


_registered: SecondFactor | None = None
_passkeys: PasskeyProof | None = None
_providers: ProviderProof | None = None


def register(factor: SecondFactor) -> None:
    global _registered
    _registered = factor


def register_passkeys(proof: PasskeyProof) -> None:
    global _passkeys
    _passkeys = proof


def register_provider_proof(proof: ProviderProof) -> None:
    global _providers
    _providers = proof


def _factor() -> SecondFactor:
    if _registered is None:
        raise ImproperlyConfigured("No second factor is registered (api.apps.ApiConfig.ready).")
    return _registered


def passkey_use(*, request, user: User, credential: object) -> None:
    if _passkeys is None:
        raise ImproperlyConfigured("No passkey check is registered (api.apps.ApiConfig.ready).")
    _passkeys.passkey_use(request=request, user=user, credential=credential)


def provider_code_use(*, user: User, session_id: str, code: object) -> None:
    if _providers is None:
        raise ImproperlyConfigured("No provider check is registered (api.apps.ApiConfig.ready).")
    _providers.provider_code_use(user=user, session_id=session_id, code=code)


def login_challenge(*, user: User) -> str | None:
    return _factor().login_challenge(user=user)


def code_use(*, user: User, code: str) -> None:
    _factor().code_use(user=user, code=code)


def code_shape(code: str, *, recovery: bool) -> str | None:
    return _factor().code_shape(code, recovery=recovery)


class MfaRequired(exceptions.APIException):
    """401 from login: the password is right, and a code must follow with the `mfa_token`.

    Not an `AuthenticationFailed`: the login view counts those as failed logins, and this is
    none. DRF sets `WWW-Authenticate` only for those, so the exception carries its own header,
    the one the token endpoints send with every 401.
    """

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("Enter the code from your authenticator app, or a recovery code.")
    default_code = "mfa_required"

    def __init__(self, *, mfa_token: str) -> None:
        # A dict detail is the body as it stands: the handler adds no `code` to it.
        super().__init__(
            {"detail": self.default_detail, "code": self.default_code, "mfa_token": mfa_token},
            self.default_code,
        )
        self.auth_header = f'{jwt_setting("AUTH_HEADER_TYPES")[0]} realm="api"'
