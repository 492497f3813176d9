"""Token classes: SimpleJWT's, with the claims this project's revocation rules rely on.

Every token carries `ver` (the user's token version when it was issued); refresh tokens, and
the access tokens derived from them, carry `fam` (the login session they belong to). Every
token's header names the key that signed it (`kid`): with an asymmetric algorithm its public
key, which `/.well-known/jwks.json` publishes; with HS256 a hash of the secret. Verification
picks the key by that name among the current key and those of a key rotation
(docs/operations.md, "Key rotation").
"""

import base64
import functools
import hashlib
import time
from collections import OrderedDict
from datetime import timedelta
from typing import Any

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import backends, tokens
from rest_framework_simplejwt import settings as simplejwt_settings
from rest_framework_simplejwt.exceptions import TokenBackendError, TokenBackendExpiredToken

from api.dpop.keys import THUMBPRINT_MEMBERS, jwk_thumbprint

VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"


# An HS256 key's `kid`: SHA-256 of this prefix and the secret, base64url, its first 16 characters
# (96 bits). A hash and never the key; the prefix keeps it apart from any other hash of the same
# secret (DJANGO_SECRET_KEY may be the key), and guessing a secret of 32 or more random characters
# from it is as hopeless as from a token's signature.
_HMAC_KEY_ID_PREFIX = b"notes-api jwt key id\n"
HMAC_KEY_ID_LENGTH = 16


def jwt_setting(name: str):
    # SimpleJWT rebuilds its settings object when Django settings change; going through the
    # module (rather than a name bound at import) always sees the current one.
    return getattr(simplejwt_settings.api_settings, name)


# --- Keys -----------------------------------------------------------------------------------


