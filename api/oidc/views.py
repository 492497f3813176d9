"""Sign in with an OpenID Connect provider: the providers to offer, the start of a sign-in, the
provider's redirect back, and the one-time code's exchange for the usual token answer.

The rules live in `api.oidc.services`; ID tokens are checked by `api.oidc.id_tokens`.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core import metrics, security_log
from api.core.clients import spelling_key
from api.core.schema_errors import error
from api.models import OidcIdentity, OidcPurpose
from api.oidc import services
from api.oidc.providers import provider_named, providers
from api.oidc.serializers import (
    FlowStartSerializer,
    IdentitySerializer,
    LinkStartSerializer,
    LoginCodeSerializer,
    ProviderSerializer,
)
from api.sessions import second_factor, stepup
from api.sessions.cookie_schema import DPOP_REFUSED, SET_COOKIE
from api.sessions.login_answer import Anonymous, login_answer, login_input
from api.sessions.serializers import TokenPairSerializer
from api.sessions.services import login_permitted, session_start
from api.sessions.throttles import AuthRateThrottle

BROWSER_COOKIE = "oidc_browser"
UNKNOWN = error(
    "oidc_provider_unknown", description="Code `oidc_provider_unknown`: no provider of that name."
)
UNAVAILABLE = error(
    "oidc_provider_unavailable",
    description="Code `oidc_provider_unavailable`: the provider did not answer in time; see Retry-After.",
)
CALLBACK_REFUSED = error(
    "oidc_state_invalid",
    "oidc_state_used",
    "oidc_state_expired",
    "oidc_browser_mismatch",
    "oidc_provider_refused",
    "oidc_id_token_invalid",
    "oidc_identity_mismatch",
    "oidc_login_not_fresh",
    description=(
        "The sign-in cannot finish: `oidc_state_invalid` (unknown state), `oidc_state_used` (a "
        "replay), `oidc_state_expired` (after OIDC_FLOW_MAX_AGE), `oidc_browser_mismatch` (another "
        "browser started it), `oidc_provider_refused` (an error from the provider, or the code "
        "exchange refused), `oidc_id_token_invalid` (the ID token does not verify); for step-up "
        "also `oidc_identity_mismatch` (not a provider account the account linked) and "
        "`oidc_login_not_fresh` (no `auth_time`, or a sign-in before the step-up started). Start again."
    ),
)


def callback_uri(request, name: str) -> str:
    """The redirect URI registered at the provider: this server's callback for `name`."""
    return request.build_absolute_uri(reverse("oidc-callback", args=[name]))


@extend_schema_view(get=extend_schema(description="The configured providers (OIDC_PROVIDERS), in order."))
class ProviderList(Anonymous, generics.ListAPIView):
    """The OpenID Connect providers this server signs in with."""

    serializer_class = ProviderSerializer
    pagination_class = None

    def get_queryset(self):
        return providers()


@extend_schema_view(
    post=extend_schema(
        request=None,
        description=(
            "Start signing in with the provider: answers its authorization URL (PKCE S256, state and "
            "nonce kept here) and sets the HttpOnly cookie that binds the sign-in to this browser. "
            "The provider sends the browser back to `GET /api/oidc/{name}/callback/`."
        ),
        responses={200: FlowStartSerializer, 404: UNKNOWN, 503: UNAVAILABLE},
    )
)
class FlowStart(Anonymous, generics.GenericAPIView):
    """Start signing in with a provider."""

    serializer_class = FlowStartSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "oidc_start"

    def post(self, request, name: str):
        provider = provider_named(name)
        url, browser = services.flow_start(provider=provider, redirect_uri=callback_uri(request, name))
        response = Response({"authorization_url": url})
        set_browser_cookie(response, browser, name=name)
        return response


