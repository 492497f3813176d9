"""The rules a new password must pass (`AUTH_PASSWORD_VALIDATORS`), as NIST SP 800-63B-4, 3.1.1.2
asks: length, not composition; no context words; not a common or breached password.

Django applies them wherever a password is set: registration, password change and reset
confirm here, and the admin's forms, `createsuperuser` and `changepassword`. Each looks at the
NFKC form of the password, the one that is hashed (`hashers.normalize_password`). A rule only
refuses: existing passwords are never checked again, so an account keeps its password until it
sets a new one. Each error carries a code of its own, listed in docs/api.md, "Errors".
"""

import re

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api.accounts import breached
from api.accounts.hashers import normalize_password
from api.core.fields import PASSWORD_MAX_LENGTH


def length_allowed(password: str) -> bool:
    """Whether the length rule lets this (normalised) password through."""
    return settings.PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH


class LengthValidator:
    """At least `PASSWORD_MIN_LENGTH` characters, at most `PASSWORD_MAX_LENGTH` (1024), and
    nothing else about which characters: spaces, emoji, any script, all digits or all letters.

    The maximum bounds the work of normalising and hashing one; no passphrase comes near it.
    Characters are Unicode code points of the NFKC form, as 63B-4 counts them.
    """

    def validate(self, password: str, user=None) -> None:
        length = len(normalize_password(password))
        minimum = settings.PASSWORD_MIN_LENGTH
        if length < minimum:
            raise ValidationError(
                ngettext(
                    "This password is too short. It must contain at least %(min_length)d character.",
                    "This password is too short. It must contain at least %(min_length)d characters.",
                    minimum,
                ),
                code="password_too_short",
                params={"min_length": minimum},
            )
        if length > PASSWORD_MAX_LENGTH:
            raise ValidationError(
                _("This password is too long. It must contain at most %(max_length)d characters."),
                code="password_too_long",
                params={"max_length": PASSWORD_MAX_LENGTH},
            )

    def get_help_text(self) -> str:
        return _("Your password must contain at least %(min_length)d characters; any characters will do.") % {
            "min_length": settings.PASSWORD_MIN_LENGTH
        }


def _folded(text: str) -> str:
    # Case folding can leave text that is not NFKC (and NFKC text that folds further).
    return normalize_password(normalize_password(text).casefold())


def context_words(user) -> list[str]:
    """The words a password of `user` may not contain: the site's (`PASSWORD_CONTEXT_WORDS`), the
    username and the part of the email before the @, each whole and split at punctuation
    (`jane.doe` also gives `jane`), of `PASSWORD_CONTEXT_WORD_MIN_LENGTH` characters or more."""
    minimum = settings.PASSWORD_CONTEXT_WORD_MIN_LENGTH
    own = []
    if user is not None:
        own = [getattr(user, "username", "") or "", (getattr(user, "email", "") or "").rpartition("@")[0]]
    words = [*settings.PASSWORD_CONTEXT_WORDS]
    for value in own:
        words += [value, *re.split(r"[\W_]+", value)]
    found = []
    for word in map(_folded, words):
        if len(word) >= minimum and word not in found:
            found.append(word)
    return found


class ContextWordValidator:
    """No password containing the site's name, the username or the email's local part, ignoring
    case and width: these are the first words a guesser who knows the account tries."""

    def validate(self, password: str, user=None) -> None:
        folded = _folded(password)
        for word in context_words(user):
            if word in folded:
                raise ValidationError(
                    _(
                        "This password contains “%(word)s”: a password may not contain the username, "
                        "the email address's name or the site's name."
                    ),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return _(
            "Your password can't contain your username, the name of your email address or the site's name."
        )


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check that a password is not close to the username, names or email, on the NFKC form."""

    def validate(self, password: str, user=None) -> None:
        super().validate(normalize_password(password), user)


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, on the NFKC form: checked locally, so it holds when
    the breached-password check cannot be made."""

    def validate(self, password: str, user=None) -> None:
        super().validate(normalize_password(password), user)


class BreachedPasswordValidator:
    """No password that the breached-password range API (`PWNED_PASSWORDS_URL`) has seen, unless
    `PWNED_PASSWORDS_CHECK` is off. When the API cannot be asked, the password is let through
    (`breached`; docs/security.md says why)."""

    def validate(self, password: str, user=None) -> None:
        if not settings.PWNED_PASSWORDS_CHECK:
            return
        password = normalize_password(password)
        if not length_allowed(password):
            return  # refused by the length rule: nothing to ask anyone about
        if breached.times_breached(password):
            raise ValidationError(
                _(
                    "This password has appeared in a data breach, so it is among the first that "
                    "attackers try; choose another."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be one that has appeared in a data breach.")
