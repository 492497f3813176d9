"""Tokens other services can verify: RS256/ES256 keys, the `kid` header and the JWK Set."""

import base64
import hashlib
import hmac
import json

import jwt
import pytest

from api.sessions.tokens import jwk_thumbprint
from api.tests.live import manage, project_env

pytestmark = pytest.mark.django_db

ASYMMETRIC = ["RS256", "ES256"]


@pytest.fixture
def sign_with(settings, key_files):
    """Switches the server to a new key pair for `algorithm`."""

    def use(algorithm: str, name: str = "jwt") -> None:
        private, public = key_files(algorithm, name)
        settings.SIMPLE_JWT = {
            **settings.SIMPLE_JWT,
            "ALGORITHM": algorithm,
            "SIGNING_KEY": private.read_text(),
            "VERIFYING_KEY": public.read_text(),
        }

    return use


def test_thumbprint_is_rfc7638s_example():
    # RFC 7638, section 3.1.
    jwk = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "e": "AQAB",
        "alg": "RS256",
        "kid": "2011-04-29",
    }

    assert jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_with_hs256_there_is_no_key_to_publish(api_client, tokens):
    response = api_client.get("/.well-known/jwks.json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # The token still names its key: a hash of the secret, which nothing publishes (test_key_rotation.py).
    assert "kid" in jwt.get_unverified_header(tokens["access"])


@pytest.mark.parametrize("algorithm", ASYMMETRIC)
def test_tokens_name_their_key_and_the_jwk_set_publishes_it(api_client, user, login, sign_with, algorithm):
    sign_with(algorithm)

    pair = login(user.username)
    response = api_client.get("/.well-known/jwks.json")

    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["alg"] == algorithm
    assert key["use"] == "sig"
    assert key["kid"] == jwk_thumbprint(key)
    assert not {"d", "p", "q"} & set(key), "a private member was published"
    for token in pair.values():
        header = jwt.get_unverified_header(token)
        assert (header["alg"], header["kid"]) == (algorithm, key["kid"])
    claims = jwt.decode(pair["access"], jwt.PyJWK(key).key, algorithms=[algorithm])
    assert claims["user_id"] == str(user.pk)


@pytest.mark.parametrize("algorithm", ASYMMETRIC)
def test_asymmetric_tokens_work_on_every_endpoint(api_client, user, login, sign_with, algorithm):
    sign_with(algorithm)
    pair = login(user.username)

    me = api_client.get("/api/user/me/", HTTP_AUTHORIZATION=f"Bearer {pair['access']}")
    verified = api_client.post("/api/token/verify/", {"token": pair["access"]}, format="json")
    renewed = api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}, format="json")

    assert me.status_code == 200
    assert verified.status_code == 200
    assert renewed.status_code == 200
    assert jwt.get_unverified_header(renewed.json()["access"])["alg"] == algorithm


def test_token_signed_with_a_replaced_key_is_refused(api_client, user, login, sign_with):
    sign_with("RS256", name="old")
    old = login(user.username)
    sign_with("RS256", name="new")

    response = api_client.get("/api/user/me/", HTTP_AUTHORIZATION=f"Bearer {old['access']}")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_token_forged_with_hs256_and_the_public_key_is_refused(api_client, user, login, sign_with, settings):
    # The classic algorithm confusion: the public key, which anyone has, used as an HMAC secret.
    sign_with("RS256")
    claims = jwt.decode(login(user.username)["access"], options={"verify_signature": False})
    public_key = settings.SIMPLE_JWT["VERIFYING_KEY"].encode()

    def b64(data: bytes) -> bytes:
        return base64.urlsafe_b64encode(data).rstrip(b"=")

    signing_input = (
        b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + b"." + b64(json.dumps(claims).encode())
    )
    forged = signing_input + b"." + b64(hmac.new(public_key, signing_input, hashlib.sha256).digest())

    response = api_client.get("/api/user/me/", HTTP_AUTHORIZATION=f"Bearer {forged.decode()}")

    assert response.status_code == 401


# --- Settings refuse keys that cannot work --------------------------------------------------


def _check(**variables: str):
    return manage("check", env=project_env(**variables))


@pytest.mark.parametrize("algorithm", ASYMMETRIC)
def test_server_starts_with_a_matching_key_pair(key_files, algorithm):
    private, public = key_files(algorithm)

    result = _check(
        JWT_ALGORITHM=algorithm, JWT_PRIVATE_KEY_FILE=str(private), JWT_PUBLIC_KEY_FILE=str(public)
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("algorithm", ["HS512", "none", "rs256"])
def test_unsupported_algorithm_stops_startup(algorithm):
    result = _check(JWT_ALGORITHM=algorithm)

    assert result.returncode != 0
    assert "JWT_ALGORITHM must be one of HS256, RS256, ES256" in result.stderr


def test_asymmetric_algorithm_without_key_files_stops_startup(key_files):
    private, _ = key_files("RS256")

    without_any = _check(JWT_ALGORITHM="RS256")
    without_public = _check(JWT_ALGORITHM="RS256", JWT_PRIVATE_KEY_FILE=str(private))

    assert without_any.returncode != 0
    assert "JWT_PRIVATE_KEY_FILE must be set" in without_any.stderr
    assert without_public.returncode != 0
    assert "JWT_PUBLIC_KEY_FILE must be set" in without_public.stderr


def test_missing_or_unreadable_key_file_stops_startup(key_files, tmp_path):
    private, public = key_files("ES256")

    missing = _check(
        JWT_ALGORITHM="ES256",
        JWT_PRIVATE_KEY_FILE=str(tmp_path / "nope.pem"),
        JWT_PUBLIC_KEY_FILE=str(public),
    )
    a_directory = _check(
        JWT_ALGORITHM="ES256", JWT_PRIVATE_KEY_FILE=str(private), JWT_PUBLIC_KEY_FILE=str(tmp_path)
    )

    assert missing.returncode != 0
    assert "JWT_PRIVATE_KEY_FILE: cannot read" in missing.stderr
    assert a_directory.returncode != 0
    assert "JWT_PUBLIC_KEY_FILE: cannot read" in a_directory.stderr


@pytest.mark.parametrize(
    "algorithm, make_pair, message",
    [
        (
            "RS256",
            lambda keys, tmp: (tmp / "junk.pem", keys("RS256")[1]),
            "not an unencrypted PEM private key",
        ),
        (
            "RS256",
            lambda keys, tmp: (keys("RS256")[0], keys("RS256")[0]),
            "public key is not a PEM public key",
        ),
        ("ES256", lambda keys, tmp: keys("RS256"), "ES256 needs an EC key on curve P-256"),
        ("RS256", lambda keys, tmp: keys("ES256"), "RS256 needs an RSA key"),
        ("RS256", lambda keys, tmp: (keys("RS256", "a")[0], keys("RS256", "b")[1]), "not the private key's"),
    ],
    ids=["junk", "private-as-public", "rsa-for-es256", "ec-for-rs256", "mismatched"],
)
def test_unusable_key_pair_stops_startup(key_files, tmp_path, algorithm, make_pair, message):
    (tmp_path / "junk.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    private, public = make_pair(key_files, tmp_path)

    result = _check(
        JWT_ALGORITHM=algorithm, JWT_PRIVATE_KEY_FILE=str(private), JWT_PUBLIC_KEY_FILE=str(public)
    )

    assert result.returncode != 0
    assert message in result.stderr
