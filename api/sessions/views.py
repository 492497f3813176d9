"""The session endpoints: SimpleJWT's token views, throttled and with this project's
serializers (in refresh cookie mode, with the cookie and its CSRF checks: `cookies`, `csrf`); the
caller's sessions, to see and end; logging out everywhere; the CSRF token for cookie mode."""

from django.middleware.csrf import get_token
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import InvalidToken

from api.core import metrics, security_log
from api.core.clients import spelling_key
from api.core.schema_errors import error
from api.models import TokenFamily
from api.sessions import (
    binding,
    cookies,
    credentials,
    csrf,
    login_devices,
    second_factor,
    selectors,
    services,
    stepup,
)
from api.sessions.cookie_schema import (
    CSRF_TOKEN_RESPONSE,
    LOGIN_SCHEMA,
    LOGOUT_SCHEMA,
    REFRESH_SCHEMA,
    TOKEN_REFUSED,
)
from api.sessions.serializers import (
    ReauthenticateSerializer,
    ReauthTokenSerializer,
    SessionSerializer,
    TokenBlacklistSerializer,
    TokenObtainPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from api.sessions.throttles import AuthRateThrottle


class SessionList(generics.ListAPIView):
    """The caller's live sessions, newest first, one per login (device)."""

    serializer_class = SessionSerializer
    # A session ends within REFRESH_TOKEN_LIFETIME of its last refresh, and logins are
    # throttled, so a user's live sessions stay few.
    pagination_class = None

    def get_queryset(self):
        return selectors.sessions_live(user=self.request.user)


class SessionDetail(generics.DestroyAPIView):
    """End one of the caller's sessions: its refresh and access tokens stop working at once."""

    serializer_class = SessionSerializer

    def get_queryset(self):
        return selectors.sessions_live(user=self.request.user)

    def perform_destroy(self, session: TokenFamily) -> None:
        services.revoke_sessions(TokenFamily.objects.filter(pk=session.pk))
        security_log.record(
            user=self.request.user,
            kind=security_log.SESSION_ENDED,
            request=self.request,
            detail=str(session.pk),
        )


class LogoutAll(APIView):
    """Log out everywhere: every session and every access token issued until now."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.sessions_end_all(user=request.user)
        security_log.record(user=request.user, kind=security_log.SESSIONS_ENDED_ALL, request=request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(post=LOGIN_SCHEMA)
class TokenObtainPair(jwt_views.TokenObtainPairView):
    """Log in: username and password for an access and refresh token pair."""

    serializer_class = TokenObtainPairSerializer
    # Wrong passwords are limited where the password is checked (`credentials.CountedModelBackend`).
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "login"
    # Set by `post` from the request's proof; OPTIONS builds the serializer without one.
    dpop_jkt: str | None = None

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "dpop_jkt": self.dpop_jkt}

    def post(self, request, *args, **kwargs):
        if cookies.enabled():
            csrf.check_origin(request._request)
        # Before the password: a bad proof is no failed login, and nothing is checked or issued.
        self.dpop_jkt = binding.proof_key(request)
        try:
            response = super().post(request, *args, **kwargs)
        except credentials.TooManyFailures:
            metrics.LOGIN_THROTTLED.inc()
            raise
        except AuthenticationFailed:
            metrics.LOGIN_FAILED.inc()
            raise
        except second_factor.MfaRequired:
            metrics.LOGIN_MFA_REQUIRED.inc()
            raise
        metrics.LOGIN_OK.inc()
        login_devices.remember_device(response, spelling_key(request.data["username"]))
        return cookies.move_refresh_to_cookie(response)


@extend_schema_view(post=REFRESH_SCHEMA)
class TokenRefresh(jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; a replayed spent token revokes its session."""

    serializer_class = TokenRefreshSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "refresh"
    dpop_jkt: str | None = None

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "refresh_cookie": cookies.refresh_from_cookie(self.request),
            "dpop_jkt": self.dpop_jkt,
        }

    def post(self, request, *args, **kwargs):
        if cookies.enabled():
            csrf.check_csrf(request._request)
        self.dpop_jkt = binding.proof_key(request)
        return cookies.move_refresh_to_cookie(super().post(request, *args, **kwargs))


