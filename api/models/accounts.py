"""The account: `User` and the look-alike keys that keep usernames apart."""

import unicodedata

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
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
