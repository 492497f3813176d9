"""Writes with side effects beyond one model: sessions (token families), passwords, accounts.

Token rules (README, "Security model"):
- a login starts a session (`TokenFamily`); each refresh spends the presented refresh token and
  issues its successor, recording both in SimpleJWT's outstanding/blacklist tables;
- a spent token presented again revokes the whole session, except the immediately previous
  token within `JWT_REFRESH_REUSE_GRACE` seconds of its rotation, which gets the same successor;
- no refresh token outlives `JWT_SESSION_MAX_AGE` from the login;
- bumping `User.token_version` revokes every access and refresh token issued before.
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch, datetime_to_epoch

from api.models import USERNAME_CLASH_MESSAGES, Note, TokenFamily, User
from api.selectors import user_by_id
from api.tokens import FAMILY_CLAIM, VERSION_CLAIM, AccessToken, RefreshToken, UntypedToken, jwt_setting


@dataclass(frozen=True)
class TokenPair:
    access: str
    # None when rotation is off: the client keeps using the refresh token it has.
    refresh: str | None


class _Use(enum.Enum):
    CURRENT = "current"
    GRACE = "grace"
    REUSE = "reuse"


# --- Sessions -------------------------------------------------------------------------------


def session_start(*, user: User) -> TokenPair:
    """Log `user` in: a new session with its first refresh token."""
    now = timezone.now()
    family = TokenFamily(
        user=user,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.JWT_SESSION_MAX_AGE),
    )
    refresh = _new_refresh_token(user=user, family=family)
    family.current_jti = refresh[jwt_setting("JTI_CLAIM")]
    with transaction.atomic():
        # Writing the user row first locks it, so an account deleted at the same moment is
        # either deleted after this session (which goes with it) or before: then no row is
        # updated and the login fails as for any unknown account, instead of inserting a
        # session that points at nobody.
        if not _lock_account(user, last_login=now if jwt_setting("UPDATE_LAST_LOGIN") else None):
            raise AuthenticationFailed(
                _("No active account found with the given credentials"), code="no_active_account"
            )
        family.save(force_insert=True)
        _record_outstanding(refresh, user=user)
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def session_refresh(*, raw_refresh: str) -> TokenPair:
    """Exchange a refresh token for a new access token (and, with rotation, its successor)."""
    token = RefreshToken(raw_refresh)
    jti = token[jwt_setting("JTI_CLAIM")]
    rotate = jwt_setting("ROTATE_REFRESH_TOKENS")
    with transaction.atomic():
        # The row lock serialises concurrent refreshes of one session, so exactly one of
        # several parallel requests rotates and the others see the grace case.
        family = _live_family(token, for_update=True)
        use = _classify_use(family, jti)
        if use is _Use.CURRENT and rotate:
            successor = _new_refresh_token(user=family.user, family=family)
            _record_outstanding(successor, user=family.user)
            _blacklist_jtis([jti])
            TokenFamily.objects.filter(pk=family.pk).update(
                previous_jti=jti,
                current_jti=successor[jwt_setting("JTI_CLAIM")],
                rotated_at=timezone.now(),
            )
            return TokenPair(access=str(successor.access_token), refresh=str(successor))
        if use is _Use.CURRENT:
            return TokenPair(access=str(token.access_token), refresh=None)
        if use is _Use.GRACE:
            # Every request inside the grace gets the same successor, so whichever answer the
            # client keeps, it holds the session's one current refresh token.
            current = OutstandingToken.objects.get(jti=family.current_jti).token
            successor = RefreshToken(current, verify=False)
            return TokenPair(access=str(successor.access_token), refresh=current)
    # Reuse of a spent token: the session may be stolen. Revoke it in its own transaction, so
    # that raising the error does not roll the revocation back.
    _revoke_families(TokenFamily.objects.filter(pk=family.pk))
    raise TokenError(_("Token has already been used; its session has been revoked"))


def session_end(*, raw_refresh: str) -> None:
    """Log out one session: every refresh token of the login that issued `raw_refresh`."""
    token = RefreshToken(raw_refresh)
    _revoke_families(TokenFamily.objects.filter(pk=_family_id(token)))


def sessions_end_all(*, user: User) -> None:
    """Log `user` out everywhere: every session and every access token issued so far."""
    with transaction.atomic():
        bumped = User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
        if not bumped:
            # Deleted meanwhile: its tokens died with it.
            raise InvalidToken(_("User not found"))
        user.refresh_from_db(fields=["token_version"])
        _revoke_families(TokenFamily.objects.filter(user=user))


def token_verify(*, raw_token: str) -> None:
    """Raise `TokenError` unless the token would be accepted now (signature, expiry, revocation)."""
    token = UntypedToken(raw_token)
    token_type = token.get(jwt_setting("TOKEN_TYPE_CLAIM"))
    if token_type == RefreshToken.token_type:
        family = _live_family(token, for_update=False)
        if _classify_use(family, token[jwt_setting("JTI_CLAIM")]) is _Use.REUSE:
            raise TokenError(_("Token has already been used"))
    elif token_type == AccessToken.token_type:
        user_may_use_token(token, user=token_user(token))
    else:
        raise TokenError(_("Token has wrong type"))


def user_may_use_token(token, *, user: User | None) -> None:
    """Raise `TokenError` if the token's user is gone, inactive or has revoked the token."""
    if user is None:
        raise TokenError(_("User not found"))
    if not user.is_active:
        raise TokenError(_("User is inactive"))
    if token.get(VERSION_CLAIM) != user.token_version:
        raise TokenError(_("Token has been revoked"))


