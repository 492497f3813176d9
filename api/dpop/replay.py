"""The record of DPoP proofs already used (RFC 9449 section 11.1), shared by every worker.

With Redis configured (`REDIS_URL`), one atomic `SET NX` with the proof's remaining lifetime in
the shared cache, which every instance sees. Without Redis the process-local cache would let a
proof be replayed on another worker, so the record is the database: a row per proof
(`DpopProofUse`), whose primary key makes a second insert fail in any number of workers, on
SQLite as on PostgreSQL. While Redis cannot be reached, the database takes over.
"""

import hashlib
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.core.throttle_cache import unavailable_errors
from api.models import DpopProofUse


def uses_shared_cache() -> bool:
    """Whether the default cache is Redis, which every worker and instance shares."""
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _key(jkt: str, jti: str) -> str:
    # Per key: a client choosing the `jti` of another's proof blocks nothing but its own.
    return hashlib.sha256(f"{jkt}\n{jti}".encode()).hexdigest()


def first_use(*, jkt: str, jti: str, expires_at: float) -> bool:
    """Record the proof; False if a proof of the same key and `jti` was recorded before."""
    key = _key(jkt, jti)
    if uses_shared_cache():
        try:
            return cache.add(f"dpop-jti:{key}", 1, timeout=max(1, math.ceil(expires_at - time.time())))
        except unavailable_errors():
            pass
    try:
        with transaction.atomic():
            DpopProofUse.objects.create(key=key, expires_at=datetime.fromtimestamp(expires_at, tz=UTC))
    except IntegrityError:
        return False
    return True


def flush_expired() -> int:
    """Delete the records of proofs that their `iat` now refuses anyway; how many went."""
    deleted, _ = DpopProofUse.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
