import logging
import time
from http import HTTPStatus
from urllib.parse import quote

from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject, empty

from api.exceptions import api_exception_for

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("api.requests")

# Where errors are JSON: the API, and the JWK Set that other services fetch.
API_PREFIX = ("/api/", "/.well-known/")


class JSONErrorsMiddleware:
    """Turns Django's own HTML error pages under `API_PREFIX` (unknown URL, crash) into JSON.

    DRF already answers JSON for errors inside its views; this covers what happens outside
    them, in development (DEBUG pages) as in production.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and request.path.startswith(API_PREFIX)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._json_error(response.status_code, response)
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        known = api_exception_for(exception)
        if known is not None:
            response = JsonResponse(
                {"detail": str(known.detail), "code": known.get_codes()}, status=known.status_code
            )
            if getattr(known, "wait", None):
                response["Retry-After"] = str(known.wait)
            return response
        logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=exception)
        return self._json_error(500)

    @staticmethod
    def _json_error(status: int, original=None) -> JsonResponse:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        code = "server_error" if status >= 500 else phrase.lower().replace(" ", "_")
        response = JsonResponse({"detail": f"{phrase}.", "code": code}, status=status)
        if original is not None:
            # Keep the headers that matter to clients (CORS, Allow, Retry-After).
            for header, value in original.items():
                if header.lower() not in {"content-type", "content-length"}:
                    response[header] = value
        return response


class RequestLogMiddleware:
    """Logs one line per request: method, path, status, duration and user id.

    Never the query string (cursors, search terms), headers (tokens) or bodies (passwords).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        request_logger.info(
            "%s %s %s %.1fms user=%s",
            request.method,
            _loggable_path(request.path),
            response.status_code,
            duration_ms,
            _user_id(request),
        )
        return response


def _loggable_path(path: str) -> str:
    # Percent-encoded again, so a decoded newline in the URL cannot forge a log line.
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    # Django's session user is resolved lazily, with a query; DRF's JWT authentication replaces
    # it with the real user. Only a user that some code already resolved is logged.
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return "-"
    user_id = getattr(user, "pk", None)
    return "-" if user_id is None else str(user_id)
