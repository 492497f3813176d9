"""Writes to login sessions (token families) and the tokens they issue.

Token rules (docs/security.md, "Security model"):
- a login starts a session (`TokenFamily`); each refresh spends the presented refresh token and
  issues its successor. The session row is the one record of which token may be used: it holds
  the current and the previous token's `jti`, and no token is stored;
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
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.utils import datetime_from_epoch, datetime_to_epoch

from api.core import metrics
from api.models import USER_AGENT_MAX_LENGTH, TokenFamily, User
from api.sessions import binding
from api.sessions.authentication import token_user, user_may_use_token
from api.sessions.selectors import sessions_ended, sessions_ended_batch
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
    # The thumbprint of the DPoP key the tokens are bound to; empty for Bearer tokens.
    dpop_jkt: str = ""


class _Use(enum.Enum):
    """How a presented refresh token stands to its session: current, just rotated, or spent."""

    CURRENT = "current"
    GRACE = "grace"
    REUSE = "reuse"


# --- Sessions -------------------------------------------------------------------------------


def login_permitted(*, user: User) -> None:
    """Raise the answer if `user`, whose credential (password or passkey) was right, may not log
    in yet: with REQUIRE_EMAIL_VERIFICATION, an unverified address (docs/accounts.md)."""
    if settings.REQUIRE_EMAIL_VERIFICATION and not user.email_verified:
        raise PermissionDenied(
            _("Verify your email address before logging in: follow the link we sent, or ask again."),
            code="email_not_verified",
        )


def session_start(
    *, user: User, user_agent: str = "", ip: str | None = None, dpop_jkt: str | None = None
) -> TokenPair:
    """Log `user` in: a new session with its first refresh token, labelled with the client; with
    `dpop_jkt` (the thumbprint of the client's DPoP key), its tokens bound to that key."""
    now = timezone.now()
    family = TokenFamily(
        user=user,
        dpop_jkt=dpop_jkt or "",
        created_at=now,
        last_used_at=now,
        expires_at=now + timedelta(seconds=settings.JWT_SESSION_MAX_AGE),
        user_agent=user_agent[:USER_AGENT_MAX_LENGTH],
        ip=ip,
    )
    refresh = _refresh_token(user=user, family=family, issued_at=now)
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
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh), dpop_jkt=family.dpop_jkt)


def session_refresh(*, raw_refresh: str, dpop_jkt: str | None = None) -> TokenPair:
    """Exchange a refresh token for a new access token (and, with rotation, its successor).

    A session bound to a DPoP key refreshes only with `dpop_jkt`, the thumbprint of the key
    that signed the request's proof, equal to its own."""
    token = RefreshToken(raw_refresh)
    jti = token[jwt_setting("JTI_CLAIM")]
    rotate = jwt_setting("ROTATE_REFRESH_TOKENS")
    with transaction.atomic():
        # The row lock serialises concurrent refreshes of one session, so exactly one of
        # several parallel requests rotates and the others see the grace case.
        family = _live_family(token, for_update=True)
        binding.check_session_key(session_jkt=family.dpop_jkt, proof_jkt=dpop_jkt)
        use = _classify_use(family, jti)
        if use is _Use.CURRENT and rotate:
            now = timezone.now()
            successor = _refresh_token(user=family.user, family=family, issued_at=now)
            TokenFamily.objects.filter(pk=family.pk).update(
                previous_jti=jti,
                current_jti=successor[jwt_setting("JTI_CLAIM")],
                rotated_at=now,
                last_used_at=now,
            )
            metrics.TOKEN_REFRESHES.inc()
            return TokenPair(
                access=str(successor.access_token), refresh=str(successor), dpop_jkt=family.dpop_jkt
            )
        if use is _Use.CURRENT:
            TokenFamily.objects.filter(pk=family.pk).update(last_used_at=timezone.now())
            metrics.TOKEN_REFRESHES.inc()
            return TokenPair(access=str(token.access_token), refresh=None, dpop_jkt=family.dpop_jkt)
        if use is _Use.GRACE:
            # Every request inside the grace gets the same successor, so whichever answer the
            # client keeps, it holds the session's one current refresh token. It is issued
            # again from the session row (same jti, issue time and claims) rather than stored.
            successor = _refresh_token(
                user=family.user, family=family, issued_at=family.rotated_at, jti=family.current_jti
            )
            metrics.TOKEN_REFRESHES.inc()
            return TokenPair(
                access=str(successor.access_token), refresh=str(successor), dpop_jkt=family.dpop_jkt
            )
    # Reuse of a spent token: the session may be stolen. Revoke it in its own transaction, so
    # that raising the error does not roll the revocation back.
    metrics.REFRESH_REUSES.inc()
    revoke_sessions(TokenFamily.objects.filter(pk=family.pk))
    raise TokenError(_("Token has already been used; its session has been revoked"))


