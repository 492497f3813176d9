"""`GET /api/health/`: 200 when the database and the cache answer, 503 naming the part that does
not, and 200 again once it is back, without a restart."""

import pytest
from django.test import override_settings

from api.tests.live import free_port, server_env

pytestmark = pytest.mark.django_db

HEALTHY = {"status": "ok", "database": "ok", "cache": "ok"}


def _redis_cache(url: str) -> dict:
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def test_health_is_200_ok_and_never_cached(api_client):
    response = api_client.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == HEALTHY
    assert response["Cache-Control"] == "no-store"


def test_health_needs_no_authentication_and_ignores_a_bad_token(api_client):
    response = api_client.get("/api/health/", HTTP_AUTHORIZATION="Bearer not-a-token")

    assert response.status_code == 200


def test_health_only_answers_get(api_client):
    response = api_client.post("/api/health/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_health_is_503_naming_the_cache_when_redis_is_unreachable(api_client):
    with override_settings(CACHES=_redis_cache(f"redis://127.0.0.1:{free_port()}/0")):
        response = api_client.get("/api/health/")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["cache"].startswith("error: ")
    # A short reason, without host names or ports: the endpoint is public.
    assert "127.0.0.1" not in body["cache"]


# --- Recovery ---------------------------------------------------------------------------------


def test_health_follows_the_cache_going_away_and_coming_back(api_client, throwaway_redis):
    with override_settings(CACHES=_redis_cache(throwaway_redis.url)):
        before = api_client.get("/api/health/")
        throwaway_redis.stop()
        during = api_client.get("/api/health/")
        throwaway_redis.start()
        after = api_client.get("/api/health/")

    assert (before.status_code, before.json()) == (200, HEALTHY)
    assert during.status_code == 503
    assert during.json()["cache"].startswith("error: ")
    assert (after.status_code, after.json()) == (200, HEALTHY)


def test_health_follows_postgresql_stopping_and_restarting(throwaway_postgres, gunicorn_server):
    # Two workers, each with its persistent connection (DATABASE_CONN_MAX_AGE) to lose.
    server = gunicorn_server(server_env(DATABASE_URL=throwaway_postgres.url), workers=2)

    def health_replies() -> list[tuple[int, dict]]:
        return [
            (reply.status, reply.json())
            for reply in (server.request("GET", "/api/health/") for _ in range(4))
        ]

    before = health_replies()
    throwaway_postgres.stop()
    during = health_replies()
    throwaway_postgres.start()
    after = health_replies()

    assert before == [(200, HEALTHY)] * 4
    for status, body in during:
        assert status == 503
        assert body["status"] == "error"
        assert body["database"].startswith("error: ")
        assert str(throwaway_postgres.port) not in body["database"]
        assert body["cache"] == "ok"
    assert after == [(200, HEALTHY)] * 4
