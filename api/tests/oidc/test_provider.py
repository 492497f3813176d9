"""The tests' OpenID provider is a real one: discovery, a JWK Set, PKCE required, key rotation."""

from urllib.parse import parse_qs, urlencode, urlsplit

from api.tests.oidc.provider import CLIENT_ID, REDIRECT_URI


def test_the_provider_publishes_its_discovery_document_for_its_issuer(provider):
    configuration = provider.get("/o/.well-known/openid-configuration")

    assert configuration["issuer"] == provider.issuer
    assert configuration["jwks_uri"].startswith(provider.issuer)


def test_the_provider_refuses_an_authorization_request_without_pkce(provider):
    query = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI}
    location = provider.authorize(f"{provider.issuer}/authorize/?{urlencode({**query, 'scope': 'openid'})}")

    assert parse_qs(urlsplit(location).query)["error"] == ["invalid_request"]


def test_a_rotation_publishes_a_new_signing_key_beside_the_old_one(provider):
    before = [key["kid"] for key in provider.get("/o/.well-known/jwks.json")["keys"]]
    provider.control(rotate_key=True)
    after = [key["kid"] for key in provider.get("/o/.well-known/jwks.json")["keys"]]

    assert after[1] == before[0] and after[0] not in before
