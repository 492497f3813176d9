"""Per-client-IP request limits. Wrong passwords and codes have their own limit, applied where
they are checked (`api.sessions.credentials`)."""

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle

from api.core import metrics
from api.core.throttle_cache import throttle_cache


class AuthRateThrottle(ScopedRateThrottle):
    """Per-client-IP limit on the credential and token endpoints (`AUTH_THROTTLE_RATE`).

    Each view names its own `throttle_scope`, so login, register and refresh count apart.
    The client IP honours `NUM_PROXIES` (DRF's `get_ident`).
    """

    # Redis, or process memory while Redis is unreachable (api/core/throttle_cache.py).
    cache = throttle_cache

    def get_rate(self) -> str | None:
        # Read per request rather than once at import, so the rate follows the settings.
        return settings.AUTH_THROTTLE_RATE or None

    def allow_request(self, request, view) -> bool:
        if super().allow_request(request, view):
            return True
        _count_login_throttled(view)
        return False


def _count_login_throttled(view) -> None:
    if getattr(view, "throttle_scope", None) == "login":
        metrics.LOGIN_THROTTLED.inc()
