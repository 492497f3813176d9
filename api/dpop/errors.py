"""The answers to a DPoP proof that does not hold (docs/security.md, "DPoP")."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status


class InvalidDpopProof(exceptions.AuthenticationFailed):
    """401 on a resource request: the `DPoP` proof is missing, malformed or does not match the
    request or the token (RFC 9449, section 7.1). The authentication class adds
    `WWW-Authenticate: DPoP error="invalid_dpop_proof"`."""

    default_detail = _("The DPoP proof is missing or not valid for this request.")
    default_code = "invalid_dpop_proof"


class InvalidDpopProofAtTokenEndpoint(exceptions.APIException):
    """400 at a token endpoint, as RFC 9449 section 5 answers there: the `DPoP` proof does not
    hold, or the session is bound to another key. Nothing is issued."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("The DPoP proof is missing or not valid for this request.")
    default_code = "invalid_dpop_proof"
