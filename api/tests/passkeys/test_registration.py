"""Registering a passkey: creation options behind a fresh proof, then the browser's answer,
checked against its challenge (single-use, short-lived, the caller's), origin, RP ID and user
verification."""

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Passkey, SecurityEvent
from api.passkeys.services import MAX_PASSKEYS
from api.tests.conftest import PASSWORD
from api.tests.passkeys.authenticator import (
    SoftAuthenticator,
    b64url,
    login_options,
    register_passkey,
    registration_options,
    unb64url,
)

pytestmark = pytest.mark.django_db

OPTIONS = "/api/user/passkeys/register/options/"
REGISTER = "/api/user/passkeys/register/"


def _register(client, answer: dict, **extra):
    return client.post(REGISTER, {"credential": answer, **extra}, format="json")


def _assert_refused(response, code: str = "passkey_invalid") -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code
    assert not Passkey.objects.exists()


# --- Options --------------------------------------------------------------------------------


def test_registration_options_need_a_fresh_proof(auth_client):
    assert auth_client.post(OPTIONS).json()["code"] == "reauthentication_required"
    assert auth_client.post(OPTIONS, {"password": "wrong"}, format="json").status_code == 400

    assert auth_client.post(OPTIONS, {"password": PASSWORD}, format="json").status_code == 200


def test_registration_options_accept_a_step_up_token_instead_of_the_password(auth_client):
    token = auth_client.post("/api/user/reauthenticate/", {"password": PASSWORD}, format="json").json()

    response = auth_client.post(OPTIONS, HTTP_X_REAUTH_TOKEN=token["reauth_token"])

    assert response.status_code == 200, response.content


def test_registration_options_ask_for_a_discoverable_user_verified_passkey_without_attestation(
    auth_client, user
):
    options = registration_options(auth_client)

    assert options["rp"] == {"id": "localhost", "name": "Notes API"}
    assert options["user"]["name"] == "alice"
    assert options["authenticatorSelection"] == {
        "residentKey": "preferred",
        "requireResidentKey": False,
        "userVerification": "required",
    }
    assert options["attestation"] == "none"
    assert options["timeout"] == 300_000
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    assert len(unb64url(options["challenge"])) == 32
    assert options["excludeCredentials"] == []


def test_the_user_handle_is_random_and_the_same_for_every_passkey_of_the_account(
    auth_client, user, make_user, client_for
):
    first = registration_options(auth_client)["user"]["id"]

    handle = unb64url(first)
    assert len(handle) == 32
    # Compared whole: a short id such as b"1" is somewhere in 32 random bytes one time in nine.
    assert int.from_bytes(handle, "big") != user.pk and handle.rstrip(b"\0") != str(user.pk).encode()
    assert b"alice" not in handle
    assert registration_options(auth_client)["user"]["id"] == first
    # Another account's is another random value, not the next one of a sequence.
    other = unb64url(registration_options(client_for(make_user("bob")))["user"]["id"])
    assert len(other) == 32
    assert other != handle
    assert abs(int.from_bytes(other, "big") - int.from_bytes(handle, "big")) > 2**128


def test_each_options_call_has_a_new_challenge(auth_client):
    assert registration_options(auth_client)["challenge"] != registration_options(auth_client)["challenge"]


def test_the_accounts_passkeys_are_excluded_so_an_authenticator_is_not_registered_twice(
    auth_client, passkey, authenticator
):
    options = registration_options(auth_client)

    assert options["excludeCredentials"] == [
        {"id": authenticator.id, "type": "public-key", "transports": ["internal", "hybrid"]}
    ]


def test_an_account_has_at_most_max_passkeys(auth_client, user):
    Passkey.objects.bulk_create(
        Passkey(user=user, credential_id=f"k{n}", public_key=b"", name="n", created_at=timezone.now())
        for n in range(MAX_PASSKEYS)
    )

    response = auth_client.post(OPTIONS, {"password": PASSWORD}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "too_many_passkeys"


# --- The answer -----------------------------------------------------------------------------


def test_a_registered_passkey_is_answered_201_and_stored_with_its_key_counter_and_flags(auth_client, user):
    authenticator = SoftAuthenticator(synced=True)
    answer = authenticator.create(registration_options(auth_client))

    response = _register(auth_client, answer, name="Laptop")

    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "name", "created_at", "last_used_at", "backed_up", "transports"}
    assert body["name"] == "Laptop"
    assert body["last_used_at"] is None
    assert body["backed_up"] is True
    assert body["transports"] == ["internal", "hybrid"]
    stored = Passkey.objects.get(pk=body["id"])
    assert stored.user == user
    assert stored.credential_id == authenticator.id
    assert stored.sign_count == 0
    assert stored.backup_eligible is True
    assert stored.aaguid == "00000000-0000-0000-0000-000000000000"


def test_a_passkey_without_a_name_is_called_passkey(auth_client, authenticator):
    assert register_passkey(auth_client, authenticator)["name"] == "Passkey"


def test_registering_is_logged_and_mailed_to_the_account(mailed_user, auth_client, authenticator):
    mail.outbox.clear()

    register_passkey(auth_client, authenticator, name="Phone")

    event = SecurityEvent.objects.filter(user=mailed_user).latest("created_at")
    assert (event.kind, event.detail) == ("passkey_added", "Phone")
    (notice,) = mail.outbox
    assert notice.to == ["alice@example.com"]
    assert "a passkey was added" in notice.body


