"""A passkey as the second factor: an account with TOTP on finishes `mfa_required` with one of its
passkeys instead of a code, through options bound to that waiting login."""

import pytest
from rest_framework.test import APIClient

from api.models import MfaChallenge, SecurityEvent
from api.tests.conftest import PASSWORD
from api.tests.mfa.conftest import clock  # noqa: F401
from api.tests.mfa.test_mfa_login import enable_totp, mfa_token_of
from api.tests.passkeys.authenticator import SoftAuthenticator, login_options, register_passkey

pytestmark = pytest.mark.django_db

OPTIONS = "/api/token/mfa/passkey/options/"
FINISH = "/api/token/mfa/passkey/"


@pytest.fixture
def totp_and_passkey(user, auth_client, clock):  # noqa: F811
    """alice with TOTP on and a passkey: its authenticator."""
    enable_totp(auth_client, clock)
    authenticator = SoftAuthenticator()
    register_passkey(auth_client, authenticator)
    return authenticator


def _options(client: APIClient, mfa_token: str) -> dict:
    response = client.post(OPTIONS, {"mfa_token": mfa_token}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _finish(client: APIClient, mfa_token: str, answer: dict):
    return client.post(FINISH, {"mfa_token": mfa_token, "credential": answer}, format="json")


def test_an_account_with_totp_finishes_mfa_required_with_a_passkey(api_client, user, totp_and_passkey):
    mfa_token = mfa_token_of(api_client, "alice")

    response = _finish(api_client, mfa_token, totp_and_passkey.get(_options(api_client, mfa_token)))

    assert response.status_code == 200, response.content
    assert set(response.json()) == {"access", "refresh"}
    assert "login_device" in response.cookies
    event = SecurityEvent.objects.filter(user=user, kind="login").latest("created_at")
    assert event.detail.startswith("second factor, passkey")
    assert MfaChallenge.objects.get(user=user, used_at__isnull=False)


def test_the_options_name_the_accounts_passkeys(api_client, totp_and_passkey):
    options = _options(api_client, mfa_token_of(api_client, "alice"))

    assert [entry["id"] for entry in options["allowCredentials"]] == [totp_and_passkey.id]
    assert options["userVerification"] == "required"


def test_an_account_without_a_passkey_is_told_so(api_client, user, auth_client, clock):  # noqa: F811
    enable_totp(auth_client, clock)

    response = api_client.post(OPTIONS, {"mfa_token": mfa_token_of(api_client, "alice")}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "no_passkey"


def test_options_for_a_token_that_is_no_mfa_token_are_refused(api_client, tokens):
    response = api_client.post(OPTIONS, {"mfa_token": tokens["access"]}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"


def test_a_passkey_of_another_account_is_refused_and_counts_against_the_mfa_token(
    api_client, user, totp_and_passkey, make_user, client_for
):
    bobs = SoftAuthenticator()
    register_passkey(client_for(make_user("bob")), bobs)
    mfa_token = mfa_token_of(api_client, "alice")

    response = _finish(api_client, mfa_token, bobs.get(_options(api_client, mfa_token)))

    assert response.status_code == 401
    assert response.json()["code"] == "passkey_invalid"
    assert MfaChallenge.objects.get(user=user, used_at__isnull=True).attempts == 1


def test_refused_passkeys_at_the_second_step_count_toward_the_accounts_limit_of_every_door(
    user, totp_and_passkey, settings
):
    settings.LOGIN_FAILURE_RATE = "2/hour"
    for _ in range(2):
        client = APIClient()
        mfa_token = mfa_token_of(client, "alice")
        answer = totp_and_passkey.get(_options(client, mfa_token), verified=False)
        assert _finish(client, mfa_token, answer).json()["code"] == "passkey_invalid"

    client = APIClient()
    password = client.post("/api/token/", {"username": "alice", "password": PASSWORD}, format="json")

    assert password.status_code == 429
    assert SecurityEvent.objects.filter(user=user, kind="login_failed").count() == 2


def test_a_refused_passkey_leaves_the_login_to_finish_with_new_options(api_client, totp_and_passkey):
    mfa_token = mfa_token_of(api_client, "alice")
    refused = _finish(
        api_client, mfa_token, totp_and_passkey.get(_options(api_client, mfa_token), verified=False)
    )
    assert refused.json()["code"] == "passkey_invalid"

    response = _finish(api_client, mfa_token, totp_and_passkey.get(_options(api_client, mfa_token)))

    assert response.status_code == 200, response.content


def test_options_of_one_waiting_login_do_not_finish_another(api_client, totp_and_passkey):
    first, second = mfa_token_of(api_client, "alice"), mfa_token_of(api_client, "alice")

    response = _finish(api_client, second, totp_and_passkey.get(_options(api_client, first)))

    assert response.status_code == 401
    assert response.json()["code"] == "passkey_challenge_invalid"


def test_passwordless_login_options_do_not_finish_a_two_factor_login(api_client, totp_and_passkey):
    mfa_token = mfa_token_of(api_client, "alice")

    response = _finish(api_client, mfa_token, totp_and_passkey.get(login_options(api_client)))

    assert response.json()["code"] == "passkey_challenge_invalid"


def test_a_finished_login_cannot_finish_again(api_client, totp_and_passkey):
    mfa_token = mfa_token_of(api_client, "alice")
    assert (
        _finish(api_client, mfa_token, totp_and_passkey.get(_options(api_client, mfa_token))).status_code
        == 200
    )

    response = api_client.post(OPTIONS, {"mfa_token": mfa_token}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"


def test_a_passkey_answer_is_no_code_at_the_code_step(api_client, totp_and_passkey):
    mfa_token = mfa_token_of(api_client, "alice")

    response = api_client.post(
        "/api/token/mfa/",
        {"mfa_token": mfa_token, "code": totp_and_passkey.get(_options(api_client, mfa_token))},
        format="json",
    )

    assert response.status_code == 400
