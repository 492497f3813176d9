"""The caller's passkeys: listed, renamed, deleted with a fresh proof, and never the account's last
way to log in."""

import pytest
from django.core import mail
from django.utils import timezone

from api.models import OidcIdentity, Passkey, SecurityEvent
from api.tests.conftest import PASSWORD
from api.tests.passkeys.authenticator import SoftAuthenticator, register_passkey

pytestmark = pytest.mark.django_db

LIST = "/api/user/passkeys/"


def _detail(passkey: dict) -> str:
    return f"/api/user/passkeys/{passkey['id']}/"


def _step_up_with(client, authenticator: SoftAuthenticator) -> dict:
    """The header of a step-up token proven with `authenticator`'s passkey."""
    options = client.post("/api/user/reauthenticate/passkey/options/").json()
    response = client.post(
        "/api/user/reauthenticate/", {"credential": authenticator.get(options)}, format="json"
    )
    assert response.status_code == 200, response.content
    return {"HTTP_X_REAUTH_TOKEN": response.json()["reauth_token"]}


def _without_password(user) -> None:
    user.set_unusable_password()
    user.save(update_fields=["password"])


def test_the_list_has_the_callers_passkeys_only(auth_client, passkey, make_user, client_for):
    register_passkey(client_for(make_user("bob")), SoftAuthenticator(), name="Bob's")

    response = auth_client.get(LIST)

    assert response.status_code == 200
    assert response.json() == [passkey]


def test_the_list_needs_a_signed_in_caller(api_client):
    assert api_client.get(LIST).status_code == 401


def test_a_passkey_is_renamed(auth_client, passkey):
    response = auth_client.patch(_detail(passkey), {"name": "Work laptop"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json() == {**passkey, "name": "Work laptop"}
    assert Passkey.objects.get(pk=passkey["id"]).name == "Work laptop"


@pytest.mark.parametrize("name", ["", "x" * 65])
def test_a_name_must_be_1_to_64_characters(auth_client, passkey, name):
    response = auth_client.patch(_detail(passkey), {"name": name}, format="json")

    assert response.status_code == 400
    assert "name" in response.json()
    assert Passkey.objects.get(pk=passkey["id"]).name == "Passkey"


def test_another_users_passkey_is_a_404_to_rename_and_to_delete(auth_client, make_user, client_for):
    bobs = register_passkey(client_for(make_user("bob")), SoftAuthenticator())

    renamed = auth_client.patch(_detail(bobs), {"name": "mine"}, format="json")
    deleted = auth_client.delete(_detail(bobs), {"password": PASSWORD}, format="json")

    assert (renamed.status_code, deleted.status_code) == (404, 404)
    assert Passkey.objects.get(pk=bobs["id"]).name == "Passkey"


def test_deleting_needs_a_fresh_proof(auth_client, passkey):
    response = auth_client.delete(_detail(passkey))

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    assert Passkey.objects.filter(pk=passkey["id"]).exists()


def test_a_deleted_passkey_is_gone_logged_and_mailed(mailed_user, auth_client, authenticator):
    passkey = register_passkey(auth_client, authenticator, name="Old phone")
    mail.outbox.clear()

    response = auth_client.delete(_detail(passkey), {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert auth_client.get(LIST).json() == []
    event = SecurityEvent.objects.filter(user=mailed_user).latest("created_at")
    assert (event.kind, event.detail) == ("passkey_removed", "Old phone")
    (notice,) = mail.outbox
    assert "a passkey was removed" in notice.body


def test_the_last_passkey_of_an_account_without_a_password_is_kept(auth_client, user, passkey, authenticator):
    _without_password(user)

    response = auth_client.delete(_detail(passkey), **_step_up_with(auth_client, authenticator))

    assert response.status_code == 409
    assert response.json()["code"] == "last_login_method"
    assert Passkey.objects.filter(pk=passkey["id"]).exists()


def test_an_account_without_a_password_may_delete_one_of_two_passkeys(
    auth_client, user, passkey, authenticator
):
    spare = register_passkey(auth_client, SoftAuthenticator(), name="Spare")
    _without_password(user)
    proof = _step_up_with(auth_client, authenticator)

    assert auth_client.delete(_detail(spare), **proof).status_code == 204
    assert auth_client.delete(_detail(passkey), **proof).json()["code"] == "last_login_method"


def test_the_last_passkey_may_go_when_a_linked_provider_account_still_logs_in(
    auth_client, user, passkey, authenticator
):
    OidcIdentity.objects.create(
        user=user, provider="test", issuer="https://idp.example", subject="s", created_at=timezone.now()
    )
    _without_password(user)

    response = auth_client.delete(_detail(passkey), **_step_up_with(auth_client, authenticator))

    assert response.status_code == 204, response.content
    assert not Passkey.objects.exists()


def test_an_account_with_a_password_may_delete_its_only_passkey(auth_client, passkey):
    response = auth_client.delete(_detail(passkey), {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not Passkey.objects.exists()


def test_deleting_the_account_deletes_its_passkeys(auth_client, passkey):
    response = auth_client.delete("/api/user/me/", {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not Passkey.objects.exists()
