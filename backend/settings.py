"""Django settings for the notes API.

Every value that differs between machines comes from the environment, read here and nowhere
else, through environs. A `.env` file at the repository root is read too, but variables set in
the real environment win over it; a blank value means "the default". `.env.example` documents
each variable.

Every value is checked here, before anything else runs: each bad one is reported on standard
error in one line that names the variable and what it accepts, all of them at once, and the
process exits (`_stop_on_problems` at the end says how).
"""

import re
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from environs import Env, EnvError, validate

from backend.jwt_keys import check_key_pair

BASE_DIR = Path(__file__).resolve().parent.parent


class _Environment(Env):
    def _get_value(self, env_key, default):
        # A blank value means "the default": a copied .env.example leaves most variables empty,
        # and environs would parse "" as a value (an invalid number, an empty list). A blank
        # variable in the real environment still wins over .env. environs' own FileAwareEnv
        # extends this same method.
        value = super()._get_value(env_key, default)
        if isinstance(value, str):
            return value.strip() or default
        return value


env = _Environment()
# environs keeps .env's values apart and looks at the real environment first.
env.read_env(BASE_DIR / ".env", recurse=False)

# One line per bad value, reported together at the end.
_problems: list[str] = []
_A_CENTURY = 100 * 365 * 24 * 3600
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _parsed(parse, name: str, default, accepts: str, **options):
    """`parse(name, default, **options)`; for a bad value, the default and a problem noted."""
    try:
        return parse(name, default, **options)
    except EnvError:
        _problems.append(f"{name} must be {accepts}, not {env.str(name)!r}.")
        return default


def _flag(name: str, default: bool) -> bool:
    return _parsed(env.bool, name, default, "true or false (or 1/0, yes/no, on/off)")


def _whole(
    name: str, default: int, *, minimum: int, maximum: int | None = None, unit: str = "seconds"
) -> int:
    bounds = f"{minimum} or more" if maximum is None else f"from {minimum} to {maximum}"
    accepts = f"a whole number of {unit}, {bounds}" if unit else f"a whole number, {bounds}"
    return _parsed(env.int, name, default, accepts, validate=validate.Range(min=minimum, max=maximum))


def _seconds(name: str, default: float, *, zero_allowed: bool) -> float:
    # Fractions allowed; never infinite (marshmallow refuses inf and nan).
    accepts = "a number of seconds, " + ("0 or more" if zero_allowed else "more than 0")
    return _parsed(
        env.float, name, default, accepts, validate=validate.Range(min=0, min_inclusive=zero_allowed)
    )


def _names(name: str, default: list[str]) -> list[str]:
    return [item.strip() for item in env.list(name, default) if item.strip()]


# What DRF's throttles parse (they read only the number and the period's first letter, so a
# typo would otherwise pass as some other period, and "20 per min" fail at the first request).
_RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)\Z")


def _rate(name: str, default: str) -> str:
    accepts = (
        "N/PERIOD with N 1 or more and PERIOD one of s, sec, second, m, min, minute, h, hour, d, "
        "day (e.g. 20/min)"
    )
    return _parsed(env.str, name, default, accepts, validate=validate.Regexp(_RATE))


def _key_file(name: str, algorithm: str) -> str:
    """The text of the file whose path the variable holds, or "" with a problem noted."""
    path = env.str(name, "")
    if not path:
        _problems.append(
            f"{name} must be set to the path of a readable PEM file when JWT_ALGORITHM is {algorithm}."
        )
        return ""
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        _problems.append(
            f"{name}: cannot read {path!r} ({reason}); it must be the path of a readable PEM file."
        )
        return ""


DEBUG = _flag("DJANGO_DEBUG", False)

# Only ever used with DEBUG on, so a developer can run the server without any setup.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production"  # noqa: S105 (refused when DEBUG is off)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    _problems.append(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters that does not "
        "start with 'django-insecure' when DJANGO_DEBUG is off; generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
