"""The notes."""

from django.conf import settings
from django.db import models


class Note(models.Model):
    """A note owned by one user."""

    title = models.CharField(max_length=100)
    content = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Serves "this user's notes, newest first" (and each keyset page of it) as an
            # index range scan, whatever the number of notes.
            models.Index(fields=["author", "-created_at", "-id"], name="note_author_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title
