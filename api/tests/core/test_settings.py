"""Settings from the environment: every bad value stops startup with one line that names the
variable and what it accepts, with no traceback (docs/operations.md, "Configuration").

Settings read the environment once, when they are imported, so each case is a process of its own:
`manage.py check` with `project_env` (DEBUG off, a valid secret key and host, every other
variable blank). A refused start exits before Django loads the apps, in a fraction of a second.
"""

import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

from api.tests.live import ROOT, free_port, manage, project_env, settings_in_process

# What the settings exit with: a gunicorn worker that exits with it stops the master too.
EXIT_BAD_SETTINGS = 4
# Stands for a password in URLs: it must never be printed.
PASSWORD = "hunter2-do-not-print"
SHORT_KEY = "k" * 31


# The last line when DEBUG is off and the secret key or the host names are not set.
DEVELOPMENT_HINT = "For development: DJANGO_DEBUG=true (make run, make shell, make superuser do it for you)."


def assert_refused(
    result: subprocess.CompletedProcess, *variables: str, development_hint: bool = False
) -> list[str]:
    """The process stopped at the settings, printing one line per bad variable and no more, and
    the development hint last when it is expected (and only then)."""
    assert result.returncode == EXIT_BAD_SETTINGS, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    if development_hint:
        assert lines[-1] == DEVELOPMENT_HINT, lines
        lines = lines[:-1]
    assert sorted(line.split(" ", 1)[0].rstrip(":") for line in lines) == sorted(variables), lines
    return lines


def check(**variables: str) -> subprocess.CompletedProcess:
    return manage("check", env=project_env(**variables))


def assert_starts(result: subprocess.CompletedProcess) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""


# --- One line per bad value, naming the variable and what it accepts ------------------------

