import pytest
from rest_framework.test import APIClient

from api.models import Note, User
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an entirely new passphrase"


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_me_returns_the_signed_in_user(auth_client, user):
    response = auth_client.get("/api/user/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": user.id,
        "username": "alice",
        "email": "",
        "email_verified": True,
        "pending_email": "",
        "date_joined": user.date_joined.isoformat().replace("+00:00", "Z"),
        "mfa_enabled": False,
    }


def test_me_patch_changes_email_only(auth_client, user):
    response = auth_client.patch(
        "/api/user/me/",
        {"email": "alice@example.com", "username": "mallory", "id": 99, "password": PASSWORD},
        format="json",
    )

    assert response.status_code == 200
    user.refresh_from_db()
    # Account mail is on in these tests: the new address waits for its link (test_email_verification.py).
    assert (user.pending_email, user.username, user.pk) == (
        "alice@example.com",
        "alice",
        response.json()["id"],
    )


def test_me_patch_rejects_invalid_email(auth_client, user):
    response = auth_client.patch("/api/user/me/", {"email": "nope", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert "email" in response.json()
    user.refresh_from_db()
    assert user.email == ""


def test_me_put_is_not_allowed(auth_client):
    response = auth_client.put("/api/user/me/", {"email": "a@example.com"}, format="json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_delete_account_with_password_deletes_user_notes_and_tokens(auth_client, user, tokens, make_note):
    make_note(user)

    response = auth_client.delete("/api/user/me/", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Note.objects.exists()
    assert (
        APIClient().post("/api/token/refresh/", {"refresh": tokens["refresh"]}, format="json").status_code
        == 401
    )


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        ({"password": "wrong password"}, 400, {"password": ["Wrong password."]}),
        ({}, 403, {"code": "reauthentication_required"}),
    ],
    ids=["wrong", "missing"],
)
def test_delete_account_with_wrong_or_missing_password_is_refused_and_keeps_everything(
    auth_client, user, make_note, body, status, answer
):
    make_note(user)

    response = auth_client.delete("/api/user/me/", body, format="json")

    assert response.status_code == status
    assert answer.items() <= response.json().items()
    assert User.objects.filter(pk=user.pk).exists()
    assert Note.objects.count() == 1


def test_password_change_kills_old_tokens_and_returns_working_ones(auth_client, user, tokens, login):
    other_device = login("alice")

    response = auth_client.post(
        "/api/user/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    fresh = response.json()
    assert set(fresh) == {"access", "refresh"}
    assert _bearer(fresh["access"]).get("/api/notes/").status_code == 200
    refresh = APIClient().post("/api/token/refresh/", {"refresh": fresh["refresh"]}, format="json")
    assert refresh.status_code == 200
    for old in (tokens, other_device):
        assert _bearer(old["access"]).get("/api/notes/").status_code == 401
        stale = APIClient().post("/api/token/refresh/", {"refresh": old["refresh"]}, format="json")
        assert stale.status_code == 401
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    login("alice", NEW_PASSWORD)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"old_password": "wrong password", "new_password": NEW_PASSWORD}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "short"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": "alice"}, "new_password"),
        ({"old_password": PASSWORD}, "new_password"),
    ],
)
def test_password_change_rejects_bad_input_and_changes_nothing(auth_client, user, tokens, body, field):
    response = auth_client.post("/api/user/password/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert _bearer(tokens["access"]).get("/api/notes/").status_code == 200


@pytest.mark.parametrize("new_password", ["grace.hopper.1906", "GraceHopper1906"])
def test_password_change_rejects_a_new_password_like_the_username(make_user, client_for, new_password):
    # Long, uncommon and not numeric: only the similarity check, which needs the account,
    # refuses it.
    user = make_user("grace.hopper.1906")

    response = client_for(user).post(
        "/api/user/password/", {"old_password": PASSWORD, "new_password": new_password}, format="json"
    )

    assert response.status_code == 400
    assert "new_password" in response.json()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_password_change_is_throttled_so_a_stolen_access_token_cannot_guess_the_password(
    auth_client, user, settings
):
    settings.AUTH_THROTTLE_RATE = "3/min"
    guess = {"old_password": "a wrong guess", "new_password": NEW_PASSWORD}

    guesses = [auth_client.post("/api/user/password/", guess, format="json") for _ in range(3)]
    right = auth_client.post(
        "/api/user/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert [response.status_code for response in guesses] == [400, 400, 400]
    assert all("old_password" in response.json() for response in guesses)
    assert right.status_code == 429
    assert right.json()["code"] == "throttled"
    assert int(right["Retry-After"]) > 0
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_account_endpoints_require_authentication(api_client):
    assert api_client.get("/api/user/me/").status_code == 401
    assert api_client.post("/api/user/password/", {}, format="json").status_code == 401


def test_account_changes_are_throttled_per_client_and_reads_are_not(auth_client, settings):
    settings.AUTH_THROTTLE_RATE = "3/min"
    change = {"email": "a@example.com", "password": PASSWORD}

    changes = [auth_client.patch("/api/user/me/", change, format="json").status_code for _ in range(4)]
    reads = [auth_client.get("/api/user/me/").status_code for _ in range(5)]

    assert changes == [200, 200, 200, 429]
    assert reads == [200] * 5
