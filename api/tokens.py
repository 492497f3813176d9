"""Token classes: SimpleJWT's, with the claims this project's revocation rules rely on.

Every token carries `ver` (the user's token version when it was issued); refresh tokens, and
the access tokens derived from them, carry `fam` (the login session they belong to).
"""

from datetime import timedelta

from rest_framework_simplejwt import settings as simplejwt_settings
from rest_framework_simplejwt import tokens

VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"


def jwt_setting(name: str):
    # SimpleJWT rebuilds its settings object when Django settings change; going through the
    # module (rather than a name bound at import) always sees the current one.
    return getattr(simplejwt_settings.api_settings, name)


class AccessToken(tokens.AccessToken):
    """A short-lived token sent as `Authorization: Bearer <access>`."""

    @property
    def lifetime(self) -> timedelta:
        return jwt_setting("ACCESS_TOKEN_LIFETIME")


class RefreshToken(tokens.RefreshToken):
    """A refresh token whose validity is decided by its session (`api.models.TokenFamily`)."""

    access_token_class = AccessToken

    @property
    def lifetime(self) -> timedelta:
        return jwt_setting("REFRESH_TOKEN_LIFETIME")

    def verify(self) -> None:
        # Skip the blacklist look-up of SimpleJWT's mixin: the session row is read on every
        # refresh anyway and is the single source of truth for which token may be used.
        tokens.Token.verify(self)
