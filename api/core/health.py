"""`GET /api/health/`: can this instance reach its database and its cache right now?

For load balancers and orchestrators: no authentication, no throttling, nothing cached, so an
instance that lost its database answers 503 at once and 200 again as soon as it is back.

The database is asked on a connection of its own, in a thread of its own, and the check waits for
the answer at most `DATABASE_WAIT`: whatever the database does (refuse, hang on an open connection,
hang while connecting), health answers within about that, before load balancers give up on the
check (commonly after 5 s). The probe itself may go on a little longer, up to the connect timeout
and its deadline; checks meanwhile wait for that same probe instead of starting more, so a hung
database costs a process one thread and one connection attempt at a time. A fresh connection
per probe costs a few milliseconds, and tests what a reconnecting worker would meet.
"""

import logging
import os
import threading
import uuid
from concurrent.futures import Future

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.db_deadline import database_deadline

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)

OK = "ok"


class HealthSerializer(serializers.Serializer):
    """The health check's answer: `ok`, or `error: <reason>` for each part."""

    status = serializers.CharField()
    database = serializers.CharField()
    cache = serializers.CharField()


class Health(APIView):
    """200 `{"status": "ok", "database": "ok", "cache": "ok"}`, or 503 naming the failing part."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request):
        checks = {"database": _check(_database_answers, "database"), "cache": _check(_cache_answers, "cache")}
        healthy = all(result == OK for result in checks.values())
        return Response(
            {"status": OK if healthy else "error", **checks},
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Cache-Control": "no-store"},
        )


def _check(probe, part: str) -> str:
    try:
        probe()
    except Exception as exc:  # whatever the failure, the part is unusable
        # The details (host names, ports) go to the log only: the endpoint is public.
        logger.warning("Health check: %s unavailable: %s", part, exc)
        return f"error: {type(exc).__name__}"
    return OK


# Seconds a health check waits for the database's answer.
DATABASE_WAIT = 1.5

_probe_lock = threading.Lock()
_probe: Future | None = None


def _database_answers() -> None:
    global _probe
    with _probe_lock:
        if _probe is None or _probe.done():
            _probe = Future()
            threading.Thread(
                target=_ask_database, args=(_probe,), name="health-database", daemon=True
            ).start()
        probe = _probe
    try:
        probe.result(timeout=DATABASE_WAIT)
    except TimeoutError:
        raise TimeoutError(f"no answer from the database within {DATABASE_WAIT} s") from None


def _ask_database(answer: Future) -> None:
    # The deadline cuts a query that hangs on the new connection; it leaves room for the whole
    # connect timeout (db_deadline.py lets a connection attempt run only within its deadline).
    # SQLite's `SELECT 1` reads no table, so it never waits for a lock.
    try:
        with (
            database_deadline(settings.DATABASE_CONNECT_TIMEOUT + DATABASE_WAIT),
            connection.cursor() as cursor,
        ):
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # whatever the failure, the check reports it
        answer.set_exception(exc)
    else:
        answer.set_result(None)
    finally:
        connection.close()


def _forget_after_fork() -> None:
    # A forked child has no probe thread: a probe its parent left running would never end there.
    global _probe, _probe_lock
    _probe_lock = threading.Lock()
    _probe = None


os.register_at_fork(after_in_child=_forget_after_fork)


def _cache_answers() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, OK, timeout=10)
    try:
        if cache.get(key) != OK:
            raise LookupError("the cache did not return a value just stored")
    finally:
        cache.delete(key)
