"""RFC 7638 JWK thumbprints: the name of a public key, for the JWK Set's `kid` and for DPoP's
`cnf.jkt` (the key a sender-constrained token is bound to)."""

import base64
import hashlib
import json

# RFC 7638, section 3.2 (and RFC 8037, section 2 for OKP): the members of each key type that its
# thumbprint covers; any other member, `d` included, is left out.
THUMBPRINT_MEMBERS = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y"), "OKP": ("crv", "kty", "x")}


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """The RFC 7638 thumbprint of a public JWK: SHA-256 of its required members, base64url."""
    required = {name: jwk[name] for name in THUMBPRINT_MEMBERS[jwk["kty"]]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
