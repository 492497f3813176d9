from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from api.core import metrics
from api.core.throttle_cache import throttle_cache
from api.sessions.login_devices import device_for, login_name_key


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


class LoginFailureThrottle(SimpleRateThrottle):
    """Limits failed logins for one username from all IPs together (`LOGIN_FAILURE_RATE`).

    Only failures count; unknown usernames count the same as real ones, so the limit reveals
    nothing about which accounts exist. A client with a device cookie for the username
    (`api.sessions.login_devices`) is counted on its own instead, at the same rate, so guesses from
    elsewhere cannot lock the owner out.
    """

    scope = "login_failure"
    cache = throttle_cache

    def get_rate(self) -> str | None:
        return settings.LOGIN_FAILURE_RATE or None

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        name_key = login_name_key(data.get("username") if isinstance(data, dict) else None)
        if name_key is None:
            return None
        device = device_for(request, name_key)
        ident = f"device:{device.device_id}" if device else f"name:{name_key}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self._recent_failures()
        if len(self.history) >= self.num_requests:
            _count_login_throttled(view)
            return self.throttle_failure()
        return True

    def record_failure(self, request, view) -> None:
        """Count one failed login for the username in `request` (or for its device)."""
        if self.rate is None or (key := self.get_cache_key(request, view)) is None:
            return
        self.key = key
        self.history = [self.timer(), *self._recent_failures()]
        self.cache.set(self.key, self.history, self.duration)

    def _recent_failures(self) -> list[float]:
        self.now = self.timer()
        return [at for at in self.cache.get(self.key, []) if at > self.now - self.duration]


def _count_login_throttled(view) -> None:
    # Both throttles of the login view may refuse one request: it counts as one throttled login.
    if getattr(view, "throttle_scope", None) == "login" and not getattr(
        view, "_throttled_login_counted", False
    ):
        view._throttled_login_counted = True
        metrics.LOGIN_THROTTLED.inc()
