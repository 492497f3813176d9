"""The email and account recovery settings: each bad value stops startup with one line naming
the variable and what it accepts; the mail server's URL is never printed (each case is a process
of its own, as in api/tests/core/test_settings.py)."""

import subprocess

import pytest

from api.tests.live import manage, project_env, settings_in_process

EXIT_BAD_SETTINGS = 4
# Stands for the SMTP password: it must never be printed.
PASSWORD = "hunter2-do-not-print"
# Account mail as a production server sets it up: all four together.
PRODUCTION_MAIL = {
    "EMAIL_URL": f"smtp://notes:{PASSWORD}@mail.example.com:587?tls=1",
    "PASSWORD_RESET_URL": "https://app.example.com/reset/{uid}/{token}",
    "EMAIL_VERIFY_URL": "https://app.example.com/verify-email/{uid}/{token}",
    "DEFAULT_FROM_EMAIL": "Notes <no-reply@example.com>",
}
_MAIL_SETTINGS = {
    "backend": "s.EMAIL_BACKEND",
    "host": "s.EMAIL_HOST",
    "port": "s.EMAIL_PORT",
    "user": "s.EMAIL_HOST_USER",
    "password": "s.EMAIL_HOST_PASSWORD",
    "tls": "s.EMAIL_USE_TLS",
    "ssl": "s.EMAIL_USE_SSL",
    "timeout": "s.EMAIL_TIMEOUT",
    "sender": "s.DEFAULT_FROM_EMAIL",
    "reset": "s.PASSWORD_RESET_URL",
    "verify": "s.EMAIL_VERIFY_URL",
    "reset_timeout": "s.PASSWORD_RESET_TIMEOUT",
    "verify_timeout": "s.EMAIL_VERIFY_TIMEOUT",
    "required": "s.REQUIRE_EMAIL_VERIFICATION",
    "ip_rate": "SimpleRateThrottle.parse_rate(None, s.EMAIL_THROTTLE_RATE)",
    "address_rate": "SimpleRateThrottle.parse_rate(None, s.EMAIL_ADDRESS_THROTTLE_RATE)",
}
SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"


def check(**variables: str) -> subprocess.CompletedProcess:
    return manage("check", env=project_env(**variables))


def assert_refused(result: subprocess.CompletedProcess, *variables: str) -> list[str]:
    """The process stopped at the settings, printing one line per bad variable and no more."""
    assert result.returncode == EXIT_BAD_SETTINGS, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert sorted(line.split(" ", 1)[0] for line in lines) == sorted(variables), lines
    return lines


