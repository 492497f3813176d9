"""The breached-password check: a Pwned Passwords range API asked by k-anonymity.

Only the first 5 hex digits of the password's SHA-1 leave the server (`PWNED_PASSWORDS_URL` +
prefix); the API answers the other 35 digits of every breached hash sharing them, about a
thousand, and the match is made here. With `Add-Padding: true` the API adds made-up suffixes
with a count of 0, so that the size of its answer tells an eavesdropper nothing about the
prefix; those are no match.

When the API cannot be asked (refused, no answer within `PWNED_PASSWORDS_TIMEOUT`, an error
status, an answer that is not a range list) the check gives no answer: the validator lets the
password through, the log says why (never the password or any of its hash) and
`notes_breached_password_checks_total{outcome="unavailable"}` counts it.
"""

import hashlib
import http.client
import logging
import re
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings

from api.core import metrics

logger = logging.getLogger(__name__)

PREFIX_LENGTH = 5
# A range answer is some 40 KB with padding; anything far larger is not one.
MAX_ANSWER_BYTES = 1024 * 1024
_LINE = re.compile(rb"([0-9A-F]{35}):([0-9]+)")


class Unavailable(Exception):
    """The range API could not be asked, or gave no usable answer."""


def times_breached(password: str) -> int | None:
    """How many times the range API has seen `password` in breaches (0: never); None if it
    could not be asked."""
    digest = hashlib.sha1(password.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    hex_digest = digest.hexdigest().upper()
    prefix, suffix = hex_digest[:PREFIX_LENGTH], hex_digest[PREFIX_LENGTH:].encode("ascii")
    try:
        answer = _range_in_time(prefix)
        count = _count(answer, suffix)
    except Unavailable as exc:
        logger.warning("Breached-password check skipped, password allowed: %s", exc)
        metrics.BREACH_CHECK_UNAVAILABLE.inc()
        return None
    (metrics.BREACH_CHECK_FOUND if count else metrics.BREACH_CHECK_NOT_FOUND).inc()
    return count


# Beyond PWNED_PASSWORDS_TIMEOUT, what the asking thread is given to report its own reason (a
# trickled answer, a refused connection) before the request stops waiting for it.
GRACE = 0.5


def _range_in_time(prefix: str) -> bytes:
    """`_range(prefix)` in a thread of its own, waited for at most the timeout and GRACE.

    The socket timeout bounds connecting and reading but not the name lookup before them, which
    a resolver that does not answer can hold for tens of seconds; the request goes on without it.
    A daemon thread, so that a lookup still hanging never holds up a worker's exit.
    """
    answer: Future = Future()

    def ask() -> None:
        try:
            answer.set_result(_range(prefix))
        except BaseException as exc:  # handed to the waiting request, which decides
            answer.set_exception(exc)

    threading.Thread(target=ask, name="breached-password-check", daemon=True).start()
    timeout = settings.PWNED_PASSWORDS_TIMEOUT
    try:
        return answer.result(timeout=timeout + GRACE)
    except FutureTimeout:
        raise Unavailable(
            f"no answer within {timeout:g} s (the host name was not resolved in time)"
        ) from None


def _range(prefix: str) -> bytes:
    timeout = settings.PWNED_PASSWORDS_TIMEOUT
    request = urllib.request.Request(  # noqa: S310 (the settings allow http(s) URLs only)
        settings.PWNED_PASSWORDS_URL + prefix,
        headers={"Add-Padding": "true", "User-Agent": "notes-api", "Accept": "text/plain"},
    )
    # The socket timeout bounds connecting and each read; the deadline bounds the whole answer,
    # which a server could otherwise trickle out a byte at a time.
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.build_opener().open(request, timeout=timeout) as response:
            chunks, size = [], 0
            while chunk := response.read1(65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_ANSWER_BYTES:
                    raise Unavailable("the answer is too large to be a range list")
                if time.monotonic() > deadline:
                    raise Unavailable(f"no whole answer within {timeout:g} s")
    except urllib.error.HTTPError as exc:
        raise Unavailable(f"the range API answered {exc.code}") from None
    except TimeoutError:
        raise Unavailable(f"no answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise Unavailable(f"no answer within {timeout:g} s") from None
        # Refused, unknown host, TLS failure: the reason's type says which, without the URL.
        reason = exc.reason if isinstance(exc.reason, str) else type(exc.reason).__name__
        raise Unavailable(f"the range API cannot be reached ({reason})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise Unavailable(f"the range API cannot be reached ({type(exc).__name__})") from None
    return b"".join(chunks)


def _count(answer: bytes, suffix: bytes) -> int:
    """The count of `suffix` in a range answer (`SUFFIX:COUNT` lines), 0 if absent or padding."""
    if not answer.strip():
        # Every prefix has breached hashes (and padding besides): an empty list is no answer.
        raise Unavailable("the answer is empty")
    count = 0
    for line in answer.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _LINE.fullmatch(line)
        if match is None:
            # A captive portal's page or a proxy's error with status 200: no answer at all.
            raise Unavailable("the answer is not a range list")
        if match.group(1) == suffix:
            count = int(match.group(2))
    return count
