"""The configured providers (OIDC_PROVIDERS), what their discovery documents and JWK Sets say,
and every request to them.

Discovery (`<issuer>/.well-known/openid-configuration`) and the JWK Set are cached in each
process for METADATA_MAX_AGE; a key id the cached set lacks refetches it, at most once per
KEYS_REFETCH_INTERVAL, so that a provider's key rotation is followed at once and an attacker's
made-up key ids cannot make this server hammer the provider. Requests go through
`api.core.outbound`, bounded as a whole (name lookup included) by OIDC_PROVIDER_TIMEOUT, and
follow no redirect; any failure is a 503."""

import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode, urlsplit

from django.conf import settings

from api.core import outbound
from api.oidc import tenants
from api.oidc.errors import ProviderUnavailable, ProviderUnknown

if TYPE_CHECKING:
    from joserfc.jwk import KeySet

METADATA_MAX_AGE = 3600
KEYS_REFETCH_INTERVAL = 60
# A discovery document, JWK Set or token answer is a few KiB; more is no provider's.
MAX_ANSWER_BYTES = 256 * 1024
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Provider:
    """A provider of OIDC_PROVIDERS: its name here, its issuer, this server's client there, and
    for a multi-tenant issuer the tenants whose accounts may sign in (none: any)."""

    name: str
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    display_name: str
    tenants: tuple[str, ...] = ()

    @property
    def tenant_template(self) -> str | None:
        """The issuer with `{tenantid}` a multi-tenant endpoint's discovery may name (`tenants`)."""
        return tenants.template_of(self.issuer)

    def names_issuer(self, issuer: str) -> bool:
        """Whether an ID token's `iss` may be `issuer`: the issuer, or one tenant's of its template."""
        template = self.tenant_template
        return issuer == self.issuer or (template is not None and tenants.names_a_tenant(template, issuer))


def providers() -> list[Provider]:
    """Every configured provider, in the order OIDC_PROVIDERS names them."""
    return [provider_named(name) for name in settings.OIDC_PROVIDERS]


def provider_named(name: str) -> Provider:
    """The provider of that name; `ProviderUnknown` (404) for any other name."""
    config = settings.OIDC_PROVIDERS.get(name)
    if config is None:
        raise ProviderUnknown()
    return Provider(
        name=name,
        **{**config, "scopes": tuple(config["scopes"]), "tenants": tuple(config.get("tenants", ()))},
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _usable_url(url: object) -> bool:
    """An https:// URL (http:// only on loopback): where a provider may send this server."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    try:
        host = parts.hostname
    except ValueError:
        return False
    return bool(host) and (parts.scheme == "https" or (parts.scheme == "http" and host in _LOOPBACK))


def request_json(
    url: str, *, form: dict[str, str] | None = None, auth: str | None = None
) -> tuple[int, dict]:
    """GET `url` (POST `form`), and its status and JSON object; a 4xx is an answer, anything
    else that is not a JSON object in time is `ProviderUnavailable`."""
    headers = {"Accept": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    data = None
    if form is not None:
        data = urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if not _usable_url(url):
        raise ProviderUnavailable()
    request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310 (checked above)
    try:
        answer = outbound.fetch(
            request,
            timeout=settings.OIDC_PROVIDER_TIMEOUT,
            max_bytes=MAX_ANSWER_BYTES,
            opener=_opener,
            thread_name="oidc-provider-request",
        )
    except outbound.Unanswered:
        raise ProviderUnavailable() from None
    status, body = answer.status, answer.body
    if not 200 <= status < 500:
        raise ProviderUnavailable()
    try:
        answer = json.loads(body)
    except ValueError:
        raise ProviderUnavailable() from None
    if not isinstance(answer, dict):
        raise ProviderUnavailable()
    return status, answer


_lock = threading.Lock()
# issuer -> (fetched at, discovery document); jwks_uri -> (fetched at, key set)
_metadata: dict[str, tuple[float, dict]] = {}
_keys: dict[str, tuple[float, "KeySet"]] = {}


def forget() -> None:
    """Drop what is cached: the next login reads discovery and the JWK Set again."""
    with _lock:
        _metadata.clear()
        _keys.clear()


def metadata(provider: Provider) -> dict:
    """The provider's discovery document, for exactly its issuer (or a multi-tenant endpoint's
    `{tenantid}` template of it), with the endpoints this server uses (https://); cached for
    METADATA_MAX_AGE."""
    now = time.time()
    with _lock:
        cached = _metadata.get(provider.issuer)
    if cached is not None and now - cached[0] < METADATA_MAX_AGE:
        return cached[1]
    status, document = request_json(provider.issuer.rstrip("/") + "/.well-known/openid-configuration")
    # OpenID Connect Discovery 1.0, section 4.3: exactly the issuer asked for; Entra's
    # multi-tenant endpoints name the template of their tenants' issuers instead.
    issuers = [issuer for issuer in (provider.issuer, provider.tenant_template) if issuer]
    if (
        status != 200
        or document.get("issuer") not in issuers
        or not all(
            _usable_url(document.get(k)) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        )
    ):
        raise ProviderUnavailable()
    with _lock:
        _metadata[provider.issuer] = (now, document)
    return document


def signing_keys(provider: Provider, *, kid: str | None) -> "KeySet":
    """The provider's JWK Set, refetched when it lacks `kid` (a rotation) unless it was fetched
    less than KEYS_REFETCH_INTERVAL ago, or when older than METADATA_MAX_AGE."""
    # At first use, as in `id_tokens`: no provider, no JOSE library in memory.
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    uri = metadata(provider)["jwks_uri"]
    now = time.time()
    with _lock:
        cached = _keys.get(uri)
    if cached is not None:
        fetched_at, keys = cached
        fresh = now - fetched_at < METADATA_MAX_AGE
        known = kid is None or any(key.kid == kid for key in keys)
        if fresh and (known or now - fetched_at < KEYS_REFETCH_INTERVAL):
            return keys
    status, document = request_json(uri)
    try:
        if status != 200:
            raise ValueError(status)
        keys = KeySet.import_key_set(document)
    except (JoseError, ValueError, TypeError, KeyError):
        raise ProviderUnavailable() from None
    with _lock:
        _keys[uri] = (now, keys)
    return keys
