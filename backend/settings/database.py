"""The database (SQLite or PostgreSQL) with its timeouts, and the Redis cache the throttles count
in. Both URLs may hold a password, so no problem line ever shows them."""

import re
from urllib.parse import urlsplit

import dj_database_url
from environs import EnvError

from backend.environment import Environment
from backend.settings.base import BASE_DIR, env

_SQLITE, _POSTGRESQL = "django.db.backends.sqlite3", "django.db.backends.postgresql"


def _database(env: Environment, name: str, default: str) -> dict:
    """The parsed database URL, or the default's with a problem noted."""
    try:
        config = env.dj_db_url(name, default)
    except EnvError:
        wrong = "is neither (not shown: it may hold a password)"
    else:
        if config["ENGINE"] not in (_SQLITE, _POSTGRESQL):
            scheme = urlsplit(env.str(name)).scheme
            wrong = f"is a {scheme}:// URL, for which this project installs no driver"
        elif config["ENGINE"] == _POSTGRESQL and not config["NAME"]:
            # Django would refuse every connection, so every request would answer 503.
            wrong = "names no database"
        else:
            return config
    env.problem(
        f"{name} must be sqlite:///PATH or postgres://USER:PASSWORD@HOST:PORT/NAME (postgresql:// "
        f"also works); the value set {wrong}."
    )
    return dj_database_url.parse(default)


def _redis_url(env: Environment, name: str) -> str:
    """A Redis URL (or a list, as Django's backend takes) as redis-py will parse it; "" if unset."""
    url = env.str(name, "")
    if not url:
        return ""
    # Imported only here: processes without Redis need not load it.
    from redis.connection import parse_url

    try:
        # Django's backend splits a list of servers at , and ;.
        for location in re.split("[;,]", url):
            parse_url(location.strip())
    except ValueError:
        env.problem(
            f"{name} must be redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://... (TLS) or "
            "unix:///PATH; the value set is not (not shown: it may hold a password)."
        )
    return url


# --- Database -------------------------------------------------------------------------------

DATABASES = {"default": _database(env, "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# Seconds to wait for a new PostgreSQL connection (psycopg counts 1 as 2, 0 as 130); also how long
# the health check waits for the database before calling it unavailable.
DATABASE_CONNECT_TIMEOUT = env.whole("DATABASE_CONNECT_TIMEOUT", 3, minimum=2)
# Seconds a worker keeps its connection. With SQLite too: opening the file and running the WAL
# pragmas below was a fifth of a notes list's time under gunicorn (bench/README.md).
_conn_max_age = env.whole("DATABASE_CONN_MAX_AGE", 600, minimum=0)
# Milliseconds; PostgreSQL refuses a connection that asks for more than its integers hold.
_statement_timeout = env.whole(
    "DATABASE_STATEMENT_TIMEOUT", 5000, minimum=0, maximum=2**31 - 1, unit="milliseconds"
)
if DATABASES["default"]["ENGINE"] == _SQLITE:
    # Several gunicorn workers may write at once: WAL lets readers run beside a writer, and
    # IMMEDIATE transactions take the write lock up front, so a writer waits (up to the busy
    # timeout) instead of failing with "database is locked" when it upgrades a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = _conn_max_age
else:
    # Reusing connections matters: a new PostgreSQL connection per request costs more than
    # the request itself.
    DATABASES["default"]["CONN_MAX_AGE"] = _conn_max_age
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # An unreachable or overloaded database must cost a request seconds, not hold a worker
    # (docs/operations.md, "Outages"). libpq parameters, enforced by psycopg and by the server.
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if _statement_timeout:
        # 0 sends nothing, so the role's or server's own setting applies (PgBouncer refuses
        # the `options` parameter).
        _db_options["options"] = (
            f"{_db_options.get('options', '')} -c statement_timeout={_statement_timeout}".strip()
        )
# Past this, a request still waiting for the database has its connection cut and answers 503:
# the bound for a server that stopped answering on an open connection (api/core/db_deadline.py).
DATABASE_REQUEST_TIMEOUT = env.seconds("DATABASE_REQUEST_TIMEOUT", 10, zero_allowed=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (throttle counters) --------------------------------------------------------------

_redis = _redis_url(env, "REDIS_URL")
# Seconds to wait for Redis to accept a connection or answer a command: a stopped or hung Redis
# then costs one request this long, after which the throttles count in process memory for a
# while (api/core/throttle_cache.py). 0 would mean waiting for ever.
REDIS_TIMEOUT = env.seconds("REDIS_TIMEOUT", 1, zero_allowed=False)
if _redis:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _redis,
            # Passed to redis-py's connection pool.
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    # Per process: with several workers each keeps its own throttle counters.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
