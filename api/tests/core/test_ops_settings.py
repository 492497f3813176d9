"""Key rotation, metrics and log format settings: each bad value stops startup with one line that
names the variable (and never shows a secret); good ones reach the settings. Settings are read
once per process, so each case is a process."""

import secrets

import pytest

from api.tests.core.test_settings import assert_refused, assert_starts, check
from api.tests.live import SECRET_KEY, settings_in_process

SECRET = secrets.token_urlsafe(48)
OTHER_SECRET = secrets.token_urlsafe(48)


def _rs256(key_files, *, current="jwt", **variables: str) -> dict[str, str]:
    private, public = key_files("RS256", current)
    return {
        "JWT_ALGORITHM": "RS256",
        "JWT_PRIVATE_KEY_FILE": str(private),
        "JWT_PUBLIC_KEY_FILE": str(public),
        **variables,
    }


# --- HS256 previous keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    "previous, says",
    [
        ("k" * 31, "key 1 is shorter"),
        (f"{OTHER_SECRET},short", "key 2 is shorter"),
        (SECRET, "it lists the current key"),
        (f"{OTHER_SECRET},{OTHER_SECRET}", "key 2 is listed twice"),
    ],
    ids=["short", "second-short", "the-current-key", "twice"],
)
def test_a_bad_previous_signing_key_stops_startup_without_showing_it(previous, says):
    (line,) = assert_refused(
        check(JWT_SIGNING_KEY=SECRET, JWT_PREVIOUS_SIGNING_KEYS=previous), "JWT_PREVIOUS_SIGNING_KEYS"
    )

    assert line.startswith("JWT_PREVIOUS_SIGNING_KEYS must list earlier signing keys of at least 32")
    assert says in line
    assert SECRET not in line and OTHER_SECRET not in line and "short," not in line


def test_the_secret_key_that_signed_before_counts_as_current():
    # JWT_SIGNING_KEY unset: DJANGO_SECRET_KEY signs, and may not be listed as previous too.
    (line,) = assert_refused(check(JWT_PREVIOUS_SIGNING_KEYS=SECRET_KEY), "JWT_PREVIOUS_SIGNING_KEYS")
    assert "it lists the current key" in line


def test_previous_signing_keys_reach_the_settings():
    values = settings_in_process(
        {"previous": "s.JWT_PREVIOUS_VERIFYING_KEYS", "next": "s.JWT_NEXT_VERIFYING_KEY"},
        JWT_SIGNING_KEY=SECRET,
        JWT_PREVIOUS_SIGNING_KEYS=f" {OTHER_SECRET} , ",
    )

    assert values == {"previous": [OTHER_SECRET], "next": ""}


@pytest.mark.parametrize(
    "variable", ["JWT_PREVIOUS_PUBLIC_KEY_FILES", "JWT_NEXT_PUBLIC_KEY_FILE"], ids=["previous", "next"]
)
def test_public_key_files_are_refused_with_hs256(key_files, variable):
    _, public = key_files("RS256")

    (line,) = assert_refused(check(**{variable: str(public)}), variable)
    assert "must be blank when JWT_ALGORITHM is HS256" in line


def test_previous_signing_keys_are_refused_with_rs256(key_files):
    (line,) = assert_refused(
        check(**_rs256(key_files, JWT_PREVIOUS_SIGNING_KEYS=SECRET)), "JWT_PREVIOUS_SIGNING_KEYS"
    )
    assert "must be blank when JWT_ALGORITHM is RS256" in line
    assert SECRET not in line


# --- RS256/ES256 previous and next public keys -----------------------------------------------


@pytest.mark.parametrize("variable", ["JWT_PREVIOUS_PUBLIC_KEY_FILES", "JWT_NEXT_PUBLIC_KEY_FILE"])
@pytest.mark.parametrize(
    "make_path, says",
    [
        (lambda keys, tmp: tmp / "missing.pem", ": cannot read"),
        (lambda keys, tmp: tmp, ": cannot read"),
        (lambda keys, tmp: keys("RS256", "old")[0], "is not a PEM public key"),
        (lambda keys, tmp: keys("ES256", "ec")[1], "is not an RSA key of at least 2048 bits"),
        (lambda keys, tmp: keys("RS256", "jwt")[1], "is the current public key"),
    ],
    ids=["missing", "a-directory", "a-private-key", "another-algorithms-key", "the-current-key"],
)
def test_a_bad_public_key_file_stops_startup(key_files, tmp_path, variable, make_path, says):
    variables = _rs256(key_files, **{variable: str(make_path(key_files, tmp_path))})

    (line,) = assert_refused(check(**variables), variable)
    assert says in line