def token_user(token) -> User | None:
    """The user a validated token names, or None if there is no such user."""
    return user_by_id(token.get(jwt_setting("USER_ID_CLAIM")))


# --- Accounts -------------------------------------------------------------------------------


def user_register(*, username: str, password: str, email: str = "") -> User:
    """Create a user; the caller has validated the input (`User.username_clash` among it).

    A registration of the same or a look-alike name that commits between that check and this
    insert makes the insert violate a unique constraint: the answer is then the check's own.
    """
    # What create_user() does, with the password hashed (tens of milliseconds) before the
    # transaction: on SQLite a transaction holds the database's write lock from its start.
    user = User(username=User.normalize_username(username), email=User.objects.normalize_email(email))
    user.set_password(password)
    try:
        # A savepoint when called inside a transaction: on PostgreSQL the failed INSERT would
        # otherwise leave that transaction unusable for the query below.
        with transaction.atomic():
            user.save(force_insert=True)
        return user
    except IntegrityError:
        # Only a username collision is answered as one: the same check, now that the other
        # account is committed, must find it. Anything else stays the error it is.
        clash = User.username_clash(username)
        if clash is None:
            raise
        raise ValidationError({"username": [USERNAME_CLASH_MESSAGES[clash]]}, code=clash) from None


def password_change(*, user: User, new_password: str) -> TokenPair:
    """Set a new password, revoke every earlier token, and log the caller in again."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        sessions_end_all(user=user)
        return session_start(user=user)


def user_update(*, user: User, changes: dict[str, object]) -> User:
    """Change the given fields of the account; one deleted meanwhile is a 404, never re-created."""
    for name, value in changes.items():
        setattr(user, name, value)
    # Only the changed columns, and never an INSERT: a plain save() of a row deleted since it
    # was read would write the whole account back.
    user.save(update_fields=list(changes))
    return user


# A note created at the same moment can slip in after the deletion has collected the
# account's rows; the database then refuses the deletion, which is simply tried again.
USER_DELETE_ATTEMPTS = 5


def user_delete(*, user: User) -> None:
    """Delete the account, its notes and its sessions; its tokens stop working at once."""
    user_id = user.pk
    for attempt in range(1, USER_DELETE_ATTEMPTS + 1):
        # A deletion whose commit failed has already cleared the instance's pk.
        user.pk = user_id
        try:
            with transaction.atomic():
                if not _lock_account(user):
                    return  # already deleted by a request that raced this one
                _revoke_families(TokenFamily.objects.filter(user=user))
                Note.objects.filter(author=user).delete()
                user.delete()
            return
        except IntegrityError:
            if attempt == USER_DELETE_ATTEMPTS:
                raise


# --- Notes ----------------------------------------------------------------------------------


def note_create(*, author: User, **fields: object) -> Note:
    """Create a note; if its author's account was deleted a moment ago, a 401 as for any request."""
    try:
        return Note.objects.create(author=author, **fields)
    except IntegrityError as exc:
        # The only constraint a note has that the serializer cannot check is its author's
        # foreign key: the account is gone, exactly what authentication would now say.
        raise InvalidToken(_("User not found")) from exc


