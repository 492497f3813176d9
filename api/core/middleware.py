import logging
import re
import time
import uuid
from http import HTTPStatus
from urllib.parse import quote

from django.http import JsonResponse
from django.utils.functional import SimpleLazyObject, empty
from rest_framework import exceptions

from api.core import log_format, metrics
from api.core.exceptions import (
    Conflict,
    RequestTooLarge,
    ServerError,
    ServiceUnavailable,
    api_exception_for,
    error_body,
)
from api.core.parsers import LengthRequired

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)
request_logger = logging.getLogger("api.requests")

# A request id taken from the request as it is (`X-Request-ID`): short, and nothing that could
# split or forge a log line.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

# Where errors are JSON: the API, and the JWK Set that other services fetch.
API_PREFIX = ("/api/", "/.well-known/")
# The JSON index of the API, which answers like the API itself.
API_PATHS = ("/",)

# The exception DRF (or this project) raises for each status that Django may also answer by itself,
# so that a status decided outside DRF reads the same as inside it. 405 and 415 name the request's
# method and media type, as DRF's do.
_EXCEPTION_FOR_STATUS = {
    403: exceptions.PermissionDenied,
    404: exceptions.NotFound,
    406: exceptions.NotAcceptable,
    409: Conflict,
    411: LengthRequired,
    413: RequestTooLarge,
    429: exceptions.Throttled,
    503: ServiceUnavailable,
}


def is_api_path(path: str) -> bool:
    return path in API_PATHS or path.startswith(API_PREFIX)


class JSONErrorsMiddleware:
    """Turns Django's own HTML error pages for the API (unknown URL, crash) into JSON.

    DRF already answers JSON for errors inside its views; this covers what happens outside
    them, in development (DEBUG pages) as in production, with the same detail and code DRF
    gives the same status.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api_path(request.path)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._json_error(request, response)
        return response

    def process_exception(self, request, exception):
        if not is_api_path(request.path):
            return None
        known = api_exception_for(exception)
        if known is None:
            logger.error("Unhandled error on %s %s", request.method, request.path, exc_info=exception)
            known = ServerError()
        response = JsonResponse(error_body(known), status=known.status_code)
        if getattr(known, "wait", None):
            response["Retry-After"] = str(known.wait)
        return response

    @staticmethod
    def _json_error(request, original) -> JsonResponse:
        status = original.status_code
        response = JsonResponse(_error_body_for_status(status, request), status=status)
        # Keep the headers that matter to clients (CORS, Allow, Retry-After).
        for header, value in original.items():
            if header.lower() not in {"content-type", "content-length"}:
                response[header] = value
        return response


def _error_body_for_status(status: int, request) -> dict:
    if status == 405:
        return error_body(exceptions.MethodNotAllowed(request.method))
    if status == 415:
        return error_body(exceptions.UnsupportedMediaType(request.content_type))
    if status in _EXCEPTION_FOR_STATUS:
        return error_body(_EXCEPTION_FOR_STATUS[status]())
    if status >= 500:
        # Whatever failed, a client can do nothing about it: one body for every server error.
        return error_body(ServerError())
    try:
        known = HTTPStatus(status)
    except ValueError:
        return {"detail": "Error.", "code": "error"}
    # No DRF exception has this status (400 from a refused Host header, 410, ...): its phrase,
    # written the way DRF writes its messages ("Bad request.", code `bad_request`).
    first, *rest = known.phrase.split()
    detail = " ".join([first, *(word if word.isupper() else word.lower() for word in rest)])
    return {"detail": f"{detail}.", "code": known.name.lower()}


class RequestLogMiddleware:
    """Logs one line per request: method, path, status, duration and user id; counts the request
    in the metrics (`api.core.metrics`) and names it with a request id.

    Never the query string (cursors, search terms), headers (tokens) or bodies (passwords). The
    request id is the client's or proxy's `X-Request-ID` when it is 1 to 128 of `A-Z a-z 0-9 . _ -`
    (anything else could forge or flood log lines), else a new one; the response echoes it, and
    with `LOG_FORMAT=json` every line logged while the request is handled carries it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id = _request_id(request)
        context = log_format.request_id.set(request_id)
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            # Level checked first: the line's fields are only worth working out if it is written.
            if request_logger.isEnabledFor(logging.INFO):
                _log_request(request, response.status_code, duration)
        finally:
            log_format.request_id.reset(context)
        metrics.count_request(_view_name(request), request.method, response.status_code, duration)
        response["X-Request-ID"] = request_id
        return response


def _log_request(request, status: int, duration: float) -> None:
    path, user_id = _loggable_path(request.path), _user_id(request)
    milliseconds = duration * 1000
    request_logger.info(
        "%s %s %s %.1fms user=%s",
        request.method,
        path,
        status,
        milliseconds,
        "-" if user_id is None else user_id,
        extra={
            "method": request.method,
            "path": path,
            "status": status,
            "duration_ms": round(milliseconds, 1),
            "user_id": user_id,
        },
    )


def _request_id(request) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _view_name(request) -> str:
    # The route's name (`note-detail`, `admin:index`), never the raw path: one series per route.
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.view_name else metrics.UNMATCHED_VIEW


_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=\-._~]*")


def _loggable_path(path: str) -> str:
    # Percent-encoded again, so a decoded newline in the URL cannot forge a log line. Most paths
    # have nothing to encode, which one match tells faster than quoting them.
    if _PLAIN_PATH.fullmatch(path):
        return path
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def _user_id(request) -> str | None:
    user = getattr(request, "user", None)
    # Django's session user is resolved lazily, with a query; DRF's JWT authentication replaces
    # it with the real user. Only a user that some code already resolved is logged.
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    user_id = getattr(user, "pk", None)
    return None if user_id is None else str(user_id)
