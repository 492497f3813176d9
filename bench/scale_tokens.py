"""The token tables at scale: fill them through the API, move half the sessions past their end,
flush with `manage.py flushexpiredtokens`, and check that every live session still refreshes.

The tables are those the login, two-factor login and refresh paths write: sessions
(`api_tokenfamily`, one row per login, updated by each refresh), two-factor logins waiting for a
code (`api_mfachallenge`) and spent recovery codes (`api_recoverycode`, updated). The clock is
not moved: the ended sessions' timestamps are moved into the past with SQL instead, by more than
a session's absolute lifetime (`JWT_SESSION_MAX_AGE`, 30 days by default).
"""

from __future__ import annotations

import base64
import concurrent.futures
import json
import os
import subprocess
import time

from bench.common import REPO, check_status, log
from bench.servers import http_json

TABLES = ("api_tokenfamily", "api_mfachallenge", "api_recoverycode", "api_totpdevice")
AGE = "40 days"  # past JWT_SESSION_MAX_AGE and the refresh token lifetime
THREADS = 4


def token_lifecycle(target, python, quick=False):
    logins, refreshes_each, mfa_logins = (200, 5, 20) if quick else (2_000, 10, 200)
    base = target.server.base
    counts = {"before": table_counts(target.url)}

    def login(_):
        status, body = http_json("POST", base + "/api/token/", target.credentials("login"))
        check_status("login", status, 200, body)
        return json.loads(body)["refresh"]

    def chain(refresh):
        for _ in range(refreshes_each):
            status, body = http_json("POST", base + "/api/token/refresh/", {"refresh": refresh})
            check_status("refresh", status, 200, body)
            refresh = json.loads(body)["refresh"]
        return refresh

    codes = iter(target.info["recovery_codes"])

    def mfa_login(complete):
        status, body = http_json("POST", base + "/api/token/", target.credentials("mfa"))
        check_status("two-factor login, first step", status, 401, body)
        if complete:
            answer = {"mfa_token": json.loads(body)["mfa_token"], "code": next(codes)}
            status, body = http_json("POST", base + "/api/token/mfa/", answer)
            check_status("two-factor login, recovery code", status, 200, body)

    timings = {}
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        t0 = time.perf_counter()
        tokens = list(pool.map(login, range(logins)))
        timings["logins_s"] = round(time.perf_counter() - t0, 1)
        log(f"{logins:,} logins in {timings['logins_s']} s")
        t0 = time.perf_counter()
        tokens = list(pool.map(chain, tokens))
        timings["refreshes_s"] = round(time.perf_counter() - t0, 1)
        log(f"{logins * refreshes_each:,} refreshes in {timings['refreshes_s']} s")
        # Half complete with a recovery code (the challenge is spent), half stay waiting.
        list(pool.map(mfa_login, [i % 2 == 0 for i in range(mfa_logins)]))
    counts["after_logins_and_refreshes"] = table_counts(target.url)

    # Every other session of this phase ends; the rest, and every session of the latency
    # rounds before, stay live. Half the waiting two-factor logins expire.
    ended = [family_id(token) for token in tokens[::2]]
    live_tokens = tokens[1::2]
    import psycopg

    with psycopg.connect(target.url, autocommit=True) as conn:
        conn.execute(
            "UPDATE api_tokenfamily SET created_at = created_at - %(age)s::interval, "
            "last_used_at = last_used_at - %(age)s::interval, "
            "rotated_at = rotated_at - %(age)s::interval, "
            "expires_at = expires_at - %(age)s::interval WHERE id = ANY(%(ids)s)",
            {"age": AGE, "ids": ended},
        )
        conn.execute(
            "UPDATE api_mfachallenge SET created_at = created_at - %(age)s::interval, "
            "expires_at = expires_at - %(age)s::interval WHERE id IN (SELECT id FROM api_mfachallenge "
            "WHERE used_at IS NULL ORDER BY id LIMIT %(n)s)",
            {"age": AGE, "n": mfa_logins // 4},
        )
        kept_before = conn.execute(
            "SELECT count(*) FROM api_tokenfamily WHERE id <> ALL(%s)", [ended]
        ).fetchone()[0]
    counts["after_ageing"] = table_counts(target.url)

    t0 = time.perf_counter()
    flush = subprocess.run(
        [python, "manage.py", "flushexpiredtokens"],
        cwd=REPO,
        env={**os.environ, **target.env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    timings["flush_s"] = round(time.perf_counter() - t0, 1)
    if flush.returncode != 0:
        raise SystemExit(f"flushexpiredtokens failed:\n{flush.stderr[-3000:]}")
    counts["after_flush"] = table_counts(target.url)

    with psycopg.connect(target.url, autocommit=True) as conn:
        kept_after = conn.execute("SELECT count(*) FROM api_tokenfamily").fetchone()[0]
        ended_left = conn.execute(
            "SELECT count(*) FROM api_tokenfamily WHERE id = ANY(%s)", [ended]
        ).fetchone()[0]
    with concurrent.futures.ThreadPoolExecutor(THREADS) as pool:
        live_ok = sum(pool.map(refreshes, [base] * len(live_tokens), live_tokens))
        ended_refused = sum(not ok for ok in pool.map(refreshes, [base] * 20, tokens[:40:2]))
    checks = {
        "ended_sessions_deleted": ended_left == 0,
        "live_sessions_kept": kept_after == kept_before,
        "live_sessions_refresh": live_ok == len(live_tokens),
        "ended_sessions_refused": ended_refused == 20,
    }
    return {
        "logins": logins,
        "refreshes": logins * refreshes_each,
        "mfa_logins": mfa_logins,
        "ended_sessions": len(ended),
        "live_sessions_checked": len(live_tokens),
        "live_refreshed": live_ok,
        "counts": counts,
        "flush_output": flush.stdout.strip().splitlines(),
        "checks": checks,
        "ok": all(checks.values()),
        **timings,
    }


def refreshes(base, refresh):
    status, _ = http_json("POST", base + "/api/token/refresh/", {"refresh": refresh})
    return status == 200


def family_id(token):
    """The session a refresh token belongs to (its `fam` claim), read without verifying it."""
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["fam"]


def table_counts(db_url):
    """Rows of each token-lifecycle table that exists, and how many sessions are live now."""
    import psycopg

    counts = {}
    with psycopg.connect(db_url, autocommit=True) as conn:
        for table in TABLES:
            if conn.execute("SELECT to_regclass(%s)", [table]).fetchone()[0] is None:
                continue
            counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        counts["live sessions"] = conn.execute(
            "SELECT count(*) FROM api_tokenfamily WHERE revoked_at IS NULL AND expires_at > now()"
        ).fetchone()[0]
    return counts
