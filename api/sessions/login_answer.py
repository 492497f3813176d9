"""What a login answers once its credentials have held, whatever they were (a second factor, a
passkey, an OpenID provider's sign-in): the new session's pair (in cookie mode `{access}` and the
refresh cookie), a device cookie, the security log's entry and the login metric, as
`POST /api/token/` answers (where SimpleJWT's serializer and view share the same steps)."""

from rest_framework.response import Response

from api.core import metrics, security_log
from api.models import User
from api.sessions import cookies, login_devices
from api.sessions.services import TokenPair


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
