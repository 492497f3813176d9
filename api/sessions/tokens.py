"""Token classes: SimpleJWT's, with the claims this project's revocation rules rely on.

Every token carries `ver` (the user's token version when it was issued); refresh tokens, and
the access tokens derived from them, carry `fam` (the login session they belong to). With an
asymmetric algorithm, every token's header names its public key (`kid`), which
`/.well-known/jwks.json` publishes.
"""

import base64
import functools
import hashlib
import json
import time
from collections import OrderedDict
from datetime import timedelta
from typing import Any

import jwt
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt import backends, tokens
from rest_framework_simplejwt import settings as simplejwt_settings
from rest_framework_simplejwt.exceptions import TokenBackendExpiredToken

VERSION_CLAIM = "ver"
FAMILY_CLAIM = "fam"

# RFC 7638, section 3.2: the members of each key type that its thumbprint covers.
_THUMBPRINT_MEMBERS = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y")}


def jwt_setting(name: str):
    # SimpleJWT rebuilds its settings object when Django settings change; going through the
    # module (rather than a name bound at import) always sees the current one.
    return getattr(simplejwt_settings.api_settings, name)


# --- Keys -----------------------------------------------------------------------------------


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """The RFC 7638 thumbprint of a public JWK: SHA-256 of its required members, base64url."""
    required = {name: jwk[name] for name in _THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def public_jwk() -> dict[str, str] | None:
    """The public key that verifies tokens, as a JWK with its `kid`; None for HS256."""
    jwk = _public_jwk(jwt_setting("ALGORITHM"), jwt_setting("VERIFYING_KEY"))
    return None if jwk is None else dict(jwk)


@functools.lru_cache(maxsize=8)
def _public_jwk(algorithm: str, verifying_key: str) -> dict[str, str] | None:
    if algorithm.startswith("HS"):
        return None
    signer = jwt.get_algorithm_by_name(algorithm)
    full = signer.to_jwk(signer.prepare_key(verifying_key), as_dict=True)
    jwk = {name: full[name] for name in _THUMBPRINT_MEMBERS[full["kty"]]}
    return {**jwk, "kid": jwk_thumbprint(jwk), "alg": algorithm, "use": "sig"}


class TokenBackend(backends.TokenBackend):
    """SimpleJWT's backend that names the signing key in a `kid` header, as verifiers expect.

    Verifiers that fetch `/.well-known/jwks.json` (PyJWT's `PyJWKClient`, API gateways) pick
    the key by `kid`; SimpleJWT's own backend writes no header of its own.
    """

    # Verified tokens kept per process, the oldest dropped first. A client sends one access
    # token with every request for its whole lifetime, and checking the signature and parsing
    # the claims again cost more than the rest of authentication (profiled on the notes list).
    verified_cache_size = 1024

    def __init__(self, *args, key_id: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.key_id = key_id
        self._verified: OrderedDict[str | bytes, dict[str, Any]] = OrderedDict()

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
    return _token_backend(
        jwt_setting("ALGORITHM"),
        jwt_setting("SIGNING_KEY"),
        jwt_setting("VERIFYING_KEY"),
        # A list is not hashable; the cache key needs the same audiences as a tuple.
        tuple(audience) if isinstance(audience, list) else audience,
        jwt_setting("ISSUER"),
        jwt_setting("JWK_URL"),
        jwt_setting("LEEWAY"),
        jwt_setting("JSON_ENCODER"),
    )


@functools.lru_cache(maxsize=8)
def _token_backend(algorithm, signing_key, verifying_key, *options) -> TokenBackend:
    jwk = _public_jwk(algorithm, verifying_key)
    return TokenBackend(
        algorithm, signing_key, verifying_key, *options, key_id=None if jwk is None else jwk["kid"]
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

    def verify(self) -> None:
        # Skip the blacklist look-up of SimpleJWT's mixin: the session row is read on every
        # refresh anyway and is the single source of truth for which token may be used.
        tokens.Token.verify(self)


class UntypedToken(_ProjectBackend, tokens.UntypedToken):
    """A token of either type, checked for signature and expiry only (`/api/token/verify/`)."""
