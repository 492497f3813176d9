"""Bearer authentication with this project's sessions, and its OpenAPI security scheme."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from api.sessions.services import token_user, user_may_use_token


class JWTAuthentication(authentication.JWTAuthentication):
    """SimpleJWT's Bearer authentication that also honours revocation and deactivation.

    Every token failure is a 401 with `code: token_not_valid`, the one code a client's
    refresh interceptor has to know.
    """

    def get_user(self, validated_token):
        user = token_user(validated_token)
        try:
            user_may_use_token(validated_token, user=user)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc
        return user


class JWTScheme(SimpleJWTScheme):
    """The project's subclass of SimpleJWT's authentication documents as the same Bearer scheme."""

    # Declared beside the class it describes, so importing the authentication registers it.
    target_class = "api.sessions.authentication.JWTAuthentication"
