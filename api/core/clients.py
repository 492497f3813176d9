"""Who a request comes from, as sessions and the security log label it; and the digest every
count kept per email address uses (the link throttles, the mail budgets)."""

import hashlib
import ipaddress
import unicodedata

from rest_framework.throttling import BaseThrottle

from api.models import USER_AGENT_MAX_LENGTH


def client_of(request) -> dict[str, str | None]:
    """How a new session labels its client: the User-Agent as sent, and the IP address as the
    throttles see it (through `NUM_PROXIES`); None for an address that is not one."""
    ip = BaseThrottle().get_ident(request)
    try:
        ip = str(ipaddress.ip_address(ip))
    except ValueError:
        ip = None
    user_agent = _header_text(request.META.get("HTTP_USER_AGENT", ""))
    # Only printable characters: PostgreSQL refuses NUL in text, and the list shows it as sent.
    # Cut to what the columns that keep it hold (sessions, the security log).
    user_agent = "".join(char for char in user_agent if char.isprintable())[:USER_AGENT_MAX_LENGTH]
    return {"user_agent": user_agent, "ip": ip}


def _header_text(value: str) -> str:
    """A header value as the client wrote it. WSGI servers hand headers over decoded as latin-1
    (PEP 3333), which garbles the UTF-8 that clients send; bytes that are not UTF-8 stay latin-1."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        # Not UTF-8, or not from a WSGI server at all (a character beyond latin-1).
        return value


def spelling_key(raw: object) -> str | None:
    """A digest of the account name or email address a request names, or None if it names none.

    Every spelling that reaches the same accounts (surrounding space, case, compatibility forms,
    as logins and stored names are normalised) shares one key. A digest, so counts, caches and
    cookies hold nothing typed.
    """
    if not isinstance(raw, str):
        return None
    text = unicodedata.normalize("NFKC", raw.strip()).casefold()
    if not text:
        return None
    # A lone surrogate cannot be stored or logged in with, but must not crash a count either.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
