"""A one-time code presented by several requests at the same moment, through gunicorn with
several workers: exactly one gets tokens. On SQLite in the SQLite pass, on PostgreSQL in the
PostgreSQL pass (`live_database_url`)."""

import base64
import hashlib
import json
import secrets
import uuid
from concurrent.futures import ThreadPoolExecutor

from api.tests.live import manage_ok, server_env
from api.tests.test_races import _race, _sign_up, race_server  # noqa: F401

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


REMOVAL_ROUNDS = 8
# Each account's passkey and provider account, printed as "passkey:identity" per account.
SEED_WAYS = """
from django.utils import timezone
from api.models import OidcIdentity, Passkey, User
now = timezone.now()
User.objects.filter(pk__in=IDS).update(password="!")
for i in IDS:
    passkey = Passkey.objects.create(user_id=i, credential_id=f"{RUN}-{i}", public_key=b"k", created_at=now)
    identity = OidcIdentity.objects.create(
        user_id=i, provider="test", issuer="https://idp.example", subject=f"{RUN}-{i}", created_at=now
    )
    print(f"{passkey.pk}:{identity.pk}")
"""


def test_the_last_two_ways_in_removed_at_once_leave_one(race_server, live_database_url):  # noqa: F811
    # Accounts without a usable password, each with one passkey and one provider account:
    # deleting the passkey and unlinking the provider account at the same moment do one, never both.
    run = uuid.uuid4().hex[:10]
    accounts = [_sign_up(race_server, f"ways{run}x{n}")[1] for n in range(REMOVAL_ROUNDS)]
    ids = [race_server.request("GET", "/api/user/me/", token=p["access"]).json()["id"] for p in accounts]
    seed = f"IDS = {ids!r}; RUN = {run!r}\n{SEED_WAYS}"
    output = manage_ok("shell", "--no-imports", "-c", seed, env=server_env(DATABASE_URL=live_database_url))
    rows = [line.split(":") for line in output.split()]

    def delete(path: str, pair: dict):
        headers = {"X-Reauth-Token": pair["reauth_token"]}
        return lambda: race_server.request("DELETE", path, token=pair["access"], headers=headers)

    with ThreadPoolExecutor(2) as pool:
        for round_number, (pair, (passkey_id, identity_id)) in enumerate(zip(accounts, rows, strict=True)):
            actions = [
                ("passkey", delete(f"/api/user/passkeys/{passkey_id}/", pair)),
                ("identity", delete(f"/api/user/identities/{identity_id}/", pair)),
            ]
            replies = _race(pool, actions)
            context = f"round {round_number}: {[(name, r.status, r.body) for name, r in replies]}"
            assert sorted(reply.status for _, reply in replies) == [204, 409], context
            refused = next(reply for _, reply in replies if reply.status == 409)
            assert refused.json()["code"] == "last_login_method", context


# A provider account of the account, and one waiting step-up code of it per digest, for one session.
SEED_STEP_UP_CODES = """
from django.utils import timezone
from api.models import OidcIdentity, OidcLoginCode
now = timezone.now()
OidcIdentity.objects.create(user_id=USER, provider="test", issuer="https://idp.example", subject=RUN, created_at=now)
for digest in DIGESTS:
    OidcLoginCode.objects.create(
        digest=digest, provider="test", issuer="https://idp.example", subject=RUN, purpose="reauthenticate",
        user_id=USER, session_id=SESSION, created_at=now,
    )
"""


def test_a_step_up_code_raced_by_several_requests_proves_once(race_server, live_database_url):  # noqa: F811
    run = uuid.uuid4().hex[:10]
    user_id, pair = _sign_up(race_server, f"stepup{run}")
    payload = pair["access"].split(".")[1]
    session = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["fam"]
    codes = [secrets.token_urlsafe(32) for _ in range(ROUNDS)]
    digests = [hashlib.sha256(code.encode()).hexdigest() for code in codes]
    seed = f"USER = {user_id!r}; SESSION = {session!r}; RUN = {run!r}; DIGESTS = {digests!r}\n{SEED_STEP_UP_CODES}"
    manage_ok("shell", "--no-imports", "-c", seed, env=server_env(DATABASE_URL=live_database_url))

    def prove(code: str):
        body = {"oidc_code": code}
        return lambda: race_server.request("POST", "/api/user/reauthenticate/", body, token=pair["access"])

    with ThreadPoolExecutor(PARALLEL) as pool:
        for round_number, code in enumerate(codes):
            replies = _race(pool, [("prove", prove(code))] * PARALLEL)
            statuses = sorted(reply.status for _, reply in replies)
            assert statuses == [200] + [400] * (PARALLEL - 1), f"round {round_number}: {statuses}"
