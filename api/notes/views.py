"""The notes endpoints: the caller's list (keyset pages, search) and one note by id."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound

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


@extend_schema_view(get=extend_schema(parameters=[LINK_HEADER]))
class NoteListCreate(generics.ListCreateAPIView):
    """The caller's notes, newest first, in keyset pages; POST creates one."""

    serializer_class = NoteSerializer
    pagination_class = NoteKeysetPagination
    filter_backends = [SearchFilter]
    search_fields = ["title", "content"]

    def get_queryset(self):
        return Note.objects.filter(author=self.request.user)

    def list(self, request, *args, **kwargs):
        """The page comes from one SQL query (`selectors.note_page`), not from the queryset."""
        search_terms = SearchFilter().get_search_terms(request)
        notes = self.paginator.paginate_notes(request, author_id=request.user.pk, search_terms=search_terms)
        return self.paginator.get_paginated_response(self.get_serializer(notes, many=True).data)

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)


class OwnNoteMixin:
    """Looks up one of the caller's notes by the URL's id; anyone else's is a 404."""

    serializer_class = NoteSerializer

    def get_queryset(self):
        return Note.objects.filter(author=self.request.user)

    def get_object(self) -> Note:
        """The same lookup as `get_queryset().get(pk=...)`, in one precompiled query."""
        note = selectors.note_by_id(author_id=self.request.user.pk, note_id=self.kwargs["pk"])
        if note is None:
            raise NotFound()
        self.check_object_permissions(self.request, note)
        return note


class NoteDetail(OwnNoteMixin, generics.RetrieveUpdateDestroyAPIView):
    """One of the caller's notes: read, replace, change or delete it."""


class NoteDelete(OwnNoteMixin, generics.DestroyAPIView):
    """The tutorial's delete path, kept for its frontend: DELETE /api/notes/delete/<id>/."""
