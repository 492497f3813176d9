"""Step-up through a provider, for accounts that have no password (or prefer their provider):
the start of a fresh sign-in at a provider the caller linked. The provider's redirect back is the
usual callback (`views.FlowCallback`); its one-time code goes to `POST /api/user/reauthenticate/`
as `{oidc_code}`, where every step-up proof is checked and counted (`api.sessions.stepup`).

Not `POST /api/oidc/<name>/start/` with a purpose: that endpoint is anonymous by design (a
stale Authorization header must not refuse a login), while this one needs the caller's access
token, whose session the proof will be good for; it sits beside the step-up's passkey options."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from api.core.schema_errors import error
from api.oidc import services
from api.oidc.providers import provider_named
from api.oidc.serializers import FlowStartSerializer, ReauthStartSerializer
from api.oidc.views import UNAVAILABLE, UNKNOWN, callback_uri, set_browser_cookie
from api.sessions import stepup
from api.sessions.throttles import AuthRateThrottle


@extend_schema_view(
    post=extend_schema(
        request=ReauthStartSerializer,
        description=(
            "Start step-up at a provider the caller has linked an account at: answers its "
            "authorization URL, asking for a fresh sign-in (`max_age=0`, `prompt=login`), and sets "
            "the HttpOnly cookie that binds it to this browser, as `POST /api/oidc/{name}/start/`. "
            "The callback checks that the provider signed in one of the caller's linked accounts "
            "after this request, and redirects with `flow=reauthenticate`; its code goes to "
            "`POST /api/user/reauthenticate/` as `{oidc_code}`, from this session."
        ),
        responses={
            200: FlowStartSerializer,
            400: error(
                "oidc_no_identity",
                description="Code `oidc_no_identity`: no account of the caller's is linked at this provider.",
            ),
            404: UNKNOWN,
            503: UNAVAILABLE,
        },
    )
)
class ReauthStart(generics.GenericAPIView):
    """Start step-up with a fresh sign-in at a provider the caller linked."""

    serializer_class = ReauthStartSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "reauthenticate"

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        session_id = stepup.session_of(request)
        if session_id is None:
            raise stepup.ReauthenticationRequired()
        name = body.validated_data["provider"]
        url, browser = services.reauth_start(
            provider=provider_named(name),
            redirect_uri=callback_uri(request, name),
            user=request.user,
            session_id=session_id,
        )
        response = Response({"authorization_url": url})
        set_browser_cookie(response, browser, name=name)
        return response
