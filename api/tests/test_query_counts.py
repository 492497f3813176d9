"""Every endpoint makes a fixed number of SQL queries, whatever the size of the account."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Note, Passkey, TotpDevice, User
from api.passkeys.services import MAX_PASSKEYS
from api.sessions import services
from api.tests.conftest import PASSWORD
from api.tests.passkeys.authenticator import SoftAuthenticator, b64url, stored_passkey

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
        # look-alike keys, its security log, its passkeys and their challenges, and its OpenID
        # Connect identities, sign-ins and one-time codes.
        25,
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


# --- Passkeys: each request after the ceremony's options (`prepare`, not counted) -------------


@dataclass
class PasskeyAccount:
    """An `Account` with up to `size` passkeys besides the one of `authenticator`."""

    account: Account
    authenticator: SoftAuthenticator
    passkey: Passkey


def _passkey_account(username: str, size: int) -> PasskeyAccount:
    account = _account(username, size)
    authenticator = SoftAuthenticator()
    passkey = stored_passkey(account.user, authenticator)
    Passkey.objects.bulk_create(
        Passkey(
            user=account.user,
            credential_id=b64url(f"{username}-{n}".encode()),
            public_key=b"",
            name="n",
            created_at=timezone.now(),
        )
        for n in range(min(size, MAX_PASSKEYS - 2))
    )
    return PasskeyAccount(account, authenticator, passkey)


def _post(client: APIClient, path: str, body: dict | None = None, **headers):
    return client.post(path, body, format="json", **headers)


def _mfa_token(p: PasskeyAccount) -> str:
    TotpDevice.objects.create(
        user=p.account.user, secret="A" * 32, created_at=timezone.now(), confirmed_at=timezone.now()
    )
    User.objects.filter(pk=p.account.user.pk).update(mfa_enabled=True)
    login = _anonymous("post", "/api/token/", {"username": p.account.user.username, "password": PASSWORD})
    return login.json()["mfa_token"]


def _mfa_answer(p: PasskeyAccount) -> dict:
    mfa_token = _mfa_token(p)
    options = _post(APIClient(), "/api/token/mfa/passkey/options/", {"mfa_token": mfa_token}).json()
    return {"mfa_token": mfa_token, "credential": p.authenticator.get(options)}


def _reauth_answer(p: PasskeyAccount) -> dict:
    options = _post(p.account.client, "/api/user/reauthenticate/passkey/options/").json()
    return {"credential": p.authenticator.get(options)}


def _registration_answer(p: PasskeyAccount) -> dict:
    options = _post(p.account.client, "/api/user/passkeys/register/options/", {"password": PASSWORD}).json()
    return {"credential": SoftAuthenticator().create(options)}


def _login_answer(p: PasskeyAccount) -> dict:
    return {"credential": p.authenticator.get(_post(APIClient(), "/api/token/passkey/options/").json())}


PasskeyRequest = Callable[[PasskeyAccount, object], object]
# endpoint: (most queries allowed, expected status, prepare, the request given what prepare made).
PASSKEY_ENDPOINTS: dict[str, tuple[int, int, Callable[[PasskeyAccount], object], PasskeyRequest]] = {
    "list passkeys": (2, 200, lambda p: None, lambda p, _: p.account.client.get("/api/user/passkeys/")),
    "rename passkey": (
        # The lookup, the conditional UPDATE, and the renamed row read back.
        4,
        200,
        lambda p: None,
        lambda p, _: p.account.client.patch(
            f"/api/user/passkeys/{p.passkey.pk}/", {"name": "x"}, format="json"
        ),
    ),
    "delete passkey": (
        # The password proof (counted as a login is), the account's lock, the last-way-to-log-in
        # reads, the deletion and the security log's row.
        14,
        204,
        lambda p: None,
        lambda p, _: p.account.client.delete(
            f"/api/user/passkeys/{p.passkey.pk}/", {"password": PASSWORD}, format="json"
        ),
    ),
    "passkey registration options": (
        # The password proof; the account's passkeys for `excludeCredentials`, and the
        # challenge's row (the user handle is made once, at the first options).
        6,
        200,
        lambda p: None,
        lambda p, _: _post(p.account.client, "/api/user/passkeys/register/options/", {"password": PASSWORD}),
    ),
    "register passkey": (
        # The challenge read and spent; the account's lock, its passkey count, the id's check,
        # the new row; the security log's row.
        12,
        201,
        _registration_answer,
        lambda p, body: _post(p.account.client, "/api/user/passkeys/register/", body),
    ),
    "passkey login options": (
        1,
        200,
        lambda p: None,
        lambda p, _: _post(APIClient(), "/api/token/passkey/options/"),
    ),
    "passkey login": (
        # As a password login, with the passkey's lookup, the challenge read and spent, and the
        # counter moved.
        14,
        200,
        _login_answer,
        lambda p, body: _post(APIClient(), "/api/token/passkey/", body),
    ),
    "passkey second factor options": (
        3,
        200,
        _mfa_token,
        lambda p, mfa_token: _post(APIClient(), "/api/token/mfa/passkey/options/", {"mfa_token": mfa_token}),
    ),
    "passkey second factor": (
        # As a second step with a code, with the passkey's lookup, the challenge read and spent,
        # and the counter moved.
        19,
        200,
        _mfa_answer,
        lambda p, body: _post(APIClient(), "/api/token/mfa/passkey/", body),
    ),
    "passkey step-up options": (
        3,
        200,
        lambda p: None,
        lambda p, _: _post(p.account.client, "/api/user/reauthenticate/passkey/options/"),
    ),
    "passkey step-up": (
        # The failure counts, the passkey's lookup, the challenge read and spent, the counter
        # moved, and the security log's row.
        11,
        200,
        _reauth_answer,
        lambda p, body: _post(p.account.client, "/api/user/reauthenticate/", body),
    ),
}


@pytest.mark.parametrize("endpoint", PASSKEY_ENDPOINTS)
def test_passkey_endpoint_query_count_is_fixed_and_does_not_grow_with_the_account(
    endpoint, django_assert_max_num_queries
):
    budget, status, prepare, send = PASSKEY_ENDPOINTS[endpoint]
    counts = []
    for size in (1, 30):
        passkey_account = _passkey_account(f"{endpoint.replace(' ', '-')}-{size}", size)
        prepared = prepare(passkey_account)
        with django_assert_max_num_queries(budget) as captured:
            response = send(passkey_account, prepared)
        assert response.status_code == status, response.content
        counts.append(len(captured))

    assert counts[0] == counts[1]
