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
import logging
import re
import urllib.request

from django.conf import settings

from api.core import metrics, outbound

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


def _range_in_time(prefix: str) -> bytes:
    """The range API's answer for `prefix`, bounded as a whole (`outbound.fetch`)."""
    request = urllib.request.Request(  # noqa: S310 (the settings allow http(s) URLs only)
        settings.PWNED_PASSWORDS_URL + prefix,
        headers={"Add-Padding": "true", "User-Agent": "notes-api", "Accept": "text/plain"},
    )
    try:
        answer = outbound.fetch(
            request,
            timeout=settings.PWNED_PASSWORDS_TIMEOUT,
            max_bytes=MAX_ANSWER_BYTES,
            thread_name="breached-password-check",
        )
    except outbound.Unanswered as exc:
        raise Unavailable(f"the range API: {exc.reason}") from None
    if answer.status != 200:
        raise Unavailable(f"the range API answered {answer.status}")
    return answer.body


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
