"""Django settings for the notes API.

Every value that differs between machines comes from the environment, read here and nowhere
else, through environs. A `.env` file at the repository root is read too, but variables set in
the real environment win over it; a blank value means "the default". `.env.example` documents
each variable.

Every value is checked here, before anything else runs: each bad one is reported on standard
error in one line that names the variable and what it accepts, all of them at once, and the
process exits (`backend/environment.py` says how).
"""

import os
from datetime import timedelta
from pathlib import Path

from corsheaders.defaults import default_headers as cors_default_headers

from backend.environment import A_CENTURY, LOG_LEVELS, Environment, is_origin

BASE_DIR = Path(__file__).resolve().parent.parent


env = Environment()
# environs keeps .env's values apart and looks at the real environment first.
env.read_env(BASE_DIR / ".env", recurse=False)

DEBUG = env.flag("DJANGO_DEBUG", False)

# Only ever used with DEBUG on, so a developer can run the server without any setup.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production"  # noqa: S105 (refused when DEBUG is off)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    env.problem(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters that does not "
        "start with 'django-insecure' when DJANGO_DEBUG is off; generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
SECRET_KEY = SECRET_KEY or _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env.hosts("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "api",
    # Django's admin, with the same failure limit and second factor as the API's login.
    "api.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    # Swagger UI and ReDoc assets served by this server: the docs work offline, with no CDN.
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # First, so its duration covers everything and redirects and static files are logged too.
    "api.core.middleware.RequestLogMiddleware",
    # Bounds the whole request's wait for the database, whatever middleware or view queries it.
    "api.core.db_deadline.DatabaseDeadlineMiddleware",
    # Outside everything that can answer an error itself (a refused Host header included).
    "api.core.middleware.JSONErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware (as whitenoise asks): static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware so that preflight and error responses carry CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads a body: a chunked one is read within the size limit, or refused.
    "api.core.parsers.ChunkedBodyMiddleware",
    # Sessions, Django's user and messages only under DJANGO_ADMIN_URL: the API uses none of
    # them (api/core/admin_middleware.py).
    "api.core.admin_middleware.AdminSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "api.core.admin_middleware.AdminAuthenticationMiddleware",
    "api.core.admin_middleware.AdminMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "backend.wsgi.application"

# --- Database -------------------------------------------------------------------------------

DATABASES = {"default": env.database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Seconds to wait for a new PostgreSQL connection (psycopg counts 1 as 2, 0 as 130); also how long
# the health check waits for the database before calling it unavailable.
DATABASE_CONNECT_TIMEOUT = env.whole("DATABASE_CONNECT_TIMEOUT", 3, minimum=2)
# PostgreSQL only, but checked with SQLite too, so that a bad value shows before the move.
_conn_max_age = env.whole("DATABASE_CONN_MAX_AGE", 600, minimum=0)
# Milliseconds; PostgreSQL refuses a connection that asks for more than its integers hold.
_statement_timeout = env.whole(
    "DATABASE_STATEMENT_TIMEOUT", 5000, minimum=0, maximum=2**31 - 1, unit="milliseconds"
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers may write at once: WAL lets readers run beside a writer, and
    # IMMEDIATE transactions take the write lock up front, so a writer waits (up to the busy
    # timeout) instead of failing with "database is locked" when it upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Reusing connections matters: a new PostgreSQL connection per request costs more than
    # the request itself.
    DATABASES["default"]["CONN_MAX_AGE"] = _conn_max_age
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable or overloaded database must cost a request seconds, not hold a worker
    # (docs/operations.md, "Outages"). libpq parameters, enforced by psycopg and by the server.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if _statement_timeout:
        # 0 sends nothing, so the role's or server's own setting applies (PgBouncer refuses
        # the `options` parameter).
        _db_options["options"] = (
            f"{_db_options.get('options', '')} -c statement_timeout={_statement_timeout}".strip()
        )
# Past this, a request still waiting for the database has its connection cut and answers 503:
# the bound for a server that stopped answering on an open connection (api/core/db_deadline.py).
DATABASE_REQUEST_TIMEOUT = env.seconds("DATABASE_REQUEST_TIMEOUT", 10, zero_allowed=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- HTTPS (the production defaults pass `manage.py check --deploy`) ------------------------

# Behind a proxy that terminates TLS, Django sees plain HTTP; trust the proxy's
# X-Forwarded-Proto only when told to, since a client could send that header itself.
if env.flag("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP on the private port.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
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

# --- Cache (throttle counters) --------------------------------------------------------------

_redis_url = env.redis_url("REDIS_URL")
# Seconds to wait for Redis to accept a connection or answer a command: a stopped or hung Redis
# then costs one request this long, after which the throttles count in process memory for a
# while (api/core/throttle_cache.py). 0 would mean waiting for ever.
REDIS_TIMEOUT = env.seconds("REDIS_TIMEOUT", 1, zero_allowed=False)
if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis_url,
            # Passed to redis-py's connection pool.
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    # Per process: with several workers each keeps its own throttle counters.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users and passwords --------------------------------------------------------------------

AUTH_USER_MODEL = "api.User"
# Django's username-and-password backend with the failed-credential limit: the API's login and
# the admin's both authenticate through it.
AUTHENTICATION_BACKENDS = ["api.sessions.credentials.CountedModelBackend"]

PASSWORD_HASHERS = [
    "api.accounts.hashers.Argon2idPasswordHasher",
    # Older hashes still verify and are re-hashed with Argon2id at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- REST framework and JWT -----------------------------------------------------------------

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

# HS256 signs with a secret shared by everything that verifies tokens. RS256 and ES256 sign
# with a private key whose public half /.well-known/jwks.json publishes, so other services
# verify access tokens without holding anything that could forge them.
JWT_ALGORITHMS = ("HS256", "RS256", "ES256")
JWT_ALGORITHM = env.one_of("JWT_ALGORITHM", "HS256", JWT_ALGORITHMS)
_jwt_signing_key, _jwt_verifying_key = env.jwt_keys(JWT_ALGORITHM, secret_key=SECRET_KEY, debug=DEBUG)
# Key rotation (docs/operations.md, "Key rotation"): keys that still verify tokens signed before
# the switch (HS256 secrets, or RS256/ES256 PEM public keys), and the RS256/ES256 public key to
# sign with next, which verifies too and /.well-known/jwks.json publishes ahead of use. Read by
# api/sessions/tokens.py, which picks the key by each token's `kid`.
JWT_PREVIOUS_VERIFYING_KEYS = env.jwt_previous_keys(
    JWT_ALGORITHM, signing_key=_jwt_signing_key, verifying_key=_jwt_verifying_key
)
JWT_NEXT_VERIFYING_KEY = env.jwt_next_key(
    JWT_ALGORITHM, verifying_key=_jwt_verifying_key, previous=JWT_PREVIOUS_VERIFYING_KEYS
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
    "AUTH_HEADER_TYPES": ("Bearer",),
    # The project's token class: it signs with a `kid` header (api/sessions/tokens.py).
    "AUTH_TOKEN_CLASSES": ("api.sessions.tokens.AccessToken",),
}

# 0 turns the grace off: a just-spent refresh token is then always a reuse.
JWT_REFRESH_REUSE_GRACE = env.whole("JWT_REFRESH_REUSE_GRACE", 30, minimum=0, maximum=A_CENTURY)
JWT_SESSION_MAX_AGE = env.whole("JWT_SESSION_MAX_AGE", 30 * 24 * 3600, minimum=1, maximum=A_CENTURY)

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
}

# --- Email and account recovery -------------------------------------------------------------

# Where account mail (password reset and verification links) goes. The URL may hold a password,
# so no message ever shows it. console:// prints each message on standard output (the default,
# so `make run` shows the links).
_email_url = env.str("EMAIL_URL", "")
_email = env.email_url("EMAIL_URL")
EMAIL_BACKEND = _email.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
# Seconds an SMTP connection may take to open or answer. Mail goes out in a background thread
# (api/accounts/email.py), so a slow server delays mail, never an answer.
EMAIL_TIMEOUT = env.seconds("EMAIL_TIMEOUT", 10, zero_allowed=False)
_from_email = env.email_address("DEFAULT_FROM_EMAIL")
DEFAULT_FROM_EMAIL = _from_email or "webmaster@localhost"
# The frontend pages that mailed links open; never built from the request's Host.
_RESET_PAGE, _VERIFY_PAGE = "/reset/{uid}/{token}", "/verify-email/{uid}/{token}"
PASSWORD_RESET_URL = env.link_template(
    "PASSWORD_RESET_URL",
    f"http://localhost:5173{_RESET_PAGE}" if DEBUG else "",
    example=f"https://app.example.com{_RESET_PAGE}",
)
EMAIL_VERIFY_URL = env.link_template(
    "EMAIL_VERIFY_URL",
    f"http://localhost:5173{_VERIFY_PAGE}" if DEBUG else "",
    example=f"https://app.example.com{_VERIFY_PAGE}",
)
# Off: accounts log in without verifying their address (and count as verified).
REQUIRE_EMAIL_VERIFICATION = env.flag("REQUIRE_EMAIL_VERIFICATION", False)
if not DEBUG:
    # In production account mail is all or nothing: without these a link would point nowhere,
    # come from an address mail servers reject, or be printed in the log. With none of them set
    # no account mail is sent (each request for one logs a warning).
    _account_mail = {
        "EMAIL_URL": _email_url,
        "PASSWORD_RESET_URL": env.str("PASSWORD_RESET_URL", ""),
        "EMAIL_VERIFY_URL": env.str("EMAIL_VERIFY_URL", ""),
        "DEFAULT_FROM_EMAIL": _from_email,
    }
    if REQUIRE_EMAIL_VERIFICATION or any(
        _account_mail[name] for name in _account_mail if name != "DEFAULT_FROM_EMAIL"
    ):
        _why = "REQUIRE_EMAIL_VERIFICATION is on" if REQUIRE_EMAIL_VERIFICATION else "account email is set up"
        for _name in [name for name, value in _account_mail.items() if not value]:
            env.problem(
                f"{_name} must be set when DJANGO_DEBUG is off and {_why}: EMAIL_URL, PASSWORD_RESET_URL, "
                "EMAIL_VERIFY_URL and DEFAULT_FROM_EMAIL go together (.env.example describes each)."
            )
# Seconds a reset link works (Django's own setting; its default is 3 days) and a verification link.
PASSWORD_RESET_TIMEOUT = env.whole("PASSWORD_RESET_TIMEOUT", 3600, minimum=60, maximum=A_CENTURY)
EMAIL_VERIFY_TIMEOUT = env.whole("EMAIL_VERIFY_TIMEOUT", 3 * 24 * 3600, minimum=60, maximum=A_CENTURY)
# Requests for a link: per client IP (each endpoint apart), and per email address from all IPs.
EMAIL_THROTTLE_RATE = env.rate("EMAIL_THROTTLE_RATE", "10/hour")
EMAIL_ADDRESS_THROTTLE_RATE = env.rate("EMAIL_ADDRESS_THROTTLE_RATE", "3/hour")
# Mail budgets (api/core/outbox.py), counted per message: to one address, every kind of mail and
# every account together; and to one account. Past either, a message is not sent (and logged).
MAIL_RECIPIENT_RATE = env.rate("MAIL_RECIPIENT_RATE", "5/hour")
MAIL_ACCOUNT_RATE = env.rate("MAIL_ACCOUNT_RATE", "10/hour")
# Seconds a sent (or given up) message stays in the outbox table before the clean-up deletes it.
OUTBOX_RETENTION = env.whole("OUTBOX_RETENTION", 7 * 24 * 3600, minimum=0, maximum=A_CENTURY)
# Seconds the security log (GET /api/user/security-events/) keeps an event; flushexpiredtokens
# deletes older ones. And whether a login from a device without a device cookie mails a notice.
SECURITY_EVENT_RETENTION = env.whole(
    "SECURITY_EVENT_RETENTION", 90 * 24 * 3600, minimum=3600, maximum=A_CENTURY
)
NOTIFY_NEW_DEVICE_LOGIN = env.flag("NOTIFY_NEW_DEVICE_LOGIN", False)
# Not from the environment: tests turn it off to deliver each message inside the request.
ACCOUNT_EMAIL_BACKGROUND = True

# --- Refresh cookie and CSRF ---------------------------------------------------------------

# Cookie mode (docs/security.md, "Refresh cookie mode"): login and refresh answer only `access`
# and keep the refresh token in an HttpOnly cookie that scripts cannot read. The views read these
# at request time, so tests can switch the mode.
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

# --- Two-factor login ---------------------------------------------------------------------

# Seconds the `mfa_token` of a login that needs a TOTP or recovery code stays good (docs/mfa.md):
# long enough to open an authenticator app, short enough that a half-finished login soon dies.
MFA_TOKEN_LIFETIME = env.whole("MFA_TOKEN_LIFETIME", 300, minimum=30, maximum=900)

# --- CORS -----------------------------------------------------------------------------------

CORS_ALLOWED_ORIGINS = env.names(
    "CORS_ALLOWED_ORIGINS",
    ["http://localhost:5173", "http://localhost:3000"] if DEBUG else [],
)


if _bad_origins := [origin for origin in CORS_ALLOWED_ORIGINS if not is_origin(origin)]:
    env.problem(
        "CORS_ALLOWED_ORIGINS must list origins, scheme://host[:port] without a path (e.g. "
        f"https://app.example.com), comma-separated, not {_bad_origins[0]!r}."
    )
# The step-up token of a sensitive change travels in its own header (docs/security.md, "Step-up").
CORS_ALLOW_HEADERS = (*cors_default_headers, "x-reauth-token")
# Browsers hide response headers from scripts unless they are exposed.
CORS_EXPOSE_HEADERS = ["Link", "Retry-After", "X-Request-ID"]
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

# --- Admin -----------------------------------------------------------------------------------

# Where Django's admin is served (`off`: nowhere). Its login checks passwords through the same
# failure limit as the API's and asks accounts with TOTP on for a code (api/admin_site.py).
DJANGO_ADMIN_URL = env.url_prefix(
    "DJANGO_ADMIN_URL", "admin/", reserved=("api", "static", ".well-known", "metrics")
)
# Staff accounts without a second factor cannot use the admin: a password alone is one phishing
# away from every account's data. On by default in production.
ADMIN_REQUIRE_MFA = env.flag("ADMIN_REQUIRE_MFA", not DEBUG)

# --- Internationalization, static files -----------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The admin's and the API docs' assets, gathered by `manage.py collectstatic`, served by whitenoise.
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed, pre-compressed names, so whitenoise can let clients cache them forever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logging: never a token or a password ---------------------------------------------------

_log_level = env.choice("LOG_LEVEL", "INFO", LOG_LEVELS)
# text: the message alone (`GET /api/notes/ 200 4.2ms user=17`); json: one object per line with
# time, level and request id (api/core/log_format.py; docs/operations.md, "Observability").
LOG_FORMAT = env.one_of("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "api.core.log_format.JSONFormatter"}},
    # Standard output, where process managers and platforms collect logs.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": _log_level},
}

# GET /metrics (api/core/metrics.py): answered to these addresses or networks, or to a request
# with `Authorization: Bearer <METRICS_TOKEN>`; 404 to anyone else. A request forwarded by a proxy
# counts as from the client the proxy names (NUM_PROXIES), or from no address if none is trusted.
METRICS_ALLOWED_IPS = env.networks("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])
METRICS_TOKEN = env.secret("METRICS_TOKEN", min_length=32)
# Scrapers reach the server's private port over plain HTTP, as load balancers do the health check.
SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]
# Several gunicorn workers: where each keeps its metrics for the scrape to add up (prometheus-
# client's multiprocess mode; backend/gunicorn.py sets and empties it). prometheus-client reads
# the process environment itself, so the checked value is put there, and a blank one removed
# (the library would take a blank one as set).
_metrics_dir = env.writable_directory("PROMETHEUS_MULTIPROC_DIR")
if _metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir
else:
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)


env.stop_on_problems()
