"""Writes to login sessions (token families) and the tokens they issue.

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
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.utils import datetime_from_epoch, datetime_to_epoch

from api.models import TokenFamily, User
from api.sessions.selectors import user_by_id
from api.sessions.tokens import (
    FAMILY_CLAIM,
    VERSION_CLAIM,
    AccessToken,
    RefreshToken,
    UntypedToken,
    jwt_setting,
)


@dataclass(frozen=True)
class TokenPair:
    """An access token and, with rotation, the refresh token that replaces the one presented."""

    access: str
    # None when rotation is off: the client keeps using the refresh token it has.
    refresh: str | None


class _Use(enum.Enum):
    """How a presented refresh token stands to its session: current, just rotated, or spent."""

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
        if not lock_account(user, last_login=now if jwt_setting("UPDATE_LAST_LOGIN") else None):
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
    revoke_sessions(TokenFamily.objects.filter(pk=family.pk))
    raise TokenError(_("Token has already been used; its session has been revoked"))


def session_end(*, raw_refresh: str) -> None:
    """Log out one session: every refresh token of the login that issued `raw_refresh`."""
    token = RefreshToken(raw_refresh)
    revoke_sessions(TokenFamily.objects.filter(pk=_family_id(token)))


def sessions_end_all(*, user: User) -> None:
    """Log `user` out everywhere: every session and every access token issued so far."""
    with transaction.atomic():
        bumped = User.objects.filter(pk=user.pk).update(token_version=F("token_version") + 1)
        if not bumped:
            # Deleted meanwhile: its tokens died with it.
            raise InvalidToken(_("User not found"))
        user.refresh_from_db(fields=["token_version"])
        revoke_sessions(TokenFamily.objects.filter(user=user))


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


def lock_account(user: User, *, last_login: datetime | None = None) -> bool:
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


def revoke_sessions(families: QuerySet[TokenFamily]) -> None:
    """End these sessions: their current refresh tokens are blacklisted, the families marked revoked."""
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
