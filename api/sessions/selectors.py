"""Reads of users and sessions: the lookup every authenticated request makes (plain SQL, built
once per process), and the sessions a user can see."""

import functools
import operator
import uuid
from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from api.core import sql
from api.models import TokenFamily, User
from api.sessions.tokens import jwt_setting


def user_by_id(user_id: object) -> User | None:
    """The user with this primary key, or None (also for an id that is not a whole number)."""
    user_id = sql.bigint(user_id)
    if user_id is None:
        return None
    table, quote = sql.table(User), connection.ops.quote_name
    # Only quoted identifiers from the model are interpolated; values are query parameters.
    query = f"SELECT {table.columns} FROM {table.name} WHERE {quote(User._meta.pk.column)} = %s"  # noqa: S608
    found = sql.fetch(User, query, [user_id])
    return found[0] if found else None


@functools.cache
def _user_and_session_sql() -> str:
    quote = connection.ops.quote_name
    users, sessions = sql.table(User), quote(TokenFamily._meta.db_table)
    user_pk = f"{users.name}.{quote(User._meta.pk.column)}"
    column = TokenFamily._meta.get_field
    live = (
        f"SELECT 1 FROM {sessions} WHERE {sessions}.{quote(column('id').column)} = %s "  # noqa: S608
        f"AND {sessions}.{quote(column('user').column)} = {user_pk} "
        f"AND {sessions}.{quote(column('revoked_at').column)} IS NULL "
        f"AND {sessions}.{quote(column('expires_at').column)} > %s"
    )
    # Only quoted identifiers from the models are interpolated; values are query parameters.
    return f"SELECT {users.columns}, EXISTS ({live}) FROM {users.name} WHERE {user_pk} = %s"  # noqa: S608


def user_and_session(user_id: object, session_id: object) -> tuple[User | None, bool]:
    """The user with this primary key, and whether `session_id` is a live session of theirs.

    One query for both: every authenticated request makes it, so that a session that ended
    (logout, a revoked device) stops its access tokens at once, at no extra round trip.
    """
    user_id = sql.bigint(user_id)
    try:
        session = uuid.UUID(str(session_id))
    except ValueError:
        session = None
    if user_id is None:
        return None, False
    session_key = None if session is None else TokenFamily._meta.pk.get_db_prep_value(session, connection)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = sql.rows(_user_and_session_sql(), [session_key, now, user_id])
    if not found:
        return None, False
    *user_row, live = found[0]
    return sql.table(User).instances([user_row])[0], bool(live) and session is not None


def _ways_of_ending(now: datetime) -> list[Q]:
    """Each way a session ends, as a condition an index serves: past its absolute end, revoked,
    or idle so long that its current refresh token (issued at its last rotation, or at login)
    expired."""
    idle_cutoff = now - jwt_setting("REFRESH_TOKEN_LIFETIME")
    return [
        Q(expires_at__lte=now),
        Q(revoked_at__isnull=False),
        # The expression of the index `tokenfamily_last_issue_idx`, as written there.
        Q(LessThanOrEqual(Coalesce("rotated_at", "created_at"), idle_cutoff)),
    ]


def sessions_ended(now: datetime) -> Q:
    """Sessions no token can use any more (any of `_ways_of_ending`)."""
    return functools.reduce(operator.or_, _ways_of_ending(now))


def sessions_ended_batch(now: datetime, *, size: int) -> list[uuid.UUID]:
    """Up to `size` ended sessions, found through an index for each way of ending rather than
    one scan of the whole table."""
    found: list[uuid.UUID] = []
    for ended in _ways_of_ending(now):
        found += (
            TokenFamily.objects.filter(ended)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)[: size - len(found)]
        )
        if len(found) >= size:
            break
    return found


def sessions_live(*, user: User) -> QuerySet[TokenFamily]:
    """The user's sessions that a token can still use, newest first."""
    return (
        TokenFamily.objects.filter(user=user).exclude(sessions_ended(timezone.now())).order_by("-created_at")
    )