def session_end(*, raw_refresh: str, dpop_jkt: str | None = None) -> None:
    """Log out one session: every refresh token of the login that issued `raw_refresh`.

    A session bound to a DPoP key ends only with a proof by that key, as it refreshes: else a
    copied refresh token, useless for going on, would still log its user out."""
    token = RefreshToken(raw_refresh)
    families = TokenFamily.objects.filter(pk=_family_id(token))
    session_jkt = families.values_list("dpop_jkt", flat=True).first()
    binding.check_session_key(session_jkt=session_jkt or "", proof_jkt=dpop_jkt)
    revoke_sessions(families)


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
        token_user(token)
    else:
        raise TokenError(_("Token has wrong type"))


# Sessions deleted per statement by the clean-up: each batch is its own short transaction.
FLUSH_BATCH_SIZE = 1000


def tokens_flush_expired(*, now: datetime | None = None, batch_size: int = FLUSH_BATCH_SIZE) -> int:
    """Delete sessions that no token can use any more, a batch at a time; returns how many.

    Safe beside a serving API: an ended session never becomes live again, each batch holds its
    row locks only for its own short DELETE, and a run that stops half-way is finished by the
    next one.
    """
    now = now or timezone.now()
    deleted = 0
    while batch := sessions_ended_batch(now, size=batch_size):
        # Checked again in the DELETE itself: only what is still ended goes.
        count, _ = TokenFamily.objects.filter(sessions_ended(now), pk__in=batch).delete()
        deleted += count
        if len(batch) < batch_size or not count:
            break
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


def _refresh_token(
    *, user: User, family: TokenFamily, issued_at: datetime, jti: str | None = None
) -> RefreshToken:
    """The session's refresh token issued at `issued_at`; with `jti`, one issued before, again."""
    token = RefreshToken()
    if jti is not None:
        token[jwt_setting("JTI_CLAIM")] = jti
    # The token's times come from the session row, so the same token can be issued again; the
    # access token derived from it still counts from now.
    token.set_iat(at_time=issued_at)
    token.set_exp(from_time=issued_at)
    # Always the primary key: authentication looks the user up by it (`token_user`).
    token[jwt_setting("USER_ID_CLAIM")] = str(user.pk)
    token[VERSION_CLAIM] = user.token_version
    token[FAMILY_CLAIM] = str(family.pk)
    if family.dpop_jkt:
        # Copied into every access token derived from it (RFC 9449 section 6.1).
        token[binding.CONFIRMATION_CLAIM] = {"jkt": family.dpop_jkt}
    # Rotation never extends a session past its absolute end.
    if datetime_from_epoch(token["exp"]) > family.expires_at:
        token["exp"] = datetime_to_epoch(family.expires_at)
    return token


def revoke_sessions(families: QuerySet[TokenFamily]) -> None:
    """End these sessions: none of their refresh tokens, nor access tokens derived, works again."""
    metrics.SESSIONS_ENDED.inc(families.filter(revoked_at__isnull=True).update(revoked_at=timezone.now()))


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
