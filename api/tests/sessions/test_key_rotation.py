"""Signing-key rotation without logging anyone out (docs/operations.md, "Key rotation").

The runbook, walked with the server's configuration at each stage: publish the next key, switch
to it, keep the previous one while tokens signed with it live, drop it. Tokens issued under the
old key keep working (access and refresh) while it is "previous", and are refused once it is
dropped; each token names its key (`kid`) and is verified with that key alone.
"""

import base64
import json
import secrets
import uuid

import jwt
import pytest
from rest_framework.test import APIClient

from api.sessions.tokens import HMAC_KEY_ID_LENGTH, hmac_key_id, jwk_thumbprint
from api.tests.conftest import PASSWORD
from api.tests.live import server_env

pytestmark = pytest.mark.django_db

OLD_SECRET, NEW_SECRET = secrets.token_urlsafe(48), secrets.token_urlsafe(48)


@pytest.fixture
def serve_hs256(settings):
    """Sets the server's HS256 configuration: the signing key and the previous keys."""

    def configure(signing: str, previous: list[str]) -> None:
        settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ALGORITHM": "HS256", "SIGNING_KEY": signing}
        settings.JWT_PREVIOUS_VERIFYING_KEYS = previous
        settings.JWT_NEXT_VERIFYING_KEY = ""

    return configure


@pytest.fixture
def serve_asymmetric(settings, key_files):
    """Sets the server's RS256/ES256 configuration from named key pairs (`key_files`)."""

    def configure(algorithm: str, current: str, *, next_key: str = "", previous: tuple[str, ...] = ()):
        private, public = key_files(algorithm, current)
        settings.SIMPLE_JWT = {
            **settings.SIMPLE_JWT,
            "ALGORITHM": algorithm,
            "SIGNING_KEY": private.read_text(),
            "VERIFYING_KEY": public.read_text(),
        }
        settings.JWT_NEXT_VERIFYING_KEY = key_files(algorithm, next_key)[1].read_text() if next_key else ""
        settings.JWT_PREVIOUS_VERIFYING_KEYS = [
            key_files(algorithm, name)[1].read_text() for name in previous
        ]

    return configure


@pytest.fixture
def key_files(key_files):
    """`key_files` that gives the same pair each time a name is asked for again."""
    made: dict[tuple[str, str], tuple] = {}

    def pair(algorithm: str, name: str = "jwt"):
        if (algorithm, name) not in made:
            made[algorithm, name] = key_files(algorithm, name)
        return made[algorithm, name]

    return pair


