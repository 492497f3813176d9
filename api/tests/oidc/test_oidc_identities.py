"""The caller's linked provider accounts: linking needs a fresh proof and the browser that
started it, and links to the account that started it only; unlinking needs a fresh proof and
never removes the last way to log in. Each link and unlink is a security event."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from api.models import OidcIdentity, Passkey, SecurityEvent
from api.tests.conftest import PASSWORD
from api.tests.oidc.flows import callback, exchange, sign_in

pytestmark = pytest.mark.django_db


def _link_code(client, provider, **proof) -> str:
    """Start a link with the password as proof, sign in at the provider, come back: the code."""
    started = client.post("/api/user/identities/", {"provider": "test", **proof}, format="json")
    assert started.status_code == 200, started.content
    response = callback(client, provider.authorize(started.json()["authorization_url"]))
    assert response.status_code == 302, response.content
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["flow"] == ["link"]
    return query["code"][0]


def _kinds(user) -> list[str]:
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


def test_linking_needs_a_fresh_proof(oidc, auth_client):
    response = auth_client.post("/api/user/identities/", {"provider": "test"}, format="json")

    assert response.status_code == 403 and response.json()["code"] == "reauthentication_required"


def test_a_linked_provider_account_then_logs_in_and_is_listed(oidc, auth_client, user, api_client):
    code = _link_code(auth_client, oidc, password=PASSWORD)
    linked = auth_client.post("/api/user/identities/complete/", {"code": code}, format="json")
    assert linked.status_code == 201, linked.content
    assert "oidc_linked" in _kinds(user)

    assert exchange(api_client, sign_in(api_client, oidc)).status_code == 200
    listed = auth_client.get("/api/user/identities/").json()
    assert [(i["provider"], i["email"]) for i in listed] == [("test", "someone@example.com")]


def test_a_link_code_logs_no_one_in_and_a_login_code_links_nothing(oidc, auth_client, api_client, settings):
    link_code = _link_code(auth_client, oidc, password=PASSWORD)
    assert exchange(api_client, link_code).json()["code"] == "oidc_code_invalid"

    settings.OIDC_SIGNUP = True
    login_code = sign_in(api_client, oidc)
    refused = auth_client.post("/api/user/identities/complete/", {"code": login_code}, format="json")
    assert refused.status_code == 401 and refused.json()["code"] == "oidc_code_invalid"


def test_another_accounts_link_code_is_refused(oidc, auth_client, client_for, make_user):
    code = _link_code(auth_client, oidc, password=PASSWORD)
    bob = client_for(make_user("bob"))

    refused = bob.post("/api/user/identities/complete/", {"code": code}, format="json")
    assert refused.status_code == 401 and refused.json()["code"] == "oidc_code_invalid"
    assert not OidcIdentity.objects.exists()


def test_a_provider_account_linked_to_another_account_is_refused(oidc, auth_client, make_user):
    bob = make_user("bob")
    OidcIdentity.objects.create(
        user=bob, provider="test", issuer=oidc.issuer, subject=oidc.reset(), created_at=timezone.now()
    )
    code = _link_code(auth_client, oidc, password=PASSWORD)

    refused = auth_client.post("/api/user/identities/complete/", {"code": code}, format="json")
    assert refused.status_code == 409 and refused.json()["code"] == "oidc_identity_taken"


def test_unlinking_needs_a_fresh_proof_and_is_a_security_event(oidc, auth_client, user):
    identity = OidcIdentity.objects.create(
        user=user, provider="test", issuer=oidc.issuer, subject="s", created_at=timezone.now()
    )
    assert auth_client.delete(f"/api/user/identities/{identity.pk}/").status_code == 403

    response = auth_client.delete(
        f"/api/user/identities/{identity.pk}/", {"password": PASSWORD}, format="json"
    )
    assert response.status_code == 204
    assert not OidcIdentity.objects.exists()
    assert "oidc_unlinked" in _kinds(user)


def test_the_last_way_to_log_in_cannot_be_unlinked(oidc, auth_client, user, settings):
    first = OidcIdentity.objects.create(
        user=user, provider="test", issuer=oidc.issuer, subject="a", created_at=timezone.now()
    )
    second = OidcIdentity.objects.create(
        user=user, provider="test", issuer=oidc.issuer, subject="b", created_at=timezone.now()
    )
    # A step-up token first: without a usable password, the body cannot carry the proof.
    reauth = auth_client.post("/api/user/reauthenticate/", {"password": PASSWORD}, format="json").json()
    user.set_unusable_password()
    user.save(update_fields=["password"])
    headers = {"HTTP_X_REAUTH_TOKEN": reauth["reauth_token"]}

    assert auth_client.delete(f"/api/user/identities/{first.pk}/", **headers).status_code == 204
    refused = auth_client.delete(f"/api/user/identities/{second.pk}/", **headers)
    assert refused.status_code == 409 and refused.json()["code"] == "last_login_method"
    assert OidcIdentity.objects.filter(pk=second.pk).exists()


def test_the_last_identity_may_go_while_a_passkey_still_logs_in(oidc, auth_client, user):
    identity = OidcIdentity.objects.create(
        user=user, provider="test", issuer=oidc.issuer, subject="a", created_at=timezone.now()
    )
    Passkey.objects.create(
        user=user, credential_id="c", public_key=b"k", sign_count=0, created_at=timezone.now()
    )
    reauth = auth_client.post("/api/user/reauthenticate/", {"password": PASSWORD}, format="json").json()
    user.set_unusable_password()
    user.save(update_fields=["password"])

    response = auth_client.delete(
        f"/api/user/identities/{identity.pk}/", HTTP_X_REAUTH_TOKEN=reauth["reauth_token"]
    )
    assert response.status_code == 204, response.content


def test_another_users_identity_is_a_404(oidc, auth_client, make_user):
    bob = make_user("bob")
    identity = OidcIdentity.objects.create(
        user=bob, provider="test", issuer=oidc.issuer, subject="s", created_at=timezone.now()
    )

    response = auth_client.delete(
        f"/api/user/identities/{identity.pk}/", {"password": PASSWORD}, format="json"
    )
    assert response.status_code == 404
    assert auth_client.get("/api/user/identities/").json() == []