BAD_VALUES = [
    # true or false
    ("DJANGO_DEBUG", "maybe", "true or false"),
    ("DJANGO_SECURE_SSL_REDIRECT", "maybe", "true or false"),
    ("JWT_ROTATE_REFRESH_TOKENS", "sometimes", "true or false"),
    # whole numbers, with 0 refused where it would make no sense
    ("DJANGO_SECURE_HSTS_SECONDS", "a year", "a whole number of seconds, from 0 to"),
    ("JWT_ACCESS_TOKEN_LIFETIME", "0", "a whole number of seconds, from 1 to"),
    ("JWT_ACCESS_TOKEN_LIFETIME", "-5", "a whole number of seconds, from 1 to"),
    ("JWT_ACCESS_TOKEN_LIFETIME", "5.5", "a whole number of seconds, from 1 to"),
    ("JWT_ACCESS_TOKEN_LIFETIME", str(10**20), "a whole number of seconds, from 1 to 3153600000"),
    ("JWT_REFRESH_TOKEN_LIFETIME", "0", "a whole number of seconds, from 1 to"),
    ("JWT_SESSION_MAX_AGE", "0", "a whole number of seconds, from 1 to"),
    ("LOGIN_DEVICE_COOKIE_AGE", "0", "a whole number of seconds, from 1 to"),
    ("JWT_REFRESH_REUSE_GRACE", "-1", "a whole number of seconds, from 0 to"),
    ("DATABASE_CONNECT_TIMEOUT", "1", "a whole number of seconds, 2 or more"),
    ("DATABASE_CONN_MAX_AGE", "-1", "a whole number of seconds, 0 or more"),
    ("DATABASE_STATEMENT_TIMEOUT", "-1", "a whole number of milliseconds, from 0 to 2147483647"),
    ("DATABASE_STATEMENT_TIMEOUT", "2147483648", "a whole number of milliseconds, from 0 to 2147483647"),
    ("NUM_PROXIES", "one", "a whole number, 0 or more"),
    # seconds, fractions allowed
    ("REDIS_TIMEOUT", "soon", "a number of seconds, more than 0"),
    ("REDIS_TIMEOUT", "0", "a number of seconds, more than 0"),
    ("REDIS_TIMEOUT", "inf", "a number of seconds, more than 0"),
    ("DATABASE_REQUEST_TIMEOUT", "-1", "a number of seconds, 0 or more"),
    ("DATABASE_REQUEST_TIMEOUT", "nan", "a number of seconds, 0 or more"),
    # passwords
    ("PASSWORD_MIN_LENGTH", "7", "a whole number of characters, from 8 to 64"),
    ("PASSWORD_MIN_LENGTH", "65", "a whole number of characters, from 8 to 64"),
    ("PASSWORD_MIN_LENGTH", "fifteen", "a whole number of characters, from 8 to 64"),
    ("PWNED_PASSWORDS_CHECK", "sometimes", "true or false"),
    ("PWNED_PASSWORDS_TIMEOUT", "0", "a number of seconds, more than 0 and at most 10"),
    ("PWNED_PASSWORDS_TIMEOUT", "11", "a number of seconds, more than 0 and at most 10"),
    ("PASSWORD_CONTEXT_WORDS", "ab", "words of 4 or more characters"),
    # DRF rates: "20 per min" used to start and then answer every login 500
    ("AUTH_THROTTLE_RATE", "20 per min", "N/PERIOD with N 1 or more"),
    ("AUTH_THROTTLE_RATE", "0/min", "N/PERIOD with N 1 or more"),
    ("AUTH_THROTTLE_RATE", "20/Min", "N/PERIOD with N 1 or more"),
    ("LOGIN_FAILURE_RATE", "10/fortnight", "N/PERIOD with N 1 or more"),
    # choices
    ("JWT_ALGORITHM", "HS512", "one of HS256, RS256, ES256"),
    ("LOG_LEVEL", "LOUD", "one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    # host names and origins
    ("DJANGO_ALLOWED_HOSTS", "https://notes.example.com", "host names without scheme, port or path"),
    ("DJANGO_ALLOWED_HOSTS", "notes.example.com:443", "host names without scheme, port or path"),
    ("DJANGO_ALLOWED_HOSTS", "*.example.com", "host names without scheme, port or path"),
    ("CORS_ALLOWED_ORIGINS", "app.example.com", "scheme://host[:port] without a path"),
    ("CORS_ALLOWED_ORIGINS", "https://app.example.com/", "scheme://host[:port] without a path"),
]


@pytest.mark.parametrize("variable, value, accepts", BAD_VALUES)
def test_a_bad_value_stops_startup_with_one_line_naming_it_and_what_it_accepts(variable, value, accepts):
    (line,) = assert_refused(check(**{variable: value}), variable)

    assert line.startswith(f"{variable} must ")
    assert accepts in line
    assert line.endswith(f", not {value!r}.")


@pytest.mark.parametrize(
    "url",
    [
        f"ftp://mirror:{PASSWORD}@pwned.example/range/",
        f"https://mirror:{PASSWORD}@pwned.example/range",  # no / for the prefix to follow
        "https://pwned.example/range/?key=1",
        "pwned.example/range/",
    ],
)
def test_a_bad_pwned_passwords_url_is_one_line_that_never_prints_it(url):
    (line,) = assert_refused(check(PWNED_PASSWORDS_URL=url), "PWNED_PASSWORDS_URL")

    assert "an http(s) URL ending in /" in line
    assert url not in line and PASSWORD not in line


def test_debug_off_without_allowed_hosts_names_the_variable_not_the_setting():
    (line,) = assert_refused(check(DJANGO_ALLOWED_HOSTS=""), "DJANGO_ALLOWED_HOSTS", development_hint=True)

    assert "must be set when DJANGO_DEBUG is off" in line
    assert "settings.ALLOWED_HOSTS" not in line


@pytest.mark.parametrize(
    "url, wrong",
    [
        (f"mysql://notes:{PASSWORD}@db.example/notes", "is a mysql:// URL"),
        (f"postgres://notes:{PASSWORD}@db.example:port/notes", "is neither"),
        ("db.example/notes", "is neither"),
        (f"postgres://notes:{PASSWORD}@db.example:5432", "names no database"),
    ],
    ids=["unsupported-scheme", "bad-port", "no-scheme", "no-database"],
)
def test_a_bad_database_url_names_the_accepted_forms_and_never_prints_the_url(url, wrong):
    (line,) = assert_refused(check(DATABASE_URL=url), "DATABASE_URL")

    assert "sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME" in line
    assert f"the value set {wrong}" in line
    assert PASSWORD not in line


@pytest.mark.parametrize(
    "url", [f"http://:{PASSWORD}@cache.example/0", f"redis://:{PASSWORD}@cache.example:port/0"]
)
def test_a_bad_redis_url_names_the_accepted_forms_and_never_prints_the_url(url):
    (line,) = assert_refused(check(REDIS_URL=url), "REDIS_URL")

    assert "redis://[:PASSWORD@]HOST[:PORT][/DB]" in line
    assert PASSWORD not in line


@pytest.mark.parametrize(
    "secret",
    ["", "short-key", "django-insecure-" + "x" * 60, "a" * 60],
    ids=["unset", "short", "insecure", "one-char"],
)
def test_debug_off_refuses_a_missing_or_weak_secret_key_in_one_line(secret):
    # Only a key that is not set at all is likely a development setup.
    (line,) = assert_refused(
        check(DJANGO_SECRET_KEY=secret), "DJANGO_SECRET_KEY", development_hint=not secret
    )

    assert "at least 50 characters" in line
    assert "secrets.token_urlsafe(64)" in line
    if secret:
        assert secret not in line


@pytest.mark.parametrize(
    "command", [["createsuperuser", "--no-input"], ["shell", "-c", "pass"], ["makemigrations"]]
)
def test_django_commands_run_without_debug_or_a_secret_key_name_the_development_way(command):
    # As a developer runs them by hand after `make run`, outside the Makefile.
    result = manage(*command, env=project_env(DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS=""))

    lines = assert_refused(result, "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", development_hint=True)
    assert all("when DJANGO_DEBUG is off" in line for line in lines)


def test_no_development_hint_where_debug_is_already_on():
    result = check(DJANGO_DEBUG="true", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS="", AUTH_THROTTLE_RATE="x")

    assert_refused(result, "AUTH_THROTTLE_RATE")


@pytest.mark.parametrize("debug", ["false", "true"])
def test_a_short_jwt_signing_key_is_refused_with_debug_on_or_off(debug):
    (line,) = assert_refused(check(DJANGO_DEBUG=debug, JWT_SIGNING_KEY=SHORT_KEY), "JWT_SIGNING_KEY")

    assert "at least 32 characters" in line
    assert SHORT_KEY not in line


def test_a_short_secret_key_that_signs_the_tokens_is_refused_with_debug_on():
    (line,) = assert_refused(check(DJANGO_DEBUG="true", DJANGO_SECRET_KEY=SHORT_KEY), "DJANGO_SECRET_KEY")

    assert "at least 32 characters when it signs the tokens" in line


def test_with_debug_on_a_short_secret_key_is_allowed_when_jwt_signing_key_signs():
    assert_starts(check(DJANGO_DEBUG="true", DJANGO_SECRET_KEY=SHORT_KEY, JWT_SIGNING_KEY="s" * 32))


def test_missing_key_files_of_an_asymmetric_algorithm_are_one_line_each():
    lines = assert_refused(check(JWT_ALGORITHM="ES256"), "JWT_PRIVATE_KEY_FILE", "JWT_PUBLIC_KEY_FILE")

    assert all(
        "must be set to the path of a readable PEM file when JWT_ALGORITHM is ES256" in line for line in lines
    )


def test_every_bad_value_is_reported_at_once_one_line_each():
    result = check(
        AUTH_THROTTLE_RATE="20 per min",
        JWT_ACCESS_TOKEN_LIFETIME="0",
        DJANGO_ALLOWED_HOSTS="",
        DATABASE_URL="mysql://db.example/notes",
        JWT_SIGNING_KEY=SHORT_KEY,
    )

    assert_refused(
        result,
        "AUTH_THROTTLE_RATE",
        "JWT_ACCESS_TOKEN_LIFETIME",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "JWT_SIGNING_KEY",
        development_hint=True,
    )


# --- What starts ------------------------------------------------------------------------------


def test_production_starts_with_only_the_secret_key_and_the_host_set():
    result = check()

    assert_starts(result)
    assert "no issues" in result.stdout


def test_development_starts_with_nothing_set():
    assert_starts(check(DJANGO_DEBUG="true", DJANGO_SECRET_KEY="", DJANGO_ALLOWED_HOSTS=""))


def test_the_values_of_env_example_start_as_the_defaults_with_debug_on():
    # Blank values in a copied .env.example mean "the default", as in the real environment.
    example = dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", (ROOT / ".env.example").read_text(), re.M))
    assert example["DJANGO_DEBUG"] == "true"
    assert example["DJANGO_SECRET_KEY"] == ""

    assert_starts(manage("check", env=project_env(**example)))


# What a started process ends up with, by name: each value is read off `s`, the settings.
_ZERO_MEANS_SOMETHING = {
    "statement": "s.DATABASES['default'].get('OPTIONS', {}).get('options')",
    "conn_max_age": "s.DATABASES['default']['CONN_MAX_AGE']",
    "request": "s.DATABASE_REQUEST_TIMEOUT",
    "grace": "s.JWT_REFRESH_REUSE_GRACE",
    "proxies": "s.REST_FRAMEWORK['NUM_PROXIES']",
    "hsts": "s.SECURE_HSTS_SECONDS",
    "auth_rate": "SimpleRateThrottle.parse_rate(None, s.AUTH_THROTTLE_RATE)",
    "failure_rate": "SimpleRateThrottle.parse_rate(None, s.LOGIN_FAILURE_RATE)",
}
_TIMEOUTS = {
    "database": "s.DATABASES['default'].get('OPTIONS')",
    "cache": "s.CACHES['default'].get('OPTIONS')",
    "request": "s.DATABASE_REQUEST_TIMEOUT",
    "health": "s.DATABASE_CONNECT_TIMEOUT",
}


def _settings(read: dict[str, str] = _ZERO_MEANS_SOMETHING, **variables: str) -> dict:
    return settings_in_process(read, **variables)


@pytest.mark.parametrize("url", ["sqlite:///notes.sqlite3", "postgres://notes@db.example/notes"])
def test_workers_keep_their_database_connection_ten_minutes_by_default(url):
    assert _settings({"conn_max_age": _ZERO_MEANS_SOMETHING["conn_max_age"]}, DATABASE_URL=url) == {
        "conn_max_age": 600
    }


def test_zero_is_accepted_where_it_means_something():
    found = _settings(
        DATABASE_URL="postgres://notes@db.example/notes",
        DATABASE_STATEMENT_TIMEOUT="0",
        DATABASE_CONN_MAX_AGE="0",
        DATABASE_REQUEST_TIMEOUT="0",
        JWT_REFRESH_REUSE_GRACE="0",
        NUM_PROXIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
    )

    assert found["statement"] is None  # the server's own statement_timeout applies
    assert [found[name] for name in ("conn_max_age", "request", "grace", "proxies", "hsts")] == [0] * 5


@pytest.mark.parametrize(
    "auth, failure, expected",
    [
        ("20/s", "5/second", [[20, 1], [5, 1]]),
        ("20/sec", "5/m", [[20, 1], [5, 60]]),
        ("20/min", "5/minute", [[20, 60], [5, 60]]),
        ("20/h", "5/hour", [[20, 3600], [5, 3600]]),
        ("20/d", "5/day", [[20, 86400], [5, 86400]]),
    ],
)
def test_every_accepted_rate_is_read_by_drf_as_meant(auth, failure, expected):
    found = _settings(AUTH_THROTTLE_RATE=auth, LOGIN_FAILURE_RATE=failure)

    assert [found["auth_rate"], found["failure_rate"]] == expected


# --- .env: read, but the real environment wins --------------------------------------------------


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory):
    """The project's code in a directory of its own, where a test may write a `.env`."""
    root = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "tests")
    for package in ("backend", "api"):
        shutil.copytree(ROOT / package, root / package, ignore=ignore)
    shutil.copy(ROOT / "manage.py", root)
    return root


