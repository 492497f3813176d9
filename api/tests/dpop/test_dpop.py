"""DPoP (RFC 9449): logins and refreshes with a proof get tokens bound to the client's key, and
a bound token works only beside a fresh proof by that key; every check of section 4.3 refused."""

import hashlib
import hmac
import time

import jwt
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from rest_framework.test import APIClient

from api.models import TokenFamily
from api.tests.dpop.conftest import DpopKey, b64url, b64url_json

pytestmark = pytest.mark.django_db

NOTES = "/api/notes/"


def dpop_get(access: str, proof: str | None, path: str = NOTES, *, scheme: str = "DPoP"):
    client = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"{scheme} {access}"}
    if proof is not None:
        headers["HTTP_DPOP"] = proof
    return client.get(path, **headers)


def assert_refused(response, error: str = "invalid_dpop_proof") -> None:
    assert response.status_code == 401, response.content
    assert response.json()["code"] == (
        "invalid_dpop_proof" if error == "invalid_dpop_proof" else "token_not_valid"
    )
    assert response["WWW-Authenticate"].startswith(f'DPoP error="{error}", algs="ES256')


def test_a_login_with_a_proof_gets_tokens_bound_to_the_proof_key(dpop_login, dpop_key, user):
    answer = dpop_login()

    assert answer["token_type"] == "DPoP"
    claims = jwt.decode(answer["access"], options={"verify_signature": False})
    assert claims["cnf"] == {"jkt": dpop_key.thumbprint}
    assert TokenFamily.objects.get(user=user).dpop_jkt == dpop_key.thumbprint


def test_a_login_without_a_proof_gets_bearer_tokens_as_before(tokens, user):
    assert set(tokens) == {"access", "refresh"}
    assert "cnf" not in jwt.decode(tokens["access"], options={"verify_signature": False})
    assert TokenFamily.objects.get(user=user).dpop_jkt == ""


