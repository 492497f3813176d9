"""How the OpenAPI schema documents the token endpoints and refresh cookie mode: the cookie set
on login and refresh, the cookie and CSRF header that refresh and logout read, their error codes,
and `/api/csrf/`.

The cookie's name is a setting (`JWT_REFRESH_COOKIE_NAME`); the schema shows the default.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers

from api.core.schema_errors import error
from api.sessions.serializers import TokenPairSerializer

_COOKIE_MODE = 'With `JWT_REFRESH_COOKIE` on (cookie mode; docs/security.md, "Refresh cookie mode")'

SET_COOKIE = OpenApiParameter(
    "Set-Cookie",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description=(
        f"{_COOKIE_MODE}: `refresh_token=<refresh token>; Max-Age=<its remaining life>; "
        "Path=/api/token/; HttpOnly; Secure; SameSite=Lax` (name, Secure and SameSite as configured), "
        "and the refresh token is never in the body. Set again at every rotation."
    ),
)

REFRESH_COOKIE = OpenApiParameter(
    "refresh_token",
    OpenApiTypes.STR,
    OpenApiParameter.COOKIE,
    required=False,
    description=(
        f"{_COOKIE_MODE}: the refresh token the login or the last refresh set, used when the "
        "body has no `refresh`. Ignored otherwise."
    ),
)

CSRF_HEADER = OpenApiParameter(
    "X-CSRFToken",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        f"{_COOKIE_MODE}: required, the `csrf_token` of `GET /api/csrf/` (whose `csrftoken` cookie "
        "must come along). The request must also carry an `Origin` (or a `Referer`) that is one of "
        "`CORS_ALLOWED_ORIGINS` or the API's own."
    ),
)

_ORIGIN_CODES = (
    "`origin_missing` (neither Origin nor Referer) or `origin_not_allowed` (an origin that is "
    "neither the API's nor one of `CORS_ALLOWED_ORIGINS`)"
)

CSRF_REFUSED = error(
    "csrf_failed",
    "origin_missing",
    "origin_not_allowed",
    description=(
        f"{_COOKIE_MODE} only. Code `csrf_failed` (no `X-CSRFToken`, or one that does not match the "
        f"`csrftoken` cookie), {_ORIGIN_CODES}."
    ),
)

# A token endpoint's answer to a DPoP proof that does not hold (RFC 9449 section 5).
DPOP_REFUSED = error(
    "invalid_dpop_proof",
    "use_dpop_nonce",
    description=(
        "Field errors, or code `invalid_dpop_proof`: the `DPoP` proof does not hold, or the session "
        "is bound to another key; `use_dpop_nonce` (with DPOP_NONCE on): sign it again with the "
        "answer's `DPoP-Nonce`. Nothing is issued or ended."
    ),
)

# The answer of a refresh or logout whose token no longer works (expired, revoked, spent).
TOKEN_REFUSED = error("token_not_valid", description="Code `token_not_valid`: log in again.")

_MFA_TOKEN = {
    "type": "string",
    "description": (
        "Only with code `mfa_required`: send it with a code to `POST /api/token/mfa/` within "
        "MFA_TOKEN_LIFETIME seconds (default 300)."
    ),
}

LOGIN_SCHEMA = extend_schema(
    parameters=[SET_COOKIE],
    description=(
        "Log in: an access token and a refresh token. "
        f"{_COOKIE_MODE}, the answer is `{{access}}` and the refresh token is in the `Set-Cookie` "
        f"header; a request that is not from an allowed origin is refused with 403, code {_ORIGIN_CODES}."
    ),
    responses={
        200: TokenPairSerializer,
        400: DPOP_REFUSED,
        401: error(
            "no_active_account",
            "mfa_required",
            properties={"mfa_token": _MFA_TOKEN},
            description=(
                "Code `no_active_account`: wrong username or password. Code `mfa_required`: the "
                "password is right and the account has two-factor login on, so no tokens yet: the "
                "body's `mfa_token` and a TOTP or recovery code go to `POST /api/token/mfa/` "
                "(docs/mfa.md)."
            ),
        ),
        403: error(
            "email_not_verified",
            "origin_missing",
            "origin_not_allowed",
            description=(
                "Code `email_not_verified`: the password is right, but the account's email is not "
                "verified yet (only with REQUIRE_EMAIL_VERIFICATION on). "
                f"{_COOKIE_MODE} also {_ORIGIN_CODES}."
            ),
        ),
    },
)

REFRESH_SCHEMA = extend_schema(
    parameters=[REFRESH_COOKIE, CSRF_HEADER, SET_COOKIE],
    description=(
        "Exchange a refresh token for a new access token and, with rotation, a new refresh token. "
        f"{_COOKIE_MODE}, the refresh token comes from the body or else the cookie, the answer is "
        "`{access}` and the new refresh token is in the `Set-Cookie` header."
    ),
    responses={200: TokenPairSerializer, 400: DPOP_REFUSED, 401: TOKEN_REFUSED, 403: CSRF_REFUSED},
)

LOGOUT_SCHEMA = extend_schema(
    parameters=[REFRESH_COOKIE, CSRF_HEADER],
    description=(
        "Log out one session: every refresh token of its login stops working. "
        f"{_COOKIE_MODE}, the refresh token comes from the body or else the cookie, and the "
        "answer (200, or 401 for a token that no longer works) clears the cookie."
    ),
    responses={
        200: {"type": "object", "properties": {}},
        400: DPOP_REFUSED,
        401: TOKEN_REFUSED,
        403: CSRF_REFUSED,
    },
)

CSRF_TOKEN_RESPONSE = inline_serializer("CsrfToken", fields={"csrf_token": serializers.CharField()})