def test_the_next_key_may_not_be_a_previous_one(key_files):
    _, old = key_files("RS256", "old")

    (line,) = assert_refused(
        check(**_rs256(key_files, JWT_PREVIOUS_PUBLIC_KEY_FILES=str(old), JWT_NEXT_PUBLIC_KEY_FILE=str(old))),
        "JWT_NEXT_PUBLIC_KEY_FILE",
    )
    assert "must not be one of JWT_PREVIOUS_PUBLIC_KEY_FILES" in line


def test_next_and_previous_public_keys_reach_the_settings(key_files):
    _, old = key_files("RS256", "old")
    _, older = key_files("RS256", "older")
    _, upcoming = key_files("RS256", "next")

    values = settings_in_process(
        {"previous": "s.JWT_PREVIOUS_VERIFYING_KEYS", "next": "s.JWT_NEXT_VERIFYING_KEY"},
        **_rs256(
            key_files, JWT_PREVIOUS_PUBLIC_KEY_FILES=f"{old},{older}", JWT_NEXT_PUBLIC_KEY_FILE=str(upcoming)
        ),
    )

    assert values == {"previous": [old.read_text(), older.read_text()], "next": upcoming.read_text()}


# --- Metrics and logs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "variables, variable, says",
    [
        ({"METRICS_ALLOWED_IPS": "localhost"}, "METRICS_ALLOWED_IPS", "IP addresses or networks"),
        ({"METRICS_ALLOWED_IPS": "10.0.0.0/33"}, "METRICS_ALLOWED_IPS", "IP addresses or networks"),
        ({"METRICS_TOKEN": "t" * 31}, "METRICS_TOKEN", "at least 32 characters"),
        ({"METRICS_TOKEN": "t" * 20 + " " + "t" * 20}, "METRICS_TOKEN", "without spaces"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT", "one of text, json"),
        (
            {"PROMETHEUS_MULTIPROC_DIR": "/no/such/directory"},
            "PROMETHEUS_MULTIPROC_DIR",
            "is not a directory",
        ),
    ],
    ids=["host-name", "bad-prefix", "short-token", "token-with-space", "log-format", "missing-directory"],
)
def test_a_bad_metrics_or_log_setting_stops_startup(variables, variable, says):
    (line,) = assert_refused(check(**variables), variable)

    assert line.startswith(f"{variable} must ")
    assert says in line
    if variable == "METRICS_TOKEN":
        assert variables[variable] not in line


def test_a_metrics_directory_that_is_a_file_stops_startup(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("")

    assert_refused(check(PROMETHEUS_MULTIPROC_DIR=str(a_file)), "PROMETHEUS_MULTIPROC_DIR")


def test_defaults_allow_loopback_no_token_text_logs_and_one_process():
    values = settings_in_process(
        {
            "ips": "s.METRICS_ALLOWED_IPS",
            "token": "s.METRICS_TOKEN",
            "log_format": "s.LOG_FORMAT",
            "formatter": "s.LOGGING['handlers']['console'].get('formatter')",
            # Blank (as a copied .env.example leaves it): removed, or prometheus-client would
            # take it for multiprocess mode with no directory.
            "multiproc": "'PROMETHEUS_MULTIPROC_DIR' in __import__('os').environ",
            "exempt": "'^metrics$' in s.SECURE_REDIRECT_EXEMPT",
        }
    )

    assert values == {
        "ips": ["127.0.0.1", "::1"],
        "token": "",
        "log_format": "text",
        "formatter": None,
        "multiproc": False,
        "exempt": True,
    }


def test_good_metrics_and_log_settings_reach_the_settings(tmp_path):
    token = secrets.token_urlsafe(32)

    values = settings_in_process(
        {
            "ips": "s.METRICS_ALLOWED_IPS",
            "token": "s.METRICS_TOKEN",
            "formatter": "s.LOGGING['handlers']['console'].get('formatter')",
            "multiproc": "__import__('os').environ.get('PROMETHEUS_MULTIPROC_DIR')",
        },
        METRICS_ALLOWED_IPS="10.0.0.0/8, fd00::/8,192.0.2.1",
        METRICS_TOKEN=token,
        LOG_FORMAT="json",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
    )

    assert values == {
        "ips": ["10.0.0.0/8", "fd00::/8", "192.0.2.1"],
        "token": token,
        "formatter": "json",
        "multiproc": str(tmp_path),
    }


def test_every_new_variable_set_at_once_starts(key_files, tmp_path):
    _, old = key_files("RS256", "old")
    _, upcoming = key_files("RS256", "next")

    assert_starts(
        check(
            **_rs256(
                key_files, JWT_PREVIOUS_PUBLIC_KEY_FILES=str(old), JWT_NEXT_PUBLIC_KEY_FILE=str(upcoming)
            ),
            METRICS_TOKEN=secrets.token_urlsafe(32),
            METRICS_ALLOWED_IPS="10.0.0.0/8",
            LOG_FORMAT="json",
            PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
        )
    )
