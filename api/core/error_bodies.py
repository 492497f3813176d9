"""The JSON body of an error, `{"detail", "code"}`, for every place that answers one: DRF's
exception handler, the middleware, and `/metrics` outside DRF.

A module of its own so that those depend on it and not on each other: the exception handler
counts refused requests in `api.core.metrics`, and `/metrics` answers its own 404 and 405.
"""

from rest_framework import exceptions


def error_body(exc: exceptions.APIException) -> dict:
    """The `{"detail", "code"}` object of an error with a single message."""
    return {"detail": str(exc.detail), "code": exc.get_codes()}
