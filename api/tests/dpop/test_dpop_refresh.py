"""A session bound to a DPoP key refreshes only with a proof by that key (RFC 9449 section 5),
in body mode and in cookie mode; an unbound session refreshes as before."""

import jwt
import pytest

from api.models import TokenFamily
from api.tests.conftest import PASSWORD
from api.tests.dpop.conftest import DpopKey
from api.tests.sessions.test_refresh_cookie import Browser, cookie_mode  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

REFRESH = "/api/token/refresh/"


def refresh(api_client, token: str, proof: str | None):
    headers = {} if proof is None else {"HTTP_DPOP": proof}
    return api_client.post(REFRESH, {"refresh": token}, format="json", **headers)


def test_a_bound_session_refreshes_with_a_proof_by_its_key_and_stays_bound(api_client, dpop_login, dpop_key):
    answer = refresh(api_client, dpop_login()["refresh"], dpop_key.proof("POST", REFRESH))

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["token_type"] == "DPoP"
    for token in (body["access"], body["refresh"]):
        assert jwt.decode(token, options={"verify_signature": False})["cnf"] == {"jkt": dpop_key.thumbprint}


def test_a_bound_session_refused_a_refresh_without_a_proof(api_client, dpop_login):
    tokens = dpop_login()

    response = refresh(api_client, tokens["refresh"], None)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dpop_proof"
    # Refused before anything was spent: the same token still refreshes with the key's proof.
    assert TokenFamily.objects.get().rotated_at is None


def test_a_bound_session_refuses_a_refresh_with_another_keys_proof(api_client, dpop_login):
    response = refresh(api_client, dpop_login()["refresh"], DpopKey().proof("POST", REFRESH))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dpop_proof"
    assert TokenFamily.objects.get().rotated_at is None


def test_a_bound_session_refuses_a_refresh_with_a_proof_for_another_endpoint(
    api_client, dpop_login, dpop_key
):
    response = refresh(api_client, dpop_login()["refresh"], dpop_key.proof("POST", "/api/token/"))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dpop_proof"


def test_an_unbound_session_refreshes_without_a_proof_as_before(api_client, tokens):
    response = refresh(api_client, tokens["refresh"], None)

    assert response.status_code == 200
    assert "token_type" not in response.json()


def test_with_dpop_required_a_refresh_without_a_proof_is_refused(settings, api_client, tokens):
    settings.JWT_REQUIRE_DPOP = True

    response = refresh(api_client, tokens["refresh"], None)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_dpop_proof"


def test_in_cookie_mode_a_bound_session_refreshes_only_with_its_keys_proof(cookie_mode, user):  # noqa: F811
    key = DpopKey()
    browser = Browser()
    login = browser.post(
        "/api/token/",
        {"username": user.username, "password": PASSWORD},
        HTTP_DPOP=key.proof("POST", "/api/token/"),
    )
    assert login.status_code == 200, login.content
    assert login.json()["token_type"] == "DPoP"

    assert browser.refresh().status_code == 400
    assert browser.refresh(HTTP_DPOP=DpopKey().proof("POST", REFRESH)).status_code == 400
    answer = browser.refresh(HTTP_DPOP=key.proof("POST", REFRESH))
    assert answer.status_code == 200, answer.content
    assert set(answer.json()) == {"access", "token_type"}
