"""Step-up with a passkey: `POST /api/user/reauthenticate/` takes the answer of one of the caller's
passkeys to its options, for a step-up token of the caller's session."""

import pytest

from api.models import SecurityEvent
from api.tests.conftest import PASSWORD
from api.tests.passkeys.authenticator import (
    SoftAuthenticator,
    login_options,
    register_passkey,
    registration_options,
)

pytestmark = pytest.mark.django_db

OPTIONS = "/api/user/reauthenticate/passkey/options/"
REAUTH = "/api/user/reauthenticate/"


def _options(client) -> dict:
    response = client.post(OPTIONS)
    assert response.status_code == 200, response.content
    return response.json()


def _reauthenticate(client, answer):
    return client.post(REAUTH, {"credential": answer}, format="json")


def test_a_passkey_answer_gives_a_step_up_token_that_a_sensitive_change_accepts(
    auth_client, user, passkey, authenticator
):
    response = _reauthenticate(auth_client, authenticator.get(_options(auth_client)))

    assert response.status_code == 200, response.content
    token = response.json()["reauth_token"]
    change = auth_client.patch(
        "/api/user/me/", {"email": "alice@new.example"}, format="json", HTTP_X_REAUTH_TOKEN=token
    )
    assert change.status_code == 200, change.content
    event = SecurityEvent.objects.filter(user=user, kind="reauthenticated").latest("created_at")
    assert event.detail == "passkey"


def test_the_options_name_the_callers_passkeys_only(
    auth_client, passkey, authenticator, make_user, client_for
):
    register_passkey(client_for(make_user("bob")), SoftAuthenticator())

    options = _options(auth_client)

    assert [entry["id"] for entry in options["allowCredentials"]] == [authenticator.id]


def test_the_options_need_a_passkey(auth_client):
    response = auth_client.post(OPTIONS)

    assert response.status_code == 400
    assert response.json()["code"] == "no_passkey"


def test_the_options_need_a_signed_in_caller(api_client):
    assert api_client.post(OPTIONS).status_code == 401


def test_another_users_passkey_is_refused_and_counted(
    auth_client, user, passkey, make_user, client_for, settings
):
    settings.LOGIN_FAILURE_RATE = "1/hour"
    bobs = SoftAuthenticator()
    register_passkey(client_for(make_user("bob")), bobs)

    response = _reauthenticate(auth_client, bobs.get(_options(auth_client)))

    assert response.status_code == 400
    assert response.json()["code"] == "passkey_invalid"
    again = auth_client.post(REAUTH, {"password": PASSWORD}, format="json")
    assert again.status_code == 429


def test_a_challenge_of_another_user_is_refused(auth_client, passkey, authenticator, make_user, client_for):
    bob = client_for(make_user("bob"))
    register_passkey(bob, SoftAuthenticator())

    response = _reauthenticate(auth_client, authenticator.get(_options(bob)))

    assert response.status_code == 400
    assert response.json()["code"] == "passkey_challenge_invalid"


def test_login_options_are_no_step_up(auth_client, passkey, authenticator, api_client):
    response = _reauthenticate(auth_client, authenticator.get(login_options(api_client)))

    assert response.json()["code"] == "passkey_challenge_invalid"


def test_registration_options_are_no_step_up(auth_client, passkey, authenticator):
    registration = registration_options(auth_client)

    response = _reauthenticate(
        auth_client, authenticator.get(_options(auth_client), challenge=registration["challenge"])
    )

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "passkey_challenge_invalid"
    assert "reauth_token" not in response.json()


def test_a_step_up_answer_without_user_verification_is_refused(auth_client, passkey, authenticator):
    response = _reauthenticate(auth_client, authenticator.get(_options(auth_client), verified=False))

    assert response.status_code == 400
    assert response.json()["code"] == "passkey_invalid"


def test_a_malformed_answer_is_a_field_error_of_credential(auth_client, passkey):
    response = auth_client.post(REAUTH, {"credential": {"id": "AAAA"}}, format="json")

    assert response.status_code == 400
    messages = response.json()["credential"]
    assert "rawId: This field is required." in messages
    assert "response: This field is required." in messages


def test_a_password_and_a_passkey_answer_together_are_refused(auth_client, passkey, authenticator):
    answer = authenticator.get(_options(auth_client))

    response = auth_client.post(REAUTH, {"password": PASSWORD, "credential": answer}, format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
