"""`GET /.well-known/jwks.json`: the public keys that verify this server's tokens (RFC 7517).

During a key rotation (docs/operations.md, "Key rotation") the set holds the next key, published
ahead of use, the current one and the previous ones, each named by its RFC 7638 `kid`.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api.core.schema_errors import error
from api.sessions.tokens import published_jwks

_STRING = {"type": "string"}
JWK_SET_SCHEMA = {
    "type": "object",
    "required": ["keys"],
    "properties": {
        "keys": {
            "type": "array",
            "items": {
                "type": "object",
                "description": "An RSA (`n`, `e`) or EC P-256 (`crv`, `x`, `y`) public key.",
                "required": ["kty", "kid", "alg", "use"],
                "properties": {
                    name: _STRING for name in ("kty", "kid", "alg", "use", "n", "e", "crv", "x", "y")
                },
            },
        }
    },
}


# Seconds verifiers may keep the set: the wait between publishing a next key and signing with it
# must be longer (docs/operations.md, "Key rotation").
JWKS_MAX_AGE = 300


class JWKS(APIView):
    """The JWK Set other services fetch to verify access tokens: the next key (if one is
    published), the current one, then previous ones; 404 when tokens use HS256."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(
        responses={
            200: JWK_SET_SCHEMA,
            404: error("not_found", description="Tokens are signed with HS256: there is no public key."),
        }
    )
    def get(self, request):
        keys = published_jwks()
        if not keys:
            raise NotFound("Tokens are signed with a shared secret (HS256): there is no public key.")
        # Verifiers may keep the set for a few minutes rather than fetch it for every token.
        return Response({"keys": keys}, headers={"Cache-Control": f"public, max-age={JWKS_MAX_AGE}"})
