"""The REST framework and JWT: authentication, tokens and their keys, the refresh cookie, the
second login step, and the limits on logins and other credential checks."""

import hashlib
import os
from datetime import timedelta

from backend.environment import A_CENTURY
from backend.settings.base import DEBUG, SECRET_KEY, env
from backend.settings.database import DATABASES
from backend.settings.keys import next_key, previous_keys, signing_keys

# --- REST framework -------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.sessions.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested at most 32 deep; every decoding failure a 400 (api/core/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["api.core.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.core.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "api.core.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.core.schema.AutoSchema",
    "NUM_PROXIES": env.whole("NUM_PROXIES", 0, minimum=0, unit=""),
}

# --- Limits on logins and credential checks -------------------------------------------------

# Throttles read these on every request (not at import time), so tests can change them.
AUTH_THROTTLE_RATE = env.rate("AUTH_THROTTLE_RATE", "20/min")
# Wrong passwords and codes, at every door that checks one (api/sessions/credentials.py): per
# account from all IPs together, and per client IP over all accounts (password spraying).
LOGIN_FAILURE_RATE = env.rate("LOGIN_FAILURE_RATE", "10/hour")
LOGIN_FAILURE_IP_RATE = env.rate("LOGIN_FAILURE_IP_RATE", "100/hour")
# Seconds a step-up token from POST /api/user/reauthenticate/ stands in for the password on a
# sensitive change (docs/security.md, "Step-up").
REAUTH_MAX_AGE = env.whole("REAUTH_MAX_AGE", 300, minimum=30, maximum=3600)
# A client that logged in to an account before gets a device cookie for it (api/sessions/login_devices.py):
# its failed logins for that account are counted on their own, so failures from elsewhere
# cannot lock it out. Seconds it is honoured for; Secure (HTTPS only) unless in development.
LOGIN_DEVICE_COOKIE_AGE = env.whole("LOGIN_DEVICE_COOKIE_AGE", 90 * 24 * 3600, minimum=1, maximum=A_CENTURY)
LOGIN_DEVICE_COOKIE_SECURE = env.flag("LOGIN_DEVICE_COOKIE_SECURE", not DEBUG)

# --- JWT ------------------------------------------------------------------------------------

# HS256 signs with a secret shared by everything that verifies tokens. RS256 and ES256 sign
# with a private key whose public half /.well-known/jwks.json publishes, so other services
# verify access tokens without holding anything that could forge them.
JWT_ALGORITHMS = ("HS256", "RS256", "ES256")
JWT_ALGORITHM = env.one_of("JWT_ALGORITHM", "HS256", JWT_ALGORITHMS)
_jwt_signing_key, _jwt_verifying_key = signing_keys(env, JWT_ALGORITHM, secret_key=SECRET_KEY, debug=DEBUG)
# Key rotation (docs/operations.md, "Key rotation"): keys that still verify tokens signed before
# the switch (HS256 secrets, or RS256/ES256 PEM public keys), and the RS256/ES256 public key to
# sign with next, which verifies too and /.well-known/jwks.json publishes ahead of use. Read by
# api/sessions/tokens.py, which picks the key by each token's `kid`.
JWT_PREVIOUS_VERIFYING_KEYS = previous_keys(
    env, JWT_ALGORITHM, signing_key=_jwt_signing_key, verifying_key=_jwt_verifying_key
)
JWT_NEXT_VERIFYING_KEY = next_key(
    env, JWT_ALGORITHM, verifying_key=_jwt_verifying_key, previous=JWT_PREVIOUS_VERIFYING_KEYS
)
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        seconds=env.whole("JWT_ACCESS_TOKEN_LIFETIME", 300, minimum=1, maximum=A_CENTURY)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(
        seconds=env.whole("JWT_REFRESH_TOKEN_LIFETIME", 86400, minimum=1, maximum=A_CENTURY)
    ),
    "ROTATE_REFRESH_TOKENS": env.flag("JWT_ROTATE_REFRESH_TOKENS", True),
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": JWT_ALGORITHM,
    "SIGNING_KEY": _jwt_signing_key,
    "VERIFYING_KEY": _jwt_verifying_key,
    # DPoP-bound tokens come as `Authorization: DPoP <access>` (api/sessions/authentication.py).
    "AUTH_HEADER_TYPES": ("Bearer", "DPoP"),
    # The project's token class: it signs with a `kid` header (api/sessions/tokens.py).
    "AUTH_TOKEN_CLASSES": ("api.sessions.tokens.AccessToken",),
}

