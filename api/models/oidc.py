"""Sign-in with OpenID Connect providers (docs/accounts.md, "Sign in with OpenID Connect")."""

from django.conf import settings
from django.db import models


class OidcPurpose(models.TextChoices):
    """What a provider sign-in is for: a login, linking a provider account to the signed-in
    account, or step-up (the signed-in account's owner signing in at the provider again)."""

    LOGIN = "login"
    LINK = "link"
    REAUTHENTICATE = "reauthenticate"


class OidcFlow(models.Model):
    """One authorization request to a provider, from its start to the provider's redirect back:
    the `state` it was sent with (as its SHA-256, the row's key), the nonce and PKCE verifier that
    only this server knows, and the browser that started it (the SHA-256 of its cookie's random
    value). Spent by one conditional UPDATE (`used_at IS NULL`): a state works once."""

    state_digest = models.CharField(primary_key=True, max_length=64)
    provider = models.CharField(max_length=32)
    browser_digest = models.CharField(max_length=64)
    nonce = models.CharField(max_length=64)
    code_verifier = models.CharField(max_length=128)
    purpose = models.CharField(max_length=16, choices=OidcPurpose.choices, default=OidcPurpose.LOGIN)
    # The account of a link or step-up flow; none for a login.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The session (`TokenFamily` id) a step-up flow is for: its proof works in that session only.
    # No foreign key: a row lives minutes, and an ended session's access tokens are refused
    # anyway, so ending sessions need not look for rows here.
    session_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="oidc_flow_created_idx")]

    def __str__(self) -> str:
        return f"OIDC flow with {self.provider} started {self.created_at:%Y-%m-%d %H:%M:%S}"


class OidcLoginCode(models.Model):
    """What a provider's callback proved, waiting for the frontend to exchange the one-time code
    it was handed (`POST /api/token/oidc/`): the identity and what the ID token said of it. Kept
    as the SHA-256 of the code; spent by one conditional UPDATE."""

    digest = models.CharField(primary_key=True, max_length=64)
    provider = models.CharField(max_length=32)
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    email = models.EmailField(blank=True)
    email_verified = models.BooleanField(default=False)
    # The ID token's amr/acr say the provider checked a second factor.
    provider_mfa = models.BooleanField(default=False)
    # The flow's: a code answers only the endpoint of its purpose, for its account and session.
    purpose = models.CharField(max_length=16, choices=OidcPurpose.choices, default=OidcPurpose.LOGIN)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    session_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="oidc_login_code_created_idx")]

    def __str__(self) -> str:
        return f"OIDC login code of {self.provider}:{self.subject}"


class OidcIdentity(models.Model):
    """An account at a provider (its issuer and `sub`) that logs in to one account here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    provider = models.CharField(max_length=32)
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # What the provider said at the link, for the account page; never used to find the account.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_issuer_subject_uniq")
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="oidc_identity_user_idx")]

    def __str__(self) -> str:
        return f"OIDC identity {self.provider}:{self.subject} of user {self.user_id}"
