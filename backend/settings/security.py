"""HTTPS, the admin's and the CSRF cookies, CORS and CSRF origins, the admin, users and the
hashers of their passwords (the rules for new ones: `passwords.py`). The CSRF cookie and CORS
credentials follow refresh cookie mode (`tokens.py`)."""

from urllib.parse import urlsplit

from corsheaders.defaults import default_headers as cors_default_headers

from backend.environment import A_CENTURY
from backend.settings.base import DEBUG, env
from backend.settings.tokens import JWT_REFRESH_COOKIE, JWT_REFRESH_COOKIE_SAMESITE, JWT_REFRESH_COOKIE_SECURE


def _is_origin(origin: str) -> bool:
    """As django-cors-headers' own check, which only `manage.py check` would run: an origin is
    scheme://host[:port], with no path (not even "/"); "null" and "file://" are browsers' own."""
    parts = urlsplit(origin)
    return origin in ("null", "file://") or bool(
        parts.scheme and parts.netloc and not (parts.path or parts.query or parts.fragment)
    )


# --- HTTPS (the production defaults pass `manage.py check --deploy`) ------------------------

# Behind a proxy that terminates TLS, Django sees plain HTTP; trust the proxy's
# X-Forwarded-Proto only when told to, since a client could send that header itself.
if env.flag("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check, and scrapers GET /metrics (`observability.py`), over
# plain HTTP on the private port.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.whole(
    "DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0, maximum=A_CENTURY
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off unless asked: browsers' preload lists are slow to leave (docs/operations.md, "HSTS").
SECURE_HSTS_PRELOAD = env.flag("DJANGO_SECURE_HSTS_PRELOAD", False)
# `check --deploy` warns whenever preload is off (W021), which is the right default: the release
# check then fails only on what is wrong.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SESSION_COOKIE_SECURE = env.flag("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env.flag("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
# Refresh cookie mode (`tokens.py`) sends the CSRF cookie beside the refresh cookie.
if JWT_REFRESH_COOKIE:
    # The CSRF cookie must reach the API on the same requests as the refresh cookie: a
    # cross-site frontend (SameSite=None) sends both, or refresh and logout fail the CSRF check.
    CSRF_COOKIE_SAMESITE = JWT_REFRESH_COOKIE_SAMESITE
    # Likewise over plain HTTP: a browser never stores a Secure csrftoken there, and every refresh
    # and logout would fail for want of it. An explicit DJANGO_CSRF_COOKIE_SECURE still wins.
    if not env.str("DJANGO_CSRF_COOKIE_SECURE", ""):
        CSRF_COOKIE_SECURE = JWT_REFRESH_COOKIE_SECURE
    if JWT_REFRESH_COOKIE_SAMESITE == "None":
        if env.str("DJANGO_CSRF_COOKIE_SECURE", "") and not CSRF_COOKIE_SECURE:
            env.problem(
                "DJANGO_CSRF_COOKIE_SECURE must be on when JWT_REFRESH_COOKIE_SAMESITE is None: "
                "browsers drop a SameSite=None cookie that is not Secure."
            )
        CSRF_COOKIE_SECURE = True

# --- CORS -----------------------------------------------------------------------------------

CORS_ALLOWED_ORIGINS = env.names(
    "CORS_ALLOWED_ORIGINS",
    ["http://localhost:5173", "http://localhost:3000"] if DEBUG else [],
)
if _bad_origins := [origin for origin in CORS_ALLOWED_ORIGINS if not _is_origin(origin)]:
    env.problem(
        "CORS_ALLOWED_ORIGINS must list origins, scheme://host[:port] without a path (e.g. "
        f"https://app.example.com), comma-separated, not {_bad_origins[0]!r}."
    )
# The step-up token of a sensitive change (docs/security.md, "Step-up") and DPoP proofs travel
# in headers of their own; `DPoP-Nonce` answers a proof without a fresh nonce.
CORS_ALLOW_HEADERS = (*cors_default_headers, "x-reauth-token", "dpop")
# Browsers hide response headers from scripts unless they are exposed.
CORS_EXPOSE_HEADERS = ["Link", "Retry-After", "X-Request-ID", "DPoP-Nonce"]
# Lets the allowed origins send and receive cookies (the login device cookie) with credentialed
# requests; tokens themselves travel in the Authorization header and need no cookie. On by
# default: the reference client logs in with credentials in Bearer mode too, so that the device
# cookie keeps its owner out of lock-outs that guessers cause; only the listed origins get it.
CORS_ALLOW_CREDENTIALS = env.flag("CORS_ALLOW_CREDENTIALS", True)

# The API's own origin is trusted by Django already; these are the frontends. Only http(s)
# origins: Django accepts nothing else there (and cookie mode trusts no "null" origin).
CSRF_TRUSTED_ORIGINS = [
    origin for origin in CORS_ALLOWED_ORIGINS if origin.startswith(("https://", "http://"))
]
# Credentials go only to the listed origins: allowing every origin would let any site use the
# refresh cookie's session (cookie mode's Origin check trusts only CORS_ALLOWED_ORIGINS anyway).
if env.str("CORS_ALLOW_ALL_ORIGINS", "").lower() not in ("", "false", "0", "no", "off"):
    env.problem(
        "CORS_ALLOW_ALL_ORIGINS must not be set: list the frontends' origins in CORS_ALLOWED_ORIGINS."
    )
CORS_ALLOW_ALL_ORIGINS = False
if JWT_REFRESH_COOKIE:
    # A frontend on another origin sends the refresh cookie only on credentialed requests.
    if env.is_set_false("CORS_ALLOW_CREDENTIALS"):
        env.problem(
            "CORS_ALLOW_CREDENTIALS must be true or blank when JWT_REFRESH_COOKIE is on: browsers "
            "send the refresh cookie to another origin only with credentials."
        )
    CORS_ALLOW_CREDENTIALS = True

# --- Admin ----------------------------------------------------------------------------------

# Where Django's admin is served (`off`: nowhere). Its login checks passwords through the same
# failure limit as the API's and asks accounts with TOTP on for a code (api/admin_site.py).
DJANGO_ADMIN_URL = env.url_prefix(
    "DJANGO_ADMIN_URL", "admin/", reserved=("api", "static", ".well-known", "metrics")
)
# Staff accounts without a second factor cannot use the admin: a password alone is one phishing
# away from every account's data. On by default in production.
ADMIN_REQUIRE_MFA = env.flag("ADMIN_REQUIRE_MFA", not DEBUG)

# --- Users and passwords --------------------------------------------------------------------

AUTH_USER_MODEL = "api.User"
# Django's username-and-password backend with the failed-credential limit: the API's login and
# the admin's both authenticate through it.
AUTHENTICATION_BACKENDS = ["api.sessions.credentials.CountedModelBackend"]

PASSWORD_HASHERS = [
    # Argon2id of the password's NFKC form (api/accounts/hashers.py).
    "api.accounts.hashers.Argon2idPasswordHasher",
    # Older hashes still verify and are re-hashed with the first at the next login: Argon2 hashes
    # of the password as typed, from before passwords were normalised, then other algorithms.
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# The rules a new password must pass (AUTH_PASSWORD_VALIDATORS) are in `passwords.py`.
