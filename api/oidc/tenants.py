"""Microsoft Entra ID's multi-tenant endpoints (docs/accounts.md, "Registering this server with
a provider"): an issuer configured as `https://<host>/common/v2.0` (or `organizations`,
`consumers`) publishes the issuer `https://<host>/{tenantid}/v2.0` in its discovery document, and
each ID token's `iss` is that template with the token's own `tid` in it.

The template is accepted only for such a configured issuer, and only as exactly that issuer
with its tenant segment replaced: any other provider's discovery must name its issuer exactly.
The host is not fixed, so that Entra's national clouds (login.microsoftonline.us, ...) work too.
Pure functions of strings: the settings check the allow-list of tenants with them at startup."""

import re

TEMPLATE = "{tenantid}"
# The path of a multi-tenant endpoint's issuer: which accounts, then the v2.0 endpoint's version.
_MULTI_TENANT_PATH = re.compile(r"/(common|organizations|consumers)/v2\.0/?")
# A tenant id as Entra writes it: a GUID in lower case. Only that form, so that one tenant's
# issuer is one string, and its accounts one identity each.
_TENANT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def template_of(issuer: str) -> str | None:
    """The `{tenantid}` template a multi-tenant endpoint's discovery names, or None if `issuer`
    is not one (`https://login.microsoftonline.com/common/v2.0` ->
    `https://login.microsoftonline.com/{tenantid}/v2.0`)."""
    scheme, _, rest = issuer.partition("://")
    host, slash, path = rest.partition("/")
    match = _MULTI_TENANT_PATH.fullmatch(slash + path)
    if not scheme or not host or match is None:
        return None
    start, end = match.span(1)
    path = slash + path
    return f"{scheme}://{host}{path[:start]}{TEMPLATE}{path[end:]}"


def is_tenant_id(value: object) -> bool:
    return isinstance(value, str) and _TENANT_ID.fullmatch(value) is not None


def issuer_of(template: str, tenant_id: str) -> str:
    """The issuer of one tenant's ID tokens: the template with its tenant id in."""
    return template.replace(TEMPLATE, tenant_id)


def names_a_tenant(template: str, issuer: str) -> bool:
    """Whether `issuer` is the template with some tenant id in it."""
    before, _, after = template.partition(TEMPLATE)
    return (
        issuer.startswith(before)
        and issuer.endswith(after)
        and len(issuer) > len(before) + len(after)
        and is_tenant_id(issuer[len(before) : len(issuer) - len(after)])
    )
