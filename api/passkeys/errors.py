"""The answers of passkey calls that go wrong (docs/api.md, "Errors", lists their codes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

from api.sessions.tokens import jwt_setting


class PasskeysDisabled(exceptions.NotFound):
    """404: this server has no relying party (WEBAUTHN_RP_ID unset), so no passkey works here."""

    default_detail = _("Passkeys are not set up on this server.")
    default_code = "passkeys_disabled"


class PasskeyRefused(exceptions.APIException):
    """The passkey's answer does not verify: unknown or deleted credential, another account's,
    bad signature, wrong origin or RP ID, no user verification, a counter that went backwards.
    401 where it logs in (with the token endpoints' `WWW-Authenticate`), 400 where a signed-in
    caller proves it is them; a failed credential check either way (`api.sessions.credentials`)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = _("This passkey could not be verified; try again, or use another way to log in.")
    default_code = "passkey_invalid"
    counts_as_failure = True

    def __init__(self, detail=None, *, signed_in: bool = False) -> None:
        super().__init__(detail)
        if signed_in:
            self.status_code = status.HTTP_400_BAD_REQUEST
        else:
            self.auth_header = f'{jwt_setting("AUTH_HEADER_TYPES")[0]} realm="api"'


class PasskeyChallengeInvalid(PasskeyRefused):
    """The challenge the passkey signed is not one this server handed out for this ceremony, was
    used already, or is older than WEBAUTHN_CHALLENGE_MAX_AGE: ask for new options."""

    default_detail = _("This passkey request has expired or was already used; start again.")
    default_code = "passkey_challenge_invalid"


class PasskeyCloneSuspected(PasskeyRefused):
    """The authenticator's signature counter went backwards: two authenticators hold the same
    key. Refused, counted, and logged for the owner (`passkey_clone_suspected`)."""

    def __init__(self, *, user, signed_in: bool = False) -> None:
        super().__init__(signed_in=signed_in)
        self.user = user


class NoPasskey(exceptions.APIException):
    """400: the account has no passkey to ask for."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This account has no passkey.")
    default_code = "no_passkey"


class TooManyPasskeys(exceptions.APIException):
    """409: the account has as many passkeys as it may (`MAX_PASSKEYS`); delete one first."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This account has as many passkeys as it may have; delete one first.")
    default_code = "too_many_passkeys"


class PasskeyAlreadyRegistered(exceptions.APIException):
    """409: this authenticator's passkey is registered already."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This passkey is registered already.")
    default_code = "passkey_already_registered"
