import pytest
from rest_framework import serializers

from api.notes.selectors import note_page
from api.notes.serializers import NoteSerializer

pytestmark = pytest.mark.django_db


def test_lean_note_representation_equals_drf_field_rendering(user, make_note):
    note = make_note(user, title="Tïtle", content="Multi\nline")
    serializer = NoteSerializer()

    lean = serializer.to_representation(note)
    generic = serializers.ModelSerializer.to_representation(serializer, note)

    assert lean == dict(generic)


def test_lean_representation_of_a_list_row_equals_that_of_the_note(user, make_note):
    note = make_note(user, title="Row", content="Body")
    (row,) = note_page(author_id=user.pk, limit=5)

    assert NoteSerializer().to_representation(row) == NoteSerializer().to_representation(note)


def test_note_serializer_fields_are_those_modelserializer_builds_each_time():
    built = serializers.ModelSerializer.get_fields(NoteSerializer())

    for _ in range(2):
        fields = NoteSerializer().get_fields()
        assert {name: repr(field) for name, field in fields.items()} == {
            name: repr(field) for name, field in built.items()
        }
    assert NoteSerializer().get_fields()["title"] is not NoteSerializer().get_fields()["title"]
