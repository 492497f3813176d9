"""The answers of two-factor calls that go wrong (docs/mfa.md lists their codes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class MfaTokenInvalid(exceptions.AuthenticationFailed):
    """401 at the second step: the `mfa_token` is not one, has expired, was used, took too many
    wrong codes, or its account changed (password, TOTP turned off). Only a new login helps."""

    default_detail = _("This login has expired or ended; log in again.")
    default_code = "mfa_token_invalid"


class WrongLoginCode(exceptions.AuthenticationFailed):
    """401 at the second step: the code is not good (wrong, already used, or out of its window)."""

    default_detail = _("Wrong or already used code.")
    default_code = "invalid_code"
    # A failed credential check (`api.sessions.credentials`).
    counts_as_failure = True


class WrongCode(exceptions.APIException):
    """400 where a signed-in caller proves the second factor: the code is not good."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Wrong or already used code.")
    default_code = "invalid_code"
    counts_as_failure = True


class MfaAlreadyEnabled(exceptions.APIException):
    """409: TOTP is already on; turn it off first to set up another authenticator."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Two-factor login is already on; turn it off first to set up another app.")
    default_code = "mfa_already_enabled"


class MfaNotEnabled(exceptions.APIException):
    """400: the call needs TOTP on, and it is off."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Two-factor login is not on.")
    default_code = "mfa_not_enabled"


class MfaSetupNotStarted(exceptions.APIException):
    """400: no pending setup to confirm (never started, or started too long ago)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("No two-factor setup is waiting for a code: start one first.")
    default_code = "mfa_setup_not_started"