def test_an_account_may_have_several_passkeys(auth_client):
    register_passkey(auth_client, SoftAuthenticator(), name="Laptop")
    register_passkey(auth_client, SoftAuthenticator(), name="Phone")

    assert [p["name"] for p in auth_client.get("/api/user/passkeys/").json()] == ["Laptop", "Phone"]


def test_the_same_credential_cannot_be_registered_twice(auth_client, passkey, authenticator):
    # A browser never sends it (excludeCredentials); a hand-made request may.
    response = _register(auth_client, authenticator.create(registration_options(auth_client)))

    assert response.status_code == 409
    assert response.json()["code"] == "passkey_already_registered"
    assert Passkey.objects.count() == 1


def test_an_answer_from_another_origin_is_refused(auth_client, authenticator):
    answer = authenticator.create(registration_options(auth_client), origin="https://evil.example")

    _assert_refused(_register(auth_client, answer))


def test_an_answer_for_another_rp_id_is_refused(auth_client, authenticator):
    answer = authenticator.create(registration_options(auth_client), rp_id="evil.example")

    _assert_refused(_register(auth_client, answer))


def test_an_answer_without_user_verification_is_refused(auth_client, authenticator):
    answer = authenticator.create(registration_options(auth_client), verified=False)

    _assert_refused(_register(auth_client, answer))


def test_an_answer_to_no_challenge_of_ours_is_refused(auth_client, authenticator):
    registration_options(auth_client)
    answer = authenticator.create(registration_options(auth_client), challenge=b64url(b"x" * 32))

    _assert_refused(_register(auth_client, answer), "passkey_challenge_invalid")


def test_a_challenge_registers_once(auth_client, authenticator):
    answer = authenticator.create(registration_options(auth_client))
    assert _register(auth_client, answer).status_code == 201
    Passkey.objects.all().delete()

    _assert_refused(_register(auth_client, answer), "passkey_challenge_invalid")


def test_a_refused_answer_spends_its_challenge_too(auth_client, authenticator):
    options = registration_options(auth_client)
    _assert_refused(_register(auth_client, authenticator.create(options, verified=False)))

    _assert_refused(_register(auth_client, authenticator.create(options)), "passkey_challenge_invalid")


def test_a_challenge_expires_after_webauthn_challenge_max_age(auth_client, authenticator, settings):
    settings.WEBAUTHN_CHALLENGE_MAX_AGE = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        answer = authenticator.create(registration_options(auth_client))
        clock.shift(61)

        _assert_refused(_register(auth_client, answer), "passkey_challenge_invalid")


def test_a_challenge_of_another_user_does_not_register(auth_client, make_user, client_for, authenticator):
    bobs_options = registration_options(client_for(make_user("bob")))

    _assert_refused(_register(auth_client, authenticator.create(bobs_options)), "passkey_challenge_invalid")


def test_a_login_challenge_does_not_register(auth_client, authenticator):
    options = registration_options(auth_client)
    login_challenge = login_options(APIClient())["challenge"]

    answer = authenticator.create(options, challenge=login_challenge)

    _assert_refused(_register(auth_client, answer), "passkey_challenge_invalid")


def test_a_step_up_challenge_does_not_register(auth_client, passkey):
    # Step-up options need only the access token: were their challenge good for registering, a
    # stolen access token would add a passkey without the fresh proof registration asks for.
    step_up = auth_client.post("/api/user/reauthenticate/passkey/options/")
    assert step_up.status_code == 200, step_up.content

    answer = SoftAuthenticator().create(
        registration_options(auth_client), challenge=step_up.json()["challenge"]
    )
    response = _register(auth_client, answer)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "passkey_challenge_invalid"
    assert Passkey.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        lambda a: a.update(id="AAAA"),
        lambda a: a.update(type="password"),
        lambda a: a["response"].update(attestationObject=b64url(b"\xa1\x00")),
        lambda a: a["response"].update(clientDataJSON=b64url(b"not json")),
        lambda a: a["response"].pop("attestationObject"),
        lambda a: a["response"].update(transports="internal"),
    ],
    ids=[
        "id-not-raw-id",
        "type",
        "attestation-garbage",
        "client-data-garbage",
        "no-attestation",
        "transports",
    ],
)
def test_a_malformed_answer_is_a_400_and_stores_nothing(auth_client, authenticator, change):
    answer = authenticator.create(registration_options(auth_client))
    change(answer)

    response = _register(auth_client, answer)

    assert response.status_code == 400, response.content
    body = response.json()
    assert body.get("code") == "passkey_invalid" or all(isinstance(m, str) for m in body["credential"])
    assert not Passkey.objects.exists()


def test_passkeys_are_off_without_an_rp_id(auth_client, settings):
    settings.WEBAUTHN_RP_ID = ""

    for path in (OPTIONS, "/api/token/passkey/options/", "/api/user/reauthenticate/passkey/options/"):
        client = APIClient() if path.startswith("/api/token/") else auth_client
        response = client.post(path, {"password": PASSWORD}, format="json")
        assert response.status_code == 404, (path, response.content)
        assert response.json()["code"] == "passkeys_disabled"
