"""The user lookup every authenticated request makes, in SQL written once per process."""

from django.db import connection

from api.core import sql
from api.models import User


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
