"""The record of DPoP proofs already used (RFC 9449 section 11.1), shared by every worker.

Where the record lives follows from where the workers can meet:

- with Redis configured (`REDIS_URL`), one atomic `SET NX` with the proof's remaining lifetime in
  the shared cache, which every instance sees;
- without Redis on SQLite (one host by nature), one empty file per proof in `DPOP_REPLAY_DIR`
  (shared memory by default), created with `O_CREAT | O_EXCL`, which the kernel lets succeed
  once in any number of processes, in a directory only this user may write.
  A database write per request would cost every list its SQLite write lock and page cache
  (bench/README.md, "DPoP");
- without Redis on PostgreSQL, a row per proof (`DpopProofUse`), whose primary key lets only the
  first insert through in any number of workers and instances.

While Redis cannot be reached, the local record takes over; while the directory cannot be
written (a full disk, its permissions changed), the database does.
"""

import contextlib
import hashlib
import logging
import math
import os
import stat
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from api.core.throttle_cache import unavailable_errors
from api.models import DpopProofUse

logger = logging.getLogger(__name__)

# Seconds of expiry times per subdirectory: a directory whose last second has passed holds no
# record that could still refuse anything, so it goes whole. Short, so that the request that
# opens a bucket and clears the old ones deletes a few thousand files at most.
BUCKET_SECONDS = 4
_CREATE = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)


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
    directory = settings.DPOP_REPLAY_DIR
    if directory and _private(directory):
        try:
            return _first_file(Path(directory), key, expires_at)
        except OSError as exc:
            logger.warning("DPoP replay directory unusable (%s); recording in the database", exc.strerror)
    return _first_insert(key, datetime.fromtimestamp(expires_at, tz=UTC))


# Directories this process found (or made) its own, and those it refused.
_checked: dict[str, bool] = {}


def _private(directory: str) -> bool:
    """Whether `directory` is a directory of this process's user that no one else may write:
    in a shared place such as /dev/shm, another local user could have made it first, and could
    then delete records to replay proofs. Checked once per process; refused means the database."""
    if directory not in _checked:
        try:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            found = os.lstat(directory)
            _checked[directory] = (
                stat.S_ISDIR(found.st_mode) and found.st_uid == os.geteuid() and not found.st_mode & 0o077
            )
        except OSError:
            _checked[directory] = False
        if not _checked[directory]:
            logger.warning(
                "DPoP replay directory %s is not a private directory of this user; recording in the database",
                directory,
            )
    return _checked[directory]


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


def _first_file(directory: Path, key: str, expires_at: float) -> bool:
    bucket = directory / str(int(expires_at // BUCKET_SECONDS))
    try:
        os.close(os.open(bucket / key, _CREATE, 0o600))
    except FileExistsError:
        return False
    except FileNotFoundError:
        # The first proof of a new bucket in this host: make it, and clear the ones past.
        bucket.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            os.close(os.open(bucket / key, _CREATE, 0o600))
        except FileExistsError:
            return False
        # In this request, not a thread: a thread's own malloc arena stays in the worker's memory.
        sweep_directory(directory)
    return True


def sweep_directory(directory: Path) -> int:
    """Delete the buckets of `directory` whose proofs their `iat` now refuses; how many records
    went."""
    current = int(time.time() // BUCKET_SECONDS)
    try:
        names = [entry.name for entry in os.scandir(directory) if entry.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return 0
    deleted = 0
    # Every expiry time in bucket N is before (N + 1) * BUCKET_SECONDS: past once N < current.
    for name in names:
        if name.isdigit() and int(name) < current:
            deleted += _delete_bucket(directory / name)
    return deleted


def _delete_bucket(bucket: Path) -> int:
    # File by file as the directory is read, never a list of them all, and by name relative to
    # the open directory. Other workers may sweep the same bucket at once: whoever gets to a
    # file deletes it.
    deleted = 0
    try:
        descriptor = os.open(bucket, os.O_RDONLY | os.O_DIRECTORY)
        try:
            with os.scandir(descriptor) as entries:
                for entry in entries:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(entry.name, dir_fd=descriptor)
                        deleted += 1
        finally:
            os.close(descriptor)
        os.rmdir(bucket)
    except FileNotFoundError:
        pass
    except OSError as exc:  # no permission, a read-only file system
        logger.warning("DPoP replay bucket %s not deleted (%s)", bucket.name, exc.strerror)
    return deleted


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
    """Delete the records of proofs that their `iat` now refuses anyway (rows, and buckets of
    `DPOP_REPLAY_DIR`); how many went."""
    deleted, _ = DpopProofUse.objects.filter(expires_at__lt=timezone.now()).delete()
    if settings.DPOP_REPLAY_DIR:
        deleted += sweep_directory(Path(settings.DPOP_REPLAY_DIR))
    return deleted
