"""Reads of notes on the hot path: one note, and a keyset page of them (plain SQL, `api.core.sql`)."""

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from django.db import connection

from api.core import sql
from api.models import Note

# The columns `?search=` looks in: every search term must occur in one of them.
NOTE_SEARCH_FIELDS = ("title", "content")


class NotePosition(NamedTuple):
    """Where a keyset page starts: the sort key of a note, (created_at, id)."""

    created_at: datetime
    id: int


def note_by_id(*, author_id: int, note_id: object) -> Note | None:
    """The author's note with this id, or None (also for anyone else's note or a bad id)."""
    note_id = sql.bigint(note_id)
    if note_id is None:
        return None
    table, quote = sql.table(Note), connection.ops.quote_name
    field = Note._meta.get_field
    query = (
        f"SELECT {table.columns} FROM {table.name} "  # noqa: S608
        f"WHERE {quote(field('id').column)} = %s AND {quote(field('author').column)} = %s"
    )
    found = sql.fetch(Note, query, [note_id, author_id])
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
    searched = " OR ".join(
        f"{ops.lookup_cast('icontains', 'TextField') % quote(field(name).column)} {match}"
        for name in NOTE_SEARCH_FIELDS
    )
    where += [f"({searched})"] * terms
    direction = "DESC" if older else "ASC"
    table = sql.table(Note)  # its columns are NoteRow's fields, in order (a test holds them so)
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
    one of `NOTE_SEARCH_FIELDS`, as DRF's SearchFilter does on the same fields.
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
        params += [pattern] * len(NOTE_SEARCH_FIELDS)
    query = _note_page_sql(older=newer_than is None, positioned=bool(position), terms=len(search_terms))
    rows = sql.rows(query, [*params, limit])
    # SQLite hands back naive datetimes in the database's zone, PostgreSQL aware ones.
    zone = connection.timezone
    notes = [
        NoteRow(id, title, content, author, _aware(created, zone), _aware(updated, zone))
        for id, title, content, author, created, updated in rows
    ]
    return notes[::-1] if newer_than else notes


def _aware(value: datetime, zone) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)
