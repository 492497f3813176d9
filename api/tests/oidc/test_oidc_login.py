"""Sign in with an OpenID provider, against a real one (django-oauth-toolkit in its own process):
the flow is bound to the browser that started it, works once, and its ID token is checked; the
frontend gets a one-time code, never a token in a URL, which it exchanges once for tokens."""

import io
import socket
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import OidcFlow, OidcIdentity, OidcLoginCode, SecurityEvent, User
from api.oidc.providers import KEYS_REFETCH_INTERVAL
from api.tests.live import free_port
from api.tests.oidc.flows import callback, exchange, one_time_code, sign_in, start
from api.tests.oidc.provider import CLIENT_ID

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked(oidc, user):
    """alice, linked to the provider's signed-in user."""
    OidcIdentity.objects.create(
        user=user, provider="test", issuer=oidc.issuer, subject=oidc.reset(), created_at=timezone.now()
    )
    return user


def _refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_the_providers_are_listed_for_the_login_page_without_authentication(oidc, api_client):
    response = api_client.get("/api/oidc/providers/")

    assert response.status_code == 200
    assert response.json() == [{"name": "test", "display_name": "Test IdP"}]


def test_start_answers_an_authorization_url_with_pkce_state_and_nonce_and_an_httponly_cookie(
    oidc, api_client
):
    url = start(api_client)
    query = parse_qs(urlsplit(url).query)

    assert url.startswith(oidc.issuer + "/authorize/")
    assert query["code_challenge_method"] == ["S256"]
    assert {"state", "nonce", "code_challenge"} <= set(query)
    assert query["client_id"] == [CLIENT_ID]
    cookie = api_client.cookies["oidc_browser"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/api/oidc/test/callback/"


def test_a_linked_identity_logs_in_with_the_usual_token_answer_and_a_security_event(linked, oidc, api_client):
    response = callback(api_client, oidc.authorize(start(api_client)))
    # The redirect to the frontend carries a one-time code only, no token.
    assert set(parse_qs(urlsplit(response["Location"]).query)) == {"code"}
    answer = exchange(api_client, one_time_code(response))

    assert answer.status_code == 200, answer.content
    assert set(answer.json()) == {"access", "refresh"}
    me = api_client.get("/api/user/me/", HTTP_AUTHORIZATION=f"Bearer {answer.json()['access']}")
    assert me.json()["username"] == "alice"
    event = SecurityEvent.objects.get(user=linked, kind="login")
    assert event.detail.startswith("oidc test")
    assert OidcIdentity.objects.get(user=linked).last_used_at is not None


def test_a_state_this_server_never_issued_is_refused(oidc, api_client):
    location = oidc.authorize(start(api_client).replace("state=", "state=forged"))

    _refused(callback(api_client, location), 400, "oidc_state_invalid")


def test_a_state_used_once_is_refused_the_second_time(linked, oidc, api_client):
    location = oidc.authorize(start(api_client))
    assert callback(api_client, location).status_code == 302

    _refused(callback(api_client, location), 400, "oidc_state_used")


@pytest.mark.parametrize("other_cookie", [False, True])
def test_a_sign_in_finished_in_another_browser_is_refused_and_stays_unspent(
    linked, oidc, api_client, other_cookie
):
    location = oidc.authorize(start(api_client))
    other = APIClient()
    if other_cookie:
        start(other)

    _refused(callback(other, location), 400, "oidc_browser_mismatch")
    assert OidcFlow.objects.filter(used_at__isnull=True).count() == 1 + other_cookie
    assert callback(api_client, location).status_code == 302


def test_a_state_older_than_the_flow_max_age_is_refused(linked, oidc, api_client, settings):
    location = oidc.authorize(start(api_client))
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=settings.OIDC_FLOW_MAX_AGE + 1)):
        _refused(callback(api_client, location), 400, "oidc_state_expired")


def test_the_code_exchange_sends_the_flows_pkce_verifier_and_a_wrong_one_is_refused(linked, oidc, api_client):
    location = oidc.authorize(start(api_client))
    OidcFlow.objects.update(code_verifier="a-verifier-that-does-not-match-the-challenge-sent-at-the-start")

    _refused(callback(api_client, location), 400, "oidc_provider_refused")


@pytest.mark.parametrize(
    "claims",
    [
        {"nonce": "another-flows-nonce"},
        {"iss": "https://other-issuer.example"},
        {"aud": "another-client"},
        {"aud": [CLIENT_ID, "another-client"]},
        {"aud": [CLIENT_ID, "another-client"], "azp": "another-client"},
        {"exp": 1_000_000_000},
        {"iat": 1_000_000_000},
    ],
    ids=["nonce", "issuer", "audience", "several-audiences-no-azp", "azp", "expired", "issued-long-ago"],
)
def test_an_id_token_not_for_this_flow_client_or_time_is_refused_and_logs_no_one_in(
    linked, oidc, api_client, claims
):
    oidc.control(claims=claims)

    _refused(callback(api_client, oidc.authorize(start(api_client))), 400, "oidc_id_token_invalid")
    assert not OidcLoginCode.objects.exists()


def test_several_audiences_with_this_client_as_authorized_party_are_accepted(linked, oidc, api_client):
    oidc.control(claims={"aud": [CLIENT_ID, "another-client"], "azp": CLIENT_ID})

    assert exchange(api_client, sign_in(api_client, oidc)).status_code == 200


def test_a_rotated_provider_key_is_fetched_when_a_token_names_it(linked, oidc, api_client):
    assert exchange(api_client, sign_in(api_client, oidc)).status_code == 200
    oidc.control(rotate_key=True)

    # Within the refetch interval the cached set stands: made-up key ids cannot hammer the provider.
    _refused(callback(api_client, oidc.authorize(start(api_client))), 400, "oidc_id_token_invalid")
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=KEYS_REFETCH_INTERVAL + 1)):
        assert exchange(api_client, sign_in(api_client, oidc)).status_code == 200