def set_browser_cookie(response, value: str, *, name: str) -> None:
    # Lax: the provider's redirect back is a top-level navigation, which carries it.
    response.set_cookie(
        BROWSER_COOKIE,
        value,
        max_age=settings.OIDC_FLOW_MAX_AGE,
        path=reverse("oidc-callback", args=[name]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    add_never_cache_headers(response)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("state", str, required=True),
            OpenApiParameter("code", str),
            OpenApiParameter("error", str),
        ],
        description=(
            "Where the provider sends the browser back. Checks the state and this browser's cookie, "
            "exchanges the code (PKCE and the client secret), verifies the ID token, and redirects "
            "to OIDC_FRONTEND_CALLBACK_URL with `?code=`: a one-time code for `POST /api/token/oidc/` "
            "(`&flow=link` for `POST /api/user/identities/complete/`, `&flow=reauthenticate` for "
            "`POST /api/user/reauthenticate/` as `{oidc_code}`). No token is ever in a URL. "
            "A refusal is the JSON error below, except to a browser's navigation (a GET whose "
            "`Accept` prefers `text/html` to `application/json`): that is redirected there with "
            "`?error=<the error's code>` instead (the 4xx and 5xx codes below, and `throttled`), "
            "plus `&provider_error=` with the provider's own error code (`access_denied` when the "
            "user cancelled) if it is one of OAuth 2.0's or OpenID Connect's; never a detail, the "
            "state or the provider's `error_description`."
        ),
        responses={
            302: OpenApiResponse(
                description="To the frontend's callback page, with the one-time code; to a browser's "
                "navigation, with the refusal's `error` instead."
            ),
            400: CALLBACK_REFUSED,
            403: error(
                "oidc_tenant_not_allowed",
                description="Code `oidc_tenant_not_allowed`: the ID token is of a tenant of a "
                "multi-tenant provider that OIDC_<NAME>_TENANTS does not list.",
            ),
            404: UNKNOWN,
            503: UNAVAILABLE,
        },
    )
)
class FlowCallback(Anonymous, APIView):
    """The provider's redirect back: on to the frontend with a one-time code, or with the
    refusal's code when a browser's navigation is refused."""

    throttle_classes = [AuthRateThrottle]
    throttle_scope = "oidc_callback"

    def handle_exception(self, exc):
        # The JSON answer first, as for any client: the handler's side effects (the throttle
        # metric, the rollback) are the same whichever answer the client gets.
        response = super().handle_exception(exc)
        if not settings.OIDC_FRONTEND_CALLBACK_URL or not wants_page(self.request):
            return response
        return refusal_redirect(response, provider_error=getattr(exc, "provider_error", None))

    def get(self, request, name: str):
        provider = provider_named(name)
        url = services.flow_finish(
            request=request,
            provider=provider,
            redirect_uri=callback_uri(request, name),
            params=request.query_params.dict(),
            browser=request.COOKIES.get(BROWSER_COOKIE),
        )
        response = HttpResponseRedirect(url)
        response.delete_cookie(BROWSER_COOKIE, path=reverse("oidc-callback", args=[name]), samesite="Lax")
        add_never_cache_headers(response)
        return response


def wants_page(request) -> bool:
    """A browser's top-level navigation: a GET whose Accept prefers an HTML page to JSON
    (`text/html` of a higher quality than `application/json`). A tie goes to JSON: no Accept,
    `*/*` (curl), Axios's `application/json, text/plain, */*`."""
    return (
        request.method == "GET"
        and request.get_preferred_type(["application/json", "text/html"]) == "text/html"
    )


def refusal_redirect(response, *, provider_error: str | None) -> HttpResponseRedirect:
    """The refusal `response` as a redirect to the frontend's callback page with `?error=<code>`
    (and `&provider_error=` for a provider's own error code): the error's code only, never its
    detail, the state or the provider's `error_description`. The browser cookie stays: it may be
    another sign-in's, started later in another tab of this browser."""
    data = response.data if isinstance(response.data, dict) else {}
    code = data.get("code") if isinstance(data.get("code"), str) else "error"
    query = {"error": code, **({"provider_error": provider_error} if provider_error else {})}
    redirect = HttpResponseRedirect(services.frontend_url(query))
    add_never_cache_headers(redirect)
    return redirect


@extend_schema_view(
    post=extend_schema(
        parameters=[SET_COOKIE],
        description=(
            "Log in with the one-time code of a provider sign-in: the usual token answer (refresh "
            "cookie mode and DPoP as for `POST /api/token/`), or `mfa_required` for an account with "
            "two-factor login (unless OIDC_TRUST_PROVIDER_MFA and the provider checked a second factor)."
        ),
        responses={
            200: TokenPairSerializer,
            400: DPOP_REFUSED,
            401: error(
                "oidc_code_invalid",
                "mfa_required",
                "no_active_account",
                description="Code `oidc_code_invalid` (unknown, used or expired: sign in again), "
                "`mfa_required` (with an `mfa_token`, as for `POST /api/token/`) or `no_active_account`.",
            ),
            403: error(
                "oidc_signup_closed",
                "oidc_link_required",
                "email_not_verified",
                "origin_missing",
                "origin_not_allowed",
                description="Code `oidc_signup_closed` (no account has this identity, OIDC_SIGNUP off), "
                "`oidc_link_required` (an account has its verified email: log in there and link it), "
                "`email_not_verified`, or in cookie mode `origin_missing`/`origin_not_allowed`.",
            ),
        },
    )
)
class TokenOidc(Anonymous, generics.GenericAPIView):
    """Log in with the one-time code of a provider sign-in."""

    serializer_class = LoginCodeSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "login_oidc"

    def post(self, request):
        data, client = login_input(self, request)
        login = services.login_code_spend(code=data["code"], purpose=OidcPurpose.LOGIN)
        user = services.login_user(login=login)
        login_permitted(user=user)
        if not (settings.OIDC_TRUST_PROVIDER_MFA and login.provider_mfa):
            mfa_token = second_factor.login_challenge(user=user)
            if mfa_token is not None:
                metrics.LOGIN_MFA_REQUIRED.inc()
                raise second_factor.MfaRequired(mfa_token=mfa_token)
        pair = session_start(user=user, **client)
        return login_answer(
            request,
            user=user,
            pair=pair,
            name_key=spelling_key(user.username),
            detail=f"oidc {login.provider}",
        )


