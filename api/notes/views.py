"""The notes endpoints: the caller's list (keyset pages, search) and one note by id.

Ownership is decided here and nowhere else: every read goes through a selector that takes the
caller's id (`author_id`), and a note is created with the caller as its author. No queryset is
declared: the selectors' SQL is what runs (a test holds it equal to the ORM's answer), so anyone
else's note is simply not found (404).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.core.schema_errors import error
from api.models import Note
from api.notes import selectors
from api.notes.filters import SearchFilter
from api.notes.pagination import NoteKeysetPagination
from api.notes.serializers import NoteSerializer

LINK_HEADER = OpenApiParameter(
    "Link",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description='RFC 8288 links to the neighbouring pages: `<url>; rel="next", <url>; rel="prev"`.',
)
SEARCH_PARAMETER = OpenApiParameter(
    SearchFilter.search_param,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description=(
        f"Words that must each occur in the {' or '.join(selectors.NOTE_SEARCH_FIELDS)} "
        f"(case-insensitive; at most {SearchFilter.max_terms} words, {SearchFilter.max_length} characters)."
    ),
)


class OwnNotesMixin:
    """The caller's notes only: the author every query of these views is scoped to."""

    serializer_class = NoteSerializer

    @property
    def author_id(self) -> int:
        return self.request.user.pk


@extend_schema_view(
    get=extend_schema(
        parameters=[SEARCH_PARAMETER, LINK_HEADER],
        responses={
            200: NoteSerializer,
            400: error(
                "null_characters_not_allowed",
                "max_length",
                "max_terms",
                description="Field errors of `cursor`, or a `search` that is too long or has a NUL.",
            ),
        },
    )
)
class NoteListCreate(OwnNotesMixin, generics.ListCreateAPIView):
    """The caller's notes, newest first, in keyset pages; POST creates one."""

    pagination_class = NoteKeysetPagination

    def list(self, request, *args, **kwargs) -> Response:
        """One SQL query for the page (`selectors.note_page`); the paginator only places it."""
        page = self.paginator.requested_page(request)
        notes = selectors.note_page(
            author_id=self.author_id,
            search_terms=SearchFilter().get_search_terms(request),
            older_than=page.older_than,
            newer_than=page.newer_than,
            # One more than the page holds: it tells whether a further page exists.
            limit=page.size + 1,
        )
        notes = self.paginator.paginate(request, page, notes)
        return self.paginator.get_paginated_response(self.get_serializer(notes, many=True).data)

    def perform_create(self, serializer) -> None:
        serializer.save(author=self.request.user)


class OwnNoteMixin(OwnNotesMixin):
    """One of the caller's notes, by the URL's id; anyone else's is a 404."""

    def get_object(self) -> Note:
        note = selectors.note_by_id(author_id=self.author_id, note_id=self.kwargs["pk"])
        if note is None:
            raise NotFound()
        self.check_object_permissions(self.request, note)
        return note


class NoteDetail(OwnNoteMixin, generics.RetrieveUpdateDestroyAPIView):
    """One of the caller's notes: read, replace, change or delete it."""


class NoteDelete(OwnNoteMixin, generics.DestroyAPIView):
    """The tutorial's delete path, kept for its frontend: DELETE /api/notes/delete/<id>/."""
