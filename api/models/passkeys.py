"""Passkeys (docs/security.md, "Passkeys")."""

from django.conf import settings
from django.db import models

from api.models.mfa import MfaChallenge


class Passkey(models.Model):
    """A WebAuthn credential (passkey) of a user: what verifies its assertions at login, as the
    second factor, and at step-up."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys")
    # base64url without padding, as browsers spell the credential's id: the assertion names it.
    # WebAuthn bounds credential ids at 1023 bytes.
    credential_id = models.CharField(max_length=1400, unique=True)
    # The COSE public key, as the authenticator gave it at registration.
    public_key = models.BinaryField()
    # The authenticator's signature counter at its last use; 0 for the many that keep none. One
    # that goes backwards betrays a cloned authenticator.
    sign_count = models.BigIntegerField(default=0)
    name = models.CharField(max_length=64)
    # How the browser may reach the authenticator ("internal", "hybrid", "usb"...): a hint for
    # `allowCredentials`, never trusted.
    transports = models.JSONField(default=list)
    aaguid = models.CharField(max_length=36, blank=True, default="")
    # Backup eligible: a synced passkey (multi-device); backed up: synced now.
    backup_eligible = models.BooleanField(default=False)
    backed_up = models.BooleanField(default=False)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="passkey_user_created_idx")]

    def __str__(self) -> str:
        return f"Passkey {self.name!r} of user {self.user_id}"


class PasskeyChallenge(models.Model):
    """A challenge an options call handed out, for one ceremony: registration or step-up of one
    user, a passwordless login, or the second factor of one waiting two-factor login.

    Kept in the database, so that every worker sees it and a verify spends it with one
    conditional UPDATE (`used_at IS NULL`): of two verifies of one challenge exactly one passes.
    """

    # SHA-256 (hex) of the challenge: the assertion carries the challenge, which finds its row.
    digest = models.CharField(primary_key=True, max_length=64)
    flow = models.CharField(max_length=16)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="passkey_challenges",
    )
    mfa_challenge = models.ForeignKey(
        MfaChallenge, on_delete=models.CASCADE, null=True, blank=True, related_name="passkey_challenges"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Passkey {self.flow} challenge of user {self.user_id}"
