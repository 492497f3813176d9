"""The record of DPoP proofs already used (RFC 9449 section 11.1), shared by every worker.

With Redis configured (`REDIS_URL`), one atomic `SET NX` with the proof's remaining lifetime in
the shared cache, which every instance sees. Without Redis the process-local cache would let a
proof be replayed on another worker, so the record is the database: a row per proof
(`DpopProofUse`), whose primary key lets only the first insert of a proof through in any number
of workers, on SQLite as on PostgreSQL. While Redis cannot be reached, the database takes over.
"""

import hashlib
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.db import connection
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
            return _first_set(key, timeout=max(1, math.ceil(expires_at - time.time())))
        except unavailable_errors():
            pass
    return _first_insert(key, datetime.fromtimestamp(expires_at, tz=UTC))


def _first_set(key: str, *, timeout: int) -> bool:
    # `SET NX EX` on the client of the cache's own connection pool, kept on the cache object:
    # Django's `cache.add` makes a new redis-py client object for every call, which cost more
    # than the command itself (bench/README.md, "DPoP"). A changed CACHES setting makes a new
    # cache object, and with it a new client.
    backend = caches["default"]
    client = getattr(backend, "_dpop_client", None)
    if client is None:
        client = backend._dpop_client = backend._cache.get_client(write=True)
    return bool(client.set(backend.make_and_validate_key(f"dpop-jti:{key}"), 1, nx=True, ex=timeout))


def _first_insert(key: str, expires_at: datetime) -> bool:
    # One statement that never raises on a duplicate: no transaction or savepoint around it,
    # inside a caller's transaction or not, and the same SQL on SQLite 3.35+ and PostgreSQL.
    table, column, expires = (
        connection.ops.quote_name(name) for name in (DpopProofUse._meta.db_table, "key", "expires_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({column}, {expires}) VALUES (%s, %s)"  # noqa: S608 (the model's names)
            f" ON CONFLICT ({column}) DO NOTHING RETURNING 1",
            [key, connection.ops.adapt_datetimefield_value(expires_at)],
        )
        return cursor.fetchone() is not None


def flush_expired() -> int:
    """Delete the records of proofs that their `iat` now refuses anyway; how many went."""
    deleted, _ = DpopProofUse.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