# --- The caller's identities ------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(description="The provider accounts linked to the caller's account, oldest first."),
    post=extend_schema(
        request=LinkStartSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        description=(
            "Start linking a provider account to the caller's account: as `POST /api/oidc/{name}/start/`, "
            "with a fresh proof (the current `password`, or a step-up token). The callback's redirect "
            "carries `flow=link`; its code goes to `POST /api/user/identities/complete/`."
        ),
        responses={200: FlowStartSerializer, 403: stepup.REQUIRED, 404: UNKNOWN, 503: UNAVAILABLE},
    ),
)
class IdentityList(generics.ListCreateAPIView):
    """The caller's linked provider accounts; start linking another (with a fresh proof)."""

    serializer_class = IdentitySerializer
    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("POST",)
    pagination_class = None
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "oidc_start"

    def get_queryset(self):
        return OidcIdentity.objects.filter(user_id=self.request.user.pk).order_by("created_at", "pk")

    def create(self, request, *args, **kwargs):
        body = LinkStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        name = body.validated_data["provider"]
        url, browser = services.flow_start(
            provider=provider_named(name),
            redirect_uri=callback_uri(request, name),
            purpose=OidcPurpose.LINK,
            user=request.user,
        )
        response = Response({"authorization_url": url})
        set_browser_cookie(response, browser, name=name)
        return response


@extend_schema_view(
    post=extend_schema(
        request=LoginCodeSerializer,
        description=(
            "Finish linking: the one-time code of a link flow this caller started. Answers the link; "
            "the same provider account linked again answers the existing link."
        ),
        responses={
            201: IdentitySerializer,
            401: error("oidc_code_invalid", description="Code `oidc_code_invalid`: start linking again."),
            409: error(
                "oidc_identity_taken",
                description="Code `oidc_identity_taken`: it logs in to another account.",
            ),
        },
    )
)
class IdentityLink(generics.GenericAPIView):
    """Finish linking a provider account to the caller's account."""

    serializer_class = LoginCodeSerializer
    throttle_classes = [AuthRateThrottle]
    throttle_scope = "oidc_link"

    def post(self, request):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        login = services.login_code_spend(code=body.validated_data["code"], purpose=OidcPurpose.LINK)
        identity = services.identity_link(user=request.user, login=login)
        security_log.record(
            user=request.user, kind=security_log.OIDC_LINKED, request=request, detail=identity.provider
        )
        return Response(IdentitySerializer(identity).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    delete=extend_schema(
        request=stepup.ProofSerializer,
        parameters=[stepup.REAUTH_PARAMETER],
        description="Unlink one of the caller's provider accounts; needs a fresh proof.",
        responses={
            204: None,
            403: stepup.REQUIRED,
            409: error(
                "last_login_method", description="Code `last_login_method`: the account's last way in."
            ),
        },
    )
)
class IdentityDetail(generics.DestroyAPIView):
    """Unlink one of the caller's provider accounts (with a fresh proof)."""

    serializer_class = IdentitySerializer
    permission_classes = [IsAuthenticated, stepup.FreshProof]
    step_up_methods = ("DELETE",)

    def get_queryset(self):
        return OidcIdentity.objects.filter(user_id=self.request.user.pk)

    def perform_destroy(self, instance: OidcIdentity) -> None:
        identity = services.identity_unlink(user=self.request.user, identity_id=instance.pk)
        security_log.record(
            user=self.request.user,
            kind=security_log.OIDC_UNLINKED,
            request=self.request,
            detail=identity.provider,
        )