def assert_starts(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""


# --- Defaults -------------------------------------------------------------------------------


def test_development_prints_mail_and_links_to_a_local_frontend():
    values = settings_in_process(_MAIL_SETTINGS, DJANGO_DEBUG="true")

    assert values["backend"] == CONSOLE
    assert values["reset"] == "http://localhost:5173/reset/{uid}/{token}"
    assert values["verify"] == "http://localhost:5173/verify-email/{uid}/{token}"
    assert values["timeout"] == 10
    assert values["reset_timeout"] == 3600
    assert values["required"] is False
    assert values["ip_rate"] == [10, 3600]
    assert values["address_rate"] == [3, 3600]


def test_production_without_account_mail_starts_and_builds_no_links():
    values = settings_in_process(_MAIL_SETTINGS)

    assert (values["reset"], values["verify"]) == ("", "")


def test_production_with_account_mail_reads_the_url():
    values = settings_in_process(_MAIL_SETTINGS, **PRODUCTION_MAIL, EMAIL_TIMEOUT="2.5")

    assert values["backend"] == SMTP
    assert (values["host"], values["port"], values["user"], values["password"]) == (
        "mail.example.com",
        587,
        "notes",
        PASSWORD,
    )
    assert (values["tls"], values["ssl"], values["timeout"]) == (True, False, 2.5)
    assert values["sender"] == "Notes <no-reply@example.com>"


@pytest.mark.parametrize(
    "url, expected",
    [
        ("smtp+ssl://notes:p%40ss@mail.example.com", ("mail.example.com", 465, "p@ss", False, True)),
        ("smtp+ssl://mail.example.com:2465", ("mail.example.com", 2465, "", False, True)),
        ("smtp://mail.example.com?ssl=1", ("mail.example.com", 25, "", False, True)),
        ("smtp://127.0.0.1:2525", ("127.0.0.1", 2525, "", False, False)),
    ],
)
def test_each_smtp_form_sets_host_port_and_encryption(url, expected):
    values = settings_in_process(_MAIL_SETTINGS, **{**PRODUCTION_MAIL, "EMAIL_URL": url})

    assert values["backend"] == SMTP
    assert (values["host"], values["port"], values["password"], values["tls"], values["ssl"]) == expected


def test_verification_on_with_account_mail_starts():
    assert_starts(check(**PRODUCTION_MAIL, REQUIRE_EMAIL_VERIFICATION="true"))


# --- One line per bad value -----------------------------------------------------------------

BAD_VALUES = [
    ("EMAIL_TIMEOUT", "0", "a number of seconds, more than 0"),
    ("EMAIL_TIMEOUT", "soon", "a number of seconds, more than 0"),
    ("PASSWORD_RESET_TIMEOUT", "0", "a whole number of seconds, from 60 to"),
    ("EMAIL_VERIFY_TIMEOUT", "a day", "a whole number of seconds, from 60 to"),
    ("REQUIRE_EMAIL_VERIFICATION", "maybe", "true or false"),
    ("EMAIL_THROTTLE_RATE", "5 per hour", "N/PERIOD with N 1 or more"),
    ("EMAIL_ADDRESS_THROTTLE_RATE", "0/hour", "N/PERIOD with N 1 or more"),
    ("DEFAULT_FROM_EMAIL", "no-reply", "an email address, alone or as Name <address>"),
    ("DEFAULT_FROM_EMAIL", "a@b.example\nBcc: c@d.example", "an email address, alone or as Name <address>"),
    ("PASSWORD_RESET_URL", "https://app.example.com/reset/{uid}", "with {uid} and {token} in it"),
    ("PASSWORD_RESET_URL", "ftp://app.example.com/{uid}/{token}", "an http:// or https:// URL"),
    ("PASSWORD_RESET_URL", "/reset/{uid}/{token}", "an http:// or https:// URL"),
    ("EMAIL_VERIFY_URL", "https://app.example.com/verify/{token}", "with {uid} and {token} in it"),
    ("EMAIL_VERIFY_URL", "https:///verify/{uid}/{token}", "an http:// or https:// URL"),
]


@pytest.mark.parametrize("variable, value, accepts", BAD_VALUES)
def test_a_bad_value_stops_startup_with_one_line_naming_it_and_what_it_accepts(variable, value, accepts):
    # The other account mail variables set, so that only the bad one is reported.
    (line,) = assert_refused(check(**{**PRODUCTION_MAIL, variable: value}), variable)

    assert line.startswith(f"{variable} must ")
    assert accepts in line
    assert line.endswith(f", not {value!r}.")
    assert PASSWORD not in line


@pytest.mark.parametrize(
    "url",
    [
        f"smtp://notes:{PASSWORD}@mail.example.com:port",
        f"imap://notes:{PASSWORD}@mail.example.com",
        f"smtp://notes:{PASSWORD}@mail.example.com?timeout=5",
        f"smtp://notes:{PASSWORD}@[mail.example.com",
        f"memory://notes:{PASSWORD}@x",
        f"notes:{PASSWORD}@mail.example.com",
    ],
    ids=["bad-port", "other-scheme", "timeout-in-url", "bad-host", "memory", "no-scheme"],
)
def test_a_bad_email_url_names_the_accepted_forms_and_never_prints_the_url(url):
    (line,) = assert_refused(check(**{**PRODUCTION_MAIL, "EMAIL_URL": url}), "EMAIL_URL")

    assert "smtp://[USER:PASSWORD@]HOST[:PORT]" in line
    assert "console://" in line
    assert PASSWORD not in line
    assert "mail.example.com" not in line


@pytest.mark.parametrize(
    "missing", ["PASSWORD_RESET_URL", "EMAIL_VERIFY_URL", "DEFAULT_FROM_EMAIL", "EMAIL_URL"]
)
def test_production_refuses_account_mail_set_up_by_halves(missing):
    (line,) = assert_refused(check(**{**PRODUCTION_MAIL, missing: ""}), missing)

    assert "must be set when DJANGO_DEBUG is off" in line
    assert PASSWORD not in line


def test_production_refuses_verification_without_account_mail():
    lines = assert_refused(
        check(REQUIRE_EMAIL_VERIFICATION="true"),
        "EMAIL_URL",
        "PASSWORD_RESET_URL",
        "EMAIL_VERIFY_URL",
        "DEFAULT_FROM_EMAIL",
    )

    assert all("REQUIRE_EMAIL_VERIFICATION is on" in line for line in lines)


def test_a_sender_alone_does_not_turn_account_mail_on():
    assert_starts(check(DEFAULT_FROM_EMAIL="Notes <no-reply@example.com>"))


def test_development_accepts_any_part_alone():
    assert_starts(check(DJANGO_DEBUG="true", EMAIL_URL="smtp://127.0.0.1:2525"))
    assert_starts(check(DJANGO_DEBUG="true", REQUIRE_EMAIL_VERIFICATION="true"))
