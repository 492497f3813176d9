import pytest
from django.forms.models import model_to_dict
from rest_framework import serializers

from api.models import User
from api.selectors import user_by_id
from api.serializers import NoteSerializer

pytestmark = pytest.mark.django_db


def test_user_by_id_returns_the_same_user_as_the_orm(make_user):
    user = make_user("dora", email="dora@example.com", is_staff=True)

    found = user_by_id(user.pk)

    expected = User.objects.get(pk=user.pk)
    assert isinstance(found, User)
    assert model_to_dict(found) == model_to_dict(expected)
    assert (found.date_joined, found.token_version, found.password) == (
        expected.date_joined,
        expected.token_version,
        expected.password,
    )


@pytest.mark.parametrize("user_id", [987654, "987654", "abc", None, "1 OR 1=1", 2**70])
def test_user_by_id_is_none_for_unknown_or_malformed_ids(db, user_id):
    assert user_by_id(user_id) is None


def test_lean_note_representation_equals_drf_field_rendering(user, make_note):
    note = make_note(user, title="Tïtle", content="Multi\nline")
    serializer = NoteSerializer()

    lean = serializer.to_representation(note)
    generic = serializers.ModelSerializer.to_representation(serializer, note)

    assert lean == dict(generic)
