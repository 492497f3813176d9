"""The steps every login shares, whatever its credentials (a second factor, a passkey, an OpenID
provider's sign-in), as `POST /api/token/` takes them (where SimpleJWT's serializer and view
share them): who may call it (`Anonymous`); what is checked before the credentials
(`login_input`); and what it answers once they have held (`login_answer`): the new session's
pair (in cookie mode `{access}` and the refresh cookie), a device cookie, the security log's
entry and the login metric."""

from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from api.core import metrics, security_log
from api.models import User
from api.sessions import binding, cookies, csrf, login_devices
from api.sessions.services import TokenPair
from api.sessions.tokens import jwt_setting


class Anonymous:
    """A login's endpoint (or a step of one): anyone may call it, whatever the request's
    Authorization header, since a stale token must not refuse a login; its 401s carry the token
    endpoints' `WWW-Authenticate`."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def get_authenticate_header(self, request) -> str:
        return f'{jwt_setting("AUTH_HEADER_TYPES")[0]} realm="api"'


def login_input(view, request) -> tuple[dict, dict]:
    """The body of a login that issues a pair, checked by `view`'s serializer, and the client
    binding (`binding.token_client`) for `session_start`. Before the credentials, so that a
    refusal here spends no code or challenge and counts as no failure: in cookie mode the
    request's origin (a cross-site login would plant a session), then the DPoP proof."""
    if cookies.enabled():
        csrf.check_origin(request._request)
    client = binding.token_client(request)
    serializer = view.get_serializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data, client


def login_answer(request, *, user: User, pair: TokenPair, name_key: str, detail: str) -> Response:
    """The answer of a login of `user` (`detail`: how, for the security log) with `pair`;
    `name_key` is the spelling key of the name whose device cookie the browser gets."""
    metrics.LOGIN_OK.inc()
    security_log.record_login(
        user=user, request=request, detail=detail, known_device=login_devices.known_device(request, user)
    )
    response = cookies.token_response(pair)
    login_devices.remember_device(response, name_key)
    return response
