"""Sign-in with OpenID Connect providers (docs/accounts.md, "Sign in with OpenID Connect"): which
providers, this server's client registration at each, where the browser goes back to the SPA,
and the account rules.

`OIDC_PROVIDERS` names the providers (`google,keycloak`); each name NAME has its own
`OIDC_<NAME>_ISSUER`, `_CLIENT_ID`, `_CLIENT_SECRET`, `_SCOPES` and `_DISPLAY_NAME`, and with a
multi-tenant Entra issuer `_TENANTS` (`api.oidc.tenants`). Nothing is fetched here: the
issuer's discovery document is read at the first login, and cached.
"""

import re
from urllib.parse import urlsplit

from api.oidc import tenants
from backend.settings.base import DEBUG, env

# In the callback's path (`/api/oidc/<name>/callback/`) and in the variables' names.
_NAME = re.compile(r"[a-z][a-z0-9]{0,31}")
# Loopback needs no TLS: nothing on the network sits between the server and it.
_LOOPBACK = ("localhost", "127.0.0.1", "::1")

OIDC_PROVIDERS_NAMED = env.names("OIDC_PROVIDERS", [])
# Where the callback sends the browser back, with a one-time code (`?code=`) or an error
# (`?error=`): the SPA's page that posts the code to POST /api/token/oidc/.
OIDC_FRONTEND_CALLBACK_URL = env.str(
    "OIDC_FRONTEND_CALLBACK_URL", "http://localhost:5173/oidc/callback" if DEBUG else ""
)
# Off: a provider account that no account of this server knows is refused (`oidc_signup_closed`)
# instead of becoming a new account; users link providers from their account.
OIDC_SIGNUP = env.flag("OIDC_SIGNUP", False)
# On: an ID token whose `amr` or `acr` says the provider checked a second factor finishes a
# two-factor account's login without asking for its own.
OIDC_TRUST_PROVIDER_MFA = env.flag("OIDC_TRUST_PROVIDER_MFA", False)
# Each request to a provider (discovery, JWK Set, code exchange) gives up after this long.
OIDC_PROVIDER_TIMEOUT = env.seconds("OIDC_PROVIDER_TIMEOUT", 5.0, zero_allowed=False, maximum=30)
# Seconds between the start of a login and the provider's redirect back: the user signs in there.
OIDC_FLOW_MAX_AGE = env.whole("OIDC_FLOW_MAX_AGE", 600, minimum=60, maximum=3600)


def _url_problem(url: str) -> str | None:
    """Why `url` is no URL to trust for this, or None."""
    parts = urlsplit(url)
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if parts.scheme not in ("https", "http") or not host or parts.query or parts.fragment or parts.username:
        return "an absolute https:// URL without query or fragment"
    if parts.scheme == "http" and host not in _LOOPBACK:
        return "https:// (http:// only on localhost or 127.0.0.1)"
    return None


OIDC_PROVIDERS: dict[str, dict] = {}
for _name in OIDC_PROVIDERS_NAMED:
    if not _NAME.fullmatch(_name):
        env.problem(
            "OIDC_PROVIDERS must list names of lower-case letters and digits, starting with a letter "
            f"(up to 32, e.g. google,keycloak), not {_name!r}."
        )
        continue
    _prefix = f"OIDC_{_name.upper()}_"
    _provider = {
        "issuer": env.str(_prefix + "ISSUER", ""),
        "client_id": env.str(_prefix + "CLIENT_ID", ""),
        "client_secret": env.str(_prefix + "CLIENT_SECRET", ""),
        "scopes": env.str(_prefix + "SCOPES", "openid email profile").split(),
        "display_name": env.str(_prefix + "DISPLAY_NAME", _name.capitalize()),
        # Of a multi-tenant issuer: the tenants whose accounts may sign in; none, any tenant's.
        "tenants": env.names(_prefix + "TENANTS", []),
    }
    if not _provider["issuer"]:
        env.problem(
            f"{_prefix}ISSUER must be set: the provider's issuer URL (e.g. https://accounts.google.com)."
        )
    elif _why := _url_problem(_provider["issuer"]):
        env.problem(f"{_prefix}ISSUER must be {_why}, the issuer exactly as the provider names it.")
    for _field in ("client_id", "client_secret"):
        if not _provider[_field]:
            env.problem(f"{_prefix}{_field.upper()} must be set: from this server's registration at {_name}.")
    if _provider["tenants"] and not tenants.template_of(_provider["issuer"]):
        env.problem(
            f"{_prefix}TENANTS is only for a multi-tenant issuer "
            "(e.g. https://login.microsoftonline.com/organizations/v2.0); a tenant's issuer names its tenant."
        )
    elif _odd := [tenant for tenant in _provider["tenants"] if not tenants.is_tenant_id(tenant)]:
        env.problem(
            f"{_prefix}TENANTS must list tenant ids (comma-separated GUIDs in lower case, as Entra's "
            f"'Directory (tenant) ID'), not {_odd[0]!r}."
        )
    if "openid" not in _provider["scopes"]:
        env.problem(f"{_prefix}SCOPES must include openid (space-separated, e.g. openid email profile).")
    OIDC_PROVIDERS[_name] = _provider

if OIDC_PROVIDERS and not OIDC_FRONTEND_CALLBACK_URL:
    env.problem(
        "OIDC_FRONTEND_CALLBACK_URL must be set when OIDC_PROVIDERS is: the frontend's page that "
        "finishes a provider login (e.g. https://app.example.com/oidc/callback)."
    )
elif OIDC_FRONTEND_CALLBACK_URL and (_why := _url_problem(OIDC_FRONTEND_CALLBACK_URL)):
    env.problem(f"OIDC_FRONTEND_CALLBACK_URL must be {_why}, not {OIDC_FRONTEND_CALLBACK_URL!r}.")
