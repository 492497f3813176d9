"""Log in with DPoP and list the notes: what curl cannot do, since every request needs a proof
signed with the client's key (docs/security.md, "DPoP").

    env/bin/python examples/dpop/dpop_login.py http://127.0.0.1:8000 alice 'plum tractor velvet oasis'

Uses only the standard library and `cryptography` (a dependency of the API already).
"""

import base64
import hashlib
import json
import sys
import time
import urllib.error
import urllib.request
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    """An ES256 key pair; a browser would make it with WebCrypto, `extractable: false`."""

    def __init__(self) -> None:
        self.private = ec.generate_private_key(ec.SECP256R1())
        numbers = self.private.public_key().public_numbers()
        self.jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": b64url(numbers.x.to_bytes(32, "big")),
            "y": b64url(numbers.y.to_bytes(32, "big")),
        }

    def proof(self, method: str, url: str, access: str | None = None, nonce: str | None = None) -> str:
        header = {"typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk}
        claims = {"jti": str(uuid.uuid4()), "htm": method, "htu": url.split("?")[0], "iat": int(time.time())}
        if access:
            claims["ath"] = b64url(hashlib.sha256(access.encode()).digest())
        if nonce:
            claims["nonce"] = nonce
        signing_input = ".".join(b64url(json.dumps(part).encode()) for part in (header, claims))
        der = self.private.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def call(key: Key, method: str, url: str, body: dict | None = None, access: str | None = None):
    """One request with a fresh proof; once more with the server's nonce if it asks for one."""
    nonce = None
    for _ in range(2):
        headers = {"DPoP": key.proof(method, url, access, nonce), "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if access:
            headers["Authorization"] = f"DPoP {access}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http or https, checked in main)
                return json.load(response)
        except urllib.error.HTTPError as error:
            answer = json.load(error)
            if answer.get("code") != "use_dpop_nonce" or nonce is not None:
                raise SystemExit(f"{method} {url}: {error.code} {answer}") from None
            nonce = error.headers["DPoP-Nonce"]
    raise AssertionError("unreachable")


def main(base: str, username: str, password: str) -> None:
    if not base.startswith(("http://", "https://")):
        raise SystemExit("the API's URL: http://... or https://...")
    key = Key()
    tokens = call(key, "POST", f"{base}/api/token/", {"username": username, "password": password})
    print("token_type:", tokens["token_type"])
    print("notes:", call(key, "GET", f"{base}/api/notes/", access=tokens["access"]))
    # A thief with the tokens but not the key: refused.
    bearer = {"Authorization": f"Bearer {tokens['access']}"}
    stolen = urllib.request.Request(f"{base}/api/notes/", headers=bearer)  # noqa: S310
    try:
        urllib.request.urlopen(stolen, timeout=10)  # noqa: S310 (http or https, checked in main)
    except urllib.error.HTTPError as error:
        print("the access token as Bearer:", error.code)


if __name__ == "__main__":
    main(*sys.argv[1:4])
