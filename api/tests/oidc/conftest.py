import pytest

from api.tests.oidc.provider import Provider


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
