import hashlib

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class AuthRateThrottle(ScopedRateThrottle):
    """Per-client-IP limit on the credential and token endpoints (`AUTH_THROTTLE_RATE`).

    Each view names its own `throttle_scope`, so login, register and refresh count apart.
    The client IP honours `NUM_PROXIES` (DRF's `get_ident`).
    """

    def get_rate(self) -> str | None:
        # Read per request rather than once at import, so the rate follows the settings.
        return settings.AUTH_THROTTLE_RATE or None


class LoginFailureThrottle(SimpleRateThrottle):
    """Limits failed logins for one username from all IPs together (`LOGIN_FAILURE_RATE`).

    Only failures count; unknown usernames count the same as real ones, so the limit reveals
    nothing about which accounts exist.
    """

    scope = "login_failure"

    def get_rate(self) -> str | None:
        return settings.LOGIN_FAILURE_RATE or None

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        username = data.get("username") if isinstance(data, dict) else None
        if not isinstance(username, str) or not username:
            return None
        # Hashed: the cache key must not carry what the client typed.
        digest = hashlib.sha256(username.casefold().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self._recent_failures()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return True

    def record_failure(self, request, view) -> None:
        """Count one failed login for the username in `request`."""
        if self.rate is None or (key := self.get_cache_key(request, view)) is None:
            return
        self.key = key
        self.history = [self.timer(), *self._recent_failures()]
        self.cache.set(self.key, self.history, self.duration)

    def _recent_failures(self) -> list[float]:
        self.now = self.timer()
        return [at for at in self.cache.get(self.key, []) if at > self.now - self.duration]
