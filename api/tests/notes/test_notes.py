import base64
import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import Note

pytestmark = pytest.mark.django_db

NOTE_FIELDS = {"id", "title", "content", "created_at", "updated_at", "author"}


def _links(response) -> dict[str, str]:
    """`{rel: url}` from an RFC 8288 Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>;\s*rel="(\w+)"', response.get("Link", ""))}


def _bulk_notes(author, count: int) -> None:
    start = timezone.now() - timedelta(days=1)
    Note.objects.bulk_create(
        Note(author=author, title=f"n{i}", content="x", created_at=start + timedelta(seconds=i))
        for i in range(count)
    )
    # auto_now_add ignores the value given to bulk_create; set the spread explicitly.
    for note in Note.objects.filter(author=author):
        Note.objects.filter(pk=note.pk).update(created_at=start + timedelta(seconds=int(note.title[1:])))


def test_create_note_returns_201_with_owner_as_author(auth_client, user):
    response = auth_client.post("/api/notes/", {"title": "First", "content": "Hello"}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == NOTE_FIELDS
    assert body["author"] == user.id
    assert Note.objects.get(pk=body["id"]).author == user


def test_create_note_ignores_author_in_body(auth_client, user, make_user):
    other = make_user()
    response = auth_client.post(
        "/api/notes/", {"title": "Mine", "content": "x", "author": other.id}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["author"] == user.id


@pytest.mark.parametrize(
    "body, field",
    [
        ({"content": "no title"}, "title"),
        ({"title": "", "content": "x"}, "title"),
        ({"title": "   ", "content": "x"}, "title"),
        ({"title": "t" * 101, "content": "x"}, "title"),
        ({"title": "ok"}, "content"),
        ({"title": "nul\x00byte", "content": "x"}, "title"),
        ({"title": ["a"], "content": "x"}, "title"),
        ({"title": "ok", "content": "c" * 20_001}, "content"),
    ],
)
def test_create_note_rejects_invalid_fields_and_saves_nothing(auth_client, body, field):
    response = auth_client.post("/api/notes/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Note.objects.count() == 0


def test_title_of_100_characters_is_accepted(auth_client):
    response = auth_client.post("/api/notes/", {"title": "t" * 100, "content": "x"}, format="json")

    assert response.status_code == 201


def test_list_returns_plain_array_of_own_notes_newest_first(auth_client, user, make_user, make_note):
    first = make_note(user, title="older")
    second = make_note(user, title="newer")
    make_note(make_user(), title="someone else's")

    response = auth_client.get("/api/notes/")

    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert [note["id"] for note in body] == [second.id, first.id]
    assert set(body[0]) == NOTE_FIELDS


def test_list_pages_follow_link_header_without_gaps_or_repeats(auth_client, user):
    _bulk_notes(user, 25)

    seen, url, pages = [], "/api/notes/?page_size=10", 0
    while url:
        response = auth_client.get(url)
        assert response.status_code == 200
        seen += [note["title"] for note in response.json()]
        url = _links(response).get("next")
        pages += 1

    assert pages == 3
    assert seen == [f"n{i}" for i in range(24, -1, -1)]


def test_list_link_header_has_prev_on_later_pages(auth_client, user):
    _bulk_notes(user, 5)

    first = auth_client.get("/api/notes/?page_size=2")
    second = auth_client.get(_links(first)["next"])
    back = auth_client.get(_links(second)["prev"])

    assert [first.status_code, second.status_code, back.status_code] == [200, 200, 200]
    assert "prev" not in _links(first)
    assert [n["title"] for n in second.json()] == ["n2", "n1"]
    assert [n["title"] for n in back.json()] == ["n4", "n3"]


def _walk(client, url: str, rel: str) -> list[list[str]]:
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append([note["title"] for note in response.json()])
        url = _links(response).get(rel)
    return pages


def test_list_pages_of_notes_with_equal_timestamps_have_no_gaps_or_repeats_both_ways(auth_client, user):
    same_time = timezone.now()
    Note.objects.bulk_create(Note(author=user, title=f"t{i}", content="x") for i in range(8))
    Note.objects.filter(author=user).update(created_at=same_time)
    newest_first = [n.title for n in Note.objects.filter(author=user).order_by("-id")]

    forward = _walk(auth_client, "/api/notes/?page_size=3", "next")
    last_page = auth_client.get("/api/notes/?page_size=3")
    while "next" in _links(last_page):
        last_page = auth_client.get(_links(last_page)["next"])
    backward = _walk(auth_client, _links(last_page)["prev"], "prev")

    assert [len(page) for page in forward] == [3, 3, 2]
    assert [title for page in forward for title in page] == newest_first
    assert backward == forward[-2::-1]


def test_list_next_page_does_not_shift_when_notes_are_added_or_deleted(auth_client, user, make_note):
    _bulk_notes(user, 6)
    first = auth_client.get("/api/notes/?page_size=2")

    make_note(user, title="new")
    Note.objects.filter(author=user, title="n5").delete()
    second = auth_client.get(_links(first)["next"])

    assert second.status_code == 200
    assert [n["title"] for n in second.json()] == ["n3", "n2"]


def test_list_links_keep_the_search_and_page_size(auth_client, user, make_note):
    for i in range(5):
        make_note(user, title=f"milk {i}")
        make_note(user, title=f"bread {i}")

    pages = _walk(auth_client, "/api/notes/?search=milk&page_size=2", "next")

    assert pages == [["milk 4", "milk 3"], ["milk 2", "milk 1"], ["milk 0"]]


def test_list_last_page_has_no_next_link(auth_client, user, make_note):
    make_note(user)

    response = auth_client.get("/api/notes/")

    # An error answer has no Link header either; only a page proves anything here.
    assert response.status_code == 200
    assert len(response.json()) == 1
    assert "next" not in _links(response)


def test_list_default_page_size_is_50_and_maximum_is_100(auth_client, user):
    _bulk_notes(user, 120)

    for query, size in [("", 50), ("?page_size=1000", 100), ("?page_size=7", 7)]:
        response = auth_client.get(f"/api/notes/{query}")
        assert response.status_code == 200
        assert len(response.json()) == size


@pytest.mark.parametrize("page_size", ["0", "-3", "abc", ""])
def test_list_invalid_page_size_falls_back_to_default(auth_client, user, make_note, page_size):
    make_note(user)

    response = auth_client.get(f"/api/notes/?page_size={page_size}")

    assert response.status_code == 200
    assert len(response.json()) == 1


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "cD1ub3QtYS1kYXRl",  # p=not-a-date
        "bz0xJnI9MCZwPTIwMjQ=",  # o=1&r=0&p=2024=
        "é",
        "%00",
        _cursor(["older", "2026-01-01T00:00:00", 1]),  # no time zone
        _cursor(["sideways", "2026-01-01T00:00:00+00:00", 1]),
        _cursor(["older", "2026-01-01T00:00:00+00:00", "1"]),
        _cursor(["older", "2026-01-01T00:00:00+00:00", 1.5]),
        _cursor(["older", "2026-01-01T00:00:00+00:00", 2**70]),
        _cursor(["older", "9999-12-31T23:59:59-05:00", 1]),  # past the last datetime in UTC
        _cursor(["older", 20260101, 1]),
        _cursor({"older": 1, "at": 2, "id": 3}),
        _cursor(["older", "2026-01-01T00:00:00+00:00"]),
        _cursor(None),
    ],
)
def test_list_rejects_invalid_cursor_with_400(auth_client, user, make_note, cursor):
    make_note(user)

    response = auth_client.get("/api/notes/", {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_list_search_matches_title_or_content(auth_client, user, make_note):
    make_note(user, title="Shopping", content="milk")
    make_note(user, title="Work", content="buy milk on the way")
    make_note(user, title="Ideas", content="none")

    response = auth_client.get("/api/notes/?search=milk")

    assert response.status_code == 200
    assert sorted(n["title"] for n in response.json()) == ["Shopping", "Work"]


@pytest.mark.parametrize(
    "search, found",
    [
        ("MILK", ["Milk"]),
        ("100%", ["100% sure"]),
        ("a_b", ["a_b"]),
        ("back\\slash", ["back\\slash"]),
        ('"two words"', ["two words here"]),
        ("two here", ["two words here"]),
        ("%", ["100% sure"]),
    ],
)
def test_list_search_is_case_insensitive_and_takes_wildcards_literally(
    auth_client, user, make_note, search, found
):
    for title in [
        "Milk",
        "100% sure",
        "100 percent",
        "a_b",
        "axb",
        "back\\slash",
        "two words here",
        "words two",
    ]:
        make_note(user, title=title, content="-")

    response = auth_client.get("/api/notes/", {"search": search})

    assert response.status_code == 200
    assert sorted(n["title"] for n in response.json()) == sorted(found)


@pytest.mark.parametrize(
    "search, code",
    [
        (" ".join(["ab"] * 11), "max_terms"),
        (" ".join(["ab"] * 2000), "max_length"),
        ("x" * 201, "max_length"),
    ],
)
def test_list_search_beyond_its_bounds_is_400_not_a_server_error(auth_client, user, make_note, search, code):
    make_note(user, title="ab")

    response = auth_client.get("/api/notes/", {"search": search})

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert "search" in response.json()["detail"]


def test_list_search_takes_ten_words(auth_client, user, make_note):
    make_note(user, title=" ".join(f"w{i}" for i in range(10)))

    response = auth_client.get("/api/notes/", {"search": " ".join(f"w{i}" for i in range(10))})

    assert response.status_code == 200
    assert len(response.json()) == 1


@pytest.mark.parametrize("search", ["a%00b", "%00", "%22two%00words%22"])
def test_list_search_with_nul_character_is_a_400_not_a_server_error(auth_client, user, make_note, search):
    # PostgreSQL cannot hold a NUL in a string parameter; the term is refused before any query.
    make_note(user)

    response = auth_client.get(f"/api/notes/?search={search}")

    assert response.status_code == 400
    assert response.json()["code"] == "null_characters_not_allowed"


def test_retrieve_update_and_patch_own_note(auth_client, user, make_note):
    note = make_note(user)

    assert auth_client.get(f"/api/notes/{note.id}/").json()["title"] == "A note"
    put = auth_client.put(f"/api/notes/{note.id}/", {"title": "New", "content": "Body"}, format="json")
    patch = auth_client.patch(f"/api/notes/{note.id}/", {"content": "Patched"}, format="json")

    assert put.status_code == 200
    assert patch.status_code == 200
    note.refresh_from_db()
    assert (note.title, note.content) == ("New", "Patched")


def test_put_without_all_fields_is_400_and_changes_nothing(auth_client, user, make_note):
    note = make_note(user)

    response = auth_client.put(f"/api/notes/{note.id}/", {"title": "Only title"}, format="json")

    assert response.status_code == 400
    note.refresh_from_db()
    assert note.title == "A note"


@pytest.mark.parametrize("path", ["/api/notes/{id}/", "/api/notes/delete/{id}/"])
def test_delete_own_note_through_both_paths(auth_client, user, make_note, path):
    note = make_note(user)

    response = auth_client.delete(path.format(id=note.id))

    assert response.status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", "/api/notes/{id}/", None),
        ("put", "/api/notes/{id}/", {"title": "x", "content": "y"}),
        ("patch", "/api/notes/{id}/", {"title": "x"}),
        ("delete", "/api/notes/{id}/", None),
        ("delete", "/api/notes/delete/{id}/", None),
    ],
)
def test_other_users_note_is_404_on_every_route_and_unchanged(
    auth_client, make_user, make_note, method, path, body
):
    note = make_note(make_user(), title="Private")

    response = getattr(auth_client, method)(path.format(id=note.id), body, format="json")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    note.refresh_from_db()
    assert note.title == "Private"


def test_list_never_shows_other_users_notes_even_when_searching(auth_client, make_user, make_note):
    make_note(make_user(), title="secret plans")

    response = auth_client.get("/api/notes/?search=secret")

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("note_id", ["999999", "99999999999999999999999"])
def test_missing_or_out_of_range_note_id_is_404(auth_client, note_id):
    response = auth_client.get(f"/api/notes/{note_id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_notes_require_authentication(api_client, user, make_note):
    note = make_note(user)

    for method, path in [("get", "/api/notes/"), ("post", "/api/notes/"), ("get", f"/api/notes/{note.id}/")]:
        response = getattr(api_client, method)(path)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_notes_list_query_count_does_not_grow_with_page_size(
    auth_client, user, django_assert_max_num_queries
):
    _bulk_notes(user, 120)

    with django_assert_max_num_queries(2):
        large = auth_client.get("/api/notes/?page_size=100")
    with django_assert_max_num_queries(2):
        small = auth_client.get("/api/notes/?page_size=5")

    # A request refused early makes fewer queries: only a full answer shows the bound holds.
    assert (large.status_code, len(large.json())) == (200, 100)
    assert (small.status_code, len(small.json())) == (200, 5)


def test_note_detail_and_create_use_constant_queries(
    auth_client, user, make_note, django_assert_max_num_queries
):
    note = make_note(user)

    with django_assert_max_num_queries(2):
        detail = auth_client.get(f"/api/notes/{note.id}/")
    with django_assert_max_num_queries(2):
        created = auth_client.post("/api/notes/", {"title": "t", "content": "c"}, format="json")

    # A request refused early makes fewer queries: only a full answer shows the bound holds.
    assert detail.status_code == 200
    assert detail.json()["id"] == note.id
    assert created.status_code == 201
    assert Note.objects.filter(pk=created.json()["id"], author=user).exists()
