"""The answers to a DPoP proof that does not hold (docs/security.md, "DPoP")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class InvalidDpopProof(exceptions.AuthenticationFailed):
    """401 on a resource request: the `DPoP` proof is missing, malformed or does not match the
    request or the token (RFC 9449, section 7.1). The authentication class adds
    `WWW-Authenticate: DPoP error="invalid_dpop_proof"`."""

    default_detail = _("The DPoP proof is missing or not valid for this request.")
    default_code = "invalid_dpop_proof"


class UseDpopNonce(InvalidDpopProof):
    """401 on a resource request with `DPOP_NONCE` on: the proof carries no nonce, or a stale
    one. The answer's `DPoP-Nonce` header is the one to sign the next proof with."""

    default_detail = _("Sign the DPoP proof again with the nonce in the DPoP-Nonce header.")
    default_code = "use_dpop_nonce"

    def __init__(self, *, nonce: str) -> None:
        super().__init__()
        # Copied onto the answer by the exception handler (`api.core.exceptions`).
        self.response_headers = {"DPoP-Nonce": nonce}


class InvalidDpopProofAtTokenEndpoint(exceptions.APIException):
    """400 at a token endpoint, as RFC 9449 section 5 answers there: the `DPoP` proof does not
    hold, or the session is bound to another key. Nothing is issued."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The DPoP proof is missing or not valid for this request.")
    default_code = "invalid_dpop_proof"

    @classmethod
    def of(cls, refusal: InvalidDpopProof) -> "InvalidDpopProofAtTokenEndpoint":
        """The token endpoint's answer to a refusal: the same detail, code and headers."""
        answer = cls(refusal.detail, code=refusal.get_codes())
        answer.response_headers = getattr(refusal, "response_headers", {})
        return answer