def test_with_dpop_required_a_login_without_a_proof_is_refused(settings, api_client, user):
    settings.JWT_REQUIRE_DPOP = True

    response = api_client.post(
        "/api/token/", {"username": user.username, "password": "correct horse battery staple"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dpop_proof"
    assert not TokenFamily.objects.exists()


def test_a_login_with_a_bad_proof_is_refused_before_the_password_is_checked(api_client, user, dpop_key):
    response = api_client.post(
        "/api/token/",
        {"username": user.username, "password": "correct horse battery staple"},
        format="json",
        HTTP_DPOP=dpop_key.proof("GET", "/api/token/"),
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dpop_proof"
    assert not TokenFamily.objects.exists()


def test_a_bound_token_with_a_proof_by_its_key_reads_the_notes(dpop_login, dpop_key):
    access = dpop_login()["access"]

    response = dpop_get(access, dpop_key.proof("GET", NOTES, access=access))

    assert response.status_code == 200, response.content


def test_the_proof_url_is_compared_without_query_and_after_normalisation(dpop_login, dpop_key):
    access = dpop_login()["access"]
    proof = dpop_key.proof("GET", "HTTP://TestServer:80/api/%6eotes/?page_size=1#top", access=access)

    assert dpop_get(access, proof, NOTES + "?page_size=5").status_code == 200


def test_a_bound_token_sent_as_bearer_is_refused(dpop_login):
    response = dpop_get(dpop_login()["access"], None, scheme="Bearer")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_bearer_token_sent_as_dpop_is_refused(tokens, dpop_key):
    access = tokens["access"]

    assert_refused(dpop_get(access, dpop_key.proof("GET", NOTES, access=access)), "invalid_token")


def test_a_bound_token_without_a_proof_is_refused(dpop_login):
    assert_refused(dpop_get(dpop_login()["access"], None))


def test_a_proof_used_twice_is_refused_the_second_time(dpop_login, dpop_key):
    access = dpop_login()["access"]
    proof = dpop_key.proof("GET", NOTES, access=access)

    assert dpop_get(access, proof).status_code == 200
    assert_refused(dpop_get(access, proof))


def _other_key_proof(key, access):
    return DpopKey().proof("GET", NOTES, access=access)


def _unsigned(key, access):
    proof = key.proof("GET", NOTES, access=access, header={"alg": "none"})
    return proof.rsplit(".", 1)[0] + "."


def _hs256(key, access):
    header = {"typ": "dpop+jwt", "alg": "HS256", "jwk": {"kty": "oct", "k": b64url(b"secret")}}
    claims = {"jti": "x1", "htm": "GET", "htu": "http://testserver" + NOTES, "iat": int(time.time())}
    signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
    signature = hmac.digest(b"secret", signing_input.encode(), "sha256")
    return f"{signing_input}.{b64url(signature)}"


def _private_jwk(key, access):
    return key.proof("GET", NOTES, access=access, header={"jwk": key.private_jwk})


def _tampered(key, access):
    header, claims, signature = key.proof("GET", NOTES, access=access).split(".")
    other = key.proof("GET", NOTES, access=access).split(".")[1]
    return f"{header}.{other if other != claims else claims}.{signature}"


BROKEN_PROOFS = {
    "wrong htm": lambda key, access: key.proof("POST", NOTES, access=access),
    "htu of another host": lambda key, access: key.proof("GET", "http://evil.example" + NOTES, access=access),
    "htu of another path": lambda key, access: key.proof("GET", "/api/user/me/", access=access),
    "htu of another scheme": lambda key, access: key.proof(
        "GET", "https://testserver" + NOTES, access=access
    ),
    "old iat": lambda key, access: key.proof("GET", NOTES, access=access, iat=int(time.time()) - 3600),
    "future iat": lambda key, access: key.proof("GET", NOTES, access=access, iat=int(time.time()) + 120),
    "no iat": lambda key, access: key.proof("GET", NOTES, access=access, iat=None),
    "no jti": lambda key, access: key.proof("GET", NOTES, access=access, jti=None),
    "no ath": lambda key, access: key.proof("GET", NOTES),
    "ath of another token": lambda key, access: key.proof("GET", NOTES, access=access + "x"),
    "signed by another key": _other_key_proof,
    "alg none": _unsigned,
    "HS256": _hs256,
    "private key in jwk": _private_jwk,
    "wrong typ": lambda key, access: key.proof("GET", NOTES, access=access, header={"typ": "JWT"}),
    "no jwk": lambda key, access: key.proof("GET", NOTES, access=access, header={"jwk": None}),
    "signature of other claims": _tampered,
    "not a JWT": lambda key, access: "not-a-jwt",
    "a header that is no JSON": lambda key, access: (
        "bm90IGpzb24." + key.proof("GET", NOTES, access=access).split(".", 1)[1]
    ),
    "a signature of a bad base64 length": lambda key, access: key.proof("GET", NOTES, access=access) + "A",
    "critical extensions": lambda key, access: key.proof(
        "GET", NOTES, access=access, header={"crit": ["exp"]}
    ),
}


@pytest.mark.parametrize("broken", BROKEN_PROOFS)
def test_a_proof_that_breaks_a_check_is_refused(dpop_login, dpop_key, broken):
    access = dpop_login()["access"]

    assert_refused(dpop_get(access, BROKEN_PROOFS[broken](dpop_key, access)))


def test_a_proof_signed_by_another_key_than_the_tokens_is_refused(dpop_login, dpop_key):
    access = dpop_login()["access"]
    thief = DpopKey()

    response = dpop_get(access, thief.proof("GET", NOTES, access=access))

    assert_refused(response)
    assert "another key" in response.json()["detail"]


@pytest.mark.parametrize("seconds", [1, 30])
def test_a_proof_within_the_window_and_a_little_ahead_is_accepted(dpop_login, dpop_key, seconds):
    access = dpop_login()["access"]
    proof = dpop_key.proof("GET", NOTES, access=access, iat=int(time.time()) - seconds)

    assert dpop_get(access, proof).status_code == 200
    ahead = dpop_key.proof("GET", NOTES, access=access, iat=int(time.time()) + 2)
    assert dpop_get(access, ahead).status_code == 200


def test_the_window_follows_dpop_proof_max_age(settings, dpop_login, dpop_key):
    access = dpop_login()["access"]
    settings.DPOP_PROOF_MAX_AGE = 10

    assert_refused(dpop_get(access, dpop_key.proof("GET", NOTES, access=access, iat=int(time.time()) - 30)))


def _rsa_proof(bits: int) -> str:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    numbers = private_key.public_key().public_numbers()
    jwk = {
        "kty": "RSA",
        "n": b64url(numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")),
        "e": b64url(numbers.e.to_bytes(3, "big")),
    }
    header = {"typ": "dpop+jwt", "alg": "RS256", "jwk": jwk}
    claims = {
        "jti": str(time.time_ns()),
        "htm": "POST",
        "htu": "http://testserver/api/token/",
        "iat": int(time.time()),
    }
    signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
    signature = private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


@pytest.mark.parametrize(("bits", "status"), [(1024, 400), (2048, 200)])
def test_an_rsa_proof_key_needs_2048_bits(api_client, user, bits, status):
    response = api_client.post(
        "/api/token/",
        {"username": user.username, "password": "correct horse battery staple"},
        format="json",
        HTTP_DPOP=_rsa_proof(bits),
    )

    assert response.status_code == status, response.content
    if status == 400:
        assert response.json()["code"] == "invalid_dpop_proof"
        assert "2048 bits" in response.json()["detail"]
        assert not TokenFamily.objects.exists()


def test_an_eddsa_key_binds_and_proves_as_well(api_client, user):
    private_key = Ed25519PrivateKey.generate()
    jwk = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)),
    }

    def proof(method: str, path: str, **claims) -> str:
        header = {"typ": "dpop+jwt", "alg": "EdDSA", "jwk": jwk}
        payload = {
            "jti": str(time.time_ns()),
            "htm": method,
            "htu": "http://testserver" + path,
            "iat": int(time.time()),
            **claims,
        }
        signing_input = f"{b64url_json(header)}.{b64url_json(payload)}"
        return f"{signing_input}.{b64url(private_key.sign(signing_input.encode()))}"

    login = api_client.post(
        "/api/token/",
        {"username": user.username, "password": "correct horse battery staple"},
        format="json",
        HTTP_DPOP=proof("POST", "/api/token/"),
    )
    assert login.status_code == 200, login.content
    access = login.json()["access"]
    ath = b64url(hashlib.sha256(access.encode()).digest())

    assert dpop_get(access, proof("GET", NOTES, ath=ath)).status_code == 200
