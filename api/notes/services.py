"""Writes to notes: creating one for its author, changing given fields of one."""

from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.exceptions import InvalidToken

from api.models import Note, User


def note_create(*, author: User, **fields: object) -> Note:
    """Create a note; if its author's account was deleted a moment ago, a 401 as for any request."""
    try:
        return Note.objects.create(author=author, **fields)
    except IntegrityError as exc:
        # The only constraint a note has that the serializer cannot check is its author's
        # foreign key: the account is gone, exactly what authentication would now say.
        raise InvalidToken(_("User not found")) from exc


def note_update(*, note: Note, changes: dict[str, object]) -> Note:
    """Change the given fields of a note; one deleted meanwhile is a 404, never re-created."""
    for name, value in changes.items():
        setattr(note, name, value)
    # Only the changed columns (two PATCHes of different fields both stick), and never an
    # INSERT: Django raises instead when no row was updated (answered as a 404).
    note.save(update_fields=[*changes, "updated_at"])
    return note