def _check_in(root, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_bad_value_in_env_file_stops_startup_too(project_copy):
    (project_copy / ".env").write_text("JWT_ACCESS_TOKEN_LIFETIME=0\n")
    env = project_env()
    del env["JWT_ACCESS_TOKEN_LIFETIME"]

    assert_refused(_check_in(project_copy, env), "JWT_ACCESS_TOKEN_LIFETIME")


def test_the_real_environment_wins_over_env_file_even_when_blank(project_copy):
    (project_copy / ".env").write_text("JWT_ACCESS_TOKEN_LIFETIME=0\nLOG_LEVEL=LOUD\n")

    # Set: its own value. Blank: the default, not the file's.
    assert_starts(_check_in(project_copy, project_env(JWT_ACCESS_TOKEN_LIFETIME="600", LOG_LEVEL="")))


# --- The same line and exit wherever the settings load ----------------------------------------

BAD = {"JWT_ACCESS_TOKEN_LIFETIME": "0"}
BAD_LINE = "JWT_ACCESS_TOKEN_LIFETIME must be a whole number of seconds, from 1 to 3153600000, not '0'."


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    # Its own session, so that a server that did not stop can be killed with its children.
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=project_env(**BAD),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail(f"{' '.join(args)} was still running after {timeout}s")
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


@pytest.mark.parametrize("workers", [["--workers", "1"], ["--workers", "2", "--preload"]])
def test_gunicorn_prints_the_line_and_stops_its_master_instead_of_restarting_workers(workers):
    result = _run("-m", "gunicorn", "backend.wsgi", *workers, "--bind", f"127.0.0.1:{free_port()}")

    assert result.returncode == EXIT_BAD_SETTINGS, result.stderr
    assert BAD_LINE in result.stderr.splitlines()
    assert "Traceback" not in result.stderr


def test_gunicorn_with_several_workers_stops_too():
    result = _run("-m", "gunicorn", "backend.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{free_port()}")

    # Workers that fail together can make the master, while it stops, print a traceback of its
    # own HaltServer and exit with 1 (a race in gunicorn); never one from the settings.
    assert result.returncode != 0
    assert BAD_LINE in result.stderr.splitlines()
    assert "backend/settings/" not in result.stderr


def test_runserver_and_its_autoreloader_stop():
    result = _run("manage.py", "runserver", f"127.0.0.1:{free_port()}")

    assert (result.returncode, result.stderr.splitlines()) == (EXIT_BAD_SETTINGS, [BAD_LINE])


def test_a_test_run_stops_before_collecting():
    result = _run("-m", "pytest", "-p", "no:cacheprovider", "api/tests/notes/test_serializers.py")

    assert (result.returncode, result.stderr.splitlines()) == (EXIT_BAD_SETTINGS, [BAD_LINE])


# --- Timeouts: PostgreSQL, Redis, the request deadline (docs/operations.md, "Outages") ---------------------


def test_postgresql_and_redis_connections_have_timeouts_by_default():
    found = _settings(
        _TIMEOUTS, DATABASE_URL="postgres://notes@db.example/notes", REDIS_URL="redis://cache.example/0"
    )

    assert found == {
        "database": {"connect_timeout": 3, "options": "-c statement_timeout=5000"},
        "cache": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "request": 10,
        "health": 3,
    }


def test_each_timeout_follows_its_variable_and_the_urls_own_options_are_kept():
    found = _settings(
        _TIMEOUTS,
        DATABASE_URL="postgres://notes@db.example/notes?options=-c%20search_path%3Dnotes",
        DATABASE_CONNECT_TIMEOUT="7",
        DATABASE_STATEMENT_TIMEOUT="250",
        DATABASE_REQUEST_TIMEOUT="2.5",
        REDIS_URL="redis://cache.example/0",
        REDIS_TIMEOUT="0.25",
    )

    assert found == {
        "database": {"connect_timeout": 7, "options": "-c search_path=notes -c statement_timeout=250"},
        "cache": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        "request": 2.5,
        "health": 7,
    }


def test_a_statement_timeout_of_0_leaves_the_servers_own_setting_alone():
    found = _settings(
        _TIMEOUTS, DATABASE_URL="postgres://notes@db.example/notes", DATABASE_STATEMENT_TIMEOUT="0"
    )

    assert found["database"] == {"connect_timeout": 3}
