"""Login sessions: the chain of refresh tokens of one login (api/sessions/)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from api.models.core import USER_AGENT_MAX_LENGTH


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
    # What the owner sees in their list of sessions: when the session last refreshed, and the
    # client as it described itself at login. Shown, never trusted for anything.
    last_used_at = models.DateTimeField()
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True, default="")
    ip = models.GenericIPAddressField(null=True, blank=True)
    # The RFC 7638 thumbprint of the DPoP key the session is bound to (api/dpop/), empty for a
    # Bearer session: a refresh needs a proof signed by that key, and its tokens carry `cnf.jkt`.
    dpop_jkt = models.CharField(max_length=43, blank=True, default="")

    class Meta:
        verbose_name_plural = "token families"
        indexes = [
            models.Index(fields=["user", "revoked_at"], name="tokenfamily_user_live_idx"),
            # The clean-up finds ended sessions by each way of ending, a batch at a time
            # (`api.sessions.selectors.sessions_ended_batches`): each needs its own index.
            models.Index(
                fields=["revoked_at"], condition=Q(revoked_at__isnull=False), name="tokenfamily_revoked_idx"
            ),
            models.Index(Coalesce("rotated_at", "created_at"), name="tokenfamily_last_issue_idx"),
        ]

    def __str__(self) -> str:
        return f"Session {self.pk} of user {self.user_id}"
