"""A DPoP client key for the tests: ES256 proofs signed with `cryptography` alone, so that the
server's PyJWT checks are tested against signatures they did not make."""

import base64
import hashlib
import json
import time
import uuid

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

BASE = "http://testserver"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode())


def _coordinate(number: int) -> str:
    return b64url(number.to_bytes(32, "big"))


class DpopKey:
    """An ES256 key pair that signs proofs; every part of a proof can be spoiled on purpose."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        numbers = self.private_key.public_key().public_numbers()
        self.jwk = {"kty": "EC", "crv": "P-256", "x": _coordinate(numbers.x), "y": _coordinate(numbers.y)}

    @property
    def private_jwk(self) -> dict:
        return {**self.jwk, "d": _coordinate(self.private_key.private_numbers().private_value)}

    @property
    def thumbprint(self) -> str:
        # RFC 7638 written out here, apart from the server's code.
        members = f'{{"crv":"P-256","kty":"EC","x":"{self.jwk["x"]}","y":"{self.jwk["y"]}"}}'
        return b64url(hashlib.sha256(members.encode()).digest())

    def sign(self, header: dict, claims: dict) -> str:
        signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
        r, s = decode_dss_signature(self.private_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
        return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def proof(self, method: str, path: str, *, access: str | None = None, header=None, **claims) -> str:
        """A proof for `method` on `path` (or a whole URL); `access` adds its `ath`. Keyword
        arguments replace claims (None drops one); `header` replaces header members."""
        payload = {
            "jti": str(uuid.uuid4()),
            "htm": method,
            "htu": path if "://" in path else BASE + path,
            "iat": int(time.time()),
        }
        if access is not None:
            payload["ath"] = b64url(hashlib.sha256(access.encode()).digest())
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        jose = {"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk, **(header or {})}
        return self.sign(jose, payload)


@pytest.fixture
def dpop_key() -> DpopKey:
    return DpopKey()


@pytest.fixture
def dpop_login(api_client, user, dpop_key):
    """Log alice in with a DPoP proof: the answer, with DPoP-bound tokens."""

    def do_login(key: DpopKey = dpop_key) -> dict:
        response = api_client.post(
            "/api/token/",
            {"username": user.username, "password": "correct horse battery staple"},
            format="json",
            HTTP_DPOP=key.proof("POST", "/api/token/"),
        )
        assert response.status_code == 200, response.content
        return response.json()

    return do_login
