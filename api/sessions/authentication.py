"""Bearer authentication with this project's sessions, and its OpenAPI security scheme.

The checks every authenticated request makes live here; `services` uses the same ones when a
refresh or verify request presents a token.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from api.models import User
from api.sessions.selectors import user_and_session
from api.sessions.tokens import FAMILY_CLAIM, VERSION_CLAIM, jwt_setting


def token_user(token) -> User:
    """The user an access token acts for; `TokenError` unless it may still act.

    The user must exist, be active and not have revoked the token (`user_may_use_token`), and
    the token's session must be live: ending a session ends its access tokens at once.
    """
    user, session_live = user_and_session(token.get(jwt_setting("USER_ID_CLAIM")), token.get(FAMILY_CLAIM))
    user_may_use_token(token, user=user)
    if not session_live:
        raise TokenError(_("Session has ended"))
    return user


def user_may_use_token(token, *, user: User | None) -> None:
    """Raise `TokenError` if the token's user is gone, inactive or has revoked the token."""
    if user is None:
        raise TokenError(_("User not found"))
    if not user.is_active:
        raise TokenError(_("User is inactive"))
    if token.get(VERSION_CLAIM) != user.token_version:
        raise TokenError(_("Token has been revoked"))


class JWTAuthentication(authentication.JWTAuthentication):
    """SimpleJWT's Bearer authentication that also honours revocation and deactivation.

    Every token failure is a 401 with `code: token_not_valid`, the one code a client's
    refresh interceptor has to know.
    """

    def get_user(self, validated_token):
        try:
            return token_user(validated_token)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc


class JWTScheme(SimpleJWTScheme):
    """The project's subclass of SimpleJWT's authentication documents as the same Bearer scheme."""

    # Declared beside the class it describes, so importing the authentication registers it.
    target_class = "api.sessions.authentication.JWTAuthentication"
