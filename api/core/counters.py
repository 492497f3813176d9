"""Limits that hold exactly across workers: how many wrong passwords and codes one account (or
device) and one client IP may send per period (`api.sessions.credentials`), how much mail one
address or account may be sent (`api.core.outbox`).

A failed-credential check reserves a place in every count it falls under *before* the password
or code is looked at, with a conditional upsert, and gives it back if the credential was right.
So however many requests arrive at once, across any number of workers, no more credentials are
checked than the limit allows: a read-then-write of a list of timestamps let parallel guesses
through (each read the same list) and lost updates (each wrote its own).

Counts are kept per fixed window of the period, one row per count holding the current window's
count and the previous window's. The limit applies to a sliding period, estimated as all of
the current window plus the share of the previous one still inside the period: the usual
two-window approximation, which never lets a burst at a window's edge double the limit. Taking
a place is one statement whatever the row's state (new, current, or a window behind), so every
check costs the same number of queries.
"""

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from api.models import LimitCount


class TooManyFailures(Throttled):
    """429: a count is full (too many wrong passwords or codes for this account or client)."""

    default_detail = _("Too many failed attempts.")


@dataclass(frozen=True)
class Limit:
    """`limit` failures per `period` seconds for each of the idents it is applied to."""

    limit: int
    period: int

    @classmethod
    def parse(cls, rate: str | None) -> "Limit | None":
        if not rate:
            return None
        limit, period = SimpleRateThrottle.parse_rate(None, rate)
        return cls(limit=limit, period=period)


class Reservation:
    """The places one attempt holds; `release` gives them back."""

    def __init__(self, places: list[tuple[str, int]]) -> None:
        self.places = places
        # Counts this reservation filled to their limit: the next one is refused.
        self.filled: list[str] = []

    def release(self) -> None:
        by_window: dict[int, list[str]] = {}
        for key, window in self.places:
            by_window.setdefault(window, []).append(key)
        for window, keys in by_window.items():
            # A count whose window has moved on since lost this place with the window.
            LimitCount.objects.filter(key__in=keys, window_number=window, count__gt=0).update(
                count=F("count") - 1
            )
        self.places = []


def reserve(counts: Iterable[tuple[str, Limit]], *, now: float | None = None) -> Reservation:
    """Take one place in each `(key, limit)` count, or none and `TooManyFailures` if one is full."""
    now = time.time() if now is None else now
    taken = Reservation([])
    for key, limit in counts:
        window, into = divmod(now, limit.period)
        estimate = _take(key, limit, int(window), carried_share=1 - into / limit.period)
        if estimate is None:
            taken.release()
            full = TooManyFailures(wait=limit.period - into)
            full.key = key
            raise full
        taken.places.append((key, int(window)))
        if estimate + 1 > limit.limit:
            taken.filled.append(key)
    return taken


@contextmanager
def attempt(counts: Iterable[tuple[str, Limit]]) -> Iterator[Reservation]:
    """Hold a place in each count while a credential is checked. The place is kept (a failure
    counted) only when the block raises an error marked `counts_as_failure`: a right credential,
    or an error that is not about the credential (the database, an expired token), gives it back."""
    reservation = reserve(counts)
    try:
        yield reservation
    except BaseException as exc:
        if not getattr(exc, "counts_as_failure", False):
            reservation.release()
        raise
    reservation.release()


def _take(key: str, limit: Limit, window: int, *, carried_share: float) -> float | None:
    """One conditional upsert: a new row starts at 1; an existing one rolls to `window` if it is
    behind and takes the place only if the estimate stays within the limit. Returns the estimate
    with this place, or None if refused. Standard SQL that SQLite (3.35+) and PostgreSQL both
    run; the ORM has no conditional upsert."""
    expires_at = datetime.fromtimestamp((window + 2) * limit.period, UTC)
    table, q = LimitCount._meta.db_table, connection.ops.quote_name
    key_, win, count, previous, expires = (
        q(LimitCount._meta.get_field(name).column)
        for name in ("key", "window_number", "count", "previous", "expires_at")
    )
    t = q(table)
    sql = f"""
        INSERT INTO {t} ({key_}, {win}, {count}, {previous}, {expires}) VALUES (%s, %s, 1, 0, %s)
        ON CONFLICT ({key_}) DO UPDATE SET
            {previous} = CASE WHEN {t}.{win} = %s THEN {t}.{previous}
                              WHEN {t}.{win} = %s THEN {t}.{count} ELSE 0 END,
            {count} = CASE WHEN {t}.{win} = %s THEN {t}.{count} ELSE 0 END + 1,
            {win} = %s,
            {expires} = %s
        WHERE (CASE WHEN {t}.{win} = %s THEN {t}.{count} + {t}.{previous} * %s
                    WHEN {t}.{win} = %s THEN {t}.{count} * %s ELSE 0 END) + 1 <= %s
        RETURNING {count} + {previous} * %s
    """  # noqa: S608 (identifiers from the model; every value is a parameter)
    before = window - 1
    params = [
        *(key, window, expires_at),
        *(window, before),
        window,
        *(window, expires_at),
        *(window, carried_share, before, carried_share, limit.limit),
        carried_share,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return None if row is None else float(row[0])


def flush_expired(*, now: datetime | None = None) -> int:
    """Delete counts that no longer affect any limit; returns how many."""
    deleted, _ = LimitCount.objects.filter(expires_at__lte=now or datetime.now(UTC)).delete()
    return deleted
