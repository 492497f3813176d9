"""Refresh cookie mode's settings: each bad value or combination stops startup with one line that
names the variable, and cookie mode turns on what it needs (credentialed CORS, the CSRF cookie's
SameSite, trusted origins). Settings are read once per process, so each case is a process."""

import pytest

from api.tests.core.test_settings import assert_refused, assert_starts, check
from api.tests.live import settings_in_process

FRONTENDS = "https://app.example.com,http://localhost:5173"


@pytest.mark.parametrize(
    "variables, variable, says",
    [
        ({"JWT_REFRESH_COOKIE": "sometimes"}, "JWT_REFRESH_COOKIE", "true or false"),
        ({"JWT_REFRESH_COOKIE_SECURE": "maybe"}, "JWT_REFRESH_COOKIE_SECURE", "true or false"),
        ({"JWT_REFRESH_COOKIE_SAMESITE": "Loose"}, "JWT_REFRESH_COOKIE_SAMESITE", "one of Lax, Strict, None"),
        (
            {"JWT_REFRESH_COOKIE_SAMESITE": "None", "JWT_REFRESH_COOKIE_SECURE": "false"},
            "JWT_REFRESH_COOKIE_SAMESITE",
            "must be Lax or Strict when JWT_REFRESH_COOKIE_SECURE is off",
        ),
        ({"JWT_REFRESH_COOKIE_NAME": "refresh token"}, "JWT_REFRESH_COOKIE_NAME", "a cookie name of letters"),
        ({"JWT_REFRESH_COOKIE_NAME": "login_device"}, "JWT_REFRESH_COOKIE_NAME", "must differ from"),
        ({"JWT_REFRESH_COOKIE_NAME": "__Host-refresh"}, "JWT_REFRESH_COOKIE_NAME", "need Path=/"),
        (
            {"JWT_REFRESH_COOKIE_NAME": "__Secure-refresh", "JWT_REFRESH_COOKIE_SECURE": "false"},
            "JWT_REFRESH_COOKIE_SECURE",
            "must be on when JWT_REFRESH_COOKIE_NAME starts with __Secure-",
        ),
        ({"CORS_ALLOW_ALL_ORIGINS": "true"}, "CORS_ALLOW_ALL_ORIGINS", "must not be set"),
        (
            {"JWT_REFRESH_COOKIE": "true", "CORS_ALLOW_CREDENTIALS": "false"},
            "CORS_ALLOW_CREDENTIALS",
            "must be true or blank when JWT_REFRESH_COOKIE is on",
        ),
        (
            {
                "JWT_REFRESH_COOKIE": "true",
                "JWT_REFRESH_COOKIE_SAMESITE": "None",
                "DJANGO_CSRF_COOKIE_SECURE": "no",
            },
            "DJANGO_CSRF_COOKIE_SECURE",
            "must be on when JWT_REFRESH_COOKIE_SAMESITE is None",
        ),
    ],
    ids=[
        "mode-not-a-flag",
        "secure-not-a-flag",
        "unknown-samesite",
        "samesite-none-without-secure",
        "name-with-a-space",
        "name-of-another-cookie",
        "host-prefix",
        "secure-prefix-without-secure",
        "cors-allow-all",
        "cookie-mode-without-cors-credentials",
        "samesite-none-with-an-insecure-csrf-cookie",
    ],
)
def test_a_bad_cookie_setting_stops_startup_with_one_line_naming_it(variables, variable, says):
    (line,) = assert_refused(check(**variables), variable)

    assert line.startswith(f"{variable} must ")
    assert says in line


def test_defaults_keep_bearer_mode_and_a_secure_lax_cookie_ready():
    values = settings_in_process(
        {
            "mode": "s.JWT_REFRESH_COOKIE",
            "name": "s.JWT_REFRESH_COOKIE_NAME",
            "secure": "s.JWT_REFRESH_COOKIE_SECURE",
            "samesite": "s.JWT_REFRESH_COOKIE_SAMESITE",
            "credentials": "s.CORS_ALLOW_CREDENTIALS",
            "allow_all": "s.CORS_ALLOW_ALL_ORIGINS",
            "csrf_samesite": "s.CSRF_COOKIE_SAMESITE",
        }
    )

    assert values == {
        "mode": False,
        "name": "refresh_token",
        "secure": True,
        "samesite": "Lax",
        # For the login device cookie of the reference client's credentialed logins.
        "credentials": True,
        "allow_all": False,
        "csrf_samesite": "Lax",
    }


def test_cookie_mode_turns_on_credentials_and_trusts_the_cors_origins_for_csrf():
    values = settings_in_process(
        {
            "credentials": "s.CORS_ALLOW_CREDENTIALS",
            "trusted": "s.CSRF_TRUSTED_ORIGINS",
            "csrf_samesite": "s.CSRF_COOKIE_SAMESITE",
            "csrf_secure": "s.CSRF_COOKIE_SECURE",
            "samesite": "s.JWT_REFRESH_COOKIE_SAMESITE",
        },
        JWT_REFRESH_COOKIE="true",
        JWT_REFRESH_COOKIE_SAMESITE="none",
        CORS_ALLOWED_ORIGINS=f"{FRONTENDS},null",
    )

    assert values == {
        "credentials": True,
        "trusted": FRONTENDS.split(","),
        # The CSRF cookie goes wherever the refresh cookie goes, or the CSRF check fails.
        "csrf_samesite": "None",
        "csrf_secure": True,
        "samesite": "None",
    }


def test_plain_http_development_starts_with_secure_off_and_samesite_lax():
    assert_starts(
        check(
            DJANGO_DEBUG="true",
            JWT_REFRESH_COOKIE="true",
            JWT_REFRESH_COOKIE_SECURE="false",
            CORS_ALLOW_CREDENTIALS="true",
        )
    )


@pytest.mark.parametrize(
    "variables, csrf_secure",
    [
        ({"JWT_REFRESH_COOKIE_SECURE": "false"}, False),
        ({"JWT_REFRESH_COOKIE_SECURE": "true"}, True),
        ({}, True),
        # Explicitly set, the CSRF cookie's own variable wins.
        ({"JWT_REFRESH_COOKIE_SECURE": "false", "DJANGO_CSRF_COOKIE_SECURE": "true"}, True),
        ({"JWT_REFRESH_COOKIE_SECURE": "true", "DJANGO_CSRF_COOKIE_SECURE": "false"}, False),
    ],
    ids=["refresh-not-secure", "refresh-secure", "defaults", "csrf-set-on", "csrf-set-off"],
)
def test_csrf_cookie_is_not_secure_when_refresh_cookie_is_not_secure(variables, csrf_secure):
    values = settings_in_process(
        {"csrf_secure": "s.CSRF_COOKIE_SECURE"}, JWT_REFRESH_COOKIE="true", **variables
    )

    assert values == {"csrf_secure": csrf_secure}


def test_bearer_mode_keeps_the_csrf_cookie_secure_with_debug_off():
    values = settings_in_process({"csrf_secure": "s.CSRF_COOKIE_SECURE"}, JWT_REFRESH_COOKIE_SECURE="false")

    assert values == {"csrf_secure": True}
