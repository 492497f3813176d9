"""DPoP proofs already used (api/dpop/replay.py)."""

from django.db import models


class DpopProofUse(models.Model):
    """A DPoP proof already used, kept until its `iat` falls out of `DPOP_PROOF_MAX_AGE`: the
    record every worker shares when no Redis is configured. A second insert of the same key
    fails, so a proof holds once however many workers see it."""

    # SHA-256 (hex) of the proof key's thumbprint and the proof's `jti`.
    key = models.CharField(primary_key=True, max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"DPoP proof {self.key[:12]}"
