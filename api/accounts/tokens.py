"""The one-time tokens of emailed links, and the user id that travels beside them.

Both generators are Django's `PasswordResetTokenGenerator`: an HMAC of the account's state and
a timestamp, keyed by `SECRET_KEY` (with `SECRET_KEY_FALLBACKS`), so nothing is stored. A token
dies as soon as the state it hashes changes, and after its timeout.
"""

import enum

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

from api.models import User

# Longer than any uid or token this module makes, short enough that nothing sent costs work.
UID_MAX_LENGTH = 32
TOKEN_MAX_LENGTH = 64
# The largest primary key a BigAutoField holds: a larger number would be a database error.
_MAX_PK = 2**63 - 1


class TokenState(enum.Enum):
    """What checking a token found."""

    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


class _Generator(PasswordResetTokenGenerator):
    """Django's generator, telling an expired token from a wrong one, with its own timeout."""

    def timeout(self) -> int:
        return settings.PASSWORD_RESET_TIMEOUT

    def check(self, user: User | None, token: str) -> TokenState:
        # Django's check_token, split so that an authentic but old token can say so: the
        # frontend then offers a new link rather than "this link is wrong". Only a token whose
        # HMAC matches can be called expired, so this tells a guesser nothing.
        if user is None or not isinstance(token, str) or len(token) > TOKEN_MAX_LENGTH:
            return TokenState.INVALID
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return TokenState.INVALID
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return TokenState.INVALID
        if self._num_seconds(self._now()) - timestamp > self.timeout():
            return TokenState.EXPIRED
        return TokenState.VALID

    def check_token(self, user, token) -> bool:
        return self.check(user, token) is TokenState.VALID


class PasswordResetTokens(_Generator):
    """Reset tokens: Django's hash (password, last login, email), under a salt of this project's.

    A reset changes the password hash, so a token works once; a login meanwhile also ends it.
    """

    key_salt = "api.accounts.tokens.PasswordResetTokens"


class EmailVerificationTokens(_Generator):
    """Verification tokens: for the account's pending new address if it has one, else for its
    address; dead once used, or when the address or the pending change changes (a change to X,
    to B, and back to X is a new change, with a link of its own)."""

    key_salt = "api.accounts.tokens.EmailVerificationTokens"

    def timeout(self) -> int:
        return settings.EMAIL_VERIFY_TIMEOUT

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        # The address itself, not a normalised form: a link sent to one spelling verifies that
        # spelling only. The separators keep ("1", "2x") and ("12", "x") apart.
        value = f"{user.pk}|{user.email}|{int(user.email_verified)}|{timestamp}"
        if user.pending_email:
            started = user.email_change_started_at.timestamp() if user.email_change_started_at else ""
            value = f"{value}|{user.pending_email}|{started}"
        return value


password_reset_tokens = PasswordResetTokens()
email_verification_tokens = EmailVerificationTokens()


def uid_for(user: User) -> str:
    """The user's id as it travels in a link (Django's own encoding, as its reset views use)."""
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_for_uid(uid: object) -> User | None:
    """The active user a link's uid names, or None for anything else, whatever its shape."""
    if not isinstance(uid, str) or not uid or len(uid) > UID_MAX_LENGTH:
        return None
    try:
        decoded = urlsafe_base64_decode(uid).decode("ascii")
    except (ValueError, UnicodeError):
        return None
    # isdigit() alone would let other scripts' digits through, which int() reads.
    if not (decoded.isascii() and decoded.isdigit()) or not 0 < int(decoded) <= _MAX_PK:
        return None
    return User.objects.filter(pk=int(decoded), is_active=True).first()
