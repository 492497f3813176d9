"""WEBAUTHN_RP_ID, WEBAUTHN_ORIGINS, WEBAUTHN_RP_NAME and WEBAUTHN_CHALLENGE_MAX_AGE: checked at
startup, one line for each bad variable. Settings are read once per process, so each case is a
process."""

import pytest

from api.tests.core.test_settings import assert_refused, assert_starts, check
from api.tests.live import settings_in_process

RELYING_PARTY = {"rp_id": "s.WEBAUTHN_RP_ID", "origins": "s.WEBAUTHN_ORIGINS", "name": "s.WEBAUTHN_RP_NAME"}


def test_with_debug_off_passkeys_are_off_until_an_rp_id_is_set():
    assert settings_in_process(RELYING_PARTY) == {"rp_id": "", "origins": [], "name": "Notes API"}


def test_with_debug_on_the_defaults_fit_make_run_and_the_react_dev_servers():
    assert settings_in_process(RELYING_PARTY, DJANGO_DEBUG="true") == {
        "rp_id": "localhost",
        "origins": ["http://localhost:5173", "http://localhost:3000", "http://localhost:8000"],
        "name": "Notes API",
    }


def test_a_production_relying_party_starts():
    assert_starts(
        check(
            WEBAUTHN_RP_ID="example.com",
            WEBAUTHN_ORIGINS="https://app.example.com,https://example.com:8443,"
            "android:apk-key-hash:" + "A" * 43,
            WEBAUTHN_RP_NAME="Example Notes",
        )
    )


@pytest.mark.parametrize(
    "rp_id", ["https://example.com", "example.com:443", "Example.com", "127.0.0.1", "example.com/", "-a.com"]
)
def test_an_rp_id_that_is_no_lower_case_domain_name_is_one_line(rp_id):
    (line,) = assert_refused(
        check(WEBAUTHN_RP_ID=rp_id, WEBAUTHN_ORIGINS="https://app.example.com"), "WEBAUTHN_RP_ID"
    )

    assert line.startswith("WEBAUTHN_RP_ID must be a domain name")


@pytest.mark.parametrize(
    "origin, why",
    [
        ("https://evil.example", "whose host is WEBAUTHN_RP_ID (example.com)"),
        ("https://notexample.com", "whose host is WEBAUTHN_RP_ID (example.com)"),
        ("http://app.example.com", "https://"),
        ("https://app.example.com/", "without a path"),
        ("https://APP.example.com", "in lower case"),
        ("app.example.com", "scheme://host[:port]"),
        ("ftp://app.example.com", "scheme://host[:port]"),
    ],
)
def test_an_origin_not_on_the_rp_id_or_not_https_is_one_line(origin, why):
    (line,) = assert_refused(
        check(WEBAUTHN_RP_ID="example.com", WEBAUTHN_ORIGINS=f"https://app.example.com,{origin}"),
        "WEBAUTHN_ORIGINS",
    )

    assert why in line
    assert repr(origin) in line


def test_a_127_0_0_1_origin_cannot_use_the_rp_id_localhost():
    (line,) = assert_refused(
        check(DJANGO_DEBUG="true", WEBAUTHN_ORIGINS="http://127.0.0.1:5173"), "WEBAUTHN_ORIGINS"
    )

    assert "(localhost)" in line and "an IP address never is" in line


def test_an_rp_id_without_origins_and_origins_without_an_rp_id_are_refused():
    (line,) = assert_refused(check(WEBAUTHN_RP_ID="example.com"), "WEBAUTHN_ORIGINS")
    assert "must be set when WEBAUTHN_RP_ID is" in line

    (line,) = assert_refused(check(WEBAUTHN_ORIGINS="https://app.example.com"), "WEBAUTHN_RP_ID")
    assert "must be set when WEBAUTHN_ORIGINS is" in line


def test_an_rp_name_of_over_64_characters_is_one_line():
    (line,) = assert_refused(check(WEBAUTHN_RP_NAME="n" * 65), "WEBAUTHN_RP_NAME")

    assert "1 to 64 characters" in line


@pytest.mark.parametrize("value", ["29", "901", "five minutes"])
def test_a_challenge_max_age_out_of_bounds_is_one_line(value):
    (line,) = assert_refused(check(WEBAUTHN_CHALLENGE_MAX_AGE=value), "WEBAUTHN_CHALLENGE_MAX_AGE")

    assert "from 30 to 900" in line
