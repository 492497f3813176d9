"""DPoP proofs (RFC 9449): the checks of section 4.3, through PyJWT and cryptography.

A client holds a key pair that never leaves it and signs a short JWT, the proof, for every
request: the method, the URL, the time, a random `jti`, and (beside an access token) the token's
hash. A token bound to the key's thumbprint (`cnf.jkt`) is then useless without the private key.
"""

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import jwt
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from jwt.algorithms import Algorithm

from api.dpop import nonces, replay
from api.dpop.errors import InvalidDpopProof, UseDpopNonce
from api.dpop.keys import jwk_thumbprint

# Asymmetric algorithms only (section 4.3, check 5): `none` and HMAC never verify a proof. Each
# with the key type and curve its JWK must have, so no key is used with another algorithm.
ALGORITHMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ES256": ("EC", ("P-256",)),
    "ES384": ("EC", ("P-384",)),
    "EdDSA": ("OKP", ("Ed25519", "Ed448")),
    "RS256": ("RSA", ()),
    "PS256": ("RSA", ()),
}
# What a private JWK has and a public one never does (RFC 7518 section 6, RFC 8037).
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
# Seconds a proof's `iat` may be ahead of this server's clock: clients' clocks drift a little;
# one further off needs a server nonce (DPOP_NONCE) rather than a wider window.
FUTURE_SKEW = 5
# A proof is a header with a public key and a few claims; an RSA-4096 one is about 1.5 KiB.
MAX_PROOF_LENGTH = 4096
MAX_JTI_LENGTH = 256
# A shorter RSA key can be factored by a determined attacker (NIST SP 800-131A allows none below).
MIN_RSA_BITS = 2048
# PyJWT's own implementation of each algorithm: it turns a JWK into a key and checks signatures.
_VERIFIERS = {name: jwt.get_algorithm_by_name(name) for name in ALGORITHMS}
# A compact JWS segment: base64url without padding (RFC 7515 section 2), never empty here.
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Proof:
    """A proof that held: the thumbprint of the key that signed it (`jkt`)."""

    jkt: str
    jti: str
    iat: int


def proof_header(request) -> str | None:
    """The request's `DPoP` header, or None. Two headers arrive joined by a comma, which no
    compact JWT contains, so they fail as a malformed proof (section 4.3, check 1)."""
    return request.META.get("HTTP_DPOP")


def request_url(request) -> str:
    """The URL the client asked for, as `htu` must name it: scheme and host as this server sees
    them (behind a proxy, `SECURE_PROXY_SSL_HEADER` and `USE_X_FORWARDED_HOST` must be right)."""
    return request.build_absolute_uri(request.path)


