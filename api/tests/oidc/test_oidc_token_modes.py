"""The one-time code's exchange answers as a password login does: DPoP-bound tokens with a
proof, the refresh token in its cookie in cookie mode (with the login's Origin check), and
`mfa_required` for an account with two-factor login unless the provider's second factor is
trusted."""

import pytest
from django.utils import timezone

from api.models import OidcIdentity, TokenFamily
from api.tests.dpop.conftest import DpopKey
from api.tests.oidc.flows import exchange, sign_in
from api.tests.sessions.test_refresh_cookie import COOKIE, FRONTEND

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(oidc, user):
    OidcIdentity.objects.create(
        user=user, provider="test", issuer=oidc.issuer, subject=oidc.reset(), created_at=timezone.now()
    )
    return user


def test_a_dpop_proof_binds_the_tokens_of_an_oidc_login_to_its_key(linked, oidc, api_client):
    key = DpopKey()
    response = exchange(
        api_client, sign_in(api_client, oidc), HTTP_DPOP=key.proof("POST", "/api/token/oidc/")
    )

    assert response.status_code == 200, response.content
    assert response.json()["token_type"] == "DPoP"
    assert TokenFamily.objects.get(user=linked).dpop_jkt == key.thumbprint
    bearer = api_client.get("/api/user/me/", HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert bearer.status_code == 401


def test_in_cookie_mode_the_refresh_token_goes_to_its_cookie_and_a_foreign_origin_is_refused(
    linked, oidc, api_client, cookie_mode
):
    foreign = exchange(api_client, sign_in(api_client, oidc), HTTP_ORIGIN="https://evil.example")
    assert foreign.status_code == 403 and foreign.json()["code"] == "origin_not_allowed"

    response = exchange(api_client, sign_in(api_client, oidc), HTTP_ORIGIN=FRONTEND)
    assert response.status_code == 200, response.content
    assert set(response.json()) == {"access"}
    assert response.cookies[COOKIE]["httponly"]


def test_an_account_with_two_factor_login_gets_mfa_required_after_the_provider(
    linked, totp_user, oidc, api_client
):
    sessions = TokenFamily.objects.count()
    response = exchange(api_client, sign_in(api_client, oidc))

    assert response.status_code == 401, response.content
    assert response.json()["code"] == "mfa_required" and response.json()["mfa_token"]
    assert TokenFamily.objects.count() == sessions


@pytest.mark.parametrize(
    "claims, status", [({"amr": ["pwd", "otp"]}, 200), ({"amr": ["pwd"]}, 401), ({}, 401)]
)
def test_with_trust_the_providers_second_factor_finishes_the_login_only_if_its_amr_says_so(
    linked, totp_user, oidc, api_client, settings, claims, status
):
    settings.OIDC_TRUST_PROVIDER_MFA = True
    oidc.control(claims=claims)

    assert exchange(api_client, sign_in(api_client, oidc)).status_code == status


def test_without_trust_even_the_providers_second_factor_leaves_mfa_required(
    linked, totp_user, oidc, api_client
):
    oidc.control(claims={"amr": ["mfa"], "acr": "mfa"})

    assert exchange(api_client, sign_in(api_client, oidc)).json()["code"] == "mfa_required"
