import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    """DRF's handler, plus a machine-readable `code` beside every `detail`, and JSON 500s."""
    # DRF converts these two Django exceptions itself, but only inside its handler; converting
    # them here first gives them a code like every other error.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        view = context.get("view")
        logger.error("Unhandled error in %s", type(view).__name__, exc_info=exc)
        set_rollback()
        return Response(
            {"detail": "A server error occurred.", "code": "server_error"},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
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
