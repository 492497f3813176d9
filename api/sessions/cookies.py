"""Refresh cookie mode (`JWT_REFRESH_COOKIE`): the refresh token travels in an HttpOnly cookie.

Scripts on the page never see the refresh token, so cross-site scripting can steal at most an
access token that expires within minutes. Every answer that issues a refresh token sets the
cookie instead of putting the token in the body; logout clears it. The cookie is scoped to
`/api/token/`, so the browser sends it to the token endpoints only, never with other requests.

The settings are read at each request, never at import, so tests can switch the mode.
"""

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework import serializers
from rest_framework import status as http_status
from rest_framework.response import Response

from api.sessions import binding
from api.sessions.services import TokenPair
from api.sessions.tokens import RefreshToken

# The same scope as the login device cookie: only the token endpoints read it.
COOKIE_PATH = "/api/token/"
# What a cleared cookie is stamped with, as Django's `delete_cookie` does.
_EXPIRED = "Thu, 01 Jan 1970 00:00:00 GMT"


def enabled() -> bool:
    """Whether refresh tokens travel in the cookie rather than in response bodies."""
    return settings.JWT_REFRESH_COOKIE


def refresh_from_cookie(request: HttpRequest) -> str | None:
    """The refresh token the request's cookie holds, or None (also when the mode is off)."""
    if not enabled():
        return None
    return request.COOKIES.get(settings.JWT_REFRESH_COOKIE_NAME) or None


def presented_refresh(serializer: serializers.Serializer, attrs: dict) -> str:
    """The refresh token in the body or else the cookie's (which the view passes to the
    serializer as `refresh_cookie`); with neither, the field error of a required field."""
    raw = attrs.get("refresh") or serializer.context.get("refresh_cookie")
    if not raw:
        message = serializer.fields["refresh"].error_messages["required"]
        raise serializers.ValidationError({"refresh": [message]}, code="required")
    return raw


def set_refresh_cookie(response: HttpResponse, refresh: str) -> None:
    """Give the client `refresh` in the cookie, kept exactly as long as the token is valid."""
    # Signed by this server a moment ago: only its expiry is read.
    expires_at = RefreshToken(refresh, verify=False)["exp"]
    _set(response, refresh, max_age=max(0, int(expires_at - time.time())))


def clear_refresh_cookie(response: HttpResponse) -> None:
    """Remove the cookie: a browser matches the one to remove by name, path and attributes."""
    _set(response, "", max_age=0, expires=_EXPIRED)


def move_refresh_to_cookie(response: Response) -> Response:
    """In cookie mode, take `refresh` out of a token answer's body and into the cookie.

    An answer without one (a refresh with rotation off) leaves the client's cookie as it is.
    """
    if enabled() and isinstance(response.data, dict):
        refresh = response.data.pop("refresh", None)
        if refresh is not None:
            set_refresh_cookie(response, refresh)
    return response


def token_response(pair: TokenPair, status: int = http_status.HTTP_200_OK) -> Response:
    """The answer of an endpoint that logs a client in: the pair, or in cookie mode `{access}`
    with the refresh token in the cookie."""
    # The body of `TokenPairSerializer`, which lives beside the serializers that use this module.
    body = binding.with_token_type({"access": pair.access, "refresh": pair.refresh}, jkt=pair.dpop_jkt)
    return move_refresh_to_cookie(Response(body, status=status))


def _set(response: HttpResponse, value: str, *, max_age: int, expires: str | None = None) -> None:
    response.set_cookie(
        settings.JWT_REFRESH_COOKIE_NAME,
        value,
        max_age=max_age,
        expires=expires,
        path=COOKIE_PATH,
        secure=settings.JWT_REFRESH_COOKIE_SECURE,
        httponly=True,
        samesite=settings.JWT_REFRESH_COOKIE_SAMESITE,
    )