# 0 turns the grace off: a just-spent refresh token is then always a reuse.
JWT_REFRESH_REUSE_GRACE = env.whole("JWT_REFRESH_REUSE_GRACE", 30, minimum=0, maximum=A_CENTURY)
JWT_SESSION_MAX_AGE = env.whole("JWT_SESSION_MAX_AGE", 30 * 24 * 3600, minimum=1, maximum=A_CENTURY)

# --- Refresh cookie -------------------------------------------------------------------------

# Cookie mode (docs/security.md, "Refresh cookie mode"): login and refresh answer only `access`
# and keep the refresh token in an HttpOnly cookie that scripts cannot read. The views read these
# at request time, so tests can switch the mode. The CSRF cookie and CORS credentials follow the
# mode (`security.py`).
JWT_REFRESH_COOKIE = env.flag("JWT_REFRESH_COOKIE", False)
JWT_REFRESH_COOKIE_NAME = env.cookie_name(
    "JWT_REFRESH_COOKIE_NAME",
    "refresh_token",
    taken=("login_device", "csrftoken", "sessionid"),
    path="/api/token/",
)
# Off only for development over plain HTTP: a Secure cookie never travels without TLS.
JWT_REFRESH_COOKIE_SECURE = env.flag("JWT_REFRESH_COOKIE_SECURE", True)
JWT_REFRESH_COOKIE_SAMESITE = env.choice("JWT_REFRESH_COOKIE_SAMESITE", "Lax", ("Lax", "Strict", "None"))
if JWT_REFRESH_COOKIE_SAMESITE == "None" and not JWT_REFRESH_COOKIE_SECURE:
    env.problem(
        "JWT_REFRESH_COOKIE_SAMESITE must be Lax or Strict when JWT_REFRESH_COOKIE_SECURE is off: "
        "browsers drop a SameSite=None cookie that is not Secure."
    )
if JWT_REFRESH_COOKIE_NAME.startswith("__Secure-") and not JWT_REFRESH_COOKIE_SECURE:
    env.problem(
        "JWT_REFRESH_COOKIE_SECURE must be on when JWT_REFRESH_COOKIE_NAME starts with __Secure-: "
        "browsers refuse such a cookie without Secure."
    )

# --- DPoP (docs/security.md, "DPoP") --------------------------------------------------------

# Seconds a DPoP proof is good after its `iat` (RFC 9449 section 11.1): the window in which its
# `jti` is remembered (api/dpop/replay.py). Longer tolerates slower clocks and networks; shorter
# keeps fewer records.
DPOP_PROOF_MAX_AGE = env.whole("DPOP_PROOF_MAX_AGE", 60, minimum=5, maximum=600)


# Linux's shared memory file system: a file created there costs a third of one on a journaled
# disk inside a request (bench/README.md, "DPoP"), and a record need not outlive a reboot.
_SHARED_MEMORY = "/dev/shm"  # noqa: S108 (api/dpop/replay.py refuses a directory others may write)


