import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from api.core import metrics
from api.core.error_bodies import error_body

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)

# Seconds a client should wait before retrying when the database cannot be reached.
DATABASE_RETRY_AFTER = 5

# What Django raises when `save(update_fields=...)` or `save(force_update=True)` finds no row:
# the row was deleted since it was read, so the client is told what a fresh read would say.
_VANISHED_ROW_MESSAGES = (
    "Save with update_fields did not affect any rows.",
    "Forced update did not affect any rows.",
)


class RequestTooLarge(exceptions.APIException):
    """413: a body over `DATA_UPLOAD_MAX_MEMORY_SIZE`, however it was sent."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("Request body is too large.")
    default_code = "request_too_large"


class ServiceUnavailable(exceptions.APIException):
    """503: the database cannot be reached; `wait` becomes a Retry-After header."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is temporarily unavailable; try again shortly.")
    default_code = "service_unavailable"


class Conflict(exceptions.APIException):
    """409: a write collided with another made at the same moment; safe to retry."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with a change made at the same time; try again.")
    default_code = "conflict"


class ServerError(exceptions.APIException):
    """500: a failure the client cannot act on; what went wrong is in the log, never the body."""

    status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
    default_detail = _("A server error occurred.")
    default_code = "server_error"


def api_exception_for(exc: BaseException) -> exceptions.APIException | None:
    """The client error an exception raised outside DRF's own checks stands for, if any.

    Shared by the DRF handler and the middleware, so a failure answers the same wherever it
    happens. Database failures are logged: they mean an outage or a race, not a client mistake.
    """
    if isinstance(exc, Http404):
        # Not its message: Django's says which model was looked up ("No Note matches the given
        # query."), and an unknown object must read the same as an unknown URL.
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, SuspiciousOperation):
        return exceptions.ParseError(str(exc) or None)
    if isinstance(exc, IntegrityError):
        logger.warning("Constraint violated by a concurrent change: %s", exc)
        return Conflict()
    if isinstance(exc, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", exc)
        unavailable = ServiceUnavailable()
        unavailable.wait = DATABASE_RETRY_AFTER
        return unavailable
    if isinstance(exc, DatabaseError) and str(exc) in _VANISHED_ROW_MESSAGES:
        return exceptions.NotFound()
    return None


def exception_handler(exc, context):
    """DRF's handler, plus a machine-readable `code` beside every `detail`, and JSON 500s."""
    exc = api_exception_for(exc) or exc
    # Imported here: DRF's views module loads the parser classes from the settings, and
    # `api.core.parsers` imports this module, so a module-level import would be circular.
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    if isinstance(exc, exceptions.Throttled):
        metrics.count_throttled(getattr(context.get("view"), "throttle_scope", None))
    response = drf_exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.error("Unhandled error in %s", type(view).__name__, exc_info=exc)
        set_rollback()
        return Response(error_body(ServerError()), status=ServerError.status_code)
    # Headers an error names for its answer, such as DPoP's `DPoP-Nonce`.
    for name, value in getattr(exc, "response_headers", {}).items():
        response[name] = value
    data = response.data
    if isinstance(data, list):
        # A ValidationError raised outside a serializer (SearchFilter rejecting a null character
        # in `?search=`) carries a bare list; clients and the schema expect an object.
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        code = codes[0] if isinstance(codes, list) and codes and isinstance(codes[0], str) else "invalid"
        response.data = data = {"detail": " ".join(str(message) for message in data), "code": code}
    if isinstance(data, dict) and "detail" in data and "code" not in data:
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        if isinstance(codes, str):
            data["code"] = codes
        elif isinstance(codes, dict) and isinstance(codes.get("detail"), str):
            data["code"] = codes["detail"]
    return response
