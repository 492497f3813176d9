"""Bearer authentication with this project's sessions, and its OpenAPI security scheme.

The checks every authenticated request makes live here; `services` uses the same ones when a
refresh or verify request presents a token.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework_simplejwt import authentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from api.dpop.errors import InvalidDpopProof
from api.dpop.proofs import ALGORITHMS, proof_header, request_url, verify_proof
from api.models import User
from api.sessions.binding import CONFIRMATION_CLAIM
from api.sessions.selectors import user_and_session
from api.sessions.tokens import FAMILY_CLAIM, VERSION_CLAIM, jwt_setting


def token_user(token) -> User:
    """The user an access token acts for; `TokenError` unless it may still act.

    The user must exist, be active and not have revoked the token (`user_may_use_token`), and
    the token's session must be live: ending a session ends its access tokens at once.
    """
    user, session_live = user_and_session(token.get(jwt_setting("USER_ID_CLAIM")), token.get(FAMILY_CLAIM))
    user_may_use_token(token, user=user)
    if not session_live:
        raise TokenError(_("Session has ended"))
    return user


def user_may_use_token(token, *, user: User | None) -> None:
    """Raise `TokenError` if the token's user is gone, inactive or has revoked the token."""
    if user is None:
        raise TokenError(_("User not found"))
    if not user.is_active:
        raise TokenError(_("User is inactive"))
    if token.get(VERSION_CLAIM) != user.token_version:
        raise TokenError(_("Token has been revoked"))


# What a 401 to a `DPoP` request names (RFC 9449 section 7.1): the proof's algorithms accepted.
_DPOP_CHALLENGE = 'DPoP error="{error}", algs="' + " ".join(ALGORITHMS) + '"'
_DPOP_SCHEME = b"dpop"


class JWTAuthentication(authentication.JWTAuthentication):
    """SimpleJWT's Bearer authentication that also honours revocation and deactivation, and
    DPoP-bound tokens (RFC 9449 section 7): `Authorization: DPoP <access>` with a proof by the key
    the token names in `cnf.jkt`.

    Every token failure is a 401 with `code: token_not_valid`, the one code a client's
    refresh interceptor has to know; a proof that does not hold is `invalid_dpop_proof`. A
    bound token sent as Bearer is refused: without the proof it is just a stolen token.
    """

    def authenticate(self, request):
        header = self.get_header(request)
        if header is None:
            return None
        raw_token = self.get_raw_token(header)
        if raw_token is None:
            return None
        dpop = header[: len(_DPOP_SCHEME)].lower() == _DPOP_SCHEME
        try:
            validated_token = self.get_validated_token(raw_token)
            jkt = (validated_token.get(CONFIRMATION_CLAIM) or {}).get("jkt")
            if dpop:
                self._check_proof(request, raw_token, jkt)
            elif jkt is not None:
                raise InvalidToken(_("This token is bound to a DPoP key: send it as DPoP, with a proof."))
            return self.get_user(validated_token), validated_token
        except InvalidDpopProof as exc:
            request.dpop_error = exc.default_code
            raise
        except InvalidToken:
            if dpop:
                request.dpop_error = "invalid_token"
            raise

    def _check_proof(self, request, raw_token: bytes, jkt) -> None:
        if not isinstance(jkt, str):
            raise InvalidToken(_("This token is not bound to a DPoP key: send it as Bearer."))
        proof = proof_header(request)
        if proof is None:
            raise InvalidDpopProof(_("A DPoP token needs a DPoP proof."))
        verified = verify_proof(
            proof, method=request.method, url=request_url(request), access_token=raw_token.decode()
        )
        if verified.jkt != jkt:
            raise InvalidDpopProof(_("The DPoP proof is signed by another key than the token's."))

    def authenticate_header(self, request) -> str:
        error = getattr(request, "dpop_error", None)
        if error is not None:
            return _DPOP_CHALLENGE.format(error=error)
        return super().authenticate_header(request)

    def get_user(self, validated_token):
        try:
            return token_user(validated_token)
        except TokenError as exc:
            raise InvalidToken(exc.args[0]) from exc


class JWTScheme(SimpleJWTScheme):
    """The project's authentication in the schema: Bearer tokens (`jwtAuth`), or DPoP-bound ones,
    which need the `Authorization: DPoP` header (`dpopAuth`) and a proof (`dpopProof`) together.
    Every authenticated operation accepts either."""

    # Declared beside the class it describes, so importing the authentication registers it.
    target_class = "api.sessions.authentication.JWTAuthentication"
    name = ["jwtAuth", "dpopAuth", "dpopProof"]

    def get_security_requirement(self, auto_schema):
        return [{"jwtAuth": []}, {"dpopAuth": [], "dpopProof": []}]

    def get_security_definition(self, auto_schema):
        bearer = {
            **build_bearer_security_scheme_object(
                header_name="HTTP_AUTHORIZATION",
                token_prefix="Bearer",  # noqa: S106 (a scheme name, not a password)
                bearer_format="JWT",
            ),
            "description": (
                "`Authorization: Bearer <access>`. Tokens bound to a DPoP key (RFC 9449: the login "
                "sent a `DPoP` proof, the answer said `token_type: DPoP`) go as "
                "`Authorization: DPoP <access>` with a fresh `DPoP` proof header for each request "
                "instead (`dpopAuth` and `dpopProof`)."
            ),
        }
        dpop = {
            "type": "http",
            "scheme": "DPoP",
            "description": (
                "`Authorization: DPoP <access>`: an access token bound to a DPoP key (RFC 9449), with "
                "its proof in the `DPoP` header (`dpopProof`)."
            ),
        }
        proof = {
            "type": "apiKey",
            "in": "header",
            "name": "DPoP",
            "description": (
                "A DPoP proof JWT (RFC 9449 section 4) signed by the token's key for this request: "
                "a new one for each request, with `htm`, `htu`, `iat`, `jti` and `ath`."
            ),
        }
        return [bearer, dpop, proof]
