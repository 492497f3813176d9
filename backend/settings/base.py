"""The environment reader every other settings module shares, and Django's own frame: debug mode,
the secret key, host names, apps, middleware, templates, languages and static files."""

from pathlib import Path

from backend.environment import Environment

BASE_DIR = Path(__file__).resolve().parent.parent.parent


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
    # With DPOP_NONCE on, the next nonce on every answer to a DPoP request (RFC 9449 section 8.2).
    "api.dpop.middleware.DpopNonceMiddleware",
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
