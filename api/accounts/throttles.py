"""Limits on the endpoints that send mail: per client IP, and per email address."""

from django.conf import settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from api.core.clients import spelling_key
from api.core.throttle_cache import throttle_cache


class EmailRateThrottle(ScopedRateThrottle):
    """Per-client-IP limit on asking for mail (`EMAIL_THROTTLE_RATE`), per view scope."""

    # Redis, or process memory while Redis is unreachable (api/core/throttle_cache.py).
    cache = throttle_cache

    def get_rate(self) -> str | None:
        # Read per request rather than once at import, so the rate follows the settings.
        return settings.EMAIL_THROTTLE_RATE or None


class EmailAddressThrottle(SimpleRateThrottle):
    """Limits the mail one address can be sent, from all IPs together (`EMAIL_ADDRESS_THROTTLE_RATE`).

    Every request counts, whether or not an account has the address, so the limit tells
    nothing about which addresses are known, and nobody can flood a mailbox from many IPs.
    """

    cache = throttle_cache

    def get_rate(self) -> str | None:
        return settings.EMAIL_ADDRESS_THROTTLE_RATE or None

    def get_cache_key(self, request, view) -> str | None:
        data = request.data
        key = spelling_key(data.get("email") if isinstance(data, dict) else None)
        if key is None:
            return None
        scope = getattr(view, "throttle_scope", "email")
        return self.cache_format % {"scope": f"email_address_{scope}", "ident": key}
