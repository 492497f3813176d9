from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response


class NoteCursorPagination(CursorPagination):
    """Keyset pages of notes, newest first, as a plain JSON array with an RFC 8288 `Link` header.

    The body stays an array because the tutorial frontend does `notes.map(...)`; the opaque
    cursor makes every page one index range scan, however deep. No total count is given: it
    would cost a scan of all the user's notes on every call.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")
    invalid_cursor_message = "Invalid cursor."

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound as exc:
            raise self._invalid_cursor() from exc
        # A forged cursor must not reach the database as an unparseable timestamp.
        if cursor is not None and cursor.position is not None and not _is_timestamp(cursor.position):
            raise self._invalid_cursor()
        return cursor

    def _invalid_cursor(self) -> ValidationError:
        return ValidationError({"cursor": [self.invalid_cursor_message]}, code="invalid_cursor")

    def get_paginated_response(self, data):
        links = []
        if next_url := self.get_next_link():
            links.append(f'<{next_url}>; rel="next"')
        if previous_url := self.get_previous_link():
            links.append(f'<{previous_url}>; rel="prev"')
        return Response(data, headers={"Link": ", ".join(links)} if links else None)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # The body is the bare array; the page links are in the Link header.
        return schema


def _is_timestamp(value: str) -> bool:
    try:
        return parse_datetime(value) is not None
    except ValueError:
        return False
