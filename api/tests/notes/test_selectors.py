from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone
from rest_framework.filters import SearchFilter
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.models import Note, User
from api.notes.selectors import NOTE_SEARCH_FIELDS, NotePosition, NoteRow, note_by_id, note_page
from api.sessions.selectors import user_by_id

pytestmark = pytest.mark.django_db


def test_user_by_id_returns_the_same_user_as_the_orm(make_user):
    user = make_user("dora", email="dora@example.com", is_staff=True)

    found = user_by_id(user.pk)

    expected = User.objects.get(pk=user.pk)
    assert isinstance(found, User)
    assert model_to_dict(found) == model_to_dict(expected)
    assert (found.date_joined, found.date_joined.tzinfo, found.token_version, found.password) == (
        expected.date_joined,
        expected.date_joined.tzinfo,
        expected.token_version,
        expected.password,
    )


@pytest.mark.parametrize("user_id", [987654, "987654", "abc", None, "1 OR 1=1", 2**70])
def test_user_by_id_is_none_for_unknown_or_malformed_ids(db, user_id):
    assert user_by_id(user_id) is None


def test_note_row_has_every_column_of_note_in_order():
    assert NoteRow._fields == tuple(field.attname for field in Note._meta.concrete_fields)


@pytest.fixture
def notes_with_ties(user, make_user):
    """Twelve notes of the user on four timestamps (ties broken by id), plus someone else's."""
    start = timezone.now()
    Note.objects.bulk_create(
        Note(author=user, title=f"t{i}", content="Milk and BREAD" if i % 3 else "tea") for i in range(12)
    )
    for i, note in enumerate(Note.objects.filter(author=user).order_by("id")):
        Note.objects.filter(pk=note.pk).update(created_at=start + timedelta(seconds=i % 4))
    Note.objects.create(author=make_user("other"), title="t-other", content="milk")
    return list(Note.objects.filter(author=user).order_by("-created_at", "-id"))


def test_note_page_matches_the_orm_from_every_position_both_ways(user, notes_with_ties):
    def key(note):
        return NotePosition(note.created_at, note.id)

    for index, note in enumerate(notes_with_ties):
        older = note_page(author_id=user.pk, limit=5, older_than=key(note))
        newer = note_page(author_id=user.pk, limit=5, newer_than=key(note))

        assert [n.id for n in older] == [n.id for n in notes_with_ties[index + 1 : index + 6]]
        assert [n.id for n in newer] == [n.id for n in notes_with_ties[max(0, index - 5) : index]]
    first = note_page(author_id=user.pk, limit=100)
    assert [(n.id, n.created_at, n.created_at.tzinfo) for n in first] == [
        (n.id, n.created_at, n.created_at.tzinfo) for n in notes_with_ties
    ]


@pytest.mark.parametrize(
    "terms", [["milk"], ["t1"], ["T1", "milk"], ["MILK", "bread"], ["tea"], ["milk", "tea"], ["%"], ["_"], []]
)
def test_note_page_search_matches_drf_search_filter(user, notes_with_ties, terms):
    request = Request(APIRequestFactory().get("/", {"search": " ".join(terms)}))
    view = SimpleNamespace(search_fields=NOTE_SEARCH_FIELDS)
    expected = SearchFilter().filter_queryset(request, Note.objects.filter(author=user), view)

    found = note_page(author_id=user.pk, limit=100, search_terms=terms)

    assert [n.id for n in found] == list(expected.order_by("-created_at", "-id").values_list("id", flat=True))


def test_note_page_takes_one_position_only(user):
    position = NotePosition(timezone.now(), 1)

    with pytest.raises(ValueError):
        note_page(author_id=user.pk, limit=5, older_than=position, newer_than=position)


def test_note_by_id_returns_the_same_note_as_the_orm(user, make_note):
    note = make_note(user, title="Mine", content="Body")

    found = note_by_id(author_id=user.pk, note_id=str(note.pk))

    assert isinstance(found, Note)
    assert model_to_dict(found) == model_to_dict(Note.objects.get(pk=note.pk))
    assert (found.created_at, found.updated_at) == (note.created_at, note.updated_at)


@pytest.mark.parametrize("note_id", ["other", 987654, "abc", None, 2**70, "1 OR 1=1"])
def test_note_by_id_is_none_for_someone_elses_unknown_or_malformed_ids(user, make_user, make_note, note_id):
    others = make_note(make_user("other"))

    assert note_by_id(author_id=user.pk, note_id=others.pk if note_id == "other" else note_id) is None
