"""The session clean-up run from cron while the API serves: batched, and blind to live sessions."""

import re
import subprocess
import sys
import threading
import uuid

from api.tests.conftest import PASSWORD
from api.tests.live import ROOT, manage_ok, server_env

LIVE_SESSIONS = 8
ENDED_SESSIONS = 3000

# Ended sessions of every kind, written straight to the database: expired, revoked, and idle past
# the refresh lifetime (with and without a rotation).
MAKE_ENDED = """
from datetime import timedelta
from django.utils import timezone
from api.models import TokenFamily, User
user = User.objects.get(username={username!r})
now = timezone.now()
old = now - timedelta(days=40)
kinds = [
    dict(created_at=old, last_used_at=old, expires_at=now - timedelta(days=10)),
    dict(created_at=now, last_used_at=now, expires_at=now + timedelta(days=30), revoked_at=now),
    dict(created_at=old, last_used_at=old, expires_at=now + timedelta(days=30)),
    dict(created_at=old, last_used_at=old, expires_at=now + timedelta(days=30), rotated_at=old),
]
TokenFamily.objects.bulk_create(
    [TokenFamily(user=user, current_jti=str(n), **kinds[n % 4]) for n in range({count})], batch_size=500
)
"""
COUNT = "from api.models import TokenFamily; print(TokenFamily.objects.filter(user__username={username!r}).count())"


def test_flushexpiredtokens_beside_refreshes_deletes_every_ended_session_and_no_live_one(
    live_database_url, gunicorn_server
):
    env = server_env(DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min")
    server = gunicorn_server(env, workers=2)
    username = f"flush-{uuid.uuid4().hex[:10]}"
    credentials = {"username": username, "password": PASSWORD}
    assert server.request("POST", "/api/user/register/", credentials).status == 201
    refresh_tokens = [
        server.request("POST", "/api/token/", credentials).json()["refresh"] for _ in range(LIVE_SESSIONS)
    ]
    manage_ok("shell", "-c", MAKE_ENDED.format(username=username, count=ENDED_SESSIONS), env=env)

    flush = subprocess.Popen(
        [sys.executable, "manage.py", "flushexpiredtokens", "--batch-size", "100"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    refreshes: list[int] = []

    def keep_refreshing() -> None:
        # Every live session rotates again and again while the clean-up runs.
        while flush.poll() is None or len(refreshes) < LIVE_SESSIONS:
            for index, token in enumerate(refresh_tokens):
                reply = server.request("POST", "/api/token/refresh/", {"refresh": token})
                refreshes.append(reply.status)
                if reply.status == 200:
                    refresh_tokens[index] = reply.json()["refresh"]

    refresher = threading.Thread(target=keep_refreshing, daemon=True)
    refresher.start()
    out, err = flush.communicate(timeout=120)
    refresher.join(timeout=60)

    assert flush.returncode == 0, err
    # The live database is shared with other tests, which may have left ended sessions too.
    deleted = re.search(r"Deleted (\d+) ended sessions\.", out)
    assert deleted and int(deleted[1]) >= ENDED_SESSIONS
    assert refreshes and set(refreshes) == {200}
    assert manage_ok("shell", "-c", COUNT.format(username=username), env=env).split()[-1] == str(
        LIVE_SESSIONS
    )
    for token in refresh_tokens:
        assert server.request("POST", "/api/token/refresh/", {"refresh": token}).status == 200
    # Run again, as cron would: nothing left to do.
    assert "Deleted 0 ended sessions." in manage_ok("flushexpiredtokens", env=env)