def note_update(*, note: Note, changes: dict[str, object]) -> Note:
    """Change the given fields of a note; one deleted meanwhile is a 404, never re-created."""
    for name, value in changes.items():
        setattr(note, name, value)
    # Only the changed columns (two PATCHes of different fields both stick), and never an
    # INSERT: Django raises instead when no row was updated (answered as a 404).
    note.save(update_fields=[*changes, "updated_at"])
    return note


def tokens_flush_expired(*, now: datetime | None = None) -> int:
    """Delete sessions that no token can use any more; returns how many."""
    now = now or timezone.now()
    idle_cutoff = now - jwt_setting("REFRESH_TOKEN_LIFETIME")
    deleted, _ = TokenFamily.objects.filter(
        Q(expires_at__lte=now)
        | Q(revoked_at__isnull=False)
        | Q(rotated_at__lte=idle_cutoff)
        | Q(rotated_at__isnull=True, created_at__lte=idle_cutoff)
    ).delete()
    return deleted


# --- Helpers --------------------------------------------------------------------------------


def _lock_account(user: User, *, last_login: datetime | None = None) -> bool:
    """Lock the user's row for this transaction (recording a login); False if the user is gone.

    Every write that spans the account's rows takes this lock first, so such writes queue
    behind one another instead of deadlocking, and none recreates rows of a deleted account.
    """
    accounts = User.objects.filter(pk=user.pk)
    if last_login is None:
        return accounts.select_for_update(no_key=True).values_list("pk", flat=True).first() is not None
    if not accounts.update(last_login=last_login):
        return False
    user.last_login = last_login
    return True


def _new_refresh_token(*, user: User, family: TokenFamily) -> RefreshToken:
    token = RefreshToken()
    token[jwt_setting("USER_ID_CLAIM")] = str(getattr(user, jwt_setting("USER_ID_FIELD")))
    token[VERSION_CLAIM] = user.token_version
    token[FAMILY_CLAIM] = str(family.pk)
    # Rotation never extends a session past its absolute end.
    if datetime_from_epoch(token["exp"]) > family.expires_at:
        token["exp"] = datetime_to_epoch(family.expires_at)
    return token


def _record_outstanding(token: RefreshToken, *, user: User) -> None:
    OutstandingToken.objects.create(
        user=user,
        jti=token[jwt_setting("JTI_CLAIM")],
        token=str(token),
        created_at=token.current_time,
        expires_at=datetime_from_epoch(token["exp"]),
    )


def _blacklist_jtis(jtis: list[str]) -> None:
    outstanding = OutstandingToken.objects.filter(jti__in=jtis, blacklistedtoken__isnull=True)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token_id=pk) for pk in outstanding.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def _revoke_families(families: QuerySet[TokenFamily]) -> None:
    with transaction.atomic():
        live = families.filter(revoked_at__isnull=True)
        # Earlier tokens of a session were blacklisted when spent; only the current one is left.
        # The rows are locked before anything is written, as a refresh does, so a refresh of
        # the same session running now finishes first (and its successor is the one read
        # here) instead of each waiting for the other's blacklist row.
        current = list(live.select_for_update(of=("self",)).values_list("current_jti", flat=True))
        _blacklist_jtis(current)
        live.update(revoked_at=timezone.now())


def _family_id(token) -> uuid.UUID:
    try:
        return uuid.UUID(str(token[FAMILY_CLAIM]))
    except (KeyError, ValueError) as exc:
        raise TokenError(_("Token belongs to no session")) from exc


def _live_family(token, *, for_update: bool) -> TokenFamily:
    """The token's session, if it is neither revoked nor past its absolute lifetime."""
    families = TokenFamily.objects.select_related("user")
    if for_update:
        families = families.select_for_update(of=("self",))
    family = families.filter(pk=_family_id(token)).first()
    if family is None or family.revoked_at is not None:
        raise TokenError(_("Session has ended"))
    if family.expires_at <= timezone.now():
        raise TokenError(_("Session has expired"))
    if str(family.user_id) != str(token.get(jwt_setting("USER_ID_CLAIM"))):
        raise TokenError(_("Token is invalid"))
    user_may_use_token(token, user=family.user)
    return family


def _classify_use(family: TokenFamily, jti: str) -> _Use:
    if jti == family.current_jti:
        return _Use.CURRENT
    grace = timedelta(seconds=settings.JWT_REFRESH_REUSE_GRACE)
    if jti == family.previous_jti and family.rotated_at and timezone.now() - family.rotated_at <= grace:
        return _Use.GRACE
    return _Use.REUSE
