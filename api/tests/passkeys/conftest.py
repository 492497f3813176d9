"""Passkey tests' fixtures: a software authenticator, and alice with a passkey on it.

Tests elsewhere that need a passkey import the helpers of `api/tests/passkeys/authenticator.py`.
"""

import pytest

# Security notices are mailed as in the accounts tests: locmem mail, delivered as a commit would.
from api.tests.accounts.conftest import _account_mail, _commits_run_their_callbacks  # noqa: F401
from api.tests.passkeys.authenticator import SoftAuthenticator, register_passkey


@pytest.fixture
def authenticator() -> SoftAuthenticator:
    return SoftAuthenticator()


@pytest.fixture
def passkey(auth_client, authenticator) -> dict:
    """alice's passkey on `authenticator`, registered through the API: its answer."""
    return register_passkey(auth_client, authenticator)


@pytest.fixture
def mailed_user(user):
    """alice, with an address the security notices go to."""
    user.email = "alice@example.com"
    user.save(update_fields=["email"])
    return user
