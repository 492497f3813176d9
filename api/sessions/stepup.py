"""Step-up: a sensitive change needs a fresh proof of a credential, never an access token alone.

An access token is what a script injected into the frontend (XSS) can copy, so it must not be
enough to take the account: change the email (then reset the password through it), turn the
second factor on or off, make new recovery codes, or delete the account. Such a request carries
one of:
- the current password, as `password` in its body, checked through the failure limit; or a code
  of the second factor where the endpoint takes one (new recovery codes);
- a step-up token from `POST /api/user/reauthenticate/` (password, TOTP/recovery code, a
  passkey, or the one-time code of a fresh sign-in at a provider the account linked, for
  accounts without a password) in the `X-Reauth-Token` header: good for `REAUTH_MAX_AGE` seconds
  and only beside an access token of the session that asked for it, so one copied on its own,
  or into another session, is worthless.
Logging in is no such proof: a fresh login's access token still needs one. Without a proof the
answer is 403 `reauthentication_required` (docs/security.md, "Step-up").
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, serializers
from rest_framework.permissions import BasePermission
from rest_framework_simplejwt.exceptions import TokenError

from api.core.fields import password_field
from api.core.schema_errors import error
from api.models import User
from api.sessions import credentials, second_factor
from api.sessions.tokens import FAMILY_CLAIM, VERSION_CLAIM, ReauthToken, jwt_setting

REAUTH_HEADER = "X-Reauth-Token"
_REAUTH_META = "HTTP_X_REAUTH_TOKEN"
# Long enough for any token this server signs, short enough to refuse garbage at once.
REAUTH_TOKEN_MAX_LENGTH = 2048


# How the schema documents a sensitive change.
REAUTH_PARAMETER = OpenApiParameter(
    REAUTH_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "A step-up token from `POST /api/user/reauthenticate/`, from this session and at most "
        "REAUTH_MAX_AGE seconds old; instead, the body may carry the current `password`."
    ),
)
REQUIRED = error(
    "reauthentication_required",
    description=(
        "Code `reauthentication_required`: no proof, or a step-up token that expired or is of "
        "another session. Reauthenticate, then send the request again."
    ),
)


class ReauthenticationRequired(exceptions.PermissionDenied):
    """403: the change needs a fresh proof (password, or a step-up token of this session)."""

    default_detail = _(
        "Confirm it is you: send your current password as `password`, or a step-up token from "
        "POST /api/user/reauthenticate/ in the X-Reauth-Token header."
    )
    default_code = "reauthentication_required"


class WrongPassword(serializers.ValidationError):
    """400, as a field error of `password`: not the account's password (counted as a failure)."""

    def __init__(self) -> None:
        super().__init__({"password": [_("Wrong password.")]}, code="wrong_password")


class ProofSerializer(serializers.Serializer):
    """The proof a sensitive change may carry in its body: the account's current password."""

    password = password_field(
        required=False,
        help_text=_(
            "The current password, unless an `X-Reauth-Token` header carries a step-up token "
            '(docs/security.md, "Step-up").'
        ),
    )


def session_of(request) -> str | None:
    """The session (token family id) of the request's access token."""
    return None if request.auth is None else request.auth.get(FAMILY_CLAIM)


def reauth_token_for(*, user: User, session_id: str) -> ReauthToken:
    token = ReauthToken()
    token[jwt_setting("USER_ID_CLAIM")] = str(user.pk)
    token[VERSION_CLAIM] = user.token_version
    token[FAMILY_CLAIM] = str(session_id)
    return token


def reauth_token_fits(raw: object, *, user: User, session_id: object) -> bool:
    """Whether `raw` is an unexpired step-up token of `user`'s session `session_id`."""
    if not isinstance(raw, str) or not raw or len(raw) > REAUTH_TOKEN_MAX_LENGTH or session_id is None:
        return False
    try:
        token = ReauthToken(raw)
    except TokenError:
        return False
    return (
        token.get(jwt_setting("USER_ID_CLAIM")) == str(user.pk)
        and token.get(VERSION_CLAIM) == user.token_version
        and token.get(FAMILY_CLAIM) == str(session_id)
    )


def reauthenticate(
    *,
    request,
    password: str | None = None,
    code: str | None = None,
    credential: object = None,
    oidc_code: str | None = None,
) -> ReauthToken:
    """A step-up token for the caller's session, for its current password, a TOTP or recovery
    code (with TOTP on), the answer of one of its passkeys to step-up options, or the one-time
    code of a step-up at a provider started in this session. Counted by the failure limit like
    any credential check."""
    user = request.user
    session_id = session_of(request)
    if session_id is None:
        raise ReauthenticationRequired()
    if password is not None:
        if not credentials.password_is_right(request=request, user=user, password=password):
            raise WrongPassword()
    elif credential is not None:
        with credentials.attempt_by(request, user):
            second_factor.passkey_use(request=request, user=user, credential=credential)
    elif oidc_code is not None:
        with credentials.attempt_by(request, user):
            second_factor.provider_code_use(user=user, session_id=session_id, code=oidc_code)
    else:
        with credentials.attempt_by(request, user):
            second_factor.code_use(user=user, code=code or "")
    return reauth_token_for(user=user, session_id=session_id)


def require_fresh_proof(request) -> None:
    """Pass only a request carrying a proof (module docstring); raise the answer otherwise."""
    user = request.user
    raw = request.META.get(_REAUTH_META)
    if raw:
        if reauth_token_fits(raw, user=user, session_id=session_of(request)):
            return
        raise ReauthenticationRequired(
            _("The step-up token has expired or is not for this session: reauthenticate again.")
        )
    proof = ProofSerializer(data=request.data if isinstance(request.data, dict) else {})
    proof.is_valid(raise_exception=True)
    password = proof.validated_data.get("password")
    if not password:
        raise ReauthenticationRequired()
    if not credentials.password_is_right(request=request, user=user, password=password):
        raise WrongPassword()


class FreshProof(BasePermission):
    """A sensitive change (the view's `step_up_methods`) needs a fresh proof (`require_fresh_proof`).

    After `IsAuthenticated` in `permission_classes`: the caller is known when it runs.
    """

    def has_permission(self, request, view) -> bool:
        if request.method in getattr(view, "step_up_methods", ()):
            require_fresh_proof(request)
        return True
