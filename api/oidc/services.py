"""Sign-in with an OpenID Connect provider: the authorization code flow with PKCE (S256), state
and nonce, bound to the browser that started it; the one-time code that hands its result to the
frontend; the identities (issuer and `sub`) that log in to accounts.

The flow (docs/accounts.md, "Sign in with OpenID Connect"):
1. `flow_start`: a row holds the state (as its hash), nonce and PKCE verifier, and the SHA-256 of
   a random value that only the starting browser holds, in an HttpOnly cookie;
2. `flow_finish`, at the provider's redirect back: the state names a live, unspent flow of this
   provider and the browser holds its cookie; the flow is spent (one conditional UPDATE); the
   code is exchanged with the verifier and the client secret; the ID token is checked
   (`id_tokens`); its identity is kept under the hash of a one-time code, for the frontend;
3. `login_code_spend`, at `POST /api/token/oidc/`: the code works once, within LOGIN_CODE_MAX_AGE;
   `login_user` then finds the account (never by email alone).

A flow has a purpose (`OidcPurpose`): a login, a link (`identity_link`), or step-up
(`reauth_start`, `reauth_code_spend`): the signed-in owner signs in at the provider again
(`max_age=0`, `prompt=login`), as one of the provider accounts they linked, after the flow
started (`auth_time`); its code is a proof for `POST /api/user/reauthenticate/` in the session
that started it. A code answers only the endpoint of its flow's purpose.
"""

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from api.models import OidcFlow, OidcIdentity, OidcLoginCode, OidcPurpose, User
from api.oidc import errors
from api.oidc.id_tokens import provider_checked_mfa, signed_in_since, verified_claims
from api.oidc.providers import Provider, metadata, request_json
from api.sessions import credentials
from api.sessions.login_methods import keep_a_way_in

# Seconds between the callback's redirect and the frontend's POST of the code: a page load.
LOGIN_CODE_MAX_AGE = 120


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def flow_start(
    *,
    provider: Provider,
    redirect_uri: str,
    purpose: str = OidcPurpose.LOGIN,
    user: User | None = None,
    session_id: str | None = None,
) -> tuple[str, str]:
    """Start a sign-in (a link or step-up: of `user`, step-up in the session `session_id`): the
    provider's authorization URL, and the random value for the starting browser's cookie."""
    authorization_endpoint = metadata(provider)["authorization_endpoint"]
    state, nonce, browser = (secrets.token_urlsafe(32) for _ in range(3))
    verifier = secrets.token_urlsafe(64)
    OidcFlow.objects.create(
        state_digest=digest(state),
        provider=provider.name,
        browser_digest=digest(browser),
        nonce=nonce,
        code_verifier=verifier,
        purpose=purpose,
        user=user,
        session_id=session_id,
        created_at=timezone.now(),
    )
    # Step-up asks the provider to check the credentials now, not to reuse its own session
    # (OpenID Connect Core 1.0, section 3.1.2.1): `max_age=0` makes `auth_time` required too.
    fresh = {"max_age": 0, "prompt": "login"} if purpose == OidcPurpose.REAUTHENTICATE else {}
    # At first use, as in `id_tokens`: no provider, no Authlib in memory.
    from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
    from authlib.oauth2.rfc7636 import create_s256_code_challenge

    url = prepare_grant_uri(
        authorization_endpoint,
        provider.client_id,
        "code",
        redirect_uri=redirect_uri,
        scope=" ".join(provider.scopes),
        state=state,
        nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
        **fresh,
    )
    return url, browser


def _spent_flow(*, provider: Provider, state: object, browser: str | None) -> OidcFlow:
    """The flow `state` names, spent now, if this browser started it and it is still good."""
    if not isinstance(state, str) or not state:
        raise errors.StateInvalid()
    flow = OidcFlow.objects.filter(pk=digest(state), provider=provider.name).first()
    if flow is None:
        raise errors.StateInvalid()
    if flow.used_at is not None:
        raise errors.StateUsed()
    # Checked before the flow is spent: another browser's request cannot burn the owner's flow.
    if not browser or not hmac.compare_digest(digest(browser), flow.browser_digest):
        raise errors.BrowserMismatch()
    now = timezone.now()
    if flow.created_at < now - timedelta(seconds=settings.OIDC_FLOW_MAX_AGE):
        raise errors.StateExpired()
    if not OidcFlow.objects.filter(pk=flow.pk, used_at__isnull=True).update(used_at=now):
        raise errors.StateUsed()
    return flow


