"""The answers of OpenID Connect calls that go wrong (docs/api.md, "Errors", lists their codes)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status

# Seconds a client should wait before trying a provider that did not answer again.
PROVIDER_RETRY_AFTER = 30


class ProviderUnknown(exceptions.NotFound):
    """404: no provider of that name is configured (OIDC_PROVIDERS)."""

    default_detail = _("No sign-in provider of that name is configured.")
    default_code = "oidc_provider_unknown"


class ProviderUnavailable(exceptions.APIException):
    """503: the provider did not answer in time, or not as an OpenID provider does (discovery
    for another issuer, no JSON, a server error); `wait` becomes a Retry-After header."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The sign-in provider cannot be reached; try again in a moment.")
    default_code = "oidc_provider_unavailable"
    wait = PROVIDER_RETRY_AFTER


class StateInvalid(exceptions.APIException):
    """400: the callback's `state` names no login this server started (or another provider's)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This sign-in is unknown; start again.")
    default_code = "oidc_state_invalid"


class StateUsed(exceptions.APIException):
    """400: the callback's `state` finished a sign-in already: a replay."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This sign-in was finished already; start again.")
    default_code = "oidc_state_used"


class StateExpired(exceptions.APIException):
    """400: the provider sent the browser back after OIDC_FLOW_MAX_AGE."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This sign-in took too long; start again.")
    default_code = "oidc_state_expired"


class BrowserMismatch(exceptions.APIException):
    """400: the browser at the callback is not the one that started the sign-in (its cookie is
    missing or another's)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This sign-in was started in another browser; start again here.")
    default_code = "oidc_browser_mismatch"


# The error codes a provider may send back instead of a code (RFC 6749, section 4.1.2.1; OpenID
# Connect Core 1.0, section 3.1.2.6). Only these are passed on to the frontend: the redirect back
# is the browser's, and anyone can put any text in its `error` and `error_description`.
PROVIDER_ERRORS = frozenset(
    {
        "access_denied",
        "invalid_request",
        "invalid_scope",
        "server_error",
        "temporarily_unavailable",
        "unauthorized_client",
        "unsupported_response_type",
        "interaction_required",
        "login_required",
        "account_selection_required",
        "consent_required",
        "invalid_request_uri",
        "invalid_request_object",
        "request_not_supported",
        "request_uri_not_supported",
        "registration_not_supported",
    }
)


class ProviderRefused(exceptions.APIException):
    """400: the provider sent back an error instead of a code, or refused to exchange the code
    (a wrong PKCE verifier, a used or expired code). `provider_error` is the provider's own
    error code if it is one of PROVIDER_ERRORS, else None; never in the JSON answer."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The sign-in provider did not sign you in; start again.")
    default_code = "oidc_provider_refused"

    def __init__(self, detail=None, code=None, *, provider_error: object = None) -> None:
        super().__init__(detail, code)
        self.provider_error = (
            provider_error if isinstance(provider_error, str) and provider_error in PROVIDER_ERRORS else None
        )


class IdTokenInvalid(exceptions.APIException):
    """400: the provider's ID token does not verify: signature, algorithm, issuer, audience,
    authorized party, expiry, issue time or nonce."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The sign-in provider's answer could not be verified; start again.")
    default_code = "oidc_id_token_invalid"


class TenantNotAllowed(exceptions.PermissionDenied):
    """403: a multi-tenant provider's ID token is of a tenant OIDC_<NAME>_TENANTS does not list."""

    default_detail = _("Accounts of your organization cannot sign in here.")
    default_code = "oidc_tenant_not_allowed"


class LoginCodeInvalid(exceptions.AuthenticationFailed):
    """401: the one-time code is unknown, used or expired: sign in with the provider again."""

    default_detail = _("This sign-in code is unknown, used or expired; sign in again.")
    default_code = "oidc_code_invalid"


class SignupClosed(exceptions.PermissionDenied):
    """403: no account here has this provider account, and OIDC_SIGNUP is off."""

    default_detail = _("No account here is linked to this provider account; sign in and link it first.")
    default_code = "oidc_signup_closed"


class LinkRequired(exceptions.PermissionDenied):
    """403: an account here has the provider account's (verified) email, but is not linked to it:
    log in to that account and link the provider from it; never linked silently."""

    default_detail = _(
        "An account with this email exists: log in to it and link this provider from your account."
    )
    default_code = "oidc_link_required"


class IdentityTaken(exceptions.APIException):
    """409: this provider account logs in to another account already."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This provider account is linked to another account.")
    default_code = "oidc_identity_taken"


# --- Step-up through a provider -------------------------------------------------------------


class NoIdentity(exceptions.APIException):
    """400: step-up through a provider the caller has no linked account at."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("Your account is not linked to an account at this provider.")
    default_code = "oidc_no_identity"


class IdentityMismatch(exceptions.APIException):
    """400 at the callback of a step-up: the provider signed in a provider account that is not
    one the account that asked has linked. A failed credential check (`api.sessions.credentials`)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The provider signed in another account than yours; sign in there as yourself.")
    default_code = "oidc_identity_mismatch"
    counts_as_failure = True


class LoginNotFresh(exceptions.APIException):
    """400 at the callback of a step-up: the ID token has no `auth_time`, or the provider says
    its user signed in before the step-up started (it did not ask for the credentials again)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The provider did not ask you to sign in again; start again.")
    default_code = "oidc_login_not_fresh"
    counts_as_failure = True


class ReauthCodeInvalid(exceptions.APIException):
    """400 at `POST /api/user/reauthenticate/`: the step-up code is unknown, used, expired, of
    another purpose, account or session. A failed credential check, as a wrong password is."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This step-up code is unknown, used or expired; sign in with the provider again.")
    default_code = "oidc_code_invalid"
    counts_as_failure = True
