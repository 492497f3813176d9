"""The account endpoints: sign-up, the signed-in user, and the password change."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.accounts import services
from api.accounts.serializers import (
    CurrentPasswordSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    UserSerializer,
)
from api.sessions.serializers import TokenPairSerializer
from api.sessions.throttles import AuthRateThrottle


class Register(generics.CreateAPIView):
    """Sign up. No authentication: a stale token sent by a client must not block it."""

    serializer_class = RegisterSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "register"


@extend_schema_view(
    delete=extend_schema(
        request=CurrentPasswordSerializer,
        responses={204: None, 400: OpenApiResponse(description="Wrong or missing password.")},
    )
)
class Me(generics.RetrieveUpdateDestroyAPIView):
    """The signed-in user's account: read it, change the email, or delete it with its notes."""

    serializer_class = UserSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self):
        return self.request.user

    def destroy(self, request, *args, **kwargs):
        confirmation = CurrentPasswordSerializer(data=request.data, context={"request": request})
        confirmation.is_valid(raise_exception=True)
        services.user_delete(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChange(generics.GenericAPIView):
    """Change the password; every earlier token stops working and the answer is a fresh pair."""

    serializer_class = PasswordChangeSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "password"

    @extend_schema(responses=TokenPairSerializer)
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.password_change(
            user=request.user, new_password=serializer.validated_data["new_password"]
        )
        return Response(TokenPairSerializer(pair).data)
