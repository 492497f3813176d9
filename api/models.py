import unicodedata
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from api.core import skeletons

# Why a username cannot be had, by validation error code. The first is Django's own message
# for a taken username.
USERNAME_CLASH_MESSAGES = {
    "unique": _("A user with that username already exists."),
    "confusable": _("This username is too similar to an existing one."),
}


class User(AbstractUser):
    """The project's user; `token_version` invalidates every token issued before it changed."""

    # Every access and refresh token carries the version it was issued under; bumping it
    # (logout everywhere, password change) revokes all of them at once without a token list.
    token_version = models.PositiveIntegerField(default=0, editable=False)
    # Whether the account's current email address is known to reach its owner. True for
    # accounts made before verification was required and for those the admin makes; an
    # account registered while REQUIRE_EMAIL_VERIFICATION is on, or one whose email then
    # changes, starts False (docs/accounts.md).
    email_verified = models.BooleanField(default=True)
    # Whether logins need a TOTP or recovery code as well. The confirmed `TotpDevice` is what
    # decides; this copy, written in the same transaction, lets a login and `/me` know without
    # another query.
    mfa_enabled = models.BooleanField(default=False, editable=False)
    # An email change waiting for its link (docs/accounts.md): the new address replaces `email`
    # only when the link mailed to it is used; until then login, reset and notices use `email`.
    # A new change restarts the clock, and the link of an earlier one dies with it.
    pending_email = models.EmailField(blank=True, default="", editable=False)
    email_change_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The WebAuthn user handle of the account's passkeys (docs/security.md, "Passkeys"): random
    # rather than the id or name, as the spec asks, since authenticators show and keep it; made
    # with the first passkey's options and kept, so an authenticator replaces its own earlier
    # passkey for the account instead of adding another.
    passkey_user_handle = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" not in update_fields:
            super().save(*args, **kwargs)
            return
        adding = self._state.adding
        # The account and its username's keys are written together or not at all. Inside a
        # caller's transaction this adds no savepoint: a clash fails the caller's atomic block.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            UsernameKey.store(self, adding=adding)

    def clean(self) -> None:
        super().clean()  # NFKC-normalises the username, as create_user() does
        # Forms (the admin's) get a field error instead of the keys' IntegrityError. A name
        # whose keys the account already holds is its own, even one that clashes with an
        # earlier account's (migration 0002 kept such accounts).
        keys = set(skeletons.username_keys(self.username))
        if not self._state.adding and UsernameKey.held_for(self) == keys:
            return
        clash = User.username_clash(self.username, exclude_pk=self.pk)
        if clash is not None:
            raise ValidationError({"username": ValidationError(USERNAME_CLASH_MESSAGES[clash], code=clash)})

    @classmethod
    def username_clash(cls, username: str, *, exclude_pk: int | None = None) -> str | None:
        """Why `username` cannot be had: "unique", "confusable", or None if it can.

        "unique" if an account has it ignoring case and width, "confusable" if an account's
        name looks like it: the two names share a look-alike key (`UsernameKey`).
        """
        keys = set(skeletons.username_keys(username))
        same_name = cls._default_manager.filter(username=username)
        shared_key = cls._default_manager.filter(username_keys__key__in=keys)
        if exclude_pk is not None:
            same_name, shared_key = same_name.exclude(pk=exclude_pk), shared_key.exclude(pk=exclude_pk)
        # One query, each half answered from an index.
        names = list(
            same_name.values_list("username", flat=True).union(shared_key.values_list("username", flat=True))
        )
        if not names:
            return None
        folded = _case_and_width_folded(username)
        return "unique" if any(_case_and_width_folded(name) == folded for name in names) else "confusable"


