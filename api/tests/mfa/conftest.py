"""Two-factor tests' fixtures: a clock stopped inside a TOTP time step, and alice with TOTP on.

Tests elsewhere that need an account with TOTP on import `clock` from here, and the helpers
from `test_mfa_login`.
"""

import time

import pytest
import time_machine

from api.tests.mfa.test_mfa_login import enable_totp


def clock_start() -> int:
    """Where the tests' clock stops: 5 seconds into the next TOTP time step."""
    return (int(time.time()) // 30 + 1) * 30 + 5


@pytest.fixture
def clock():
    """A stopped clock, 5 seconds into a TOTP time step; `clock.shift(seconds)` moves it."""
    with time_machine.travel(clock_start(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def totp_user(user, auth_client, clock):
    """alice with TOTP on: (secret, recovery codes)."""
    return enable_totp(auth_client, clock)