def _me(access: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/user/me/")


def _refresh(refresh: str):
    return APIClient().post("/api/token/refresh/", {"refresh": refresh}, format="json")


def _works(pair: dict) -> bool:
    """Whether the pair's access token is accepted and its refresh token renews it."""
    access_ok = _me(pair["access"]).status_code == 200
    renewed = _refresh(pair["refresh"])
    if renewed.status_code == 200:
        assert _me(renewed.json()["access"]).status_code == 200
    return access_ok and renewed.status_code == 200


def _assert_refused(pair: dict) -> None:
    for response in (_me(pair["access"]), _refresh(pair["refresh"])):
        assert response.status_code == 401
        assert response.json()["code"] == "token_not_valid"


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- HS256 ----------------------------------------------------------------------------------


def test_hs256_runbook_keeps_old_tokens_working_until_the_old_key_is_dropped(user, login, serve_hs256):
    serve_hs256(OLD_SECRET, [])
    old_pairs = [login(user.username) for _ in range(3)]
    assert {_kid(token) for pair in old_pairs for token in pair.values()} == {hmac_key_id(OLD_SECRET)}

    # Publish: the new key verifies everywhere before anything signs with it.
    serve_hs256(OLD_SECRET, [NEW_SECRET])
    assert _works(old_pairs[0])

    # Switch: the new key signs; the old one, now previous, still verifies.
    serve_hs256(NEW_SECRET, [OLD_SECRET])
    assert _works(old_pairs[1])
    new_pair = login(user.username)
    assert {_kid(token) for token in new_pair.values()} == {hmac_key_id(NEW_SECRET)}

    # Drop: once every token signed with the old key has expired, it verifies nothing.
    serve_hs256(NEW_SECRET, [])
    _assert_refused(old_pairs[2])
    assert _works(new_pair)


def test_hs256_kid_is_a_truncated_hash_of_the_key_never_the_key(tokens, settings):
    kid = _kid(tokens["access"])
    secret = settings.SIMPLE_JWT["SIGNING_KEY"]

    assert len(kid) == HMAC_KEY_ID_LENGTH
    assert kid == hmac_key_id(secret)
    assert kid not in secret and kid not in _b64(secret.encode())


def test_a_token_naming_an_unknown_key_is_refused_even_with_a_good_signature(user, login, settings):
    claims = jwt.decode(login(user.username)["access"], options={"verify_signature": False})
    forged = jwt.encode(
        claims, settings.SIMPLE_JWT["SIGNING_KEY"], algorithm="HS256", headers={"kid": "nope"}
    )

    response = _me(forged)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_token_without_kid_verifies_with_the_current_key_only(user, login, serve_hs256):
    # Tokens issued before tokens named their key: the upgrade logs nobody out.
    serve_hs256(OLD_SECRET, [])
    claims = jwt.decode(login(user.username)["access"], options={"verify_signature": False})
    from_before = jwt.encode(claims, OLD_SECRET, algorithm="HS256")
    assert "kid" not in jwt.get_unverified_header(from_before)
    assert _me(from_before).status_code == 200

    # After a switch such a token would have to be tried against every key: it is refused.
    serve_hs256(NEW_SECRET, [OLD_SECRET])
    assert _me(from_before).status_code == 401


def test_a_garbled_kid_is_refused_not_an_error(user, login, settings):
    access = login(user.username)["access"]
    _, payload, _ = access.split(".")
    for kid in (["a", "list"], {"an": "object"}, 17):
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
        response = _me(f"{header}.{payload}.{_b64(b'x' * 32)}")
        assert response.status_code == 401


# --- RS256 and ES256: the JWK Set at each stage -----------------------------------------------


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_asymmetric_runbook_publishes_next_current_and_previous_keys(
    api_client, user, login, serve_asymmetric, key_files, algorithm
):
    def published() -> list[str]:
        response = api_client.get("/.well-known/jwks.json")
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=300"
        keys = response.json()["keys"]
        assert all(key["kid"] == jwk_thumbprint(key) and key["alg"] == algorithm for key in keys)
        assert not any({"d", "p", "q"} & set(key) for key in keys), "a private member was published"
        return [key["kid"] for key in keys]

    def kid_of(name: str) -> str:
        jwk = jwt.get_algorithm_by_name(algorithm).to_jwk(
            jwt.get_algorithm_by_name(algorithm).prepare_key(key_files(algorithm, name)[1].read_text()),
            as_dict=True,
        )
        return jwk_thumbprint(jwk)

    old, new = kid_of("old"), kid_of("new")
    serve_asymmetric(algorithm, "old")
    assert published() == [old]
    old_pairs = [login(user.username) for _ in range(3)]

    # Publish: the next key is in the set ahead of use, and verifies what an instance that
    # switched first signs with it.
    serve_asymmetric(algorithm, "old", next_key="new")
    assert published() == [new, old]
    assert _works(old_pairs[0])
    claims = jwt.decode(old_pairs[0]["access"], options={"verify_signature": False})
    from_switched_instance = jwt.encode(
        claims, key_files(algorithm, "new")[0].read_text(), algorithm=algorithm, headers={"kid": new}
    )
    assert _me(from_switched_instance).status_code == 200

    # Switch.
    serve_asymmetric(algorithm, "new", previous=("old",))
    assert published() == [new, old]
    assert _works(old_pairs[1])
    new_pair = login(user.username)
    assert {_kid(token) for token in new_pair.values()} == {new}

    # Drop.
    serve_asymmetric(algorithm, "new")
    assert published() == [new]
    _assert_refused(old_pairs[2])
    assert _works(new_pair)


# --- The same with real server processes ----------------------------------------------------


def test_three_server_configurations_keep_then_refuse_old_tokens(live_database_url, gunicorn_server):
    common = {"DATABASE_URL": live_database_url, "AUTH_THROTTLE_RATE": "100000/min"}
    old_server = gunicorn_server(server_env(**common, JWT_SIGNING_KEY=OLD_SECRET))
    username = f"rotation-{uuid.uuid4().hex[:10]}"
    credentials = {"username": username, "password": PASSWORD}
    assert old_server.request("POST", "/api/user/register/", credentials).status == 201
    kept, dropped = (old_server.request("POST", "/api/token/", credentials).json() for _ in range(2))
    old_server.stop()

    switched = gunicorn_server(
        server_env(**common, JWT_SIGNING_KEY=NEW_SECRET, JWT_PREVIOUS_SIGNING_KEYS=OLD_SECRET)
    )
    assert switched.request("GET", "/api/user/me/", token=kept["access"]).status == 200
    renewed = switched.request("POST", "/api/token/refresh/", {"refresh": kept["refresh"]})
    assert renewed.status == 200
    assert _kid(renewed.json()["access"]) == hmac_key_id(NEW_SECRET)
    switched.stop()

    dropped_server = gunicorn_server(server_env(**common, JWT_SIGNING_KEY=NEW_SECRET))
    assert dropped_server.request("GET", "/api/user/me/", token=dropped["access"]).status == 401
    assert (
        dropped_server.request("POST", "/api/token/refresh/", {"refresh": dropped["refresh"]}).status == 401
    )
    assert dropped_server.request("GET", "/api/user/me/", token=renewed.json()["access"]).status == 200
