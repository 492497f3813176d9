"""Logging in with a passkey (docs/security.md, "Passkeys"): the options of a passwordless login
and its answer, or of the second step of a two-factor login and its answer. Each answers as
`POST /api/token/` does, and each refused answer counts in the one credential check.

The rules live in `api.passkeys.services`; every answer is checked by `api.passkeys.ceremonies`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core import metrics
from api.core.clients import spelling_key
from api.core.schema_errors import error
from api.mfa.tokens import mfa_claims
from api.models import User
from api.passkeys import services
from api.passkeys.errors import PasskeyRefused
from api.passkeys.schema import (
    ANSWER_REFUSED,
    DISABLED,
    LOGIN_FORBIDDEN,
    LOGIN_REFUSED,
    ORIGIN_REFUSED,
    PASSKEY_REFUSED,
)
from api.passkeys.serializers import (
    PasskeyAssertionSerializer,
    PasskeyMfaLoginSerializer,
    PasskeyMfaOptionsSerializer,
    PublicKeyCredentialRequestOptionsJSONSerializer,
)
from api.sessions import credentials
from api.sessions.cookie_schema import DPOP_REFUSED, SET_COOKIE
from api.sessions.login_answer import Anonymous, login_answer, login_input
from api.sessions.serializers import TokenPairSerializer
from api.sessions.services import login_permitted, session_start
from api.sessions.throttles import AuthRateThrottle


@contextmanager
def _counted_login(request, *, name_key: str | None, user: User | None) -> Iterator[None]:
    """A login's passkey answer as the one credential check counts it (per account when the
    account is known, per client IP always), with the login metrics and a clone logged."""
    try:
        with credentials.attempt(request, name_key=name_key, user=user), services.clone_reported(request):
            yield
    except credentials.TooManyFailures:
        metrics.LOGIN_THROTTLED.inc()
        raise
    except PasskeyRefused:
        metrics.LOGIN_FAILED.inc()
        raise


@extend_schema_view(
    post=extend_schema(
        request=None,
        description=(
            "Options for a passwordless login (`PublicKeyCredentialRequestOptionsJSON`), naming no "
            "account: the browser offers the passkeys it holds for this site, also as autofill "
            '(conditional UI: `mediation: "conditional"` with an input of `autocomplete="username '
            'webauthn"`). The answer goes to `POST /api/token/passkey/`.'
        ),
        responses={200: PublicKeyCredentialRequestOptionsJSONSerializer, 404: DISABLED},
    )
)
class PasskeyLoginOptions(Anonymous, APIView):
    """Options for logging in with a passkey, no username needed."""

    throttle_classes = [AuthRateThrottle]
    throttle_scope = "passkey_options"

    def post(self, request):
        return Response(services.passkey_login_options())


@extend_schema_view(
    post=extend_schema(
        parameters=[SET_COOKIE],
        description=(
            "Log in with a passkey: the browser's answer (`AuthenticationResponseJSON`) to the "
            "options of `POST /api/token/passkey/options/`; the answer is that of `POST /api/token/` "
            "(in cookie mode `{access}` and the refresh cookie). A passkey login is a two-factor "
            "login: no code follows."
        ),
        responses={
            200: TokenPairSerializer,
            400: DPOP_REFUSED,
            401: LOGIN_REFUSED,
            403: LOGIN_FORBIDDEN,
            404: DISABLED,
        },
    )
)
class TokenPasskey(Anonymous, generics.GenericAPIView):
    """Log in with a passkey's answer to the login options."""

    serializer_class = PasskeyAssertionSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "login_passkey"

    def post(self, request):
        data, client = login_input(self, request)
        answer = data["credential"]
        passkey = services.passkey_for(answer)
        owner = None if passkey is None else passkey.user
        name_key = None if owner is None else spelling_key(owner.username)
        with _counted_login(request, name_key=name_key, user=owner):
            user = services.passkey_login(credential=answer, passkey=passkey)
        login_permitted(user=user)
        pair = session_start(user=user, **client)
        return login_answer(request, user=user, pair=pair, name_key=name_key, detail="passkey")


@extend_schema_view(
    post=extend_schema(
        description=(
            "Options for finishing a two-factor login with a passkey instead of a code: the "
            "`mfa_token` of the login that answered `mfa_required`. The answer goes to "
            "`POST /api/token/mfa/passkey/`."
        ),
        responses={
            200: PublicKeyCredentialRequestOptionsJSONSerializer,
            400: error("no_passkey", description="Field errors, or code `no_passkey`: the account has none."),
            401: error("mfa_token_invalid", description="Code `mfa_token_invalid`: log in again."),
            404: DISABLED,
        },
    )
)
class TokenMfaPasskeyOptions(Anonymous, generics.GenericAPIView):
    """Options for the second login step with a passkey."""

    serializer_class = PasskeyMfaOptionsSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "passkey_options"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(services.passkey_mfa_options(**serializer.validated_data))


@extend_schema_view(
    post=extend_schema(
        parameters=[SET_COOKIE],
        description=(
            "Log in, second step, with a passkey: the `mfa_token` and the browser's answer to the "
            "options of `POST /api/token/mfa/passkey/options/`; the answer is that of a login."
        ),
        responses={
            200: TokenPairSerializer,
            400: DPOP_REFUSED,
            401: error(
                *PASSKEY_REFUSED,
                "mfa_token_invalid",
                description=f"{ANSWER_REFUSED} Code `mfa_token_invalid`: the login cannot finish; log in again.",
            ),
            403: ORIGIN_REFUSED,
            404: DISABLED,
        },
    )
)
class TokenMfaPasskey(Anonymous, generics.GenericAPIView):
    """Log in, second step: an `mfa_token` and a passkey's answer for a pair."""

    serializer_class = PasskeyMfaLoginSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "login_mfa"

    def post(self, request):
        data, client = login_input(self, request)
        # The account the `mfa_token` names is the one whose failures count, before any query.
        claims = mfa_claims(data["mfa_token"])
        with _counted_login(
            request,
            name_key=None if claims is None else claims.name_key,
            user=None if claims is None else User(pk=claims.user_id),
        ):
            login = services.passkey_mfa_login(**data, **client)
        return login_answer(
            request,
            user=login.user,
            pair=login.pair,
            name_key=login.name_key,
            detail="second factor, passkey",
        )
