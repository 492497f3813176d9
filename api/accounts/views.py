"""The account endpoints: sign-up, the signed-in user, the password change, and the emailed
links that reset a forgotten password or verify an address."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from api.accounts import recovery, services
from api.accounts.serializers import (
    EmailRequestSerializer,
    LinkAcceptedSerializer,
    LinkSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    RegisterSerializer,
    UserSerializer,
)
from api.accounts.throttles import EmailAddressThrottle, EmailRateThrottle
from api.core import security_log
from api.core.schema_errors import error
from api.sessions import binding, cookies, stepup
from api.sessions.cookie_schema import DPOP_REFUSED
from api.sessions.serializers import TokenPairSerializer
from api.sessions.throttles import AuthRateThrottle

BAD_LINK = error(
    "invalid_token",
    "token_expired",
    description=(
        "`{detail, code}` with code `invalid_token` (wrong, used, another account's, or made up) "
        "or `token_expired`; or field errors."
    ),
)


class Register(generics.CreateAPIView):
    """Sign up. No authentication: a stale token sent by a client must not block it."""

    serializer_class = RegisterSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "register"


@extend_schema_view(
    patch=extend_schema(
        parameters=[stepup.REAUTH_PARAMETER], responses={200: UserSerializer, 403: stepup.REQUIRED}
    ),
    delete=extend_schema(
        request=stepup.ProofSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        responses={
            204: None,
            400: error(description="Field errors: a wrong `password` (`wrong_password`)."),
            403: stepup.REQUIRED,
        },
    ),
)
class Me(generics.RetrieveUpdateDestroyAPIView):
    """The signed-in user's account: read it, change the email, or delete it with its notes.
    Changing or deleting it needs a fresh proof (`stepup.FreshProof`)."""

    serializer_class = UserSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]
    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("PATCH", "DELETE")
    throttle_scope = "account"

    def get_throttles(self):
        # Changes per client IP, as the other credential endpoints; reading the account is not.
        return [] if self.request.method in ("GET", "HEAD", "OPTIONS") else [AuthRateThrottle()]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer) -> None:
        before = self.request.user.pending_email
        user = serializer.save()
        if user.pending_email and user.pending_email != before:
            # To the address the account still has: its owner learns of the change in time.
            security_log.record(
                user=user,
                kind=security_log.EMAIL_CHANGE_REQUESTED,
                request=self.request,
                detail=user.pending_email,
            )

    def perform_destroy(self, user) -> None:
        services.user_delete(user=user)


class PasswordChange(generics.GenericAPIView):
    """Change the password; every earlier token stops working and the answer is a fresh pair."""

    serializer_class = PasswordChangeSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "password"

    @extend_schema(responses={200: TokenPairSerializer, 400: DPOP_REFUSED})
    def post(self, request):
        # Before the old password: a bad DPoP proof changes nothing.
        client = binding.token_client(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = services.password_change(
            user=request.user, new_password=serializer.validated_data["new_password"], **client
        )
        security_log.record(user=request.user, kind=security_log.PASSWORD_CHANGED, request=request)
        return cookies.token_response(pair)


# --- Emailed links ----------------------------------------------------------------------------


class _LinkRequest(generics.GenericAPIView):
    """Mail a link to an address: 202 with the same body whether or not an account has it.

    Anonymous, and limited per client IP and per address (`throttle_scope` names both counts).
    """

    serializer_class = EmailRequestSerializer
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [EmailRateThrottle, EmailAddressThrottle]
    send = None
    accepted = ""

    @extend_schema(responses={202: LinkAcceptedSerializer})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.send(email=serializer.validated_data["email"])
        return Response({"detail": str(self.accepted)}, status=status.HTTP_202_ACCEPTED)


class PasswordResetRequest(_LinkRequest):
    """Forgotten password: each active account with this address is mailed a reset link."""

    throttle_scope = "password_reset"
    send = staticmethod(recovery.password_reset_request)
    accepted = _("If an account uses this address, a link to reset its password is on its way.")


class _LinkConfirm(generics.GenericAPIView):
    """Act on an emailed link's uid and token: 204, or 400 for a link that is not good (any more)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [AuthRateThrottle]
    confirm = None

    @extend_schema(responses={204: None, 400: BAD_LINK})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = serializer.validated_data
        done = self.confirm(user=link["user"], token=link["token"], **self.confirm_arguments(link))
        self.log(request, link["user"], done)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def confirm_arguments(self, link: dict) -> dict:
        return {}

    def log(self, request, user, done) -> None:
        """Record what the link did in the account's security log."""


class PasswordResetConfirm(_LinkConfirm):
    """Set a new password with a reset link's uid and token; every earlier token stops working."""

    serializer_class = PasswordResetConfirmSerializer
    throttle_scope = "password_reset_confirm"
    confirm = staticmethod(recovery.password_reset_confirm)

    def confirm_arguments(self, link: dict) -> dict:
        return {"new_password": link["new_password"]}

    def log(self, request, user, done) -> None:
        security_log.record(user=user, kind=security_log.PASSWORD_RESET, request=request)


class EmailVerify(_LinkConfirm):
    """Confirm the account's email address with a verification link's uid and token."""

    serializer_class = LinkSerializer
    throttle_scope = "verify_email"
    confirm = staticmethod(recovery.email_verify)

    def log(self, request, user, old_address) -> None:
        if old_address is not None:
            # To the address the account had: if this was not its owner, they hear of it there.
            security_log.record(
                user=user, kind=security_log.EMAIL_CHANGED, request=request, notify_address=old_address
            )


class EmailVerifyResend(_LinkRequest):
    """A new verification link for each active, unverified account with this address."""

    throttle_scope = "verify_email_resend"
    send = staticmethod(recovery.email_verification_resend)
    accepted = _("If an unverified account uses this address, a new link is on its way.")
