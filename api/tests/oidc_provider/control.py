"""What the tests change in the running provider: who is signed in at its authorize page, the
claims of the next ID tokens (to forge one of another issuer, audience, nonce or age, or leave a
claim out), the issuer its discovery document names (an Entra multi-tenant endpoint's
`{tenantid}` template) and its keys (Entra's `issuer` member), and its signing key (a rotation);
whether its authorize page sends the browser back with `access_denied`, as when the user cancels
there; and its login page, which `prompt=login` sends the browser to, signing the user in again
at once. Test-only: a real provider has none of this."""

import json

from django.contrib.auth import get_user_model
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import AuthorizationView, ConnectDiscoveryInfoView, JwksInfoView

from api.tests.oidc_provider.settings import new_rsa_key

# The state the control endpoint sets; the provider serves from one process.
STATE: dict = {
    "user": None,
    "email_verified": True,
    "claims": {},
    "omit": [],
    "logins": 0,
    "discovery_issuer": None,
    "key_issuer": None,
    "deny": False,
}
# What a control request sets as it is given (the user and a key rotation take more).
SETTABLE = ("email_verified", "claims", "omit", "discovery_issuer", "key_issuer", "deny", "logins")


class SignedInMiddleware:
    """Signs the control endpoint's user in at every request, as if they had logged in at the
    provider: its authorize page then answers at once (the client skips the consent page)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if STATE["user"] is not None:
            request.user = get_user_model().objects.get(username=STATE["user"])
        return self.get_response(request)


class Validator(OAuth2Validator):
    """DOT's validator with the user's email claims and the tests' overrides of the claims."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        return {"email": request.user.email, "email_verified": STATE["email_verified"]}

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        # `finalize_id_token` updates oauthlib's aud, iat and nonce with these, so they win.
        claims.update(STATE["claims"])
        for name in STATE["omit"]:
            claims.pop(name, None)
        return claims, expiration_time


@csrf_exempt
def control(request):
    """POST {user?: {username, email}, email_verified?, claims?, omit?, discovery_issuer?,
    key_issuer?, deny?, rotate_key?}; answers the
    signed-in user's `sub` and how many times the login page signed them in."""
    if request.method != "POST":
        return HttpResponse(status=405)
    body = json.loads(request.body or b"{}")
    if "user" in body:
        user, _ = get_user_model().objects.update_or_create(
            username=body["user"]["username"], defaults={"email": body["user"].get("email", "")}
        )
        STATE["user"] = user.username
    STATE.update({name: body[name] for name in SETTABLE if name in body})
    if body.get("rotate_key"):
        # The old key stays in the JWK Set, as a provider rotating without breaking tokens does.
        oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE = [oauth2_settings.OIDC_RSA_PRIVATE_KEY]
        oauth2_settings.OIDC_RSA_PRIVATE_KEY = new_rsa_key()
    current = get_user_model().objects.filter(username=STATE["user"]).first()
    return JsonResponse({"sub": None if current is None else str(current.pk), "logins": STATE["logins"]})


def discovery(request, tenant: str | None = None):
    """DOT's discovery document, at its issuer's path and at an Entra-shaped one
    (`/<tenant>/v2.0/`), naming the issuer `discovery_issuer` if the tests set one."""
    response = ConnectDiscoveryInfoView.as_view()(request)
    if STATE["discovery_issuer"] is not None:
        # DOT's answer otherwise, its headers (CORS) included.
        response.content = json.dumps({**json.loads(response.content), "issuer": STATE["discovery_issuer"]})
    return response


def jwks(request):
    """DOT's JWK Set, each key with the `issuer` member Entra's have if the tests set one."""
    response = JwksInfoView.as_view()(request)
    if STATE["key_issuer"] is not None:
        keys = [{**key, "issuer": STATE["key_issuer"]} for key in json.loads(response.content)["keys"]]
        response.content = json.dumps({"keys": keys})
    return response


def login(request):
    """The login page (LOGIN_URL) that DOT sends `prompt=login` to: the user signs in again now,
    which is the ID token's `auth_time` (DOT's is the user's `last_login`), and goes on to `next`."""
    get_user_model().objects.filter(username=STATE["user"]).update(last_login=timezone.now())
    STATE["logins"] += 1
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponse(status=400)
    return HttpResponseRedirect(target)


def authorize(request):
    """DOT's authorize page; with `deny`, the user cancels there: the browser goes back to the
    client's (registered) redirect URI with `access_denied`, a description and the state
    (RFC 6749, section 4.1.2.1)."""
    if not STATE["deny"]:
        return AuthorizationView.as_view()(request)
    application = get_application_model().objects.filter(client_id=request.GET.get("client_id")).first()
    redirect_uri = request.GET.get("redirect_uri", "")
    if application is None or not application.redirect_uri_allowed(redirect_uri):
        return HttpResponse(status=400)
    query = {
        "error": "access_denied",
        "error_description": "The user cancelled the sign-in.",
        "state": request.GET.get("state", ""),
    }
    return HttpResponseRedirect(f"{redirect_uri}?{urlencode(query)}")
