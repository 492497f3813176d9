"""A session bound to a DPoP key is logged out only with a proof by that key, as it refreshes:
a copied refresh token alone can neither go on with the session nor end it."""

import pytest

from api.models import TokenFamily
from api.tests.conftest import PASSWORD
from api.tests.dpop.conftest import DpopKey
from api.tests.sessions.test_refresh_cookie import Browser, cookie_mode  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

LOGOUT = "/api/token/blacklist/"
REFRESH = "/api/token/refresh/"


def logout(api_client, token: str, proof: str | None):
    headers = {} if proof is None else {"HTTP_DPOP": proof}
    return api_client.post(LOGOUT, {"refresh": token}, format="json", **headers)


@pytest.mark.parametrize("proof_by", ["nobody", "another key", "its key, for another endpoint"])
def test_a_bound_session_is_not_logged_out_without_a_proof_by_its_key(
    api_client, dpop_login, dpop_key, proof_by
):
    tokens = dpop_login()
    proof = {
        "nobody": None,
        "another key": DpopKey().proof("POST", LOGOUT),
        "its key, for another endpoint": dpop_key.proof("POST", REFRESH),
    }[proof_by]

    response = logout(api_client, tokens["refresh"], proof)

    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_dpop_proof"
    assert TokenFamily.objects.get().revoked_at is None
    still = api_client.post(
        REFRESH, {"refresh": tokens["refresh"]}, format="json", HTTP_DPOP=dpop_key.proof("POST", REFRESH)
    )
    assert still.status_code == 200, still.content


def test_a_bound_session_is_logged_out_with_a_proof_by_its_key(api_client, dpop_login, dpop_key):
    tokens = dpop_login()

    response = logout(api_client, tokens["refresh"], dpop_key.proof("POST", LOGOUT))

    assert response.status_code == 200, response.content
    after = api_client.post(
        REFRESH, {"refresh": tokens["refresh"]}, format="json", HTTP_DPOP=dpop_key.proof("POST", REFRESH)
    )
    assert after.status_code == 401
    assert after.json()["code"] == "token_not_valid"


def test_an_unbound_session_is_logged_out_without_a_proof_as_before(api_client, tokens):
    assert logout(api_client, tokens["refresh"], None).status_code == 200
    assert TokenFamily.objects.get().revoked_at is not None


def test_in_cookie_mode_a_bound_session_keeps_its_cookie_until_its_keys_proof_logs_it_out(cookie_mode, user):  # noqa: F811
    key = DpopKey()
    browser = Browser()
    login = browser.post(
        "/api/token/",
        {"username": user.username, "password": PASSWORD},
        HTTP_DPOP=key.proof("POST", "/api/token/"),
    )
    assert login.status_code == 200, login.content

    refused = browser.logout(HTTP_DPOP=DpopKey().proof("POST", LOGOUT))
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "invalid_dpop_proof"
    assert TokenFamily.objects.get().revoked_at is None

    kept = browser.refresh_cookie
    ended = browser.logout(HTTP_DPOP=key.proof("POST", LOGOUT))
    assert ended.status_code == 200, ended.content
    assert TokenFamily.objects.get().revoked_at is not None
    assert browser.refresh_cookie == ""  # the answer cleared it
    browser.use_refresh_cookie(kept)
    assert browser.refresh(HTTP_DPOP=key.proof("POST", REFRESH)).status_code == 401
