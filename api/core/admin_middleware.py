"""Django's session, authentication and message middleware, at work for the admin only.

The API authenticates every request with a Bearer token (DRF sets `request.user` itself) and
never reads Django's session or messages, yet each of these paid for every request: a lazy
session and user, message storage set up and saved, `Vary: Cookie` on any answer that touched
them. The admin (`DJANGO_ADMIN_URL`) needs all three, so under its prefix they run as Django
wrote them; anywhere else they hand the request straight on.

Django's CSRF middleware stays at work everywhere: `GET /api/csrf/` and the API docs page
issue tokens through it (`get_token` keeps the secret it read from the cookie, and its response
hook sets the cookie). The cookie mode's check itself (`api/sessions/csrf.py`) runs its own
instance. For the API's views, which DRF exempts, it reads one cookie and nothing more.
"""

import functools

from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware


@functools.lru_cache(maxsize=4)
def _prefix(admin_url: str) -> str | None:
    return f"/{admin_url}" if admin_url else None


def for_admin(path: str) -> bool:
    """Whether the path is the admin's (never, when `DJANGO_ADMIN_URL` is off)."""
    # Read at each request rather than once, so a test that moves the admin is honoured.
    prefix = _prefix(settings.DJANGO_ADMIN_URL)
    return prefix is not None and path.startswith(prefix)


class AdminSessionMiddleware(SessionMiddleware):
    def __call__(self, request):
        if for_admin(request.path):
            return super().__call__(request)
        return self.get_response(request)


class AdminAuthenticationMiddleware(AuthenticationMiddleware):
    def __call__(self, request):
        if for_admin(request.path):
            return super().__call__(request)
        return self.get_response(request)


class AdminMessageMiddleware(MessageMiddleware):
    def __call__(self, request):
        if for_admin(request.path):
            return super().__call__(request)
        return self.get_response(request)
