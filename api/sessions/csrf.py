"""Cross-site request forgery checks for the endpoints a refresh cookie authenticates.

A browser attaches the refresh cookie to any request for `/api/token/`, whichever site made it,
so in cookie mode refresh and logout must prove that the frontend itself sent them:

- Django's CSRF token (`GET /api/csrf/`), sent back in `X-CSRFToken`: another site can make the
  browser send the cookie, but cannot read the token;
- an `Origin` (or, without one, a `Referer`) that is one of `CORS_ALLOWED_ORIGINS` or the API's
  own. Django's own check accepts a plain-HTTP request with neither; this one never does.

Login needs no CSRF token (there is no session yet to ride), but gets the Origin rule, so no
other site can log a browser in to an account of its choosing.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import REASON_BAD_ORIGIN, CsrfViewMiddleware
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

# Django's reasons that are about where the request came from, not about the token.
_ORIGIN_REASONS = (REASON_BAD_ORIGIN.split("%")[0], "Referer checking failed")


class CsrfFailed(exceptions.PermissionDenied):
    """403: the CSRF token is missing, or does not match the `csrftoken` cookie."""

    default_detail = _("CSRF check failed: fetch a token from /api/csrf/ and send it in X-CSRFToken.")
    default_code = "csrf_failed"


class OriginMissing(exceptions.PermissionDenied):
    """403: neither an Origin nor a Referer header says which site sent the request."""

    default_detail = _("The request must carry an Origin (or a Referer) header.")
    default_code = "origin_missing"


class OriginNotAllowed(exceptions.PermissionDenied):
    """403: the request came from a site that is neither the API nor an allowed frontend."""

    default_detail = _("Requests from this origin are not allowed.")
    default_code = "origin_not_allowed"


class _CsrfCheck(CsrfViewMiddleware):
    """Django's CSRF middleware as a check that returns its reason instead of answering."""

    def _reject(self, request, reason):
        return reason


def check_origin(request: HttpRequest) -> None:
    """Refuse a request whose Origin (or Referer) is neither the API's own nor an allowed one."""
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        referer = request.META.get("HTTP_REFERER")
        if not referer:
            raise OriginMissing()
        try:
            parts = urlsplit(referer)
        except ValueError:
            raise OriginNotAllowed() from None
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin.lower() not in _allowed_origins(request):
        raise OriginNotAllowed()


def check_csrf(request: HttpRequest) -> None:
    """The Origin rule, then Django's CSRF check: the `X-CSRFToken` header against the cookie."""
    check_origin(request)
    check = _CsrfCheck(lambda request: None)
    check.process_request(request)
    # Like every Django view, this honours the test client's switch that turns the check off
    # (`enforce_csrf_checks=False`, its default); no real request can set it.
    reason = check.process_view(request, None, (), {})
    if reason is None:
        return
    if reason.startswith(_ORIGIN_REASONS):
        raise OriginNotAllowed()
    raise CsrfFailed(
        _("CSRF check failed: %(reason)s Fetch a token from /api/csrf/ and send it in X-CSRFToken.")
        % {"reason": reason}
    )


def _allowed_origins(request: HttpRequest) -> set[str]:
    own = f"{request.scheme}://{request.get_host()}"
    # "null" is what sandboxed frames and local files send: never proof of a frontend.
    frontends = [
        origin for origin in settings.CORS_ALLOWED_ORIGINS if origin.startswith(("https://", "http://"))
    ]
    return {origin.lower() for origin in [*frontends, own]}
