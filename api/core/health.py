"""`GET /api/health/`: can this instance reach its database and its cache right now?

For load balancers and orchestrators: no authentication, no throttling, nothing cached, so an
instance that lost its database answers 503 at once and 200 again as soon as it is back. (Django
closes a connection that failed at the end of the request, so the next one connects anew.)
"""

import contextlib
import logging
import uuid

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


def _database_answers() -> None:
    # A database that stopped answering on this worker's open connection is unavailable after
    # DATABASE_CONNECT_TIMEOUT (then Django tries a new connection, which gives up after as long
    # again), not after the request's longer deadline. SQLite's `SELECT 1` reads no table, so
    # it never waits for a lock.
    timeout = settings.DATABASE_CONNECT_TIMEOUT
    with database_deadline(timeout) if timeout else contextlib.nullcontext(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_answers() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, OK, timeout=10)
    try:
        if cache.get(key) != OK:
            raise LookupError("the cache did not return a value just stored")
    finally:
        cache.delete(key)
