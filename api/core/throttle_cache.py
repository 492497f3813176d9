"""The cache the throttles count in: the shared cache (Redis), or this process's memory while the
shared cache cannot be reached.

The decision (docs/operations.md, "Outages"): a Redis outage must not take logins down with it, and must not
lift the limits either. So the throttles fail over, not open and not closed: while Redis is
unreachable each process counts in its own memory, as it does when no `REDIS_URL` is set, and
every limit holds per process (a client gets at most the limit times the number of processes).
Nothing else depends on Redis, so reads, writes and logins keep working.

After a failure Redis is left alone for `RETRY_INTERVAL` seconds (a circuit breaker), so a hung
Redis costs one request `REDIS_TIMEOUT`, not every request. The outage is logged when it starts,
at most every `REMINDER_INTERVAL` while it lasts, and when it ends, with the number of throttle
operations counted in memory (`throttle_cache.fallbacks`). The health check keeps asking Redis
itself, so it reports the outage (503, `cache: error: ...`) until Redis is back.
"""

import logging
import sys
import threading
import time
import uuid

from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)

# Seconds the shared cache is left alone after it failed, before it is tried again.
RETRY_INTERVAL = 5.0
# While the outage lasts, a reminder in the log at most this often.
REMINDER_INTERVAL = 60.0


def unavailable_errors() -> tuple[type[Exception], ...]:
    """What an unreachable, hung, or refusing Redis raises (redis-py wraps socket errors).

    Looked up only when something was raised. redis-py is loaded by Django's Redis backend when
    one is configured; importing it here regardless would cost every worker without Redis about
    6 MiB (measured).
    """
    redis_exceptions = sys.modules.get("redis.exceptions")
    return (OSError,) if redis_exceptions is None else (redis_exceptions.RedisError, OSError)


class FallbackCache:
    """A cache that answers from process memory while `primary` cannot be reached."""

    def __init__(self, primary, *, clock=time.monotonic, retry_interval: float = RETRY_INTERVAL) -> None:
        self.primary = primary
        # A name of its own: LocMemCache instances of the same name share their entries. Room
        # for many clients' counters: when full, it forgets a third of them at once.
        self.local = LocMemCache(
            f"throttle-fallback-{uuid.uuid4().hex}", {"OPTIONS": {"MAX_ENTRIES": 10_000}}
        )
        self.clock = clock
        self.retry_interval = retry_interval
        # Operations answered from memory since the process started.
        self.fallbacks = 0
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._reminded_at = 0.0
        self._fallbacks_at_outage_start = 0

    def __getattr__(self, name: str):
        # Any cache method: get and set are what DRF's throttles use today.
        if name.startswith("_"):
            raise AttributeError(name)
        method = getattr(self.primary, name)
        if not callable(method):
            return method

        def call(*args, **kwargs):
            return self._call(name, args, kwargs)

        return call

    @property
    def outage(self) -> bool:
        """Whether the last attempt to reach the shared cache failed."""
        return self._down_since is not None

    def reset(self) -> None:
        """Forget the outage state and the counts kept in memory (tests)."""
        with self._lock:
            self._down_since = None
            self._retry_at = self._reminded_at = 0.0
            self.fallbacks = self._fallbacks_at_outage_start = 0
        self.local.clear()

    def _call(self, name: str, args: tuple, kwargs: dict):
        if self._down_since is not None and self.clock() < self._retry_at:
            return self._from_memory(name, args, kwargs)
        try:
            result = getattr(self.primary, name)(*args, **kwargs)
        except unavailable_errors() as exc:
            self._failed(exc)
            return self._from_memory(name, args, kwargs)
        if self._down_since is not None:
            self._recovered()
        return result

    def _from_memory(self, name: str, args: tuple, kwargs: dict):
        with self._lock:
            self.fallbacks += 1
        return getattr(self.local, name)(*args, **kwargs)

    def _failed(self, exc: Exception) -> None:
        now = self.clock()
        with self._lock:
            self._retry_at = now + self.retry_interval
            if self._down_since is None:
                self._down_since = self._reminded_at = now
                self._fallbacks_at_outage_start = self.fallbacks
                message = "Throttle cache unreachable (%s: %s): throttles count in this process's memory"
                logger.warning(message, type(exc).__name__, exc)
            elif now - self._reminded_at >= REMINDER_INTERVAL:
                self._reminded_at = now
                logger.warning(
                    "Throttle cache still unreachable after %.0f s (%s: %s); %d throttle operations "
                    "counted in this process's memory (%d since the process started)",
                    now - self._down_since,
                    type(exc).__name__,
                    exc,
                    self.fallbacks - self._fallbacks_at_outage_start,
                    self.fallbacks,
                )

    def _recovered(self) -> None:
        now = self.clock()
        with self._lock:
            if self._down_since is None:
                return
            logger.warning(
                "Throttle cache reachable again after %.0f s; %d throttle operations were counted "
                "in this process's memory meanwhile (%d since the process started)",
                now - self._down_since,
                self.fallbacks - self._fallbacks_at_outage_start,
                self.fallbacks,
            )
            self._down_since = None


# What the throttles use (`cache` in api/sessions/throttles.py); `shared_cache` follows the CACHES setting.
throttle_cache = FallbackCache(shared_cache)
