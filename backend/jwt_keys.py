"""Checks the PEM key pair of an asymmetric JWT algorithm when the settings load.

A wrong key (another algorithm's, too short, or the public half of another key) would otherwise
only show at the first login, or as tokens that other services reject.
"""

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

RSA_MIN_BITS = 2048


def check_key_pair(algorithm: str, private_pem: str, public_pem: str) -> None:
    """Raise ValueError unless the keys are a matching pair of the kind `algorithm` signs with."""
    try:
        private_key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ValueError("the private key is not an unencrypted PEM private key") from exc
    try:
        public_key = serialization.load_pem_public_key(public_pem.encode())
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise ValueError("the public key is not a PEM public key") from exc
    if algorithm == "RS256":
        suitable = isinstance(private_key, rsa.RSAPrivateKey) and private_key.key_size >= RSA_MIN_BITS
        kind = f"an RSA key of at least {RSA_MIN_BITS} bits"
    elif algorithm == "ES256":
        suitable = isinstance(private_key, ec.EllipticCurvePrivateKey) and isinstance(
            private_key.curve, ec.SECP256R1
        )
        kind = "an EC key on curve P-256"
    else:
        raise ValueError(f"{algorithm} is not an asymmetric algorithm")
    if not suitable:
        raise ValueError(f"{algorithm} needs {kind}")
    if _spki(private_key.public_key()) != _spki(public_key):
        raise ValueError("the public key is not the private key's public half")


def _spki(public_key) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
