"""Reads on the hot path of every authenticated request, in SQL written once per process.

Profiles of the notes endpoints showed Django compiling each ORM query costing more than
running it, so the reads they make on every request (the user, a page of notes, one note)
are plain SQL built from the models' own metadata. Rows are turned into model instances with the
backend's own converters, so callers get exactly what the ORM would give them; the tests
hold both functions equal to their ORM equivalents.
"""

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from django.db import connection, models

from api.models import Note, User

# The primary keys are 64-bit integers; a larger number would make the driver raise.
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


class NotePosition(NamedTuple):
    """Where a keyset page starts: the sort key of a note, (created_at, id)."""

    created_at: datetime
    id: int


class _Table:
    """A model's quoted column list and the backend's converters for each column."""

    def __init__(self, model: type[models.Model]) -> None:
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        self.model = model
        self.name = quote(model._meta.db_table)
        self.attnames = [field.attname for field in fields]
        self.columns = ", ".join(quote(field.column) for field in fields)
        self.converters = []
        for index, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
                self.converters.append((index, convert, column))

    def instances(self, rows: Sequence[Sequence[object]]) -> list[models.Model]:
        out = []
        for row in rows:
            if self.converters:
                row = list(row)
                for index, convert, column in self.converters:
                    row[index] = convert(row[index], column, connection)
            out.append(self.model.from_db(connection.alias, self.attnames, row))
        return out


@functools.cache
def _table(model: type[models.Model]) -> _Table:
    return _Table(model)


def _rows(sql: str, params: Sequence[object]) -> list[tuple]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's timestamptz loader subclasses psycopg's pure-Python one, so psycopg cannot
            # use its C loader and every timestamp is parsed by a regex in Python: half the
            # client time of a page of notes (measured). psycopg's own loader becomes the C one
            # and gives the same datetimes, in the session's time zone (UTC, set by Django).
            from psycopg.types.datetime import TimestamptzLoader

            cursor.cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fetch(model: type[models.Model], sql: str, params: Sequence[object]) -> list[models.Model]:
    return _table(model).instances(_rows(sql, params))


def _bigint(value: object) -> int | None:
    """The value as a 64-bit key, or None: a larger number would make the driver raise."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if BIGINT_MIN <= number <= BIGINT_MAX else None


def user_by_id(user_id: object) -> User | None:
    """The user with this primary key, or None (also for an id that is not a whole number)."""
    user_id = _bigint(user_id)
    if user_id is None:
        return None
    table, quote = _table(User), connection.ops.quote_name
    # Only quoted identifiers from the model are interpolated; values are query parameters.
    sql = f"SELECT {table.columns} FROM {table.name} WHERE {quote(User._meta.pk.column)} = %s"  # noqa: S608
    found = _fetch(User, sql, [user_id])
    return found[0] if found else None


def note_by_id(*, author_id: int, note_id: object) -> Note | None:
    """The author's note with this id, or None (also for anyone else's note or a bad id)."""
    note_id = _bigint(note_id)
    if note_id is None:
        return None
    table, quote = _table(Note), connection.ops.quote_name
    field = Note._meta.get_field
    sql = (
        f"SELECT {table.columns} FROM {table.name} "  # noqa: S608
        f"WHERE {quote(field('id').column)} = %s AND {quote(field('author').column)} = %s"
    )
    found = _fetch(Note, sql, [note_id, author_id])
    return found[0] if found else None


class NoteRow(NamedTuple):
    """A note as the list reads it: the model's columns without the model's machinery."""

    id: int
    title: str
    content: str
    author_id: int
    created_at: datetime
    updated_at: datetime


@functools.cache
def _note_page_sql(*, older: bool, positioned: bool, terms: int) -> str:
    """The page query for one shape of request; built once, since only values change."""
    ops, quote = connection.ops, connection.ops.quote_name
    field = Note._meta.get_field
    created_at, note_id = quote(field("created_at").column), quote(field("id").column)
    where = [f"{quote(field('author').column)} = %s"]
    if positioned:
        # A range on created_at plus a tie-break, rather than a row comparison or a bare OR,
        # so every backend scans the (author, -created_at, -id) index from the position on.
        op = "<" if older else ">"
        where.append(f"{created_at} {op}= %s AND ({created_at} {op} %s OR {note_id} {op} %s)")
    match = connection.operators["icontains"] % "%s"
    title, content = (
        ops.lookup_cast("icontains", "TextField") % quote(field(name).column) for name in ("title", "content")
    )
    where += [f"({title} {match} OR {content} {match})"] * terms
    direction = "DESC" if older else "ASC"
    table = _table(Note)  # its columns are NoteRow's fields, in order (a test holds them so)
    # Only quoted identifiers and operators from the backend are interpolated; every value
    # is a query parameter.
    return (
        f"SELECT {table.columns} FROM {table.name} WHERE {' AND '.join(where)} "  # noqa: S608
        f"ORDER BY {created_at} {direction}, {note_id} {direction} LIMIT %s"
    )


def note_page(
    *,
    author_id: int,
    limit: int,
    older_than: NotePosition | None = None,
    newer_than: NotePosition | None = None,
    search_terms: Sequence[str] = (),
) -> list[NoteRow]:
    """Up to `limit` of the author's notes, newest first, strictly after or before a position.

    With `newer_than` these are the notes just before the position in the list (the previous
    page), still newest first. Every term of `search_terms` must occur, case-insensitively, in
    the title or the content, as DRF's SearchFilter does on the same fields.
    """
    if older_than and newer_than:
        raise ValueError("A page is either older or newer than one position, not both.")
    position = older_than or newer_than
    params: list[object] = [author_id]
    if position:
        timestamp = connection.ops.adapt_datetimefield_value(position.created_at)
        params += [timestamp, timestamp, position.id]
    for term in search_terms:
        pattern = f"%{connection.ops.prep_for_like_query(term)}%"
        params += [pattern, pattern]
    sql = _note_page_sql(older=newer_than is None, positioned=bool(position), terms=len(search_terms))
    rows = _rows(sql, [*params, limit])
    # SQLite hands back naive datetimes in the database's zone, PostgreSQL aware ones.
    zone = connection.timezone
    notes = [
        NoteRow(id, title, content, author, _aware(created, zone), _aware(updated, zone))
        for id, title, content, author, created, updated in rows
    ]
    return notes[::-1] if newer_than else notes


def _aware(value: datetime, zone) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)
