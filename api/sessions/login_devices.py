"""Device cookies: a browser or app that has logged in to an account before keeps its own
allowance of failed logins, so a guesser elsewhere cannot lock the owner out.

OWASP's "Slow Down Online Guessing Attacks with Device Cookies": after a successful login the
client gets a signed, HttpOnly cookie naming the login it succeeded for. A login attempt for that
same name that presents the cookie is counted per device, not per username; every other attempt
is counted per username (`api.sessions.credentials`). Either way guessing stays
bounded: an attacker without the cookie shares the username's allowance, one with a stolen
cookie has that one device's.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from api.core.clients import spelling_key

COOKIE_NAME = "login_device"
# Only the login endpoint reads it, so the browser sends it nowhere else.
COOKIE_PATH = "/api/token/"
_SALT = "api.login_devices"


@dataclass(frozen=True)
class Device:
    """A client that has logged in to one account before: the cookie's contents."""

    name_key: str
    device_id: str


def device_for(request: HttpRequest, name_key: str) -> Device | None:
    """The device the request's cookie proves, if it logged in before under `name_key`."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("n") != name_key or not isinstance(data.get("d"), str):
        return None
    return Device(name_key=name_key, device_id=data["d"])


def known_device(request: HttpRequest, user) -> bool:
    """Whether the request presents a device cookie of an earlier login to `user`'s account."""
    name_key = spelling_key(user.username)
    return name_key is not None and device_for(request, name_key) is not None


def remember_device(response: HttpResponse, name_key: str) -> None:
    """Give the client a device cookie for the account it just logged in to."""
    value = signing.dumps({"n": name_key, "d": secrets.token_urlsafe(16)}, salt=_SALT)
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=settings.LOGIN_DEVICE_COOKIE_AGE,
        path=COOKIE_PATH,
        secure=settings.LOGIN_DEVICE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
