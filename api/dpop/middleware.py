"""With `DPOP_NONCE` on, every answer to a request with a DPoP proof carries the current nonce.

RFC 9449 section 8.2: a server may hand out the next nonce on any answer. A client that takes it
from its successful answers signs its next proofs with a fresh one, and meets `use_dpop_nonce`
only on its first request, not again every `DPOP_NONCE_LIFETIME` seconds.
"""

from django.conf import settings

from api.dpop import nonces

HEADER = "DPoP-Nonce"


class DpopNonceMiddleware:
    """Adds `DPoP-Nonce` to the answers of requests that carry a `DPoP` header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.DPOP_NONCE and "HTTP_DPOP" in request.META and HEADER not in response:
            response[HEADER] = nonces.current_nonce()
        return response
