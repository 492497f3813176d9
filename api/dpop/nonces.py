"""Server nonces (RFC 9449 section 8): with `DPOP_NONCE` on, a proof must carry a nonce this
server gave out lately, so a proof signed ahead of time (by a script that ran in the page
once) stops working within `DPOP_NONCE_LIFETIME`.

A nonce is an HMAC of the current time window under a key derived from `DJANGO_SECRET_KEY`: every
worker and every instance with the same secret computes the same one, with nothing stored. The
one of the window before still holds, so a nonce received just before the change is not refused.
"""

import base64
import hashlib
import hmac
import time

from django.conf import settings

# Keeps these MACs apart from any other use of the same secret.
_KEY_PREFIX = b"notes-api dpop nonce\n"


def _nonce(window: int) -> str:
    key = hashlib.sha256(_KEY_PREFIX + settings.SECRET_KEY.encode()).digest()
    digest = hmac.new(key, str(window).encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def _window() -> int:
    return int(time.time() // settings.DPOP_NONCE_LIFETIME)


def current_nonce() -> str:
    """The nonce to hand out now, in the `DPoP-Nonce` header."""
    return _nonce(_window())


def is_fresh(nonce: object) -> bool:
    """Whether `nonce` is this window's or the previous one's."""
    if not isinstance(nonce, str):
        return False
    window = _window()
    return any(hmac.compare_digest(nonce, _nonce(w)) for w in (window, window - 1))