def _client_auth(provider: Provider) -> str:
    # RFC 6749 section 2.3.1: each part form-encoded before the Basic encoding.
    pair = f"{quote(provider.client_id, safe='')}:{quote(provider.client_secret, safe='')}"
    return "Basic " + base64.b64encode(pair.encode()).decode()


def flow_finish(*, request, provider: Provider, redirect_uri: str, params: dict, browser: str | None) -> str:
    """Finish the flow the provider's redirect back names: the frontend's callback URL with a
    one-time code (`?code=`, and `&flow=link` or `&flow=reauthenticate` but for a login), never
    a token."""
    flow = _spent_flow(provider=provider, state=params.get("state"), browser=browser)
    code = params.get("code")
    if params.get("error") or not isinstance(code, str) or not code:
        raise errors.ProviderRefused(provider_error=params.get("error"))
    status, answer = request_json(
        metadata(provider)["token_endpoint"],
        form={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": flow.code_verifier,
        },
        auth=_client_auth(provider),
    )
    if status != 200 or not isinstance(answer.get("id_token"), str):
        raise errors.ProviderRefused()
    claims = verified_claims(provider=provider, raw=answer["id_token"], nonce=flow.nonce)
    if flow.purpose == OidcPurpose.REAUTHENTICATE:
        _reauth_check(request=request, flow=flow, provider=provider, claims=claims)
    one_time = secrets.token_urlsafe(32)
    OidcLoginCode.objects.create(
        digest=digest(one_time),
        provider=provider.name,
        # The token's: a multi-tenant provider's tenants each have an issuer of their own.
        issuer=claims["iss"],
        subject=claims["sub"],
        email=_email_of(claims),
        email_verified=claims.get("email_verified") is True,
        provider_mfa=provider_checked_mfa(claims),
        purpose=flow.purpose,
        user=flow.user,
        session_id=flow.session_id,
        created_at=timezone.now(),
    )
    return frontend_url(
        {"code": one_time, **({"flow": flow.purpose} if flow.purpose != OidcPurpose.LOGIN else {})}
    )


def frontend_url(query: dict) -> str:
    """OIDC_FRONTEND_CALLBACK_URL with `query` added to its own."""
    separator = "&" if "?" in settings.OIDC_FRONTEND_CALLBACK_URL else "?"
    return f"{settings.OIDC_FRONTEND_CALLBACK_URL}{separator}{urlencode(query)}"


def _email_of(claims: dict) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or len(email) > 254:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return User.objects.normalize_email(email)


def login_code_spend(*, code: str, purpose: str) -> OidcLoginCode:
    """Spend the one-time code of a login or a link (`purpose`): one conditional UPDATE, so of
    two requests with it exactly one gets it; `LoginCodeInvalid` for the other, and for a code
    of another purpose."""
    login = _unspent_code(code, purpose=purpose)
    if login is None or not _spent(login):
        raise errors.LoginCodeInvalid()
    return login


def _unspent_code(code: str, **match) -> OidcLoginCode | None:
    """The one-time code `code` if it is unspent, unexpired and matches `match`. A read only:
    a refused code writes nothing."""
    return OidcLoginCode.objects.filter(
        pk=digest(code),
        used_at__isnull=True,
        created_at__gte=timezone.now() - timedelta(seconds=LOGIN_CODE_MAX_AGE),
        **match,
    ).first()


def _spent(code: OidcLoginCode) -> bool:
    """Whether this request spent `code`: one conditional UPDATE, so of two requests with it
    exactly one does."""
    return bool(OidcLoginCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=timezone.now()))


def login_user(*, login: OidcLoginCode) -> User:
    """The account the identity logs in to. An identity no account has: a new account with
    OIDC_SIGNUP, unless an account has its verified email (then `LinkRequired`: the owner must
    log in and link it); else `SignupClosed`. Never linked by email alone."""
    identity = (
        OidcIdentity.objects.select_related("user").filter(issuer=login.issuer, subject=login.subject).first()
    )
    if identity is not None:
        OidcIdentity.objects.filter(pk=identity.pk).update(last_used_at=timezone.now())
        return identity.user
    email = login.email if login.email_verified else ""
    if email and User.objects.filter(email__iexact=email).exists():
        raise errors.LinkRequired()
    if not settings.OIDC_SIGNUP:
        raise errors.SignupClosed()
    return _signup(login=login, email=email)


def _signup(*, login: OidcLoginCode, email: str) -> User:
    """A new account for the identity: a generated username, no usable password, the email
    only if the provider verified it."""
    user = User(username=f"{login.provider}-{secrets.token_hex(6)}", email=email, email_verified=bool(email))
    user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save(force_insert=True)
            identity_add(user=user, login=login)
    except IntegrityError:
        # The same identity signed up at the same moment: log in to that account.
        identity = OidcIdentity.objects.select_related("user").filter(
            issuer=login.issuer, subject=login.subject
        )
        if not identity:
            raise
        return identity[0].user
    return user


