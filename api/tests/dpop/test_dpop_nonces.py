"""Server nonces (`DPOP_NONCE`, RFC 9449 section 8): a proof without the server's nonce, or
with a stale one, is refused with the nonce to use; one with it holds."""

import time

import pytest
import time_machine
from rest_framework.test import APIClient

from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOTES = "/api/notes/"


@pytest.fixture
def nonces_on(settings):
    settings.DPOP_NONCE = True
    settings.DPOP_NONCE_LIFETIME = 60


def _login(user, key, **claims):
    return APIClient().post(
        "/api/token/",
        {"username": user.username, "password": PASSWORD},
        format="json",
        HTTP_DPOP=key.proof("POST", "/api/token/", **claims),
    )


def _get(access, proof):
    return APIClient().get(NOTES, HTTP_AUTHORIZATION=f"DPoP {access}", HTTP_DPOP=proof)


def test_a_login_without_the_nonce_is_told_it_and_succeeds_with_it(nonces_on, user, dpop_key):
    refused = _login(user, dpop_key)

    assert refused.status_code == 400
    assert refused.json()["code"] == "use_dpop_nonce"
    nonce = refused["DPoP-Nonce"]
    answer = _login(user, dpop_key, nonce=nonce)
    assert answer.status_code == 200, answer.content
    assert answer.json()["token_type"] == "DPoP"


def test_a_resource_request_without_the_nonce_is_a_401_naming_it(nonces_on, user, dpop_key):
    nonce = _login(user, dpop_key)["DPoP-Nonce"]
    access = _login(user, dpop_key, nonce=nonce).json()["access"]

    refused = _get(access, dpop_key.proof("GET", NOTES, access=access))

    assert refused.status_code == 401
    assert refused.json()["code"] == "use_dpop_nonce"
    assert refused["WWW-Authenticate"].startswith('DPoP error="use_dpop_nonce"')
    assert refused["DPoP-Nonce"] == nonce
    assert _get(access, dpop_key.proof("GET", NOTES, access=access, nonce=nonce)).status_code == 200


def test_a_stale_or_made_up_nonce_is_refused(nonces_on, user, dpop_key):
    with time_machine.travel(time.time(), tick=True) as clock:
        old = _login(user, dpop_key)["DPoP-Nonce"]
        access = _login(user, dpop_key, nonce=old).json()["access"]
        made_up = _get(access, dpop_key.proof("GET", NOTES, access=access, nonce="x" * 24))
        assert made_up.json()["code"] == "use_dpop_nonce"
        # The previous window's nonce still holds; the one before it no longer does.
        clock.shift(60)
        assert _get(access, dpop_key.proof("GET", NOTES, access=access, nonce=old)).status_code == 200
        clock.shift(60)
        stale = _get(access, dpop_key.proof("GET", NOTES, access=access, nonce=old))

    assert stale.status_code == 401
    assert stale.json()["code"] == "use_dpop_nonce"
    assert stale["DPoP-Nonce"] != old


def test_nonces_off_proofs_need_none(user, dpop_key):
    assert _login(user, dpop_key).status_code == 200


def test_successful_answers_hand_out_the_next_nonce_so_a_client_never_goes_stale(nonces_on, user, dpop_key):
    with time_machine.travel(time.time(), tick=False) as clock:
        nonce = _login(user, dpop_key)["DPoP-Nonce"]
        login = _login(user, dpop_key, nonce=nonce)
        access = login.json()["access"]
        assert login["DPoP-Nonce"] == nonce

        # A window on, the first nonce still holds and the answer names the next; a window
        # further, only that one does.
        clock.shift(60)
        listed = _get(access, dpop_key.proof("GET", NOTES, access=access, nonce=nonce))
        assert listed.status_code == 200
        assert listed["DPoP-Nonce"] != nonce
        clock.shift(60)
        assert (
            _get(access, dpop_key.proof("GET", NOTES, access=access, nonce=listed["DPoP-Nonce"])).status_code
            == 200
        )


def test_without_server_nonces_no_answer_carries_one(user, dpop_key):
    answer = _login(user, dpop_key)

    assert answer.status_code == 200
    assert "DPoP-Nonce" not in answer
