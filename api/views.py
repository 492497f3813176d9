from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt import views as jwt_views

from api import login_devices, selectors, services
from api.filters import SearchFilter
from api.models import Note
from api.pagination import NoteKeysetPagination
from api.serializers import (
    CurrentPasswordSerializer,
    NoteSerializer,
    PasswordChangeSerializer,
    RegisterSerializer,
    TokenBlacklistSerializer,
    TokenObtainPairSerializer,
    TokenPairSerializer,
    TokenRefreshSerializer,
    TokenVerifySerializer,
    UserSerializer,
)
from api.throttles import AuthRateThrottle, LoginFailureThrottle

# --- Notes ----------------------------------------------------------------------------------


LINK_HEADER = OpenApiParameter(
    "Link",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='RFC 8288 links to the neighbouring pages: `<url>; rel="next", <url>; rel="prev"`.',
)


@extend_schema_view(get=extend_schema(parameters=[LINK_HEADER]))
class NoteListCreate(generics.ListCreateAPIView):
    """The caller's notes, newest first, in keyset pages; POST creates one."""

    serializer_class = NoteSerializer
    pagination_class = NoteKeysetPagination
    filter_backends = [SearchFilter]
    search_fields = ["title", "content"]

    def get_queryset(self):
        return Note.objects.filter(author=self.request.user)

    def list(self, request, *args, **kwargs):
        """The page comes from one SQL query (`selectors.note_page`), not from the queryset."""
        search_terms = SearchFilter().get_search_terms(request)
        notes = self.paginator.paginate_notes(request, author_id=request.user.pk, search_terms=search_terms)
        return self.paginator.get_paginated_response(self.get_serializer(notes, many=True).data)

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)


class OwnNoteMixin:
    """Looks up one of the caller's notes by the URL's id; anyone else's is a 404."""

    serializer_class = NoteSerializer

    def get_queryset(self):
        return Note.objects.filter(author=self.request.user)

    def get_object(self) -> Note:
        """The same lookup as `get_queryset().get(pk=...)`, in one precompiled query."""
        note = selectors.note_by_id(author_id=self.request.user.pk, note_id=self.kwargs["pk"])
        if note is None:
            raise NotFound()
        self.check_object_permissions(self.request, note)
        return note


class NoteDetail(OwnNoteMixin, generics.RetrieveUpdateDestroyAPIView):
    """One of the caller's notes: read, replace, change or delete it."""


class NoteDelete(OwnNoteMixin, generics.DestroyAPIView):
    """The tutorial's delete path, kept for its frontend: DELETE /api/notes/delete/<id>/."""


# --- Account --------------------------------------------------------------------------------


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


class LogoutAll(APIView):
    """Log out everywhere: every session and every access token issued until now."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        services.sessions_end_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Tokens (SimpleJWT's views, throttled, with this project's serializers) -----------------


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