def identity_link(*, user: User, login: OidcLoginCode) -> OidcIdentity:
    """Link the identity of a link flow's code to `user`, who started it (else
    `LoginCodeInvalid`); `IdentityTaken` if it logs in to another account. Linking it again to
    the same account answers the existing link."""
    if login.purpose != OidcPurpose.LINK or login.user_id != user.pk:
        raise errors.LoginCodeInvalid()
    existing = OidcIdentity.objects.filter(issuer=login.issuer, subject=login.subject).first()
    if existing is not None:
        if existing.user_id != user.pk:
            raise errors.IdentityTaken()
        return existing
    try:
        with transaction.atomic():
            return identity_add(user=user, login=login)
    except IntegrityError:
        # Linked at the same moment, by this account or another.
        raise errors.IdentityTaken() from None


def identity_unlink(*, user: User, identity_id: int) -> OidcIdentity:
    """Unlink one of `user`'s identities, unless it is the account's last way to log in
    (`api.sessions.login_methods`); `NotFound` if it is not theirs."""
    with transaction.atomic():
        identity = OidcIdentity.objects.filter(pk=identity_id, user=user).first()
        if identity is None:
            raise NotFound()
        # Takes the account's row lock: two parallel unlinks of its last two identities queue there.
        keep_a_way_in(user=user, without=identity)
        identity.delete()
    return identity


# --- Step-up through a provider ---------------------------------------------------------------


def reauth_start(*, provider: Provider, redirect_uri: str, user: User, session_id: str) -> tuple[str, str]:
    """Start step-up at `provider` for `user`'s session `session_id`: as `flow_start`, if the
    user has linked an account there (else `NoIdentity`)."""
    linked = OidcIdentity.objects.filter(user=user, provider=provider.name).values_list("issuer", flat=True)
    if not any(provider.names_issuer(issuer) for issuer in linked):
        raise errors.NoIdentity()
    return flow_start(
        provider=provider,
        redirect_uri=redirect_uri,
        purpose=OidcPurpose.REAUTHENTICATE,
        user=user,
        session_id=session_id,
    )


def _reauth_check(*, request, flow: OidcFlow, provider: Provider, claims: dict) -> None:
    """A step-up's ID token names a provider account of the flow's user and a sign-in at the
    provider after the flow started; a failed credential check of that user otherwise."""
    user = User.objects.filter(pk=flow.user_id).first()
    if user is None:
        raise errors.StateInvalid()
    with credentials.attempt_by(request, user):
        if not OidcIdentity.objects.filter(user=user, issuer=claims["iss"], subject=claims["sub"]).exists():
            raise errors.IdentityMismatch()
        if not signed_in_since(claims, started=flow.created_at.timestamp()):
            raise errors.LoginNotFresh()


def reauth_code_spend(*, user: User, session_id: str, code: object) -> OidcLoginCode:
    """Spend the code of a step-up flow that `user` started in the session `session_id`, whose
    provider account is still theirs: one conditional UPDATE, so it proves once.
    `ReauthCodeInvalid` (a failure the caller counts) for any other code; another account's
    or session's attempt leaves the code unspent."""
    if not isinstance(code, str) or not code:
        raise errors.ReauthCodeInvalid()
    proof = _unspent_code(code, purpose=OidcPurpose.REAUTHENTICATE, user=user, session_id=session_id)
    if (
        proof is None
        or not OidcIdentity.objects.filter(user=user, issuer=proof.issuer, subject=proof.subject).exists()
        or not _spent(proof)
    ):
        raise errors.ReauthCodeInvalid()
    return proof


def identity_add(*, user: User, login: OidcLoginCode) -> OidcIdentity:
    now = timezone.now()
    return OidcIdentity.objects.create(
        user=user,
        provider=login.provider,
        issuer=login.issuer,
        subject=login.subject,
        email=login.email,
        created_at=now,
        last_used_at=now,
    )


def oidc_flush_expired(*, now=None) -> int:
    """Delete sign-ins and one-time codes that can no longer be used; returns how many."""
    now = now or timezone.now()
    flows, _ = OidcFlow.objects.filter(
        created_at__lte=now - timedelta(seconds=settings.OIDC_FLOW_MAX_AGE)
    ).delete()
    codes, _ = OidcLoginCode.objects.filter(
        created_at__lte=now - timedelta(seconds=LOGIN_CODE_MAX_AGE)
    ).delete()
    return flows + codes
