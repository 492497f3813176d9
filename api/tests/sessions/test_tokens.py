import itertools
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import jwt
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenBackendExpiredToken

from api.models import TokenFamily
from api.sessions import services
from api.sessions.tokens import AccessToken, jwt_setting, token_backend
from api.tests.conftest import suite_runs_on_postgres

pytestmark = pytest.mark.django_db


def _refresh(client, refresh_token):
    return client.post("/api/token/refresh/", {"refresh": refresh_token}, format="json")


def _can_use_access(access: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client.get("/api/notes/").status_code == 200


def _claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


# --- Rotation and reuse detection ------------------------------------------------------------


def test_refresh_rotates_and_returns_working_pair(api_client, tokens):
    response = _refresh(api_client, tokens["refresh"])

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access", "refresh"}
    assert body["refresh"] != tokens["refresh"]
    assert _can_use_access(body["access"])
    assert _refresh(api_client, body["refresh"]).status_code == 200


def test_refresh_token_reuse_revokes_family(api_client, tokens):
    newest = _refresh(api_client, tokens["refresh"]).json()

    with time_machine.travel(timedelta(seconds=31)):
        replay = _refresh(api_client, tokens["refresh"])
        newest_after_replay = _refresh(api_client, newest["refresh"])

    assert replay.status_code == 401
    assert replay.json()["code"] == "token_not_valid"
    assert newest_after_replay.status_code == 401
    assert TokenFamily.objects.get().revoked_at is not None


def test_reuse_revokes_only_that_session(api_client, user, login):
    stolen = login("alice")
    other_device = login("alice")
    rotated = _refresh(api_client, stolen["refresh"])
    assert rotated.status_code == 200

    with time_machine.travel(timedelta(seconds=31)):
        replay = _refresh(api_client, stolen["refresh"])
        stolen_newest = _refresh(api_client, rotated.json()["refresh"])
        other = _refresh(api_client, other_device["refresh"])

    assert replay.status_code == 401
    assert replay.json()["code"] == "token_not_valid"
    assert stolen_newest.status_code == 401
    assert other.status_code == 200
    assert TokenFamily.objects.filter(revoked_at__isnull=False).count() == 1


def test_parallel_refreshes_in_grace_all_succeed_with_the_same_successor(api_client, tokens):
    answers = [_refresh(api_client, tokens["refresh"]) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 200]
    successors = {a.json()["refresh"] for a in answers}
    assert len(successors) == 1
    # Whichever answer the client kept, its refresh token works for the next refresh.
    assert _refresh(api_client, successors.pop()).status_code == 200
    assert TokenFamily.objects.get().revoked_at is None


def test_refresh_after_grace_with_spent_token_revokes(api_client, tokens, settings):
    settings.JWT_REFRESH_REUSE_GRACE = 5
    _refresh(api_client, tokens["refresh"])

    with time_machine.travel(timedelta(seconds=4)):
        assert _refresh(api_client, tokens["refresh"]).status_code == 200
    with time_machine.travel(timedelta(seconds=6)):
        assert _refresh(api_client, tokens["refresh"]).status_code == 401


def test_grace_covers_only_the_immediately_previous_token(api_client, tokens):
    second = _refresh(api_client, tokens["refresh"]).json()
    _refresh(api_client, second["refresh"])

    # Within the grace of the second rotation, but the first token is two generations old.
    replay = _refresh(api_client, tokens["refresh"])

    assert replay.status_code == 401
    assert TokenFamily.objects.get().revoked_at is not None


def test_the_session_row_alone_records_tokens_and_holds_none_in_full(api_client, tokens):
    successor = _refresh(api_client, tokens["refresh"]).json()["refresh"]

    family = TokenFamily.objects.values().get()
    assert (family["previous_jti"], family["current_jti"]) == (
        _claims(tokens["refresh"])["jti"],
        _claims(successor)["jti"],
    )
    assert not any(successor in str(value) or tokens["refresh"] in str(value) for value in family.values())
    # SimpleJWT's outstanding/blacklist tables, which held every token in full, are gone.
    assert not {t for t in connection.introspection.table_names() if t.startswith("token_blacklist_")}


def test_grace_answer_is_the_rotated_successor_with_a_fresh_access_token(api_client, tokens):
    rotated = _refresh(api_client, tokens["refresh"]).json()

    with time_machine.travel(timedelta(seconds=20)):
        replay = _refresh(api_client, tokens["refresh"]).json()

    assert replay["refresh"] == rotated["refresh"]
    assert _claims(replay["access"])["exp"] >= _claims(rotated["access"])["exp"] + 20
    assert _claims(replay["access"])["jti"] != _claims(rotated["access"])["jti"]


def test_refresh_with_access_token_or_garbage_is_401(api_client, tokens):
    for token in [tokens["access"], "garbage", "a.b.c"]:
        response = _refresh(api_client, token)
        assert response.status_code == 401
        assert response.json()["code"] == "token_not_valid"


def test_refresh_without_token_is_400(api_client):
    assert api_client.post("/api/token/refresh/", {}, format="json").status_code == 400


def test_expired_refresh_token_is_401(api_client, tokens):
    with time_machine.travel(timedelta(days=1, seconds=1)):
        assert _refresh(api_client, tokens["refresh"]).status_code == 401


# --- Absolute session lifetime ----------------------------------------------------------------


def test_rotation_cannot_extend_session_past_max_age(api_client, user, login, settings):
    settings.JWT_SESSION_MAX_AGE = 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        current = login("alice")["refresh"]

    # Refresh every 50 minutes: each token is young, but the session is not.
    with time_machine.travel(start + timedelta(minutes=50), tick=False):
        answer = _refresh(api_client, current)
        assert answer.status_code == 200
        assert _claims(answer.json()["refresh"])["exp"] <= (start + timedelta(hours=1)).timestamp()
        current = answer.json()["refresh"]
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        late = _refresh(api_client, current)

    assert late.status_code == 401


def test_session_shortened_in_the_database_ends_before_its_refresh_token_expires(api_client, tokens):
    # An operator may cut a session short; the login's refresh token, signed with an `exp` a
    # day away, cannot know. Only the session row's end can stop it.
    TokenFamily.objects.update(expires_at=timezone.now() + timedelta(minutes=1))

    with time_machine.travel(timedelta(minutes=2)):
        assert _claims(tokens["refresh"])["exp"] > time.time()
        refresh = _refresh(api_client, tokens["refresh"])
        verify = api_client.post("/api/token/verify/", {"token": tokens["refresh"]}, format="json")

    assert refresh.status_code == 401
    assert refresh.json()["code"] == "token_not_valid"
    assert verify.status_code == 401


# --- Concurrent refreshes ---------------------------------------------------------------------

# Upper bound on each wait below, so that a broken run fails instead of hanging.
THREAD_WAIT = 30


@pytest.mark.skipif(
    not suite_runs_on_postgres(),
    reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI's PostgreSQL pass does)",
)
@pytest.mark.django_db(transaction=True)
def test_parallel_refresh_waits_for_the_session_row_lock_and_gets_the_same_successor(
    api_client, tokens, monkeypatch
):
    # Two refreshes of one token on two database connections, in the worst order: the second
    # reads the session while the first has read it but not yet rotated. Without the row lock
    # both see the token as current and both rotate; with it the second waits, then sees the
    # rotation and answers within the grace.
    first_has_read = threading.Event()
    let_first_go = threading.Event()
    classify_calls = itertools.count()
    classify = services._classify_use

    def first_pauses_after_reading(family, jti):
        if next(classify_calls) == 0:
            first_has_read.set()
            assert let_first_go.wait(THREAD_WAIT)
        return classify(family, jti)

    monkeypatch.setattr(services, "_classify_use", first_pauses_after_reading)
    second_backend_pid = []

    def refresh_on_own_connection(report_pid: bool):
        try:
            connection.ensure_connection()
            if report_pid:
                second_backend_pid.append(connection.connection.info.backend_pid)
            return _refresh(APIClient(), tokens["refresh"])
        finally:
            connection.close()

    def waits_for_a_lock(pid: int) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s))", [pid])
            return cursor.fetchone()[0] > 0

    with ThreadPoolExecutor(2) as pool:
        try:
            first = pool.submit(refresh_on_own_connection, False)
            assert first_has_read.wait(THREAD_WAIT)
            second = pool.submit(refresh_on_own_connection, True)
            deadline = time.monotonic() + THREAD_WAIT
            while not (second.done() or (second_backend_pid and waits_for_a_lock(second_backend_pid[0]))):
                assert time.monotonic() < deadline, "the second refresh neither ended nor waited"
                time.sleep(0.01)
        finally:
            let_first_go.set()
        answers = [first.result(THREAD_WAIT), second.result(THREAD_WAIT)]

    assert [answer.status_code for answer in answers] == [200, 200]
    successors = {answer.json()["refresh"] for answer in answers}
    assert len(successors) == 1
    assert _refresh(api_client, successors.pop()).status_code == 200
    assert TokenFamily.objects.get().revoked_at is None