EMPTY_OBJECT = {"type": "object", "properties": {}}


@extend_schema_view(
    post=extend_schema(
        description=(
            "200 for a token that would be accepted now, 401 otherwise. A DPoP-bound token "
            "(claim `cnf.jkt`) is checked as any other here; a resource request with it also "
            "needs `Authorization: DPoP` and a proof by its key."
        ),
        responses={200: EMPTY_OBJECT, 401: TOKEN_REFUSED},
    )
)
class TokenVerify(jwt_views.TokenVerifyView):
    """200 for a token that would be accepted now, 401 otherwise."""

    serializer_class = TokenVerifySerializer


@extend_schema_view(post=LOGOUT_SCHEMA)
class TokenBlacklist(jwt_views.TokenBlacklistView):
    """Log out one session: its refresh tokens, present and past, stop working."""

    serializer_class = TokenBlacklistSerializer
    dpop_jkt: str | None = None

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "refresh_cookie": cookies.refresh_from_cookie(self.request),
            "dpop_jkt": self.dpop_jkt,
        }

    def post(self, request, *args, **kwargs):
        if not cookies.enabled():
            self.dpop_jkt = binding.proof_key(request)
            return super().post(request, *args, **kwargs)
        csrf.check_csrf(request._request)
        self.dpop_jkt = binding.proof_key(request)
        try:
            response = super().post(request, *args, **kwargs)
        except InvalidToken as exc:
            # The session is over either way: the client, which cannot delete an HttpOnly
            # cookie itself, is rid of one that no longer works.
            response = self.handle_exception(exc)
        cookies.clear_refresh_cookie(response)
        return response


@extend_schema_view(
    post=extend_schema(
        responses={
            200: ReauthTokenSerializer,
            400: error(
                "invalid_code",
                "mfa_not_enabled",
                "passkey_invalid",
                "passkey_challenge_invalid",
                "oidc_code_invalid",
                description=(
                    "Field errors (a wrong `password`), or code `invalid_code` (a wrong or used code), "
                    "`mfa_not_enabled` (a code, and TOTP is off), `passkey_invalid` (a passkey's "
                    "answer that does not verify), `passkey_challenge_invalid` (ask for new options) "
                    "or `oidc_code_invalid` (a provider's step-up code that is unknown, used, expired, "
                    "or of another session: sign in at the provider again)."
                ),
            ),
            404: error(
                "passkeys_disabled",
                description="Code `passkeys_disabled`: a passkey's answer, and this server has no passkeys.",
            ),
        }
    )
)
class Reauthenticate(generics.GenericAPIView):
    """Prove a credential again for a step-up token: sensitive changes accept it for
    `REAUTH_MAX_AGE` seconds in the `X-Reauth-Token` header, beside this session's access token."""

    serializer_class = ReauthenticateSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "reauthenticate"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        proof = serializer.validated_data
        token = stepup.reauthenticate(request=request, **proof)
        kinds = {"password": "password", "credential": "passkey", "oidc_code": "provider"}
        detail = next((kinds[name] for name in kinds if name in proof), "second factor")
        security_log.record(
            user=request.user, kind=security_log.REAUTHENTICATED, request=request, detail=detail
        )
        return Response(
            ReauthTokenSerializer(
                {"reauth_token": str(token), "expires_in": int(token.lifetime.total_seconds())}
            ).data
        )


class Csrf(APIView):
    """A CSRF token for cookie mode's refresh and logout, with Django's `csrftoken` cookie."""

    permission_classes = [AllowAny]
    # Anonymous whatever the request carries: a stale Authorization header must not refuse it.
    authentication_classes = []

    @extend_schema(responses=CSRF_TOKEN_RESPONSE)
    def get(self, request):
        response = Response({"csrf_token": get_token(request)})
        # Each client's own token: no cache may keep it or hand it to another.
        add_never_cache_headers(response)
        return response
