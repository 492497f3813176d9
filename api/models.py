import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """The project's user; `token_version` invalidates every token issued before it changed."""

    # Every access and refresh token carries the version it was issued under; bumping it
    # (logout everywhere, password change) revokes all of them at once without a token list.
    token_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(Lower("username"), name="api_user_username_ci_unique"),
        ]


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


class TokenFamily(models.Model):
    """One login session: the chain of refresh tokens that rotation derives from one login."""

    # Random rather than sequential: the id travels in every refresh token's `fam` claim.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="token_families"
    )
    created_at = models.DateTimeField()
    # Absolute end of the session: rotation never issues a refresh token that outlives it.
    expires_at = models.DateTimeField(db_index=True)
    current_jti = models.CharField(max_length=255)
    previous_jti = models.CharField(max_length=255, blank=True, default="")
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "token families"
        indexes = [models.Index(fields=["user", "revoked_at"], name="tokenfamily_user_live_idx")]

    def __str__(self) -> str:
        return f"Session {self.pk} of user {self.user_id}"
