import pytest

# Two-factor accounts and cookie mode, as their own suites set them up.
from api.tests.mfa.conftest import clock, totp_user  # noqa: F401
from api.tests.oidc.provider import Provider
from api.tests.sessions.test_refresh_cookie import cookie_mode  # noqa: F401


@pytest.fixture(scope="session")
def running_provider():
    provider = Provider()
    yield provider
    provider.stop()


@pytest.fixture
def provider(running_provider):
    """The test provider with its user signed in, verified email, and honest ID tokens."""
    running_provider.reset()
    return running_provider


FRONTEND_CALLBACK = "https://app.example.com/oidc/callback"


@pytest.fixture
def oidc(provider, settings):
    """The API configured with the test provider as `test`; nothing cached from another test."""
    from api.oidc import providers
    from api.tests.oidc.provider import CLIENT_ID, CLIENT_SECRET

    settings.OIDC_PROVIDERS = {
        "test": {
            "issuer": provider.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "scopes": ["openid", "email", "profile"],
            "display_name": "Test IdP",
        }
    }
    settings.OIDC_FRONTEND_CALLBACK_URL = FRONTEND_CALLBACK
    providers.forget()
    yield provider
    providers.forget()
