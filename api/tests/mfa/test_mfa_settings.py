"""MFA_TOKEN_LIFETIME: a whole number of seconds from 30 to 900, else startup stops with one line
naming it. Settings are read once per process, so each case is a process."""

import pytest

from api.tests.core.test_settings import assert_refused, check
from api.tests.live import settings_in_process


@pytest.mark.parametrize("value", ["29", "901", "0", "-5", "five minutes", "300.5"])
def test_a_bad_mfa_token_lifetime_stops_startup_with_one_line_naming_it(value):
    (line,) = assert_refused(check(MFA_TOKEN_LIFETIME=value), "MFA_TOKEN_LIFETIME")

    assert line.startswith("MFA_TOKEN_LIFETIME must ")
    assert "from 30 to 900" in line


def test_mfa_token_lifetime_defaults_to_five_minutes_and_takes_the_bounds():
    assert settings_in_process({"lifetime": "s.MFA_TOKEN_LIFETIME"}) == {"lifetime": 300}
    assert settings_in_process({"lifetime": "s.MFA_TOKEN_LIFETIME"}, MFA_TOKEN_LIFETIME="30") == {
        "lifetime": 30
    }
    assert settings_in_process({"lifetime": "s.MFA_TOKEN_LIFETIME"}, MFA_TOKEN_LIFETIME="900") == {
        "lifetime": 900
    }