def test_the_one_time_code_works_once(linked, oidc, api_client):
    code = sign_in(api_client, oidc)
    assert exchange(api_client, code).status_code == 200

    _refused(exchange(api_client, code), 401, "oidc_code_invalid")


def test_a_provider_that_does_not_answer_is_a_503_with_retry_after_and_creates_nothing(
    oidc, api_client, settings
):
    settings.OIDC_PROVIDERS["test"]["issuer"] = f"http://127.0.0.1:{free_port()}/o"
    response = api_client.post("/api/oidc/test/start/")

    _refused(response, 503, "oidc_provider_unavailable")
    assert int(response["Retry-After"]) > 0
    assert not OidcFlow.objects.exists()


def test_discovery_for_another_issuer_is_refused_as_unavailable(oidc, api_client, settings):
    settings.OIDC_PROVIDERS["test"]["issuer"] = oidc.issuer.replace("127.0.0.1", "localhost")

    _refused(api_client.post("/api/oidc/test/start/"), 503, "oidc_provider_unavailable")


def test_an_unknown_provider_is_a_404(oidc, api_client):
    _refused(api_client.post("/api/oidc/nope/start/"), 404, "oidc_provider_unknown")
    _refused(api_client.get("/api/oidc/nope/callback/", {"state": "x"}), 404, "oidc_provider_unknown")


def test_an_unknown_identity_is_refused_while_signup_is_off(oidc, api_client):
    _refused(exchange(api_client, sign_in(api_client, oidc)), 403, "oidc_signup_closed")
    assert not OidcIdentity.objects.exists()


def test_with_signup_on_an_unknown_identity_becomes_an_account_without_a_password(oidc, api_client, settings):
    settings.OIDC_SIGNUP = True
    first = exchange(api_client, sign_in(api_client, oidc))
    second = exchange(api_client, sign_in(api_client, oidc))

    assert first.status_code == second.status_code == 200
    (identity,) = OidcIdentity.objects.all()
    assert identity.user.email == "someone@example.com" and identity.user.email_verified
    assert not identity.user.has_usable_password()
    assert User.objects.count() == 1


def test_an_account_with_the_verified_email_is_never_linked_silently(oidc, api_client, make_user, settings):
    settings.OIDC_SIGNUP = True
    make_user("bob", email="someone@example.com")

    _refused(exchange(api_client, sign_in(api_client, oidc)), 403, "oidc_link_required")
    assert not OidcIdentity.objects.exists()


def test_an_unverified_email_neither_links_nor_asks_to_link(oidc, api_client, make_user, settings):
    make_user("bob", email="someone@example.com")
    oidc.control(email_verified=False)
    _refused(exchange(api_client, sign_in(api_client, oidc)), 403, "oidc_signup_closed")

    settings.OIDC_SIGNUP = True
    assert exchange(api_client, sign_in(api_client, oidc)).status_code == 200
    (identity,) = OidcIdentity.objects.all()
    assert identity.user.username != "bob" and identity.user.email == ""


def test_flushexpiredtokens_deletes_sign_ins_and_codes_past_their_life_only(
    linked, oidc, api_client, settings
):
    sign_in(api_client, oidc)  # a spent flow and its unspent one-time code
    start(api_client)  # a flow never finished
    call_command("flushexpiredtokens", stdout=io.StringIO())
    assert (OidcFlow.objects.count(), OidcLoginCode.objects.count()) == (2, 1)

    later = timezone.now() + timezone.timedelta(seconds=settings.OIDC_FLOW_MAX_AGE + 1)
    with time_machine.travel(later):
        call_command("flushexpiredtokens", stdout=io.StringIO())
    assert (OidcFlow.objects.count(), OidcLoginCode.objects.count()) == (0, 0)


def test_a_provider_that_accepts_but_never_answers_is_a_503_after_the_timeout(oidc, api_client, settings):
    silent = socket.create_server(("127.0.0.1", 0))
    try:
        settings.OIDC_PROVIDERS["test"]["issuer"] = f"http://127.0.0.1:{silent.getsockname()[1]}/o"
        settings.OIDC_PROVIDER_TIMEOUT = 0.5

        _refused(api_client.post("/api/oidc/test/start/"), 503, "oidc_provider_unavailable")
        assert not OidcFlow.objects.exists()
    finally:
        silent.close()


def test_a_provider_whose_name_does_not_resolve_in_time_is_a_503_without_waiting_for_it(
    oidc, api_client, settings, monkeypatch
):
    # A resolver that does not answer: the socket timeout does not cover the name lookup.
    settings.OIDC_PROVIDERS["test"]["issuer"] = "https://idp.example.invalid/o"
    settings.OIDC_PROVIDER_TIMEOUT = 0.2
    resolving = socket.getaddrinfo
    release, returned = threading.Event(), threading.Event()

    def hung_lookup(host, *args, **kwargs):
        if host != "idp.example.invalid":
            return resolving(host, *args, **kwargs)
        release.wait(timeout=30)
        returned.set()
        raise socket.gaierror(socket.EAI_AGAIN, "released")

    monkeypatch.setattr(socket, "getaddrinfo", hung_lookup)
    try:
        response = api_client.post("/api/oidc/test/start/")
        # Answered while the lookup still hangs: the request did not wait for it.
        lookup_still_hung = not returned.is_set()
    finally:
        release.set()

    _refused(response, 503, "oidc_provider_unavailable")
    assert lookup_still_hung
    assert not OidcFlow.objects.exists()