def access_token_hash(token: str) -> str:
    """`ath`: base64url SHA-256 of the access token's ASCII text (section 4.2)."""
    digest = hashlib.sha256(token.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _parts(proof: str) -> tuple[str, dict, bytes, bytes]:
    """A compact JWS's header segment, claims, signing input and signature, read once.

    PyJWT reads a token's segments with a per-character check in Python, once for the unverified
    header and again to decode, which was most of a proof's cost; a regular expression checks
    the base64url alphabet here, and PyJWT's own algorithm checks the signature.
    """
    if not isinstance(proof, str) or len(proof) > MAX_PROOF_LENGTH:
        raise InvalidDpopProof(_("The DPoP proof is not a JWT."))
    segments = proof.split(".")
    if len(segments) != 3 or not all(_BASE64URL.fullmatch(segment) for segment in segments):
        raise InvalidDpopProof(_("The DPoP proof is not a JWT."))
    try:
        signature = _decode_segment(segments[2])
    except ValueError:
        raise InvalidDpopProof(_("The DPoP proof is not a JWT.")) from None
    return segments[0], _json_object(segments[1]), f"{segments[0]}.{segments[1]}".encode(), signature


def _json_object(segment: str) -> dict:
    try:
        value = json.loads(_decode_segment(segment))
    except (ValueError, RecursionError):  # bad base64 length, not UTF-8, not JSON, nested too deep
        raise InvalidDpopProof(_("The DPoP proof is not a JWT.")) from None
    if not isinstance(value, dict):
        raise InvalidDpopProof(_("The DPoP proof is not a JWT."))
    return value


@dataclass(frozen=True)
class _Signer:
    """What a proof's header names: the algorithm and the public key that must have signed it."""

    verifier: Algorithm
    key: object
    jkt: str


# A client signs every proof under the same header (its key and algorithm), so each worker
# reads a header and makes its key once. A bounded cache: headers that fail are not kept, and
# a stranger's new headers only push out others, at the cost of reading them again.
@lru_cache(maxsize=256)
def _signer(segment: str) -> _Signer:
    header = _json_object(segment)
    if header.get("typ") != "dpop+jwt":
        raise InvalidDpopProof(_('The DPoP proof\'s "typ" must be "dpop+jwt".'))
    if "crit" in header:
        # RFC 7515 section 4.1.11: an extension the verifier does not know fails the JWS.
        raise InvalidDpopProof(_("The DPoP proof names critical extensions this server does not know."))
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise InvalidDpopProof(_("The DPoP proof's algorithm is not one this server accepts."))
    jwk = header.get("jwk")
    key_type, curves = ALGORITHMS[algorithm]
    if (
        not isinstance(jwk, dict)
        or jwk.get("kty") != key_type
        or (curves and jwk.get("crv") not in curves)
        or _PRIVATE_MEMBERS & jwk.keys()
    ):
        raise InvalidDpopProof(_('The DPoP proof\'s "jwk" must be a public key for its algorithm.'))
    verifier = _VERIFIERS[algorithm]
    try:
        key = verifier.from_jwk(jwk)
        signer = _Signer(verifier=verifier, key=key, jkt=jwk_thumbprint(jwk))
    except (jwt.PyJWTError, ValueError, TypeError, KeyError):
        # Not a point on the curve, a modulus that is no number: it can verify nothing.
        raise InvalidDpopProof(_("The DPoP proof's signature does not verify with its key.")) from None
    if key_type == "RSA" and key.key_size < MIN_RSA_BITS:
        raise InvalidDpopProof(
            _("The DPoP proof's RSA key is shorter than %(bits)d bits.") % {"bits": MIN_RSA_BITS}
        )
    return signer


def _decode_segment(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


# A client sends the same few URLs again and again, as this server sees its own.
@lru_cache(maxsize=256)
def normalised_url(url: str) -> str | None:
    """`url` without query and fragment, after RFC 3986 section 6.2.2 and 6.2.3 normalisation
    (case of scheme and host, default port, empty path, percent-encoding); None if unparsable."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parts.username is not None or parts.password is not None:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _PERCENT.sub(_normalised_escape, parts.path) or "/"
    return f"{scheme}://{netloc}{path}"


def _normalised_escape(match: re.Match) -> str:
    character = chr(int(match.group(0)[1:], 16))
    return character if character in _UNRESERVED else match.group(0).upper()


def verify_proof(proof: str, *, method: str, url: str, access_token: str | None = None) -> Proof:
    """The proof, if every check of RFC 9449 section 4.3 holds for this request; else
    `InvalidDpopProof` naming the first that failed. With `access_token`, `ath` must be its hash.

    The `jti` is recorded (`replay.first_use`), so a proof holds once. The caller compares the
    returned `jkt` with the token's (check 12).
    """
    header, claims, signing_input, signature = _parts(proof)
    signer = _signer(header)
    try:
        verified = signer.verifier.verify(signing_input, signer.key, signature)
    except (jwt.PyJWTError, ValueError, TypeError):
        verified = False
    if not verified:
        raise InvalidDpopProof(_("The DPoP proof's signature does not verify with its key."))
    jti, htm, htu, iat = (claims.get(name) for name in ("jti", "htm", "htu", "iat"))
    if not isinstance(jti, str) or not 0 < len(jti) <= MAX_JTI_LENGTH:
        raise InvalidDpopProof(_('The DPoP proof needs a "jti".'))
    if htm != method:
        raise InvalidDpopProof(_("The DPoP proof's \"htm\" is not this request's method."))
    if not isinstance(htu, str) or (claimed := normalised_url(htu)) is None or claimed != normalised_url(url):
        raise InvalidDpopProof(_("The DPoP proof's \"htu\" is not this request's URL."))
    now = time.time()
    max_age = settings.DPOP_PROOF_MAX_AGE
    if not isinstance(iat, int) or isinstance(iat, bool) or not now - max_age <= iat <= now + FUTURE_SKEW:
        raise InvalidDpopProof(
            _('The DPoP proof\'s "iat" is not within the last %(seconds)d seconds.') % {"seconds": max_age}
        )
    if settings.DPOP_NONCE and not nonces.is_fresh(claims.get("nonce")):
        raise UseDpopNonce(nonce=nonces.current_nonce())
    if access_token is not None:
        ath = claims.get("ath")
        if not isinstance(ath, str) or not hmac.compare_digest(ath, access_token_hash(access_token)):
            raise InvalidDpopProof(_('The DPoP proof\'s "ath" is not the hash of the access token.'))
    jkt = signer.jkt
    # Once the window is over, `iat` refuses the proof anyway: the record can go then.
    if not replay.first_use(jkt=jkt, jti=jti, expires_at=iat + max_age + FUTURE_SKEW):
        raise InvalidDpopProof(_("This DPoP proof was used before."))
    return Proof(jkt=jkt, jti=jti, iat=iat)