def hmac_key_id(secret: str) -> str:
    """The `kid` naming an HS256 secret (see `_HMAC_KEY_ID_PREFIX`)."""
    digest = hashlib.sha256(_HMAC_KEY_ID_PREFIX + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()[:HMAC_KEY_ID_LENGTH]


def key_id(algorithm: str, key: str) -> str:
    """The `kid` of a key that verifies tokens: HS256's secret, or RS256/ES256's PEM public key."""
    if algorithm.startswith("HS"):
        return hmac_key_id(key)
    return _public_jwk(algorithm, key)["kid"]


def public_jwk() -> dict[str, str] | None:
    """The public key that verifies tokens, as a JWK with its `kid`; None for HS256."""
    jwk = _public_jwk(jwt_setting("ALGORITHM"), jwt_setting("VERIFYING_KEY"))
    return None if jwk is None else dict(jwk)


def published_jwks() -> list[dict[str, str]]:
    """The JWK Set's keys: the next one (published ahead of use), the current one, then the
    previous ones (`JWT_NEXT_VERIFYING_KEY`, `JWT_PREVIOUS_VERIFYING_KEYS`); none for HS256."""
    algorithm = jwt_setting("ALGORITHM")
    if algorithm.startswith("HS"):
        return []
    keys = (
        settings.JWT_NEXT_VERIFYING_KEY,
        jwt_setting("VERIFYING_KEY"),
        *settings.JWT_PREVIOUS_VERIFYING_KEYS,
    )
    published: dict[str, dict[str, str]] = {}
    for key in keys:
        if key:
            jwk = _public_jwk(algorithm, key)
            published.setdefault(jwk["kid"], dict(jwk))
    return list(published.values())


@functools.lru_cache(maxsize=8)
def _public_jwk(algorithm: str, verifying_key: str) -> dict[str, str] | None:
    if algorithm.startswith("HS"):
        return None
    signer = jwt.get_algorithm_by_name(algorithm)
    full = signer.to_jwk(signer.prepare_key(verifying_key), as_dict=True)
    jwk = {name: full[name] for name in THUMBPRINT_MEMBERS[full["kty"]]}
    return {**jwk, "kid": jwk_thumbprint(jwk), "alg": algorithm, "use": "sig"}


class TokenBackend(backends.TokenBackend):
    """SimpleJWT's backend that names the signing key in a `kid` header, as verifiers expect,
    and verifies each token with the key its `kid` names.

    Verifiers that fetch `/.well-known/jwks.json` (PyJWT's `PyJWKClient`, API gateways) pick
    the key by `kid`; SimpleJWT's own backend writes no header of its own. Besides the current
    key, `other_verifying_keys` verify too (a rotation's previous keys, and the next public key,
    which other instances may already sign with). A `kid` naming none of them is refused; a
    token without one, issued before tokens named their key, is verified with the current key
    alone. Only one key is ever tried.
    """

    # Verified tokens kept per process, the oldest dropped first. A client sends one access
    # token with every request for its whole lifetime, and checking the signature and parsing
    # the claims again cost more than the rest of authentication (profiled on the notes list).
    verified_cache_size = 1024

    def __init__(
        self, *args, key_id: str | None = None, other_verifying_keys: tuple[str, ...] = (), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.key_id = key_id
        self.other_verifying_keys = other_verifying_keys
        self._verified: OrderedDict[str | bytes, dict[str, Any]] = OrderedDict()

    @functools.cached_property
    def _current_verifying_key(self) -> Any:
        if self.algorithm.startswith("HS"):
            return self.prepared_signing_key
        return self.prepared_verifying_key

    @functools.cached_property
    def _verifying_keys(self) -> dict[str, Any]:
        keys = {key_id(self.algorithm, key): self._prepare_key(key) for key in self.other_verifying_keys}
        if self.key_id is not None:
            keys[self.key_id] = self._current_verifying_key
        return keys

    def get_verifying_key(self, token: str | bytes) -> Any:
        if self.jwks_client:
            return super().get_verifying_key(token)
        # Read before the signature is checked, only to pick the key; an unparsable header is
        # SimpleJWT's "Token is invalid" (its decode turns PyJWT's errors into that).
        kid = jwt.get_unverified_header(token).get("kid")
        if kid is None:
            return self._current_verifying_key
        try:
            return self._verifying_keys[kid]
        except (KeyError, TypeError):
            raise TokenBackendError(_("Token is invalid")) from None

    def decode(self, token: str | bytes, verify: bool = True) -> dict[str, Any]:
        """SimpleJWT's decode, skipping the signature check of a token this process verified.

        Only a token whose signature held is remembered, under its exact text, so a cached
        answer is the one `jwt.decode` gave then. Expiry is checked again on every call, as
        `jwt.decode` would; the other claims it checks (`nbf`, `iat`, `aud`, `iss`) cannot
        turn invalid later. Revocation is never cached: the caller checks it every time.
        """
        if not verify:
            return super().decode(token, verify=False)
        payload = self._verified.get(token)
        if payload is None:
            payload = super().decode(token)
            self._verified[token] = payload
            if len(self._verified) > self.verified_cache_size:
                self._verified.popitem(last=False)
        elif "exp" in payload and int(payload["exp"]) <= time.time() - self.get_leeway().total_seconds():
            raise TokenBackendExpiredToken(_("Token is expired"))
        # Tokens may change their payload; the remembered one must stay as verified.
        return dict(payload)

    def encode(self, payload: dict[str, Any]) -> str:
        if self.key_id is None:
            return super().encode(payload)
        claims = payload.copy()
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        return jwt.encode(
            claims,
            self.prepared_signing_key,
            algorithm=self.algorithm,
            json_encoder=self.json_encoder,
            headers={"kid": self.key_id},
        )


def token_backend() -> TokenBackend:
    """The backend for the current settings, built once for each configuration."""
    audience = jwt_setting("AUDIENCE")
    algorithm = jwt_setting("ALGORITHM")
    next_key = "" if algorithm.startswith("HS") else settings.JWT_NEXT_VERIFYING_KEY
    return _token_backend(
        algorithm,
        jwt_setting("SIGNING_KEY"),
        jwt_setting("VERIFYING_KEY"),
        (*settings.JWT_PREVIOUS_VERIFYING_KEYS, *([next_key] if next_key else [])),
        # A list is not hashable; the cache key needs the same audiences as a tuple.
        tuple(audience) if isinstance(audience, list) else audience,
        jwt_setting("ISSUER"),
        jwt_setting("JWK_URL"),
        jwt_setting("LEEWAY"),
        jwt_setting("JSON_ENCODER"),
    )


@functools.lru_cache(maxsize=8)
def _token_backend(algorithm, signing_key, verifying_key, other_verifying_keys, *options) -> TokenBackend:
    # A new configuration (a key added or dropped) gets a new backend, so no token verified
    # with a dropped key stays remembered as valid.
    return TokenBackend(
        algorithm,
        signing_key,
        verifying_key,
        *options,
        key_id=key_id(algorithm, signing_key if algorithm.startswith("HS") else verifying_key),
        other_verifying_keys=other_verifying_keys,
    )


# --- Tokens ---------------------------------------------------------------------------------


class _ProjectBackend:
    # SimpleJWT's tokens use a backend built once at import; this one follows the settings
    # and writes the `kid` header.
    @property
    def token_backend(self) -> TokenBackend:
        return token_backend()

    def get_token_backend(self) -> TokenBackend:
        return self.token_backend


class AccessToken(_ProjectBackend, tokens.AccessToken):
    """A short-lived token sent as `Authorization: Bearer <access>`."""

    @property
    def lifetime(self) -> timedelta:
        return jwt_setting("ACCESS_TOKEN_LIFETIME")


class RefreshToken(_ProjectBackend, tokens.RefreshToken):
    """A refresh token whose validity is decided by its session (`api.models.TokenFamily`)."""

    access_token_class = AccessToken

    @property
    def lifetime(self) -> timedelta:
        return jwt_setting("REFRESH_TOKEN_LIFETIME")


class UntypedToken(_ProjectBackend, tokens.UntypedToken):
    """A token of either type, checked for signature and expiry only (`/api/token/verify/`)."""


class MfaToken(_ProjectBackend, tokens.Token):
    """What a login that needs a second factor gets instead of a pair (`mfa_token`): it names the
    waiting login (`api.models.MfaChallenge`) and is good only at `POST /api/token/mfa/`.

    Its own `token_type`, so neither Bearer authentication (access tokens only) nor refresh
    accepts it, and it accepts neither of them.
    """

    token_type = "mfa"  # noqa: S105 (a token type, not a password)

    @property
    def lifetime(self) -> timedelta:
        return timedelta(seconds=settings.MFA_TOKEN_LIFETIME)


class ReauthToken(_ProjectBackend, tokens.Token):
    """A step-up token (`POST /api/user/reauthenticate/`): proof that the caller showed a
    credential within `REAUTH_MAX_AGE` seconds, good only beside an access token of the same
    session (`api.sessions.stepup`). Its own type: no other endpoint accepts it as a token."""

    token_type = "reauth"  # noqa: S105 (a token type, not a password)

    @property
    def lifetime(self) -> timedelta:
        return timedelta(seconds=settings.REAUTH_MAX_AGE)
