"""Keyset pages of notes: which page a request asks for, and the links to its neighbours."""

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from api.core.sql import BIGINT_MAX, BIGINT_MIN
from api.notes.selectors import NotePosition, NoteRow

# Which side of its position a cursor's page lies on.
OLDER, NEWER = "older", "newer"


class PageRequest(NamedTuple):
    """The page a request asks for: `size` notes just older, or just newer, than a position.

    Neither position set means the first page (the newest notes).
    """

    older_than: NotePosition | None
    newer_than: NotePosition | None
    size: int


class NoteKeysetPagination(BasePagination):
    """Keyset pages of notes, newest first, as a plain JSON array with an RFC 8288 `Link` header.

    The body stays an array because the tutorial frontend does `notes.map(...)`. The opaque
    cursor holds the sort key (created_at, id) of the note a page continues from, so every
    page is one index range scan, however deep, and notes added or deleted meanwhile never
    shift a page. No total count is given: it would cost a scan of all the user's notes on
    every call.

    It reads no notes itself: the view asks `requested_page()` which page to fetch, fetches
    it with one note more than the page holds, and hands the result to `paginate()`.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"
    invalid_cursor_message = _("Invalid cursor.")

    def requested_page(self, request) -> PageRequest:
        """The page the request's `cursor` and `page_size` ask for; 400 for a bad cursor."""
        direction, position = self.decode_cursor(request)
        size = self.get_page_size(request)
        if direction == OLDER:
            return PageRequest(older_than=position, newer_than=None, size=size)
        return PageRequest(older_than=None, newer_than=position, size=size)

    def paginate(self, request, page: PageRequest, notes: list[NoteRow]) -> list[NoteRow]:
        """The page's notes out of up to `page.size + 1` fetched; sets up the page's links."""
        self.request = request
        # The extra note only says whether there is a further page in the direction of travel.
        more = len(notes) > page.size
        if page.newer_than is None:
            notes = notes[: page.size]
            has_next, has_previous = more, page.older_than is not None
        else:
            notes = notes[-page.size :] if more else notes
            has_next, has_previous = True, more
        self.next_link = self._link(OLDER, notes[-1]) if has_next and notes else None
        self.previous_link = self._link(NEWER, notes[0]) if has_previous and notes else None
        return notes

    def get_page_size(self, request) -> int:
        """The requested size capped at the maximum; the default for a missing or bad value."""
        try:
            size = int(request.query_params[self.page_size_query_param])
        except (KeyError, ValueError):
            return self.page_size
        return min(size, self.max_page_size) if size > 0 else self.page_size

    def decode_cursor(self, request) -> tuple[str, NotePosition | None]:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return OLDER, None
        try:
            direction, created_at, note_id = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            created_at = datetime.fromisoformat(created_at)
            if created_at.tzinfo is None or direction not in (OLDER, NEWER) or type(note_id) is not int:
                raise ValueError
            # In UTC now, so no later conversion of an extreme date can overflow.
            position = NotePosition(created_at.astimezone(UTC), note_id)
        # RecursionError: a cursor made of deeply nested JSON (a few kilobytes of brackets).
        except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error):
            raise self._invalid_cursor() from None
        if not BIGINT_MIN <= note_id <= BIGINT_MAX:
            raise self._invalid_cursor()
        return direction, position

    def encode_cursor(self, direction: str, note: NoteRow) -> str:
        payload = json.dumps([direction, note.created_at.isoformat(), note.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(payload.encode()).decode("ascii")

    def _link(self, direction: str, note: NoteRow) -> str:
        # Built only for a page that has links: most lists fit on one page.
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(direction, note))

    def _invalid_cursor(self) -> ValidationError:
        return ValidationError({"cursor": [self.invalid_cursor_message]}, code="invalid_cursor")

    def get_paginated_response(self, data) -> Response:
        links = []
        if self.next_link:
            links.append(f'<{self.next_link}>; rel="next"')
        if self.previous_link:
            links.append(f'<{self.previous_link}>; rel="prev"')
        return Response(data, headers={"Link": ", ".join(links)} if links else None)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        # The body is the bare array; the page links are in the Link header.
        return schema

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position of a page; take it from a rel=next/prev link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Notes per page (default {self.page_size}, at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]
