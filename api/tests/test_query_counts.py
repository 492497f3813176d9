"""Every endpoint makes a fixed number of SQL queries, whatever the size of the account."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from api.models import Note, User
from api.sessions import services
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another correct horse battery"


@dataclass
class Account:
    """A user with `size` notes and `size` live sessions, and a client signed in to the last."""

    user: User
    client: APIClient
    refresh: str
    access: str
    note: Note


def _account(username: str, size: int) -> Account:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Note.objects.bulk_create(Note(author=user, title=f"n{i}", content="x") for i in range(size))
    for _ in range(size):
        pair = services.session_start(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {pair.access}")
    return Account(user, client, pair.refresh, pair.access, user.notes.first())


def _anonymous(method: str, path: str, body: dict | None = None):
    return getattr(APIClient(), method)(path, body, format="json")


# endpoint: (most queries allowed, expected status, the request). The counts include the
# SAVEPOINT and RELEASE statements of atomic blocks, as tests run inside a transaction.
ENDPOINTS: dict[str, tuple[int, int, Callable[[Account], object]]] = {
    "register": (
        # The name check, then in an atomic block of its own (see user_register) the account
        # and its username's look-alike keys.
        5,
        201,
        lambda a: _anonymous(
            "post", "/api/user/register/", {"username": f"new-{a.user.username}", "password": NEW_PASSWORD}
        ),
    ),
    "login": (
        # The failed-credential counts: a place for the account and for the IP (one statement
        # each, api/core/counters.py), given back in one; and the security log's row (with a
        # savepoint here, as tests run inside a transaction).
        11,
        200,
        lambda a: _anonymous("post", "/api/token/", {"username": a.user.username, "password": PASSWORD}),
    ),
    "refresh": (7, 200, lambda a: _anonymous("post", "/api/token/refresh/", {"refresh": a.refresh})),
    "verify access token": (1, 200, lambda a: _anonymous("post", "/api/token/verify/", {"token": a.access})),
    "verify refresh token": (
        2,
        200,
        lambda a: _anonymous("post", "/api/token/verify/", {"token": a.refresh}),
    ),
    "logout one session": (
        7,
        200,
        lambda a: _anonymous("post", "/api/token/blacklist/", {"refresh": a.refresh}),
    ),
    "logout everywhere": (11, 204, lambda a: a.client.post("/api/user/logout-all/")),
    "read account": (1, 200, lambda a: a.client.get("/api/user/me/")),
    "change email": (
        # The password proof: the user, then its failure counts as for a login.
        5,
        200,
        lambda a: a.client.patch(
            "/api/user/me/", {"email": "x@example.com", "password": PASSWORD}, format="json"
        ),
    ),
    "delete account": (
        # One more than the deletion itself: the account's row lock, which queues it behind
        # (or ahead of) any other write to the account. The deletion includes the username's
        # look-alike keys and its security log.
        20,
        204,
        lambda a: a.client.delete("/api/user/me/", {"password": PASSWORD}, format="json"),
    ),
    "change password": (
        19,
        200,
        lambda a: a.client.post(
            "/api/user/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
        ),
    ),
    "list notes": (2, 200, lambda a: a.client.get("/api/notes/?page_size=100")),
    "search notes": (2, 200, lambda a: a.client.get("/api/notes/?page_size=100&search=n")),
    "create note": (
        2,
        201,
        lambda a: a.client.post("/api/notes/", {"title": "t", "content": "c"}, format="json"),
    ),
    "read note": (2, 200, lambda a: a.client.get(f"/api/notes/{a.note.id}/")),
    "replace note": (
        3,
        200,
        lambda a: a.client.put(f"/api/notes/{a.note.id}/", {"title": "t", "content": "c"}, format="json"),
    ),
    "change note": (
        3,
        200,
        lambda a: a.client.patch(f"/api/notes/{a.note.id}/", {"title": "t"}, format="json"),
    ),
    "delete note": (3, 204, lambda a: a.client.delete(f"/api/notes/{a.note.id}/")),
    "delete note (tutorial path)": (3, 204, lambda a: a.client.delete(f"/api/notes/delete/{a.note.id}/")),
    "health": (1, 200, lambda a: APIClient().get("/api/health/")),
    "schema": (0, 200, lambda a: APIClient().get("/api/schema/")),
    "JWK Set (HS256: none)": (0, 404, lambda a: APIClient().get("/.well-known/jwks.json")),
}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_endpoint_query_count_is_fixed_and_does_not_grow_with_the_account(
    endpoint, django_assert_max_num_queries
):
    budget, status, send = ENDPOINTS[endpoint]
    counts = []
    for size in (1, 30):
        account = _account(f"{endpoint.split()[0]}-{size}", size)
        with django_assert_max_num_queries(budget) as captured:
            response = send(account)
        assert response.status_code == status, response.content
        counts.append(len(captured))

    assert counts[0] == counts[1]
