"""Every door that starts a session binds it to the DPoP key of a valid proof: the two-factor
step, the passkey logins and a password change's new pair, as `POST /api/token/` does."""

import jwt
import pytest
from rest_framework.test import APIClient

from api.models import MfaChallenge, TokenFamily
from api.tests.conftest import PASSWORD
from api.tests.dpop.conftest import DpopKey
from api.tests.mfa.conftest import clock, totp_user  # noqa: F401 (fixtures)
from api.tests.mfa.test_mfa_login import code_step, mfa_token_of, totp_code
from api.tests.passkeys.authenticator import login_options, passkey_login
from api.tests.passkeys.conftest import authenticator, passkey  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern orchard pebble quartz"


def assert_bound(body: dict, key: DpopKey) -> None:
    assert body["token_type"] == "DPoP"
    claims = jwt.decode(body["access"], options={"verify_signature": False})
    assert claims["cnf"] == {"jkt": key.thumbprint}
    session = TokenFamily.objects.get(pk=claims["fam"])
    assert session.dpop_jkt == key.thumbprint


def test_a_two_factor_login_with_a_proof_is_bound_to_its_key(user, totp_user, dpop_key):  # noqa: F811
    secret, _ = totp_user
    client = APIClient()
    mfa_token = mfa_token_of(client, user.username)

    response = code_step(
        client, mfa_token, totp_code(secret), HTTP_DPOP=dpop_key.proof("POST", "/api/token/mfa/")
    )

    assert response.status_code == 200, response.content
    assert_bound(response.json(), dpop_key)


def test_a_two_factor_login_with_a_bad_proof_spends_nothing(user, totp_user, dpop_key):  # noqa: F811
    secret, _ = totp_user
    client = APIClient()
    mfa_token = mfa_token_of(client, user.username)

    refused = code_step(client, mfa_token, totp_code(secret), HTTP_DPOP=dpop_key.proof("POST", "/api/token/"))

    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_dpop_proof"
    assert MfaChallenge.objects.get().used_at is None
    assert code_step(client, mfa_token, totp_code(secret)).status_code == 200


def test_a_passkey_login_with_a_proof_is_bound_to_its_key(user, passkey, authenticator, dpop_key):  # noqa: F811
    client = APIClient()

    response = passkey_login(
        client,
        authenticator.get(login_options(client)),
        HTTP_DPOP=dpop_key.proof("POST", "/api/token/passkey/"),
    )

    assert response.status_code == 200, response.content
    assert_bound(response.json(), dpop_key)


def test_a_password_change_over_dpop_keeps_the_sessions_key(dpop_login, dpop_key):
    access = dpop_login()["access"]
    path = "/api/user/password/"

    response = APIClient().post(
        path,
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
        HTTP_AUTHORIZATION=f"DPoP {access}",
        HTTP_DPOP=dpop_key.proof("POST", path, access=access),
    )

    assert response.status_code == 200, response.content
    assert_bound(response.json(), dpop_key)


def test_a_password_change_over_bearer_with_a_proof_binds_the_new_session(auth_client, dpop_key):
    response = auth_client.post(
        "/api/user/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
        HTTP_DPOP=dpop_key.proof("POST", "/api/user/password/"),
    )

    assert response.status_code == 200, response.content
    assert_bound(response.json(), dpop_key)


def test_a_password_change_without_a_proof_answers_bearer_tokens_as_before(auth_client):
    response = auth_client.post(
        "/api/user/password/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