# --- Rotation off ---------------------------------------------------------------------------


def test_with_rotation_off_refresh_returns_access_only_and_token_stays_usable(api_client, tokens, settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ROTATE_REFRESH_TOKENS": False}

    first = _refresh(api_client, tokens["refresh"])
    second = _refresh(api_client, tokens["refresh"])

    assert first.status_code == second.status_code == 200
    assert set(first.json()) == {"access"}
    assert _can_use_access(second.json()["access"])


# --- Logout, verify --------------------------------------------------------------------------


def test_blacklist_logs_out_that_session_only(api_client, user, login):
    session = login("alice")
    other = login("alice")

    response = api_client.post("/api/token/blacklist/", {"refresh": session["refresh"]}, format="json")

    assert response.status_code == 200
    assert _refresh(api_client, session["refresh"]).status_code == 401
    assert _refresh(api_client, other["refresh"]).status_code == 200


def test_blacklist_with_rotated_token_ends_the_whole_family(api_client, tokens):
    newest = _refresh(api_client, tokens["refresh"]).json()

    api_client.post("/api/token/blacklist/", {"refresh": newest["refresh"]}, format="json")

    assert _refresh(api_client, newest["refresh"]).status_code == 401
    assert _refresh(api_client, tokens["refresh"]).status_code == 401


def test_blacklist_with_invalid_token_is_401(api_client):
    response = api_client.post("/api/token/blacklist/", {"refresh": "garbage"}, format="json")

    assert response.status_code == 401


def test_verify_accepts_live_tokens_and_rejects_revoked_ones(api_client, tokens):
    verify = lambda token: api_client.post("/api/token/verify/", {"token": token}, format="json")  # noqa: E731

    assert verify(tokens["access"]).status_code == 200
    assert verify(tokens["access"]).json() == {}
    assert verify(tokens["refresh"]).status_code == 200
    assert verify("garbage").status_code == 401

    api_client.post("/api/token/blacklist/", {"refresh": tokens["refresh"]}, format="json")
    assert verify(tokens["refresh"]).status_code == 401


def test_verify_rejects_spent_refresh_token_after_grace(api_client, tokens):
    _refresh(api_client, tokens["refresh"])

    with time_machine.travel(timedelta(seconds=31)):
        response = api_client.post("/api/token/verify/", {"token": tokens["refresh"]}, format="json")

    assert response.status_code == 401


def test_logout_all_revokes_every_session_and_outstanding_access_token(api_client, user, login):
    first, second = login("alice"), login("alice")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {first['access']}")

    assert client.post("/api/user/logout-all/").status_code == 204

    assert not _can_use_access(first["access"])
    assert not _can_use_access(second["access"])
    assert _refresh(api_client, first["refresh"]).status_code == 401
    assert _refresh(api_client, second["refresh"]).status_code == 401
    assert _can_use_access(login("alice")["access"])


def test_logout_all_requires_authentication(api_client):
    assert api_client.post("/api/user/logout-all/").status_code == 401


# --- Deleted and deactivated users ------------------------------------------------------------


@pytest.mark.parametrize("change", ["deactivate", "delete"])
def test_deactivated_or_deleted_users_tokens_all_answer_401(api_client, user, tokens, change):
    # Accepted once first, so nothing remembered from that request can keep it working.
    assert _can_use_access(tokens["access"])
    if change == "deactivate":
        user.is_active = False
        user.save()
    else:
        user.delete()

    assert not _can_use_access(tokens["access"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    for method, path in [("get", "/api/user/me/"), ("post", "/api/user/logout-all/"), ("get", "/api/notes/")]:
        response = getattr(client, method)(path)
        assert response.status_code == 401
        assert response.json()["code"] == "token_not_valid"
    assert _refresh(api_client, tokens["refresh"]).status_code == 401
    assert (
        api_client.post("/api/token/verify/", {"token": tokens["access"]}, format="json").status_code == 401
    )


def test_changing_a_decoded_token_does_not_change_the_next_decode(tokens):
    first = AccessToken(tokens["access"])
    first["user_id"] = 999_999

    assert AccessToken(tokens["access"])["user_id"] != 999_999


def test_backend_refuses_an_expired_token_it_has_already_verified(tokens):
    # SimpleJWT's token classes check `exp` again after decoding, which would hide a cache that
    # kept answering; the backend is called on its own here, where only its own check stands.
    backend = token_backend()
    expires = backend.decode(tokens["access"])["exp"]

    with time_machine.travel(expires - 1, tick=False):
        assert backend.decode(tokens["access"])["exp"] == expires
    with time_machine.travel(expires + 1, tick=False), pytest.raises(TokenBackendExpiredToken):
        backend.decode(tokens["access"])


# --- Housekeeping -----------------------------------------------------------------------------


def test_flushexpiredtokens_deletes_ended_sessions_and_keeps_live_ones(api_client, user, login):
    live = login("alice")
    ended = login("alice")
    api_client.post("/api/token/blacklist/", {"refresh": ended["refresh"]}, format="json")

    with time_machine.travel(timedelta(hours=2)):
        call_command("flushexpiredtokens")

    assert TokenFamily.objects.count() == 1
    assert _refresh(api_client, live["refresh"]).status_code == 200

    with time_machine.travel(timedelta(days=31)):
        call_command("flushexpiredtokens")
    assert TokenFamily.objects.count() == 0


def test_refreshed_session_survives_flush_though_login_is_old(user, login):
    # Idleness counts from the last refresh: a login older than the refresh token lifetime,
    # refreshed since, is live; one never refreshed is not.
    assert jwt_setting("REFRESH_TOKEN_LIFETIME") == timedelta(hours=24)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refreshed = login("alice")
        idle = login("alice")
        refreshed_session = AccessToken(refreshed["access"])["fam"]
        for _ in range(2):
            clock.shift(timedelta(hours=12))
            response = _refresh(APIClient(), refreshed["refresh"])
            assert response.status_code == 200, response.content
            refreshed = response.json()
        # Logged in 25 hours ago and refreshed 1 hour ago; the other session idle since its login.
        clock.shift(timedelta(hours=1))

        call_command("flushexpiredtokens")

        assert [str(pk) for pk in TokenFamily.objects.values_list("pk", flat=True)] == [refreshed_session]
        after_flush = _refresh(APIClient(), refreshed["refresh"])
        assert after_flush.status_code == 200, after_flush.content
        assert _can_use_access(after_flush.json()["access"])
        assert _refresh(APIClient(), idle["refresh"]).status_code == 401


def test_flush_deletes_in_batches_of_its_size_each_in_one_statement(user):
    now = timezone.now()
    TokenFamily.objects.bulk_create(
        [
            TokenFamily(
                user=user,
                current_jti=str(n),
                created_at=now,
                last_used_at=now,
                expires_at=now,
                revoked_at=now,
            )
            for n in range(250)
        ]
    )

    with CaptureQueriesContext(connection) as queries:
        deleted = services.tokens_flush_expired(batch_size=100)

    assert deleted == 250
    assert sum(query["sql"].startswith("DELETE") for query in queries.captured_queries) == 3
    assert services.tokens_flush_expired(batch_size=100) == 0