def _dpop_replay_dir() -> str:
    """Where proofs are recorded without Redis on SQLite: every process of the host shares it.

    In shared memory when the host has it, in a directory named after the database file (two
    databases on one host never share records); else beside the database file. Containers that
    share one SQLite file on a volume do not share /dev/shm: they need DPOP_REPLAY_DIR on it.
    """
    database = DATABASES["default"]
    sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    name = str(database["NAME"] or "")
    directory = env.str("DPOP_REPLAY_DIR", "")
    if not directory:
        if not sqlite or name in ("", ":memory:") or name.startswith("file:"):
            return ""
        if os.path.isdir(_SHARED_MEMORY):
            digest = hashlib.sha256(os.path.realpath(name).encode()).hexdigest()[:16]
            return os.path.join(_SHARED_MEMORY, f"notes-api-dpop-{digest}")
        return f"{name}-dpop-proofs"
    if not sqlite:
        env.problem(
            "DPOP_REPLAY_DIR is for SQLite (one host): with PostgreSQL the DPoP replay record is "
            "in the database, or in Redis with REDIS_URL, which every instance shares. Unset it."
        )
    elif not os.path.isabs(directory):
        env.problem(f"DPOP_REPLAY_DIR must be an absolute path, not {directory!r}.")
    return directory


# The DPoP replay record without Redis on SQLite (api/dpop/replay.py); "" elsewhere.
DPOP_REPLAY_DIR = _dpop_replay_dir()
# Off: a login or refresh without a proof gets Bearer tokens, as before DPoP. On: every token
# endpoint refuses a request without a valid proof (`invalid_dpop_proof`), so every new session
# is bound to a key; Bearer sessions started before keep working until they end.
JWT_REQUIRE_DPOP = env.flag("JWT_REQUIRE_DPOP", False)
# Server nonces (RFC 9449 section 8, api/dpop/nonces.py): on, every proof must carry a nonce
# from a `DPoP-Nonce` header of this server, made new every DPOP_NONCE_LIFETIME seconds (the
# previous one still holds), computed from DJANGO_SECRET_KEY so all workers and instances agree.
DPOP_NONCE = env.flag("DPOP_NONCE", False)
DPOP_NONCE_LIFETIME = env.whole("DPOP_NONCE_LIFETIME", 300, minimum=10, maximum=86400)

# --- Two-factor login -----------------------------------------------------------------------

# Seconds the `mfa_token` of a login that needs a TOTP or recovery code stays good (docs/mfa.md):
# long enough to open an authenticator app, short enough that a half-finished login soon dies.
MFA_TOKEN_LIFETIME = env.whole("MFA_TOKEN_LIFETIME", 300, minimum=30, maximum=900)

# --- API docs (drf-spectacular) -------------------------------------------------------------

SPECTACULAR_SETTINGS = {
    "TITLE": "Notes API",
    "DESCRIPTION": (
        "Notes with JWT authentication. Log in at `POST /api/token/`, then send "
        "`Authorization: Bearer <access>`; refresh at `POST /api/token/refresh/` when a call "
        "answers 401 with `code: token_not_valid`. List pages are linked in the `Link` header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": True},
    # Every operation has one of these (api/core/schema_names.py says which); Swagger UI and
    # ReDoc group by them, in this order.
    "TAGS": [
        {"name": "tokens", "description": "Log in with a password, refresh, verify and log out."},
        {
            "name": "account",
            "description": "Sign up, the account, its password, email links and security log.",
        },
        {"name": "sessions", "description": "The caller's sessions: list and end them, step up one."},
        {"name": "two-factor", "description": "TOTP two-factor login, its setup and recovery codes."},
        {"name": "passkeys", "description": "Passkeys (WebAuthn): register and manage, log in, step up."},
        {
            "name": "openid-connect",
            "description": "Sign in with an OpenID Connect provider, and the caller's linked identities.",
        },
        {"name": "notes", "description": "The caller's notes."},
        {"name": "operations", "description": "Health check, the JWK Set and the CSRF token."},
    ],
    # After drf-spectacular's enum hook: the error bodies' shared `Error<status>` components.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.core.schema_errors.add_error_components",
    ],
}
