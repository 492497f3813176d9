"""Reading request bodies: bounded in size (`DATA_UPLOAD_MAX_MEMORY_SIZE`) and in JSON nesting.

Whatever a client sends, the answer is the body's data or a 4xx JSON error: 400 `parse_error`,
411 `length_required` or 413 `request_too_large`.
"""

import io
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils.json import strict_constant

from api.core.exceptions import RequestTooLarge

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)

# Every body this API takes is one flat object; 32 levels leave room for any future one. Deeper
# documents are refused, so no code that walks the data recursively (validation, error
# rendering) can reach Python's recursion limit, at whatever stack depth it runs.
MAX_JSON_DEPTH = 32

# Objects and arrays nest alike: braces become brackets, everything else goes.
_BRACKETS_ONLY = (bytes.maketrans(b"{}", b"[]"), bytes(set(range(256)) - set(b"[]{}")))


def json_nesting_exceeds(text: str, limit: int) -> bool:
    """Whether the containers of a valid JSON document nest deeper than `limit`.

    At C speed, linear in the text. Strings go first: once escaped backslashes and escaped
    quotes are gone, every quote left opens or closes a string. Then each of at most `limit`
    passes deletes the innermost bracket pairs (one replace never deletes a pair it has just
    made), so whatever is left after `limit` passes is nested deeper than that.
    """
    unescaped = text.encode("utf-8", "surrogatepass").replace(b"\\\\", b"").replace(b'\\"', b"")
    brackets = b"".join(unescaped.split(b'"')[::2]).translate(*_BRACKETS_ONLY)
    for _pass in range(limit):
        if not brackets:
            return False
        brackets = brackets.replace(b"[]", b"")
    return bool(brackets)


def _is_flat(data: object) -> bool:
    """Whether `data` holds no container, as every body this API takes."""
    members = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return not any(isinstance(member, dict | list) for member in members)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with nesting bounded and every decoding failure a 400 `parse_error`."""

    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        try:
            text = stream.read().decode(encoding)
            data = json.loads(text, parse_constant=strict_constant if self.strict else None)
        except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError among them
            raise ParseError(f"JSON parse error - {exc}") from None
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {self.max_depth} levels.") from None
        # Cheapest first: a flat document (every body this API takes) does not nest, and no
        # document nests deeper than it has brackets. Only what is left is scanned.
        if (
            not _is_flat(data)
            and text.count("[") + text.count("{") > self.max_depth
            and json_nesting_exceeds(text, self.max_depth)
        ):
            raise ParseError(f"JSON parse error - nested deeper than {self.max_depth} levels.")
        return data


class LengthRequired(APIException):
    """411: a body whose length the server cannot tell."""

    status_code = status.HTTP_411_LENGTH_REQUIRED
    default_detail = _("A request body needs a Content-Length header.")
    default_code = "length_required"


class ChunkedBodyMiddleware:
    """Reads a body sent with `Transfer-Encoding: chunked`, within the same size limit as others.

    Django reads only as many bytes as Content-Length says, so without this a chunked body
    would silently count as empty (a PATCH would answer 200 and change nothing). Where the
    server has decoded the chunks (gunicorn sets `wsgi.input_terminated`), the body is read up
    to the limit; where it has not (the development server), the request is refused with 411.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_TRANSFER_ENCODING" in request.META:
            refusal = self._buffer_body(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def _buffer_body(request) -> JsonResponse | None:
        if not request.META.get("wsgi.input_terminated"):
            return _error_response(LengthRequired())
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            # One byte past the limit tells an oversized body without reading all of it.
            body = request.META["wsgi.input"].read(-1 if limit is None else limit + 1)
        except Exception as exc:  # the server's chunk decoder refusing the framing, or a dropped connection
            logger.info("Unreadable chunked body on %s: %r", request.path, exc)
            return _error_response(ParseError(_("The chunked request body is malformed or incomplete.")))
        if limit is not None and len(body) > limit:
            return _error_response(RequestTooLarge())
        # What Django would have had with a Content-Length header: the rest of the stack,
        # DRF included, reads the body as usual.
        request.META["CONTENT_LENGTH"] = str(len(body))
        request._stream = io.BytesIO(body)
        return None


def _error_response(exc: APIException) -> JsonResponse:
    return JsonResponse({"detail": str(exc.detail), "code": exc.get_codes()}, status=exc.status_code)
