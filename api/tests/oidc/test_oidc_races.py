"""A one-time code presented by several requests at the same moment, through gunicorn with
several workers: exactly one gets tokens. On SQLite in the SQLite pass, on PostgreSQL in the
PostgreSQL pass (`live_database_url`)."""

import hashlib
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

from api.tests.live import manage_ok, server_env
from api.tests.test_races import _race, race_server  # noqa: F401

ROUNDS = 10
PARALLEL = 6


def test_a_one_time_code_raced_by_several_requests_logs_in_once(race_server, live_database_url):  # noqa: F811
    run = uuid.uuid4().hex[:10]
    codes = [secrets.token_urlsafe(32) for _ in range(ROUNDS)]
    digests = [hashlib.sha256(code.encode()).hexdigest() for code in codes]
    # An account with an identity, and one waiting one-time code of it per round.
    seed = (
        "from django.utils import timezone; from api.models import OidcIdentity, OidcLoginCode, User; "
        f"user = User.objects.create_user('oidc{run}', password=None); now = timezone.now(); "
        f"OidcIdentity.objects.create(user=user, provider='test', issuer='https://idp.example', subject='{run}', "
        "created_at=now); "
        f"[OidcLoginCode.objects.create(digest=d, provider='test', issuer='https://idp.example', subject='{run}', "
        f"created_at=now) for d in {digests!r}]"
    )
    manage_ok("shell", "--no-imports", "-c", seed, env=server_env(DATABASE_URL=live_database_url))

    with ThreadPoolExecutor(PARALLEL) as pool:
        for round_number, code in enumerate(codes):
            actions = [
                (
                    "exchange",
                    lambda code=code: race_server.request("POST", "/api/token/oidc/", {"code": code}),
                )
            ] * PARALLEL
            statuses = sorted(reply.status for _, reply in _race(pool, actions))
            assert statuses == [200] + [401] * (PARALLEL - 1), f"round {round_number}: {statuses}"
