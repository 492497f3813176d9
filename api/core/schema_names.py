"""The names the OpenAPI schema gives its operations: each one's tag (its domain) and its
operationId, the function name a generated client gives it (`listNotes`, `obtainToken`).

One rule each, in this module only: a tag by the path's prefix, an operationId by the path's
shape (a collection or one of its items) unless `OPERATION_IDS` names it. Names are part of
the API: generated clients call them, so a name, once published, stays.
"""

import re

# Swagger UI and ReDoc group by these, in this order; `SPECTACULAR_SETTINGS["TAGS"]` describes each.
# The first prefix an operation's path starts with decides: the more specific ones come first.
TAG_BY_PATH_PREFIX = (
    ("/api/token/mfa/", "two-factor"),
    ("/api/token/passkey/", "passkeys"),
    ("/api/token/oidc/", "openid-connect"),
    ("/api/token/", "tokens"),
    ("/api/user/mfa/", "two-factor"),
    ("/api/user/passkeys/", "passkeys"),
    ("/api/user/reauthenticate/passkey/", "passkeys"),
    ("/api/user/reauthenticate/oidc/", "openid-connect"),
    ("/api/user/sessions/", "sessions"),
    ("/api/user/logout-all/", "sessions"),
    ("/api/user/reauthenticate/", "sessions"),
    ("/api/user/identities/", "openid-connect"),
    ("/api/user/", "account"),
    ("/api/oidc/", "openid-connect"),
    ("/api/notes/", "notes"),
    ("/api/csrf/", "operations"),
    ("/api/health/", "operations"),
    ("/.well-known/", "operations"),
)

# Where the path's shape says nothing a client would call it by: logins, actions, singletons.
OPERATION_IDS = {
    ("POST", "/api/token/"): "obtainToken",
    ("POST", "/api/token/refresh/"): "refreshToken",
    ("POST", "/api/token/verify/"): "verifyToken",
    ("POST", "/api/token/blacklist/"): "logout",
    ("POST", "/api/token/mfa/"): "completeMfaLogin",
    ("POST", "/api/token/mfa/passkey/options/"): "getMfaPasskeyOptions",
    ("POST", "/api/token/mfa/passkey/"): "completeMfaLoginWithPasskey",
    ("POST", "/api/token/passkey/options/"): "getPasskeyLoginOptions",
    ("POST", "/api/token/passkey/"): "obtainTokenWithPasskey",
    ("POST", "/api/token/oidc/"): "obtainTokenWithOidc",
    ("GET", "/api/oidc/providers/"): "listOidcProviders",
    ("POST", "/api/oidc/{name}/start/"): "startOidcLogin",
    ("GET", "/api/oidc/{name}/callback/"): "finishOidcLogin",
    ("POST", "/api/user/identities/"): "startIdentityLink",
    ("POST", "/api/user/identities/complete/"): "linkIdentity",
    ("DELETE", "/api/user/identities/{id}/"): "deleteIdentity",
    ("POST", "/api/user/register/"): "registerUser",
    ("GET", "/api/user/me/"): "getAccount",
    ("PATCH", "/api/user/me/"): "updateAccount",
    ("DELETE", "/api/user/me/"): "deleteAccount",
    ("POST", "/api/user/password/"): "changePassword",
    ("POST", "/api/user/password-reset/"): "requestPasswordReset",
    ("POST", "/api/user/password-reset/confirm/"): "confirmPasswordReset",
    ("POST", "/api/user/verify-email/"): "verifyEmail",
    ("POST", "/api/user/verify-email/resend/"): "resendVerificationEmail",
    ("POST", "/api/user/mfa/totp/"): "startTotpSetup",
    ("POST", "/api/user/mfa/totp/confirm/"): "confirmTotpSetup",
    ("DELETE", "/api/user/mfa/totp/"): "disableTotp",
    ("POST", "/api/user/mfa/recovery-codes/"): "regenerateRecoveryCodes",
    ("POST", "/api/user/passkeys/register/options/"): "getPasskeyRegistrationOptions",
    ("POST", "/api/user/passkeys/register/"): "registerPasskey",
    ("POST", "/api/user/reauthenticate/"): "reauthenticate",
    ("POST", "/api/user/reauthenticate/passkey/options/"): "getReauthPasskeyOptions",
    ("POST", "/api/user/reauthenticate/oidc/"): "startOidcReauthentication",
    ("POST", "/api/user/logout-all/"): "logoutAll",
    ("DELETE", "/api/notes/delete/{id}/"): "deleteNoteLegacy",
    ("GET", "/api/csrf/"): "getCsrfToken",
}

# PATCH is the update clients make; PUT replaces every field.
_ITEM_VERBS = {"GET": "get", "PUT": "replace", "PATCH": "update", "DELETE": "delete"}
# Path segments that name no resource: the API's root, the caller's namespace, well-known URIs.
_NAMESPACES = {"api", "user", ".well-known"}


def tag_for(path: str) -> str | None:
    """The domain of an operation's path, or None for a path no prefix covers."""
    return next((tag for prefix, tag in TAG_BY_PATH_PREFIX if path.startswith(prefix)), None)


def operation_id_for(method: str, path: str, *, is_list: bool, creates: bool) -> str | None:
    """A camelCase verb and noun: `OPERATION_IDS`' name, else one from the path's shape (a list,
    a create, or one item of a collection, or the GET of a singleton such as `/api/health/`).
    None where neither says: the caller names it."""
    named = OPERATION_IDS.get((method, path))
    if named is not None:
        return named
    segments = [s for s in path.strip("/").split("/") if s not in _NAMESPACES]
    item = bool(segments) and segments[-1].startswith("{")
    nouns = [s for s in segments if not s.startswith("{")]
    if not nouns:
        return None
    noun = _camel(nouns[-1].split(".")[0])
    if item and method in _ITEM_VERBS:
        return _ITEM_VERBS[method] + _singular(noun)
    if item:
        return None
    if method == "GET":
        return ("list" if is_list else "get") + noun
    if method == "POST" and creates:
        return "create" + _singular(noun)
    return None


def _camel(segment: str) -> str:
    return "".join(word.capitalize() for word in re.split(r"[-_]", segment) if word)


def _singular(noun: str) -> str:
    return noun.removesuffix("s")
