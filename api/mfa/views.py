"""Two-factor login (docs/mfa.md): the second login step; start and confirm TOTP, new recovery
codes, turn it off.

The rules live in `api.mfa.services`. Turning TOTP on or off and new recovery codes end every
other session of the user; the caller's stays.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework_simplejwt import views as jwt_views

from api.core import metrics, security_log
from api.core.schema_errors import error
from api.mfa import services as mfa
from api.mfa.errors import WrongLoginCode
from api.mfa.serializers import (
    MfaLoginSerializer,
    RecoveryCodesSerializer,
    TotpCodeSerializer,
    TotpConfirmSerializer,
    TotpDisableSerializer,
    TotpSetupSerializer,
)
from api.mfa.tokens import mfa_claims
from api.models import User
from api.sessions import credentials, stepup
from api.sessions.cookie_schema import DPOP_REFUSED, SET_COOKIE
from api.sessions.login_answer import login_answer, login_input
from api.sessions.serializers import TokenPairSerializer
from api.sessions.throttles import AuthRateThrottle
from api.sessions.tokens import FAMILY_CLAIM

ALREADY_ON = error(
    "mfa_already_enabled",
    description="Code `mfa_already_enabled`: TOTP is on already (turn it off first), or `conflict`.",
)


def _current_session(request) -> object:
    """The session of the access token that made the request: the one that stays."""
    return None if request.auth is None else request.auth.get(FAMILY_CLAIM)


def _bad_code(*codes: str, described: str):
    return error(*codes, description=f"Field errors, or `{{detail, code}}` with code {described}.")


@extend_schema_view(
    post=extend_schema(
        parameters=[SET_COOKIE],
        description=(
            "Log in, second step (docs/mfa.md): the `mfa_token` of a login that answered 401 "
            "`mfa_required`, and a code of the account's authenticator app or one of its recovery "
            "codes; the answer is that of a login. With `JWT_REFRESH_COOKIE` on, as for login: "
            "`{access}` with the refresh token in `Set-Cookie`, and the request must come from an "
            "allowed origin."
        ),
        responses={
            200: TokenPairSerializer,
            400: DPOP_REFUSED,
            401: error(
                "invalid_code",
                "mfa_token_invalid",
                description=(
                    "Code `invalid_code`: the code is wrong, already used, or out of its time "
                    "window; try again with the same `mfa_token` (5 wrong codes end it). Code "
                    "`mfa_token_invalid`: the `mfa_token` is not one, has expired, was used, took "
                    "5 wrong codes, or its account changed; log in again."
                ),
            ),
            403: error(
                "origin_missing",
                "origin_not_allowed",
                description=(
                    "With `JWT_REFRESH_COOKIE` on only: code `origin_missing` or `origin_not_allowed`, "
                    "as for login."
                ),
            ),
        },
    )
)
class TokenMfa(jwt_views.TokenViewBase):
    """Log in, second step: an `mfa_token` and a TOTP or recovery code for a pair."""

    serializer_class = MfaLoginSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "login_mfa"

    def post(self, request, *args, **kwargs):
        data, client = login_input(self, request)
        # The account the `mfa_token` names is the one whose failures count, before any query.
        claims = mfa_claims(data["mfa_token"])
        try:
            with credentials.attempt(
                request,
                name_key=None if claims is None else claims.name_key,
                user=None if claims is None else User(pk=claims.user_id),
            ):
                login = mfa.mfa_login(**data, **client)
        except credentials.TooManyFailures:
            metrics.LOGIN_THROTTLED.inc()
            raise
        except WrongLoginCode:
            metrics.LOGIN_FAILED.inc()
            raise
        return login_answer(
            request, user=login.user, pair=login.pair, name_key=login.name_key, detail="second factor"
        )


@extend_schema_view(
    post=extend_schema(
        description=(
            "Start setting up TOTP: a new secret at each call until a code confirms it; logins "
            "need only the password meanwhile (docs/mfa.md)."
        ),
        request=stepup.ProofSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        responses={200: TotpSetupSerializer, 403: stepup.REQUIRED, 409: ALREADY_ON},
    ),
    delete=extend_schema(
        description=(
            "Turn TOTP off with a TOTP or recovery code and a fresh proof (the current `password`, "
            "or a step-up token); every other session of the user ends."
        ),
        request=TotpDisableSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        responses={
            204: None,
            403: stepup.REQUIRED,
            400: _bad_code(
                "invalid_code",
                "mfa_not_enabled",
                described=(
                    "`invalid_code` (wrong or used code) or `mfa_not_enabled`; a wrong or missing "
                    "password is a field error of `password`"
                ),
            ),
        },
    ),
)
class TotpSetup(generics.GenericAPIView):
    """POST: start setting up TOTP (a new secret at each call until confirmed; logins stay
    password-only meanwhile). DELETE: turn TOTP off with a TOTP or recovery code. Both need a
    fresh proof (`stepup.FreshProof`): an access token alone must not swap the second factor."""

    serializer_class = TotpDisableSerializer
    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("POST", "DELETE")
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "mfa"

    def post(self, request):
        setup = mfa.totp_start(user=request.user)
        return Response(TotpSetupSerializer(setup).data)

    def delete(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A wrong code counts as a failed login of the account: a stolen access token cannot
        # guess its way past the second factor.
        with credentials.attempt_by(request, request.user):
            mfa.totp_disable(
                user=request.user,
                code=serializer.validated_data["code"],
                keep_session=_current_session(request),
            )
        security_log.record(user=request.user, kind=security_log.MFA_DISABLED, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    post=extend_schema(
        parameters=[stepup.REAUTH_PARAMETER],
        responses={
            200: RecoveryCodesSerializer,
            400: _bad_code(
                "invalid_code",
                "mfa_setup_not_started",
                described="`invalid_code` or `mfa_setup_not_started` (none pending, or over an hour old)",
            ),
            403: stepup.REQUIRED,
            409: ALREADY_ON,
        },
    )
)
class TotpConfirm(generics.GenericAPIView):
    """Turn TOTP on with a first code of the pending secret: the answer holds the recovery codes.
    Needs a fresh proof too: the code proves only that the caller holds the new secret."""

    serializer_class = TotpConfirmSerializer
    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("POST",)
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "mfa"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        codes = mfa.totp_confirm(
            user=request.user, code=serializer.validated_data["code"], keep_session=_current_session(request)
        )
        security_log.record(user=request.user, kind=security_log.MFA_ENABLED, request=request)
        return Response(RecoveryCodesSerializer({"recovery_codes": codes}).data)


@extend_schema_view(
    post=extend_schema(
        responses={
            200: RecoveryCodesSerializer,
            400: _bad_code(
                "invalid_code",
                "mfa_not_enabled",
                described="`invalid_code` (wrong or used code) or `mfa_not_enabled`",
            ),
        }
    )
)
class RecoveryCodes(generics.GenericAPIView):
    """A new set of recovery codes for a current TOTP code (itself the fresh proof of the second
    factor, counted by the failure limit); the old set stops working."""

    serializer_class = TotpCodeSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "mfa"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with credentials.attempt_by(request, request.user):
            codes = mfa.recovery_codes_regenerate(
                user=request.user,
                code=serializer.validated_data["code"],
                keep_session=_current_session(request),
            )
        security_log.record(user=request.user, kind=security_log.RECOVERY_CODES_REGENERATED, request=request)
        return Response(RecoveryCodesSerializer({"recovery_codes": codes}).data)
