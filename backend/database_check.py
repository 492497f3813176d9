"""A database that cannot be reached at startup: one line saying where and why, then exit.

Without this, `manage.py migrate` (or any command) against a wrong port, a missing database or an
unknown role ends in a traceback of some 90 lines around one libpq message. The line names the
host, port and database of `DATABASE_URL`, never its user or password, and the process exits
with `EXIT_BAD_SETTINGS`, as for a bad setting. Only a failure to *connect* is reported so: a
query that fails on an open connection (a statement timeout during a migration) keeps its
traceback.

`manage.py` runs every command inside `stop_if_unreachable()`; gunicorn's master runs
`python -m backend.database_check` before it starts any worker (backend/gunicorn.py).
"""

import contextlib
import os
import sys
import traceback
from collections.abc import Iterator

from backend.environment import EXIT_BAD_SETTINGS

# What libpq (through psycopg) or SQLite says, and what the line says instead; the first match
# wins, so the role's message (which names no database) is looked for before the database's.
_REASONS = (
    ("connection refused", "connection refused (nothing listens there)"),
    ("timeout expired", "no answer before DATABASE_CONNECT_TIMEOUT (timeout)"),
    ('role "', "role does not exist"),
    ('database "', "database does not exist"),
    ("password authentication failed", "the password was refused"),
    ("no pg_hba.conf entry", "the server refuses connections from this host (pg_hba.conf)"),
    ("failed to resolve host", "unknown host name"),
    ("could not translate host name", "unknown host name"),
    ("unable to open database file", "the file cannot be opened or created"),
)


@contextlib.contextmanager
def stop_if_unreachable() -> Iterator[None]:
    """Within the block, a failed connection attempt prints one line and exits."""
    from django.db import OperationalError

    try:
        yield
    except OperationalError as exc:
        settings_dict = _settings_of_failed_connection(exc)
        if settings_dict is None:
            raise
        sys.stderr.write(describe(settings_dict, exc) + "\n")
        sys.stderr.flush()
        raise SystemExit(EXIT_BAD_SETTINGS) from None


def describe(settings_dict: dict, exc: BaseException) -> str:
    """`DATABASE_URL: cannot connect to database "notes" on db:5432: connection refused ...`."""
    message = str(exc.__cause__ or exc)
    lowered = message.lower()
    reason = next((said for found, said in _REASONS if found in lowered), None)
    if reason is None:
        # libpq's own words, last part of its first line ("connection to server at ... failed:
        # FATAL: ..."): they never hold the password.
        first_line = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
        reason = first_line.rsplit("failed:", 1)[-1].replace("FATAL:", "").strip()
    if "sqlite" in settings_dict["ENGINE"]:
        return f"DATABASE_URL: cannot open the SQLite database {settings_dict['NAME']}: {reason}."
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f'DATABASE_URL: cannot connect to database "{settings_dict["NAME"]}" on {host}:{port}: {reason}.'


def _settings_of_failed_connection(exc: BaseException) -> dict | None:
    # A failed attempt to connect is raised from inside a backend's `get_new_connection`;
    # the frame still holds its connection wrapper, hence the settings of that database.
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_name == "get_new_connection":
            wrapper = frame.f_locals.get("self")
            settings_dict = getattr(wrapper, "settings_dict", None)
            if isinstance(settings_dict, dict):
                return settings_dict
    return None


def main() -> None:
    """Connect to each configured database once (gunicorn's master runs this before workers)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    # Loading the settings checks them too: a bad value exits here, before any worker starts.
    from django.db import connections

    for alias in connections:
        with stop_if_unreachable():
            connections[alias].ensure_connection()
        connections[alias].close()


if __name__ == "__main__":
    main()
