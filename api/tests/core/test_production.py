"""Production configuration: HTTPS settings from the environment, `check --deploy`, static
files, and the request log."""

import logging
import re
import shlex

import pytest

from api.tests.live import ROOT, manage, project_env, settings_in_process

HTTPS_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER",
)
# What README's "Production" section asks one server on SQLite to set, beyond the secret key.
PRODUCTION = {"DJANGO_ALLOWED_HOSTS": "notes.example.com"}


def _settings_in_process(**variables: str) -> dict:
    """The HTTPS settings of a new process started with `variables` (settings read env once)."""
    return settings_in_process({name: f"getattr(s, {name!r}, None)" for name in HTTPS_SETTINGS}, **variables)


# --- HTTPS settings -------------------------------------------------------------------------


def test_production_defaults_redirect_to_https_and_send_hsts_and_secure_cookies():
    assert _settings_in_process() == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_development_defaults_allow_plain_http():
    found = _settings_in_process(DJANGO_DEBUG="true")

    assert found["SECURE_SSL_REDIRECT"] is False
    assert found["SECURE_HSTS_SECONDS"] == 0
    assert found["SESSION_COOKIE_SECURE"] is False
    assert found["CSRF_COOKIE_SECURE"] is False


def test_each_https_setting_follows_its_variable():
    found = _settings_in_process(
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_HSTS_SECONDS="600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        DJANGO_SECURE_HSTS_PRELOAD="true",
        DJANGO_SESSION_COOKIE_SECURE="false",
        DJANGO_CSRF_COOKIE_SECURE="false",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
    )

    assert found == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


# --- manage.py check --deploy ---------------------------------------------------------------


def _readme_release_check() -> list[str]:
    """The arguments of `python manage.py check` in the README's release commands."""
    section = re.search(r"^## Production\n(.*?)(?=^## )", (ROOT / "README.md").read_text(), re.S | re.M)
    assert section, "README.md has no 'Production' section"
    (line,) = re.findall(r"^python manage\.py (check .*)$", section.group(1), re.M)
    return shlex.split(line.split("#")[0])


def test_readme_release_check_passes_on_the_readme_production_variables():
    assert _readme_release_check()[:4] == ["check", "--deploy", "--fail-level", "WARNING"]

    result = manage(*_readme_release_check(), env=project_env(**PRODUCTION))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("preload", ["false", "true"])
def test_deploy_check_is_clean_with_hsts_preload_on_or_off(preload):
    # Off, the default, is a choice (docs/operations.md, "HSTS"), so its warning is silenced.
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=project_env(**PRODUCTION, DJANGO_SECURE_HSTS_PRELOAD=preload),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "variable, value, warning",
    [
        ("DJANGO_SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", "false", "security.W005"),
        ("DJANGO_SECURE_SSL_REDIRECT", "false", "security.W008"),
        # W010, not W012: Django looks for its own SessionMiddleware by name, and the admin's
        # (api/core/admin_middleware.py) is a subclass; the warning is the same.
        ("DJANGO_SESSION_COOKIE_SECURE", "false", "security.W010"),
        ("DJANGO_CSRF_COOKIE_SECURE", "false", "security.W016"),
    ],
)
def test_deploy_check_fails_without_each_protection(variable, value, warning):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=project_env(**{**PRODUCTION, variable: value})
    )

    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


# --- HTTPS behaviour ------------------------------------------------------------------------


def test_plain_http_is_redirected_to_https(api_client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = api_client.get("/api/notes/?search=x")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/api/notes/?search=x"


def test_health_check_is_answered_over_plain_http(api_client, settings, db):
    settings.SECURE_SSL_REDIRECT = True

    assert api_client.get("/api/health/").status_code == 200


def test_https_terminated_by_a_trusted_proxy_is_not_redirected_and_gets_hsts(api_client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = api_client.get("/api/notes/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 401
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_forwarded_proto_is_ignored_unless_the_proxy_is_trusted(api_client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = api_client.get("/api/notes/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301


# --- Static files ---------------------------------------------------------------------------


def test_admin_static_files_are_served_with_debug_off(client):
    response = client.get("/static/admin/css/base.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


# --- Request log ----------------------------------------------------------------------------


def _request_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "api.requests"]


def test_each_request_is_logged_in_one_line_with_status_duration_and_user(auth_client, user, caplog):
    with caplog.at_level(logging.INFO, logger="api.requests"):
        auth_client.get("/api/notes/")
        auth_client.get("/api/nothing-here/")

    first, second = _request_lines(caplog)
    method, path, status, duration, who = first.split(" ")
    assert (method, path, status, who) == ("GET", "/api/notes/", "200", f"user={user.pk}")
    assert duration.endswith("ms")
    assert float(duration.removesuffix("ms")) >= 0
    assert second.startswith("GET /api/nothing-here/ 404 ")


def test_anonymous_request_is_logged_without_a_user(api_client, caplog):
    with caplog.at_level(logging.INFO, logger="api.requests"):
        api_client.get("/api/notes/")

    (line,) = _request_lines(caplog)
    assert line.startswith("GET /api/notes/ 401 ")
    assert line.endswith(" user=-")


def test_request_log_never_holds_tokens_passwords_or_query_strings(api_client, user, caplog):
    password = "correct horse battery staple"
    with caplog.at_level(logging.DEBUG):
        pair = api_client.post(
            "/api/token/", {"username": user.username, "password": password}, format="json"
        ).json()
        renewed = api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}, format="json").json()
        api_client.get(
            "/api/notes/?search=my-secret-term&cursor=opaque-cursor",
            HTTP_AUTHORIZATION=f"Bearer {renewed['access']}",
        )

    lines = _request_lines(caplog)
    assert [line.split(" ")[:3] for line in lines] == [
        ["POST", "/api/token/", "200"],
        ["POST", "/api/token/refresh/", "200"],
        ["GET", "/api/notes/", "400"],  # the cursor is not a real one
    ]
    for secret in (password, pair["access"], pair["refresh"], renewed["access"], renewed["refresh"]):
        assert secret not in caplog.text
    for fragment in ("my-secret-term", "opaque-cursor"):
        assert fragment not in caplog.text


def test_request_log_line_cannot_be_split_by_the_url(api_client, caplog):
    with caplog.at_level(logging.INFO, logger="api.requests"):
        api_client.get("/api/x%0AGET%20/api/forged/%20200")

    (line,) = _request_lines(caplog)
    assert "\n" not in line
    assert line.startswith("GET /api/x%0AGET%20/api/forged/%20200 404 ")
