"""Two-factor login (docs/mfa.md)."""

import uuid

from django.conf import settings
from django.db import models


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP): pending until a first code confirms it.

    The secret is stored as the app holds it: the server must compute the same codes. A pending
    device (no `confirmed_at`) changes nothing about logging in.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    # Base32, as `otpauth://` URLs and authenticator apps spell it.
    secret = models.CharField(max_length=64)
    # When the current secret was issued: a pending setup expires, and is cleaned, after a while.
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step (Unix time / 30 s) of the last code accepted: a code of that step or an
    # earlier one is refused, so each code works once.
    last_used_step = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["confirmed_at", "created_at"], name="totpdevice_pending_idx")]

    def __str__(self) -> str:
        return f"Authenticator of user {self.user_id}"


class RecoveryCode(models.Model):
    """One single-use code that stands in for a TOTP code; only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    # Hex SHA-256 of the normalised code. A fast hash is enough, unlike for a password: each
    # code is 80 random bits, too many candidates to try against a stolen digest.
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "code_hash"], name="recoverycode_user_hash_idx")]

    def __str__(self) -> str:
        return f"Recovery code of user {self.user_id}"


class MfaChallenge(models.Model):
    """A login waiting for its second factor: what an `mfa_token` names, with its wrong tries.

    Kept in the database rather than the cache, so the count of wrong codes is shared by every
    worker and survives a cache outage.
    """

    # Random: the id travels in the `mfa_token`.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mfa_challenges"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Set by the login it completed: the token works once.
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Two-factor login of user {self.user_id}"
