"""Django settings for the notes API.

Every value that differs between machines comes from the environment, read here and nowhere
else. A `.env` file at the repository root is loaded first, but variables already set in the
real environment win over it. `.env.example` documents each variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from backend.jwt_keys import check_key_pair

BASE_DIR = Path(__file__).resolve().parent.parent

load_dotenv(BASE_DIR / ".env", override=False)


def env_str(name: str, default: str) -> str:
    # An empty value (as in a copied .env.example) means "use the default".
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name, "").lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name, "")
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_seconds(name: str, default: float) -> float:
    value = env_str(name, "")
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}.")
    return seconds


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name, "")
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_file(name: str) -> str:
    """The text of the file whose path the variable holds; startup stops if there is none."""
    path = env_str(name, "")
    if not path:
        raise ImproperlyConfigured(f"{name} must be set to the path of a readable file.")
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ImproperlyConfigured(f"{name}: cannot read {path!r}: {reason}.") from None


DEBUG = env_bool("DJANGO_DEBUG", False)

# Only ever used with DEBUG on, so a developer can run the server without any setup.
_DEVELOPMENT_SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production"  # noqa: S105 (refused when DEBUG is off)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not DEBUG and (
    len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters that does "
        "not start with 'django-insecure' when DJANGO_DEBUG is off. Generate one with: "
        'python -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
SECRET_KEY = SECRET_KEY or _DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])

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
    "api.middleware.RequestLogMiddleware",
    # Bounds the whole request's wait for the database, whatever middleware or view queries it.
    "api.db_deadline.DatabaseDeadlineMiddleware",
    # Outside everything that can answer an error itself (a refused Host header included).
    "api.middleware.JSONErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Right after SecurityMiddleware (as whitenoise asks): static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware so that preflight and error responses carry CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    # Before anything reads a body: a chunked one is read within the size limit, or refused.
    "api.parsers.ChunkedBodyMiddleware",
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

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# Seconds to wait for a new PostgreSQL connection (psycopg counts 1 as 2, 0 as 130); also how long
# the health check waits for the database before calling it unavailable.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
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
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable or overloaded database must cost a request seconds, not hold a worker
    # (README, "Outages"). libpq parameters, enforced by psycopg and by the server.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if _statement_timeout := env_int("DATABASE_STATEMENT_TIMEOUT", 5000):
        # 0 sends nothing, so the role's or server's own setting applies (PgBouncer refuses
        # the `options` parameter).
        _db_options["options"] = (
            f"{_db_options.get('options', '')} -c statement_timeout={_statement_timeout}".strip()
        )
# Past this, a request still waiting for the database has its connection cut and answers 503:
# the bound for a server that stopped answering on an open connection (api/db_deadline.py).
DATABASE_REQUEST_TIMEOUT = env_seconds("DATABASE_REQUEST_TIMEOUT", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- HTTPS (the production defaults pass `manage.py check --deploy`) ------------------------

# Behind a proxy that terminates TLS, Django sees plain HTTP; trust the proxy's
# X-Forwarded-Proto only when told to, since a client could send that header itself.
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe the health check over plain HTTP on the private port.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
# Off unless asked: browsers' preload lists are slow to leave (README, "Production").
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)

# --- Cache (throttle counters) --------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL", "")
# Seconds to wait for Redis to accept a connection or answer a command: a stopped or hung Redis
# then costs one request this long, after which the throttles count in process memory for a
# while (api/throttle_cache.py).
REDIS_TIMEOUT = env_seconds("REDIS_TIMEOUT", 1) or None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
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
    "api.hashers.Argon2idPasswordHasher",
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
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON nested at most 32 deep; every decoding failure a 400 (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "api.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

# Throttles read these on every request (not at import time), so tests can change them.
AUTH_THROTTLE_RATE = env_str("AUTH_THROTTLE_RATE", "20/min")
LOGIN_FAILURE_RATE = env_str("LOGIN_FAILURE_RATE", "10/hour")
# A client that logged in to an account before gets a device cookie for it (api/login_devices.py):
# its failed logins for that account are counted on their own, so failures from elsewhere
# cannot lock it out. Seconds it is honoured for; Secure (HTTPS only) unless in development.
LOGIN_DEVICE_COOKIE_AGE = env_int("LOGIN_DEVICE_COOKIE_AGE", 90 * 24 * 3600)
LOGIN_DEVICE_COOKIE_SECURE = env_bool("LOGIN_DEVICE_COOKIE_SECURE", not DEBUG)

# HS256 signs with a secret shared by everything that verifies tokens. RS256 and ES256 sign
# with a private key whose public half /.well-known/jwks.json publishes, so other services
# verify access tokens without holding anything that could forge them.
JWT_ALGORITHMS = ("HS256", "RS256", "ES256")
JWT_ALGORITHM = env_str("JWT_ALGORITHM", "HS256")
if JWT_ALGORITHM not in JWT_ALGORITHMS:
    raise ImproperlyConfigured(
        f"JWT_ALGORITHM must be one of {', '.join(JWT_ALGORITHMS)}, not {JWT_ALGORITHM!r}."
    )
if JWT_ALGORITHM == "HS256":
    _jwt_signing_key = env_str("JWT_SIGNING_KEY", "") or SECRET_KEY
    _jwt_verifying_key = ""
    if not DEBUG and len(_jwt_signing_key) < 32:
        raise ImproperlyConfigured("JWT_SIGNING_KEY must be at least 32 characters when set.")
else:
    _jwt_signing_key = env_file("JWT_PRIVATE_KEY_FILE")
    _jwt_verifying_key = env_file("JWT_PUBLIC_KEY_FILE")
    try:
        check_key_pair(JWT_ALGORITHM, _jwt_signing_key, _jwt_verifying_key)
    except ValueError as exc:
        raise ImproperlyConfigured(f"JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE: {exc}.") from None

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_ACCESS_TOKEN_LIFETIME", 300)),
    "REFRESH_TOKEN_LIFETIME": timedelta(seconds=env_int("JWT_REFRESH_TOKEN_LIFETIME", 86400)),
    "ROTATE_REFRESH_TOKENS": env_bool("JWT_ROTATE_REFRESH_TOKENS", True),
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "ALGORITHM": JWT_ALGORITHM,
    "SIGNING_KEY": _jwt_signing_key,
    "VERIFYING_KEY": _jwt_verifying_key,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # The project's token class: it signs with a `kid` header (api/tokens.py).
    "AUTH_TOKEN_CLASSES": ("api.tokens.AccessToken",),
    "TOKEN_OBTAIN_SERIALIZER": "api.serializers.TokenObtainPairSerializer",
    "TOKEN_REFRESH_SERIALIZER": "api.serializers.TokenRefreshSerializer",
    "TOKEN_VERIFY_SERIALIZER": "api.serializers.TokenVerifySerializer",
    "TOKEN_BLACKLIST_SERIALIZER": "api.serializers.TokenBlacklistSerializer",
}

JWT_REFRESH_REUSE_GRACE = env_int("JWT_REFRESH_REUSE_GRACE", 30)
JWT_SESSION_MAX_AGE = env_int("JWT_SESSION_MAX_AGE", 30 * 24 * 3600)

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

CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS",
    ["http://localhost:5173", "http://localhost:3000"] if DEBUG else [],
)
# Browsers hide response headers from scripts unless they are exposed.
CORS_EXPOSE_HEADERS = ["Link", "Retry-After"]
# Lets the allowed origins send and receive cookies (the login device cookie) with credentialed
# requests; tokens themselves travel in the Authorization header and need no cookie.
CORS_ALLOW_CREDENTIALS = env_bool("CORS_ALLOW_CREDENTIALS", False)

# --- Internationalization, static files -----------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The admin's and the API docs' assets, gathered by `manage.py collectstatic`, served by whitenoise.
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Content-hashed, pre-compressed names, so whitenoise can let clients cache them forever.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logging: never a token or a password ---------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Standard output, where process managers and platforms collect logs.
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
