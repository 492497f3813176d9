"""The check of a provider's ID token (OpenID Connect Core 1.0, section 3.1.3.7), through
joserfc (the signature) and Authlib (the claims): signed by a key of the provider's JWK Set
named by its `kid`, with an allowed asymmetric algorithm (never `none` or a shared-secret HS*);
`iss` the provider's issuer exactly (for a multi-tenant endpoint, `api.oidc.tenants`: its
template with the token's own `tid`, a tenant of OIDC_<NAME>_TENANTS if set); `aud` containing
this server's client id, with `azp` that client id when there are several audiences; not
expired; issued not in the future nor long ago; `nonce` the flow's."""

import time

from api.oidc import tenants
from api.oidc.errors import IdTokenInvalid, TenantNotAllowed
from api.oidc.providers import Provider, metadata, signing_keys

ALGORITHMS = ("RS256", "ES256", "PS256")
# Seconds of clock difference allowed with the provider.
LEEWAY = 60
# An ID token is issued for the code exchange that fetches it: an older one is a replay.
MAX_AGE = 600
# What `amr` values (RFC 8176) or `acr` say the provider checked more than one factor.
MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "fpt", "face", "iris", "retina", "vbm", "sc"})
MFA_ACR = frozenset({"http://schemas.openid.net/pape/policies/2007/06/multi-factor", "mfa", "aal2", "aal3"})


def verified_claims(*, provider: Provider, raw: str, nonce: str) -> dict:
    """The claims of `raw` if it is the provider's ID token for this flow; `IdTokenInvalid` if not."""
    # Imported at the first sign-in, not at startup: a server with no provider pays nothing
    # for the JOSE libraries (about 3 MiB in each worker).
    from authlib.oidc.core import CodeIDToken
    from joserfc import jws, jwt
    from joserfc.errors import JoseError

    try:
        header = jws.extract_compact(raw.encode()).headers()
    except (JoseError, ValueError, TypeError, AttributeError):
        raise IdTokenInvalid() from None
    kid = header.get("kid")
    if header.get("alg") not in ALGORITHMS or not (kid is None or isinstance(kid, str)):
        raise IdTokenInvalid()
    keys = signing_keys(provider, kid=kid)
    try:
        token = jwt.decode(raw, keys, algorithms=list(ALGORITHMS))
        issuer = _issuer_expected(provider, token.claims, key=keys.get_by_kid(kid) if kid else None)
        claims = CodeIDToken(
            token.claims,
            token.header,
            options={
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "value": provider.client_id},
                "sub": {"essential": True},
                "nonce": {"essential": True},
            },
            params={"nonce": nonce, "client_id": provider.client_id},
        )
        claims.validate(leeway=LEEWAY)
    except (JoseError, ValueError, TypeError):
        raise IdTokenInvalid() from None
    issued_at = claims.get("iat")
    now = time.time()
    if not isinstance(issued_at, int | float) or not now - MAX_AGE <= issued_at <= now + LEEWAY:
        raise IdTokenInvalid()
    if not isinstance(claims.get("sub"), str) or not 0 < len(claims["sub"]) <= 255:
        raise IdTokenInvalid()
    # Last: only a token that verifies tells which tenant it is of.
    if provider.tenants and claims.get("tid") not in provider.tenants:
        raise TenantNotAllowed()
    return dict(claims)


def _issuer_expected(provider: Provider, claims: dict, *, key) -> str:
    """The `iss` the token must name: the issuer, or if discovery named the `{tenantid}`
    template (`providers.metadata` accepts it only for a multi-tenant issuer) the template
    with the token's `tid`, which must be a tenant id: another tenant's `iss` is refused.
    Entra's multi-tenant key sets say which issuer a key signs for (`issuer`, the template or
    one tenant's, for an application's own key): a key of another tenant's is refused too."""
    published = metadata(provider)["issuer"]
    if published == provider.issuer:
        return provider.issuer
    if not tenants.is_tenant_id(claims.get("tid")):
        raise IdTokenInvalid()
    issuer = tenants.issuer_of(published, claims["tid"])
    if key is not None and key.get("issuer") not in (None, published, issuer):
        raise IdTokenInvalid()
    return issuer


def signed_in_since(claims: dict, *, started: float) -> bool:
    """Whether the ID token says its user signed in at the provider (`auth_time`) after
    `started`, give or take the clock difference, and not in the future. OpenID Connect Core
    1.0, section 3.1.2.1: with `max_age` asked, `auth_time` is required."""
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int | float) or isinstance(auth_time, bool):
        return False
    return started - LEEWAY <= auth_time <= time.time() + LEEWAY


def provider_checked_mfa(claims: dict) -> bool:
    """Whether the ID token says the provider checked a second factor (`amr` or `acr`)."""
    amr = claims.get("amr")
    methods = {value for value in amr if isinstance(value, str)} if isinstance(amr, list) else set()
    return bool(methods & MFA_AMR) or claims.get("acr") in MFA_ACR
