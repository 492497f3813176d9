"""The second factor's codes: TOTP codes (RFC 6238, through pyotp) and single-use recovery codes.

Pure functions: no database. `api.mfa.services` decides which codes are still good.
"""

import hashlib
import hmac
import io
import re
import secrets
from datetime import datetime

from drf_spectacular.settings import spectacular_settings

# RFC 6238's defaults, which every authenticator app reads from an otpauth:// URL without
# parameters: HMAC-SHA-1, 6 digits, 30-second steps.
TOTP_DIGITS = 6
TOTP_INTERVAL = 30
# Codes of the step before and after the server's are accepted too: the phone's clock may be off
# by a few seconds, and the user takes some to type the code.
TOTP_DRIFT_STEPS = 1

RECOVERY_CODE_COUNT = 10
# Crockford's base32: no i, l, o or u, so a code copied from paper is read back as written.
_RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
# 16 characters of 5 bits: 80 random bits per code.
_RECOVERY_LENGTH = 16
_RECOVERY_GROUP = 4
# What a typed code may be written with that means one of the alphabet's characters.
_LOOK_ALIKES = str.maketrans({"i": "1", "l": "1", "o": "0"})
# Spaces and hyphens are only for reading: apps show "123 456", recovery codes come grouped.
_SEPARATORS = re.compile(r"[\s-]+")
_TOTP_SHAPE = re.compile(rf"[0-9]{{{TOTP_DIGITS}}}")
_RECOVERY_SHAPE = re.compile(rf"[{_RECOVERY_ALPHABET}]{{{_RECOVERY_LENGTH}}}")


def new_secret() -> str:
    """A new TOTP secret: 160 random bits (RFC 4226's recommended length), in base32."""
    import pyotp  # here, not at import: only the accounts that use two-factor login need it

    return pyotp.random_base32(32)


def otpauth_url(*, secret: str, account_name: str) -> str:
    """The `otpauth://totp/...` URL an authenticator app reads (from its QR code, or pasted)."""
    import pyotp

    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=spectacular_settings.TITLE)


def qr_svg(url: str) -> str:
    """The QR code of `url` as a standalone SVG document (no XML declaration)."""
    buffer = io.BytesIO()
    # Here, not at import: a worker loads it (about a megabyte) only once someone sets up TOTP.
    import segno

    segno.make(url, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, nl=False, scale=4)
    return buffer.getvalue().decode()


def normalised(code: str) -> str:
    """A typed code as it is compared: no spaces or hyphens, small letters, look-alikes mapped."""
    return _SEPARATORS.sub("", code).lower().translate(_LOOK_ALIKES)


def is_totp_code(code: str) -> bool:
    """Whether a normalised code has the shape of a TOTP code (six ASCII digits)."""
    return _TOTP_SHAPE.fullmatch(code) is not None


def is_recovery_code(code: str) -> bool:
    """Whether a normalised code has the shape of a recovery code."""
    return _RECOVERY_SHAPE.fullmatch(code) is not None


def totp_step(*, secret: str, code: str, at: datetime, after_step: int | None) -> int | None:
    """The time step whose TOTP code `code` is, within the drift around `at`; None if none.

    Only steps after `after_step` (the last one used) count: a code works once, and once a code
    is used, no earlier one works either.
    """
    if not is_totp_code(code):
        return None
    import pyotp

    totp = pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_INTERVAL)
    now = totp.timecode(at)
    for step in sorted(range(now - TOTP_DRIFT_STEPS, now + TOTP_DRIFT_STEPS + 1), key=lambda s: abs(s - now)):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """A fresh set of recovery codes, as shown to the user: `xxxx-xxxx-xxxx-xxxx`."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append(
            "-".join(raw[i : i + _RECOVERY_GROUP] for i in range(0, _RECOVERY_LENGTH, _RECOVERY_GROUP))
        )
    return codes


def recovery_code_hash(code: str) -> str:
    """The stored digest of a recovery code (as shown, or normalised).

    SHA-256, with no salt or stretching: those slow down guessing a password from its hash, and a
    code of 80 random bits cannot be guessed from its hash in the first place.
    """
    return hashlib.sha256(normalised(code).encode("ascii")).hexdigest()
