"""Passkeys of the signed-in caller (docs/security.md, "Passkeys"): register (options, then the
browser's answer), list, rename and delete them; the options of a step-up with one (the answer
goes to `POST /api/user/reauthenticate/`). Logging in with one is in `login_views`.

The rules live in `api.passkeys.services`; every answer is checked by `api.passkeys.ceremonies`.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core import security_log
from api.core.schema_errors import error
from api.models import Passkey
from api.passkeys import services
from api.passkeys.schema import ANSWER_REFUSED, DISABLED, PASSKEY_REFUSED
from api.passkeys.serializers import (
    PasskeyRegisterSerializer,
    PasskeySerializer,
    PublicKeyCredentialCreationOptionsJSONSerializer,
    PublicKeyCredentialRequestOptionsJSONSerializer,
)
from api.sessions import stepup
from api.sessions.throttles import AuthRateThrottle

# --- The caller's passkeys --------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(
        request=stepup.ProofSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        description=(
            "Options for a new passkey (`PublicKeyCredentialCreationOptionsJSON`), for "
            "`navigator.credentials.create()`: a discoverable credential preferred, user "
            "verification required, no attestation, the account's passkeys excluded. Needs a fresh "
            "proof (the current `password`, or a step-up token). The answer goes to "
            "`POST /api/user/passkeys/register/` within WEBAUTHN_CHALLENGE_MAX_AGE seconds."
        ),
        responses={
            200: PublicKeyCredentialCreationOptionsJSONSerializer,
            403: stepup.REQUIRED,
            404: DISABLED,
            409: error("too_many_passkeys", description="Code `too_many_passkeys`, or `conflict`."),
        },
    )
)
class PasskeyRegistrationOptions(APIView):
    """Options for registering a new passkey; needs a fresh proof."""

    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("POST",)
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "passkeys"

    def post(self, request):
        return Response(services.passkey_registration_options(user=request.user))


@extend_schema_view(
    post=extend_schema(
        description=(
            "Register a passkey: the browser's answer (`RegistrationResponseJSON`) to the options of "
            "`register/options/`, and a name. Mails a notice to the account's address."
        ),
        responses={
            201: PasskeySerializer,
            400: error(
                *PASSKEY_REFUSED, description=f"Field errors, or `{{detail, code}}`. {ANSWER_REFUSED}"
            ),
            404: DISABLED,
            409: error(
                "passkey_already_registered",
                "too_many_passkeys",
                description="Code `passkey_already_registered`, `too_many_passkeys`, or `conflict`.",
            ),
        },
    )
)
class PasskeyRegister(generics.GenericAPIView):
    """Register a passkey from the browser's answer to its options."""

    serializer_class = PasskeyRegisterSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "passkeys"

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        passkey = services.passkey_register(user=request.user, **serializer.validated_data)
        security_log.record(
            user=request.user, kind=security_log.PASSKEY_ADDED, request=request, detail=passkey.name
        )
        return Response(PasskeySerializer(passkey).data, status=status.HTTP_201_CREATED)


class PasskeyList(generics.ListAPIView):
    """The caller's passkeys, oldest first."""

    serializer_class = PasskeySerializer
    # At most `services.MAX_PASSKEYS`.
    pagination_class = None

    def get_queryset(self):
        return Passkey.objects.filter(user_id=self.request.user.pk).order_by("created_at", "id")


@extend_schema_view(
    delete=extend_schema(
        request=stepup.ProofSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        description=(
            "Delete a passkey; needs a fresh proof. Never the account's last way to log in: with no "
            "usable password and no linked provider account, its last passkey stays (409 "
            "`last_login_method`). Mails a notice."
        ),
        responses={
            204: None,
            403: stepup.REQUIRED,
            409: error("last_login_method", description="Code `last_login_method`, or `conflict`."),
        },
    )
)
class PasskeyDetail(generics.UpdateAPIView, generics.DestroyAPIView):
    """Rename (PATCH) or delete (DELETE, with a fresh proof) one of the caller's passkeys."""

    serializer_class = PasskeySerializer
    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("DELETE",)
    http_method_names = ["patch", "delete", "options"]

    def get_queryset(self):
        return Passkey.objects.filter(user_id=self.request.user.pk)

    def perform_update(self, serializer) -> None:
        serializer.instance = services.passkey_rename(
            user=self.request.user, passkey_id=serializer.instance.pk, name=serializer.validated_data["name"]
        )

    def perform_destroy(self, instance: Passkey) -> None:
        passkey = services.passkey_delete(user=self.request.user, passkey_id=instance.pk)
        security_log.record(
            user=self.request.user,
            kind=security_log.PASSKEY_REMOVED,
            request=self.request,
            detail=passkey.name,
        )


# --- Step-up ----------------------------------------------------------------------------------


@extend_schema_view(
    post=extend_schema(
        request=None,
        description=(
            "Options for a step-up with one of the caller's passkeys; the answer goes to "
            "`POST /api/user/reauthenticate/` as `{credential}`."
        ),
        responses={
            200: PublicKeyCredentialRequestOptionsJSONSerializer,
            400: error("no_passkey", description="Code `no_passkey`: the account has none."),
            404: DISABLED,
        },
    )
)
class ReauthPasskeyOptions(APIView):
    """Options for proving it is the caller with one of their passkeys."""

    throttle_classes = [AuthRateThrottle]
    throttle_scope = "reauthenticate"

    def post(self, request):
        return Response(services.passkey_reauth_options(user=request.user))