SECRET_KEY = SECRET_KEY or _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = _names("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    # Django would start, then answer every request 400.
    _problems.append(
        "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is off: the host names this server "
        "answers to, comma-separated (e.g. api.example.com)."
    )
# A scheme, path or port never matches the Host header Django compares (without its port).
_bad_hosts = [
    host for host in ALLOWED_HOSTS if not re.fullmatch(r"\*|\.?[^\s/:@\[\]*]+|\[[0-9A-Fa-f:.]+\]", host)
]
if _bad_hosts:
    _problems.append(
        "DJANGO_ALLOWED_HOSTS must list host names without scheme, port or path (e.g. "
        f"api.example.com, .example.com for its subdomains too), not {_bad_hosts[0]!r}."
    )

INSTALLED_APPS = [
    # api first, so its flushexpiredtokens command (which also prunes token families)
    # overrides the blacklist app's command of the same name.
    "api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
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
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
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

_SQLITE, _POSTGRESQL = "django.db.backends.sqlite3", "django.db.backends.postgresql"


def _database(name: str, default: str) -> dict:
    """The parsed database URL, or the default's with a problem noted. The value itself is never
    printed: it may hold a password."""
    try:
        config = env.dj_db_url(name, default)
    except EnvError:
        wrong = "is neither (not shown: it may hold a password)"
    else:
        if config["ENGINE"] not in (_SQLITE, _POSTGRESQL):
            scheme = urlsplit(env.str(name)).scheme
            wrong = f"is a {scheme}:// URL, for which this project installs no driver"
        elif config["ENGINE"] == _POSTGRESQL and not config["NAME"]:
            # Django would refuse every connection, so every request would answer 503.
            wrong = "names no database"
        else:
            return config
    _problems.append(
        f"{name} must be sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME (postgresql:// "
        f"also works); the value set {wrong}."
    )
    return dj_database_url.parse(default)


DATABASES = {"default": _database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Seconds to wait for a new PostgreSQL connection (psycopg counts 1 as 2, 0 as 130); also how long
# the health check waits for the database before calling it unavailable.
DATABASE_CONNECT_TIMEOUT = _whole("DATABASE_CONNECT_TIMEOUT", 3, minimum=2)
# PostgreSQL only, but checked with SQLite too, so that a bad value shows before the move.
_conn_max_age = _whole("DATABASE_CONN_MAX_AGE", 600, minimum=0)
# Milliseconds; PostgreSQL refuses a connection that asks for more than its integers hold.
_statement_timeout = _whole(
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
    # (README, "Outages"). libpq parameters, enforced by psycopg and by the server.
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
DATABASE_REQUEST_TIMEOUT = _seconds("DATABASE_REQUEST_TIMEOUT", 10, zero_allowed=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- HTTPS (the production defaults pass `manage.py check --deploy`) ------------------------

# Behind a proxy that terminates TLS, Django sees plain HTTP; trust the proxy's
# X-Forwarded-Proto only when told to, since a client could send that header itself.
if _flag("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = _flag("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP on the private port.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
SECURE_HSTS_SECONDS = _whole(
    "DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0, maximum=_A_CENTURY
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off unless asked: browsers' preload lists are slow to leave (README, "Production").
SECURE_HSTS_PRELOAD = _flag("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = _flag("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = _flag("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)

# --- Cache (throttle counters) --------------------------------------------------------------

_redis_url = env.str("REDIS_URL", "")
# Seconds to wait for Redis to accept a connection or answer a command: a stopped or hung Redis
# then costs one request this long, after which the throttles count in process memory for a
# while (api/core/throttle_cache.py). 0 would mean waiting for ever.
REDIS_TIMEOUT = _seconds("REDIS_TIMEOUT", 1, zero_allowed=False)
if _redis_url:
    # Parsed as redis-py will (Django's backend splits a list of servers at , and ;); imported
    # only here, as workers without Redis need not load it.
    from redis.connection import parse_url

    try:
        for _location in re.split("[;,]", _redis_url):
            parse_url(_location.strip())
    except ValueError:
        _problems.append(
            "REDIS_URL must be redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://... (TLS) or "
            "unix:///PATH; the value set is not (not shown: it may hold a password)."
        )
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
    "NUM_PROXIES": _whole("NUM_PROXIES", 0, minimum=0, unit=""),
}

# Throttles read these on every request (not at import time), so tests can change them.
AUTH_THROTTLE_RATE = _rate("AUTH_THROTTLE_RATE", "20/min")
LOGIN_FAILURE_RATE = _rate("LOGIN_FAILURE_RATE", "10/hour")
# A client that logged in to an account before gets a device cookie for it (api/sessions/login_devices.py):
# its failed logins for that account are counted on their own, so failures from elsewhere
# cannot lock it out. Seconds it is honoured for; Secure (HTTPS only) unless in development.
LOGIN_DEVICE_COOKIE_AGE = _whole("LOGIN_DEVICE_COOKIE_AGE", 90 * 24 * 3600, minimum=1, maximum=_A_CENTURY)
LOGIN_DEVICE_COOKIE_SECURE = _flag("LOGIN_DEVICE_COOKIE_SECURE", not DEBUG)

# HS256 signs with a secret shared by everything that verifies tokens. RS256 and ES256 sign
# with a private key whose public half /.well-known/jwks.json publishes, so other services
# verify access tokens without holding anything that could forge them.
JWT_ALGORITHMS = ("HS256", "RS256", "ES256")
JWT_ALGORITHM = _parsed(
    env.str,
    "JWT_ALGORITHM",
    "HS256",
    f"one of {', '.join(JWT_ALGORITHMS)}",
    validate=validate.OneOf(JWT_ALGORITHMS),
)
# HMAC keys shorter than the hash (32 bytes for SHA-256) weaken it (RFC 7518, section 3.2), in
# development too: a short key there ends up in a production .env.
_JWT_MIN_KEY_LENGTH = 32
_jwt_secret = env.str("JWT_SIGNING_KEY", "")
if _jwt_secret and len(_jwt_secret) < _JWT_MIN_KEY_LENGTH:
    _problems.append(
        f"JWT_SIGNING_KEY must be at least {_JWT_MIN_KEY_LENGTH} characters when set, whatever "
        "DJANGO_DEBUG says (unset, DJANGO_SECRET_KEY signs the tokens)."
    )
if JWT_ALGORITHM == "HS256":
    if DEBUG and not _jwt_secret and len(SECRET_KEY) < _JWT_MIN_KEY_LENGTH:
        # With DEBUG off the secret key's own rule above already asks for 50 characters.
        _problems.append(
            f"DJANGO_SECRET_KEY must be at least {_JWT_MIN_KEY_LENGTH} characters when it signs "
            "the tokens (JWT_SIGNING_KEY unset), whatever DJANGO_DEBUG says."
        )
    _jwt_signing_key = _jwt_secret or SECRET_KEY
    _jwt_verifying_key = ""
else:
    _jwt_signing_key = _key_file("JWT_PRIVATE_KEY_FILE", JWT_ALGORITHM)
    _jwt_verifying_key = _key_file("JWT_PUBLIC_KEY_FILE", JWT_ALGORITHM)
    if _jwt_signing_key and _jwt_verifying_key:
        try:
            check_key_pair(JWT_ALGORITHM, _jwt_signing_key, _jwt_verifying_key)
        except ValueError as exc:
            _problems.append(
                f"JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must name a key pair {JWT_ALGORITHM} "
                f"can sign with, but {exc}."
            )

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(
        seconds=_whole("JWT_ACCESS_TOKEN_LIFETIME", 300, minimum=1, maximum=_A_CENTURY)
    ),
    "REFRESH_TOKEN_LIFETIME": timedelta(
        seconds=_whole("JWT_REFRESH_TOKEN_LIFETIME", 86400, minimum=1, maximum=_A_CENTURY)
    ),
    "ROTATE_REFRESH_TOKENS": _flag("JWT_ROTATE_REFRESH_TOKENS", True),
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": JWT_ALGORITHM,
    "SIGNING_KEY": _jwt_signing_key,
    "VERIFYING_KEY": _jwt_verifying_key,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # The project's token class: it signs with a `kid` header (api/sessions/tokens.py).
    "AUTH_TOKEN_CLASSES": ("api.sessions.tokens.AccessToken",),
    "TOKEN_OBTAIN_SERIALIZER": "api.sessions.serializers.TokenObtainPairSerializer",
    "TOKEN_REFRESH_SERIALIZER": "api.sessions.serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "api.sessions.serializers.TokenVerifySerializer",
    "TOKEN_BLACKLIST_SERIALIZER": "api.sessions.serializers.TokenBlacklistSerializer",
}

# 0 turns the grace off: a just-spent refresh token is then always a reuse.
JWT_REFRESH_REUSE_GRACE = _whole("JWT_REFRESH_REUSE_GRACE", 30, minimum=0, maximum=_A_CENTURY)
JWT_SESSION_MAX_AGE = _whole("JWT_SESSION_MAX_AGE", 30 * 24 * 3600, minimum=1, maximum=_A_CENTURY)

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

# --- CORS -----------------------------------------------------------------------------------

CORS_ALLOWED_ORIGINS = _names(
    "CORS_ALLOWED_ORIGINS",
    ["http://localhost:5173", "http://localhost:3000"] if DEBUG else [],
)


def _is_origin(origin: str) -> bool:
    # As django-cors-headers' own check, which only `manage.py check` would run: an origin is
    # scheme://host[:port], with no path (not even "/"); "null" and "file://" are browsers' own.
    parts = urlsplit(origin)
    return origin in ("null", "file://") or bool(
        parts.scheme and parts.netloc and not (parts.path or parts.query or parts.fragment)
    )


if _bad_origins := [origin for origin in CORS_ALLOWED_ORIGINS if not _is_origin(origin)]:
    _problems.append(
        "CORS_ALLOWED_ORIGINS must list origins, scheme://host[:port] without a path (e.g. "
        f"https://app.example.com), comma-separated, not {_bad_origins[0]!r}."
    )
# Browsers hide response headers from scripts unless they are exposed.
CORS_EXPOSE_HEADERS = ["Link", "Retry-After"]
# Lets the allowed origins send and receive cookies (the login device cookie) with credentialed
# requests; tokens themselves travel in the Authorization header and need no cookie.
CORS_ALLOW_CREDENTIALS = _flag("CORS_ALLOW_CREDENTIALS", False)

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

_log_level = _parsed(
    env.str,
    "LOG_LEVEL",
    "INFO",
    f"one of {', '.join(_LOG_LEVELS)}",
    validate=lambda level: validate.OneOf(_LOG_LEVELS)(level.upper()),
).upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Standard output, where process managers and platforms collect logs.
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": _log_level},
}


# --- Stop on a bad value ----------------------------------------------------------------------

# A worker that exits with 4 makes gunicorn's master stop ("App failed to load.") instead of
# starting worker after worker; Django's autoreloader restarts a child that exits with 3, and
# stops on any other code.
_EXIT_BAD_SETTINGS = 4


def _stop_on_problems() -> None:
    """Print each problem on a line of its own and exit: no traceback, and before Django,
    gunicorn or pytest runs anything with these settings."""
    if _problems:
        sys.stderr.write("".join(f"{problem}\n" for problem in _problems))
        sys.stderr.flush()
        raise SystemExit(_EXIT_BAD_SETTINGS)


_stop_on_problems()
