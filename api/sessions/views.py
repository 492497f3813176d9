"""The session endpoints: SimpleJWT's token views, throttled and with this project's
serializers, and logging out everywhere."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from api.sessions import login_devices, services
from api.sessions.serializers import (
    TokenBlacklistSerializer,
    TokenObtainPairSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
)
from api.sessions.throttles import AuthRateThrottle, LoginFailureThrottle


class LogoutAll(APIView):
    """Log out everywhere: every session and every access token issued until now."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.sessions_end_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(post=extend_schema(responses=TokenPairSerializer))
class TokenObtainPair(jwt_views.TokenObtainPairView):
    """Log in: username and password for an access and refresh token pair."""

    serializer_class = TokenObtainPairSerializer
    throttle_classes = [AuthRateThrottle, LoginFailureThrottle]
    throttle_scope = "login"

    def post(self, request, *args, **kwargs):
        try:
            response = super().post(request, *args, **kwargs)
        except AuthenticationFailed:
            LoginFailureThrottle().record_failure(request, self)
            raise
        login_devices.remember_device(response, login_devices.login_name_key(request.data["username"]))
        return response


class TokenRefresh(jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; a replayed spent token revokes its session."""

    serializer_class = TokenRefreshSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "refresh"


EMPTY_OBJECT = {"type": "object", "properties": {}}


@extend_schema_view(post=extend_schema(responses={200: EMPTY_OBJECT}))
class TokenVerify(jwt_views.TokenVerifyView):
    """200 for a token that would be accepted now, 401 otherwise."""

    serializer_class = TokenVerifySerializer


@extend_schema_view(post=extend_schema(responses={200: EMPTY_OBJECT}))
class TokenBlacklist(jwt_views.TokenBlacklistView):
    """Log out one session: its refresh tokens, present and past, stop working."""

    serializer_class = TokenBlacklistSerializer
