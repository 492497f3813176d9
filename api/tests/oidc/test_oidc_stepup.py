"""Step-up through a provider, against a real one: an account with no password (made by a
provider sign-in) proves it is its owner by signing in at the provider again (`max_age=0`,
`prompt=login`) as a provider account it linked, after the step-up started (`auth_time`); the
callback's one-time code is a step-up proof once, for the session that started it only, and no
other flow's code is one, nor is it any other flow's."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import OidcIdentity, SecurityEvent, TotpDevice, User
from api.tests.mfa.test_mfa_login import totp_code
from api.tests.oidc.flows import callback, exchange, sign_in

pytestmark = pytest.mark.django_db

START = "/api/user/reauthenticate/oidc/"
REAUTH = "/api/user/reauthenticate/"


def _session(oidc, settings) -> APIClient:
    """A browser signed up and logged in with the provider: an account without a password."""
    settings.OIDC_SIGNUP = True
    browser = APIClient()
    tokens = exchange(browser, sign_in(browser, oidc)).json()
    browser.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return browser


@pytest.fixture
def browser(oidc, settings) -> APIClient:
    return _session(oidc, settings)


def _started(browser: APIClient) -> str:
    response = browser.post(START, {"provider": "test"}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["authorization_url"]


def _back(browser: APIClient, provider, url: str):
    """Sign in at the provider and follow its redirect back to the API's callback."""
    return callback(browser, provider.authorize(url))


def _step_up_code(browser: APIClient, provider) -> str:
    response = _back(browser, provider, _started(browser))
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["flow"] == ["reauthenticate"]
    return query["code"][0]


def _prove(browser: APIClient, code: str):
    return browser.post(REAUTH, {"oidc_code": code}, format="json")


def _refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_an_account_without_a_password_steps_up_at_its_provider_and_turns_totp_on(browser, oidc):
    user = User.objects.get()
    assert not user.has_usable_password()

    proved = _prove(browser, _step_up_code(browser, oidc))
    assert proved.status_code == 200, proved.content
    step_up = {"HTTP_X_REAUTH_TOKEN": proved.json()["reauth_token"]}
    secret = browser.post("/api/user/mfa/totp/", format="json", **step_up).json()["secret"]
    confirmed = browser.post(
        "/api/user/mfa/totp/confirm/", {"code": totp_code(secret)}, format="json", **step_up
    )

    assert confirmed.status_code == 200, confirmed.content
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    assert SecurityEvent.objects.filter(user=user, kind="reauthenticated", detail="provider").exists()


def test_the_provider_is_asked_for_a_fresh_sign_in(browser, oidc):
    query = parse_qs(urlsplit(_started(browser)).query)

    assert query["max_age"] == ["0"] and query["prompt"] == ["login"]
    _back(browser, oidc, _started(browser))
    # Its login page, where prompt=login sends the browser, signed the user in again.
    assert oidc.control()["logins"] == 1


def test_a_step_up_code_proves_once(browser, oidc):
    code = _step_up_code(browser, oidc)

    assert _prove(browser, code).status_code == 200
    _refused(_prove(browser, code), 400, "oidc_code_invalid")


def test_a_step_up_code_is_no_proof_in_another_session_of_the_same_account(browser, oidc, settings):
    code = _step_up_code(browser, oidc)
    # The same provider account logs in again: the same account, another session.
    other = APIClient()
    tokens = exchange(other, sign_in(other, oidc)).json()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    _refused(_prove(other, code), 400, "oidc_code_invalid")
    # Refused without spending it: the session that started it still can.
    assert _prove(browser, code).status_code == 200


def test_a_step_up_code_is_no_proof_for_another_account(browser, oidc, auth_client):
    code = _step_up_code(browser, oidc)

    _refused(_prove(auth_client, code), 400, "oidc_code_invalid")


def test_a_provider_account_of_another_user_is_refused_at_the_callback(browser, oidc, make_user):
    url = _started(browser)
    # The browser signs in at the provider as someone else, whose account here is another one.
    stranger_sub = oidc.control(user={"username": "stranger", "email": "stranger@example.com"})["sub"]
    OidcIdentity.objects.create(
        user=make_user("bob"),
        provider="test",
        issuer=oidc.issuer,
        subject=stranger_sub,
        created_at=timezone.now(),
    )

    _refused(_back(browser, oidc, url), 400, "oidc_identity_mismatch")
    assert SecurityEvent.objects.filter(
        user=User.objects.get(username__startswith="test-"), kind="login_failed"
    )


def test_a_provider_account_linked_to_no_one_is_refused_at_the_callback(browser, oidc):
    url = _started(browser)
    oidc.control(user={"username": "stranger", "email": "stranger@example.com"})

    _refused(_back(browser, oidc, url), 400, "oidc_identity_mismatch")


@pytest.mark.parametrize(
    "knob",
    [
        {"omit": ["auth_time"]},
        {"claims": {"auth_time": int(time.time()) - 3600}},
    ],
    ids=["no auth_time", "an hour old"],
)
def test_a_sign_in_at_the_provider_that_is_not_fresh_is_refused(browser, oidc, knob):
    oidc.control(**knob)

    _refused(_back(browser, oidc, _started(browser)), 400, "oidc_login_not_fresh")


def test_a_login_flows_code_is_no_step_up_proof(browser, oidc):
    login_code = sign_in(APIClient(), oidc)

    _refused(_prove(browser, login_code), 400, "oidc_code_invalid")
    assert exchange(APIClient(), login_code).status_code == 200


def test_a_step_up_code_logs_no_one_in_and_links_nothing(browser, oidc):
    code = _step_up_code(browser, oidc)

    _refused(exchange(APIClient(), code), 401, "oidc_code_invalid")
    _refused(
        browser.post("/api/user/identities/complete/", {"code": code}, format="json"),
        401,
        "oidc_code_invalid",
    )
    assert _prove(browser, code).status_code == 200


def test_step_up_needs_a_linked_account_at_that_provider(oidc, auth_client):
    _refused(auth_client.post(START, {"provider": "test"}, format="json"), 400, "oidc_no_identity")
    _refused(auth_client.post(START, {"provider": "nope"}, format="json"), 404, "oidc_provider_unknown")
    assert APIClient().post(START, {"provider": "test"}, format="json").status_code == 401


def test_wrong_step_up_codes_hit_the_accounts_failure_limit(browser, oidc, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    settings.AUTH_THROTTLE_RATE = "1000/min"
    code = _step_up_code(browser, oidc)

    statuses = [_prove(browser, f"guess-{n}").status_code for n in range(4)]

    assert statuses == [400, 400, 400, 429]
    assert _prove(browser, code).status_code == 429