class UsernameKey(models.Model):
    """One look-alike key of a username (`skeletons.username_keys`); no two accounts share one.

    Its primary key is what keeps a name that matches an existing one ignoring case, width or
    look-alike characters out of the database, however many registrations race; the check
    before the insert (`User.username_clash`) only gives the same answer earlier. A name's
    keys live in one column rather than one column each, because names clash when any key of
    one is any key of the other: `OLIVIA` is `olivia` in small letters, which is what `oIivia`
    (capital i) looks like written as it is.
    """

    # A SHA-256 hex digest; a row that migration 0002 found clashing with an earlier account
    # holds its keys with a `-<user id>` suffix, which no plain key can equal.
    key = models.CharField(primary_key=True, max_length=96)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="username_keys")

    def __str__(self) -> str:
        return f"Username key of user {self.user_id}"

    @classmethod
    def held_for(cls, user: User) -> set[str]:
        """The keys `user` holds, a suffixed one as its plain key."""
        return {key.split("-")[0] for key in cls.objects.filter(user=user).values_list("key", flat=True)}

    @classmethod
    def store(cls, user: User, *, adding: bool) -> None:
        """Give `user` the keys of its username, and drop those of a name it no longer has."""
        wanted = set(skeletons.username_keys(user.username))
        held = [] if adding else list(cls.objects.filter(user=user).values_list("key", flat=True))
        # A suffixed key stands for its plain one for as long as the name keeps that key.
        stale = [key for key in held if key.split("-")[0] not in wanted]
        if stale:
            cls.objects.filter(pk__in=stale).delete()
        missing = wanted - {key.split("-")[0] for key in held}
        cls.objects.bulk_create([cls(key=key, user=user) for key in missing])


def _case_and_width_folded(username: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


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


# User-Agent headers are cut to this length when a session records them.
USER_AGENT_MAX_LENGTH = 256


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


# --- Two-factor login (docs/mfa.md) ----------------------------------------------------------


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


# --- Passkeys (docs/security.md, "Passkeys") ---------------------------------------------------


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


# --- Limits counted across workers (api/core/counters.py) ---------------------------------------


class LimitCount(models.Model):
    """How much of one limit one key has used: failed credential checks per account, device or
    client IP, mail per recipient or account.

    In the database, not the cache: a place is taken with one conditional upsert
    (`api.core.counters`), so however many workers count at once, no more pass than the limit
    allows, and the count survives a cache outage.
    """

    # What is counted, e.g. "name:<digest>", "device:<id>", "ip:<address>", "mail-to:<digest>".
    key = models.CharField(primary_key=True, max_length=160)
    # The fixed window (Unix time // period) `count` is for; `previous` is the count of the window
    # before it, of which the share still inside the sliding period counts too.
    window_number = models.BigIntegerField()
    count = models.PositiveIntegerField()
    previous = models.PositiveIntegerField()
    # When the row can no longer affect a limit (the end of the window after its own).
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.count} counted for {self.key}"


# --- DPoP (api/dpop/replay.py) ---------------------------------------------------------------


class DpopProofUse(models.Model):
    """A DPoP proof already used, kept until its `iat` falls out of `DPOP_PROOF_MAX_AGE`: the
    record every worker shares when no Redis is configured. A second insert of the same key
    fails, so a proof holds once however many workers see it."""

    # SHA-256 (hex) of the proof key's thumbprint and the proof's `jti`.
    key = models.CharField(primary_key=True, max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"DPoP proof {self.key[:12]}"


# --- Mail (api/core/outbox.py) ----------------------------------------------------------------


class OutboxMessage(models.Model):
    """A message to send, stored in the transaction that decided to send it, so an answer that
    says mail is on its way is never a promise only a process held; the sender delivers it with
    retries, and the clean-up deletes it `OUTBOX_RETENTION` after it was sent or given up on."""

    kind = models.CharField(max_length=32)
    # Not a foreign key: the notice of an account's deletion outlives the account.
    user_id = models.BigIntegerField(null=True, blank=True)
    to = models.EmailField()
    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    # A sender holds the message until then; one that died holding it lets it go when it passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # The error's type and SMTP code only: never the message, its link or token.
    last_error = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="outbox_due_idx",
            ),
            models.Index(fields=["created_at"], name="outbox_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} mail to user {self.user_id}"


# --- Security log (api/core/security_log.py) ----------------------------------------------------


class SecurityEvent(models.Model):
    """Something that happened to an account's security: a login, a failed or locked-out one, a
    change of password, address or second factor, a session ended. The owner lists their own
    (`GET /api/user/security-events/`); rows older than `SECURITY_EVENT_RETENTION` are deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events"
    )
    kind = models.CharField(max_length=40)
    # Where it happened ("login", "admin", "reauthenticate"...), or what it concerned.
    detail = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=USER_AGENT_MAX_LENGTH, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="securityevent_user_newest_idx"),
            models.Index(fields=["created_at"], name="securityevent_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of user {self.user_id}"
