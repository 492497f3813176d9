"""What the frontend and the browser do in a provider sign-in, over the API's HTTP endpoints."""

from urllib.parse import parse_qs, urlsplit

from api.tests.oidc.conftest import FRONTEND_CALLBACK


def start(client, name: str = "test") -> str:
    response = client.post(f"/api/oidc/{name}/start/")
    assert response.status_code == 200, response.content
    return response.json()["authorization_url"]


def callback(client, location: str, **headers):
    """The browser following the provider's redirect back to the API's callback."""
    parts = urlsplit(location)
    assert parts.netloc == "testserver", location
    return client.get(parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}, **headers)


def one_time_code(response) -> str:
    """The code in the callback's redirect to the frontend (and nothing else there)."""
    assert response.status_code == 302, response.content
    location = response["Location"]
    assert location.startswith(FRONTEND_CALLBACK + "?")
    return parse_qs(urlsplit(location).query)["code"][0]


def sign_in(client, provider) -> str:
    """Start, sign in at the provider, come back: the one-time code for POST /api/token/oidc/."""
    return one_time_code(callback(client, provider.authorize(start(client))))


def exchange(client, code: str, **headers):
    return client.post("/api/token/oidc/", {"code": code}, format="json", **headers)
