"""Plain SQL built from the models' own metadata, for reads on the hot path of every request.

Profiles of the notes endpoints showed Django compiling each ORM query costing more than
running it, so the reads they make on every request (the user, a page of notes, one note)
are plain SQL built once per process. Rows are turned into model instances with the backend's
own converters, so callers get exactly what the ORM would give them; the tests hold each
selector equal to its ORM equivalent.
"""

import functools
from collections.abc import Sequence

from django.db import connection, models

# The primary keys are 64-bit integers; a larger number would make the driver raise.
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


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
def table(model: type[models.Model]) -> _Table:
    """The model's table, columns and converters, worked out once per process."""
    return _Table(model)


def rows(sql: str, params: Sequence[object]) -> list[tuple]:
    """The raw rows of a query, timestamps parsed by the driver's fastest loader."""
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


def fetch(model: type[models.Model], sql: str, params: Sequence[object]) -> list[models.Model]:
    """Model instances for a query that selects `table(model).columns`, as the ORM builds them."""
    return table(model).instances(rows(sql, params))


def bigint(value: object) -> int | None:
    """The value as a 64-bit key, or None: a larger number would make the driver raise."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if BIGINT_MIN <= number <= BIGINT_MAX else None
