"""The JWT keys: what signs and verifies now, and what still verifies (or soon signs) across a
rotation (docs/operations.md, "Key rotation"). Each reader names its variables and checks them;
`tokens.py` puts the keys into the settings. No problem line ever shows a secret."""

from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from backend.environment import Environment
from backend.jwt_keys import RSA_MIN_BITS, check_key_pair

JWT_MIN_KEY_LENGTH = 32


def signing_keys(env: Environment, algorithm: str, *, secret_key: str, debug: bool) -> tuple[str, str]:
    """The signing and verifying keys for `algorithm`: HS256's secret, or RS256/ES256's pair."""
    secret = env.str("JWT_SIGNING_KEY", "")
    # HMAC keys shorter than the hash (32 bytes for SHA-256) weaken it (RFC 7518, section 3.2),
    # in development too: a short key there ends up in a production .env.
    if secret and len(secret) < JWT_MIN_KEY_LENGTH:
        env.problem(
            f"JWT_SIGNING_KEY must be at least {JWT_MIN_KEY_LENGTH} characters when set, whatever "
            "DJANGO_DEBUG says (unset, DJANGO_SECRET_KEY signs the tokens)."
        )
    if algorithm == "HS256":
        if debug and not secret and len(secret_key) < JWT_MIN_KEY_LENGTH:
            # With DEBUG off the secret key's own rule already asks for 50 characters.
            env.problem(
                f"DJANGO_SECRET_KEY must be at least {JWT_MIN_KEY_LENGTH} characters when it signs "
                "the tokens (JWT_SIGNING_KEY unset), whatever DJANGO_DEBUG says."
            )
        return secret or secret_key, ""
    signing, verifying = (
        _key_file(env, "JWT_PRIVATE_KEY_FILE", algorithm),
        _key_file(env, "JWT_PUBLIC_KEY_FILE", algorithm),
    )
    if signing and verifying:
        try:
            check_key_pair(algorithm, signing, verifying)
        except ValueError as exc:
            env.problem(
                f"JWT_PRIVATE_KEY_FILE and JWT_PUBLIC_KEY_FILE must name a key pair {algorithm} "
                f"can sign with, but {exc}."
            )
    return signing, verifying


def previous_keys(env: Environment, algorithm: str, *, signing_key: str, verifying_key: str) -> list[str]:
    """Keys that still verify tokens after a rotation: HS256 secrets (JWT_PREVIOUS_SIGNING_KEYS),
    or RS256/ES256 public keys (JWT_PREVIOUS_PUBLIC_KEY_FILES)."""
    secrets_name, files_name = "JWT_PREVIOUS_SIGNING_KEYS", "JWT_PREVIOUS_PUBLIC_KEY_FILES"
    secrets = env.names("JWT_PREVIOUS_SIGNING_KEYS", [])
    paths = env.names("JWT_PREVIOUS_PUBLIC_KEY_FILES", [])
    if algorithm != "HS256":
        if secrets:
            env.problem(
                f"{secrets_name} must be blank when JWT_ALGORITHM is {algorithm}: previous HS256 "
                f"secrets verify nothing then (list previous public keys in {files_name})."
            )
        return _public_keys(env, files_name, paths, algorithm, current=verifying_key)
    if paths:
        env.problem(
            f"{files_name} must be blank when JWT_ALGORITHM is HS256: public keys verify nothing "
            f"then (list previous secrets in {secrets_name})."
        )
    for number, secret in enumerate(secrets, 1):
        if len(secret) < JWT_MIN_KEY_LENGTH:
            wrong = f"key {number} is shorter"
        elif secret == signing_key:
            wrong = "it lists the current key (JWT_SIGNING_KEY, or DJANGO_SECRET_KEY when that is unset)"
        elif secret in secrets[: number - 1]:
            wrong = f"key {number} is listed twice"
        else:
            continue
        env.problem(
            f"{secrets_name} must list earlier signing keys of at least {JWT_MIN_KEY_LENGTH} "
            f"characters each, comma-separated, other than the current one; {wrong} (not shown: "
            "keys are secret)."
        )
        return []
    return secrets


def next_key(env: Environment, algorithm: str, *, verifying_key: str, previous: list[str]) -> str:
    """RS256/ES256: the public key to sign with next, published ahead of use; "" if unset."""
    name = "JWT_NEXT_PUBLIC_KEY_FILE"
    path = env.str("JWT_NEXT_PUBLIC_KEY_FILE", "")
    if not path:
        return ""
    if algorithm == "HS256":
        env.problem(
            f"{name} must be blank when JWT_ALGORITHM is HS256: there is no public key to publish "
            "(a new secret is listed in JWT_PREVIOUS_SIGNING_KEYS ahead of use instead)."
        )
        return ""
    (key,) = _public_keys(env, name, [path], algorithm, current=verifying_key) or [""]
    if key and _spki(key) in {_spki(other) for other in previous}:
        env.problem(f"{name} must not be one of JWT_PREVIOUS_PUBLIC_KEY_FILES: {path!r} is.")
        return ""
    return key


def _key_file(env: Environment, name: str, algorithm: str) -> str:
    """The text of the file whose path the variable holds, or "" with a problem noted."""
    path = env.str(name, "")
    if not path:
        env.problem(
            f"{name} must be set to the path of a readable PEM file when JWT_ALGORITHM is {algorithm}."
        )
        return ""
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        env.problem(f"{name}: cannot read {path!r} ({reason}); it must be the path of a readable PEM file.")
        return ""


def _public_keys(env: Environment, name: str, paths: list[str], algorithm: str, *, current: str) -> list[str]:
    """The PEM public keys in these files, each one `algorithm` verifies with and none the
    current key or another's twin; [] with one problem noted for the first that is not."""
    keys: list[str] = []
    seen = {_spki(current)} if current else set()
    for path in paths:
        try:
            text = Path(path).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            env.problem(
                f"{name}: cannot read {path!r} ({reason}); it must name readable PEM public key files."
            )
            return []
        wrong = _unusable_public_key(algorithm, text)
        if wrong is None and _spki(text) in seen:
            wrong = "is the current public key (JWT_PUBLIC_KEY_FILE) or listed twice"
        if wrong is not None:
            env.problem(f"{name} must name PEM public keys {algorithm} verifies with, but {path!r} {wrong}.")
            return []
        seen.add(_spki(text))
        keys.append(text)
    return keys


def _unusable_public_key(algorithm: str, pem: str) -> str | None:
    """Why `algorithm` cannot verify with this PEM public key, or None if it can."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, UnsupportedAlgorithm):
        return "is not a PEM public key"
    if algorithm == "RS256" and not (isinstance(key, rsa.RSAPublicKey) and key.key_size >= RSA_MIN_BITS):
        return f"is not an RSA key of at least {RSA_MIN_BITS} bits"
    if algorithm == "ES256" and not (
        isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)
    ):
        return "is not an EC key on curve P-256"
    return None


def _spki(pem: str) -> bytes:
    """A public key's DER encoding, the same however its PEM file is laid out; b"" if unreadable."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, UnsupportedAlgorithm):
        return b""
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
