"""DPoP at the token endpoints (RFC 9449 section 5): a valid proof binds the new session to its
key; a refresh of a bound session needs a proof by the same key."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from api.core.clients import client_of
from api.dpop.errors import InvalidDpopProof, InvalidDpopProofAtTokenEndpoint
from api.dpop.proofs import proof_header, request_url, verify_proof

# The `token_type` of a token answer whose tokens are bound (RFC 9449 section 5).
DPOP_TOKEN_TYPE = "DPoP"  # noqa: S105 (a token type, not a password)
CONFIRMATION_CLAIM = "cnf"


def proof_key(request) -> str | None:
    """The thumbprint of the key that signed the request's valid `DPoP` proof; None without a
    proof (Bearer tokens), unless `JWT_REQUIRE_DPOP`. A proof that does not hold is a 400."""
    proof = proof_header(request)
    if proof is None:
        if settings.JWT_REQUIRE_DPOP:
            raise InvalidDpopProofAtTokenEndpoint(
                _("This server issues DPoP-bound tokens only: send a DPoP proof.")
            )
        return None
    try:
        return verify_proof(proof, method=request.method, url=request_url(request)).jkt
    except InvalidDpopProof as exc:
        raise InvalidDpopProofAtTokenEndpoint.of(exc) from None


def token_client(request) -> dict:
    """What a token endpoint passes to `services.session_start`: the client's User-Agent and IP
    (`client_of`) and `dpop_jkt`, the key to bind the session to. A request authenticated with a
    bound token (a password change) keeps its key: its proof was checked, and spent, already."""
    token = getattr(request, "auth", None)
    bound = token.get(CONFIRMATION_CLAIM) if token is not None else None
    jkt = bound.get("jkt") if isinstance(bound, dict) else None
    return {**client_of(request), "dpop_jkt": jkt if isinstance(jkt, str) else proof_key(request)}


def check_session_key(*, session_jkt: str, proof_jkt: str | None) -> None:
    """Refuse a refresh or logout of a bound session without a proof by its key (RFC 9449
    section 5)."""
    if session_jkt and proof_jkt != session_jkt:
        raise InvalidDpopProofAtTokenEndpoint(
            _("This session is bound to a DPoP key: send a proof signed by that key.")
        )


def with_token_type(data: dict, *, jkt: str | None) -> dict:
    """A token answer's body, saying `token_type: DPoP` when its tokens are bound."""
    return {**data, "token_type": DPOP_TOKEN_TYPE} if jkt else data
