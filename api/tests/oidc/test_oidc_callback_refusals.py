"""A refused callback, as the browser the provider sent back sees it: a navigation that asks for a
page goes back to the app's callback page with the refusal's code (never a detail, the state or
the provider's own text), having changed exactly what the JSON answer to any other client does."""

from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from api.models import OidcFlow, OidcLoginCode
from api.oidc import providers
from api.tests.live import free_port
from api.tests.oidc.conftest import FRONTEND_CALLBACK
from api.tests.oidc.flows import callback, one_time_code, start

pytestmark = pytest.mark.django_db

# What Chromium and Firefox send with a top-level navigation.
NAVIGATION = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(params=["page", "json"])
def asks_for(request) -> str:
    """Each refusal twice: a browser's navigation, and an API client asking for JSON."""
    return request.param


def _accept(asks_for: str) -> dict:
    return {"HTTP_ACCEPT": NAVIGATION if asks_for == "page" else "application/json"}


def _refused(response, asks_for: str, status: int, code: str, **extra) -> None:
    """The JSON error to an API client; to a navigation, the redirect to the frontend's callback
    page with `error=<code>` (and `extra`), never cached, and nothing else in its query."""
    if asks_for == "json":
        assert response.status_code == status, response.content
        assert response.json()["code"] == code
        assert set(response.json()) == {"detail", "code"}
        return
    assert response.status_code == 302, response.content
    location = response["Location"]
    assert location.startswith(FRONTEND_CALLBACK + "?"), location
    assert parse_qs(urlsplit(location).query) == {"error": [code], **{k: [v] for k, v in extra.items()}}
    assert "no-store" in response["Cache-Control"]


def test_a_reused_state_sends_the_browser_back_with_oidc_state_used(oidc, api_client, asks_for):
    location = oidc.authorize(start(api_client))
    one_time_code(callback(api_client, location, HTTP_ACCEPT=NAVIGATION))

    _refused(callback(api_client, location, **_accept(asks_for)), asks_for, 400, "oidc_state_used")
    assert OidcLoginCode.objects.count() == 1


def test_a_state_of_another_browser_sends_it_back_with_oidc_browser_mismatch_and_spends_nothing(
    oidc, api_client, asks_for
):
    location = oidc.authorize(start(api_client))

    _refused(callback(APIClient(), location, **_accept(asks_for)), asks_for, 400, "oidc_browser_mismatch")
    assert OidcFlow.objects.get().used_at is None
    one_time_code(callback(api_client, location, HTTP_ACCEPT=NAVIGATION))


def test_a_forged_state_sends_the_browser_back_with_oidc_state_invalid(oidc, api_client, asks_for):
    location = oidc.authorize(start(api_client).replace("state=", "state=forged"))

    _refused(callback(api_client, location, **_accept(asks_for)), asks_for, 400, "oidc_state_invalid")
    assert OidcFlow.objects.get().used_at is None


def test_the_user_cancelling_at_the_provider_sends_the_browser_back_with_its_access_denied_only(
    oidc, api_client, asks_for
):
    oidc.control(deny=True)
    location = oidc.authorize(start(api_client))
    sent = parse_qs(urlsplit(location).query)
    assert sent["error"] == ["access_denied"] and sent["error_description"]

    response = callback(api_client, location, **_accept(asks_for))

    extra = {"provider_error": "access_denied"} if asks_for == "page" else {}
    _refused(response, asks_for, 400, "oidc_provider_refused", **extra)
    # Spent, as any flow the provider answered: it cannot be finished with a code later.
    assert OidcFlow.objects.get().used_at is not None
    assert not OidcLoginCode.objects.exists()
    assert sent["state"][0] not in response.get("Location", "")


@pytest.mark.parametrize(
    "error",
    ["<script>alert(1)</script>", "access_denied&error=oidc_state_used", "ACCESS_DENIED"],
    ids=["markup", "a smuggled parameter", "not a registered code"],
)
def test_a_provider_error_that_is_no_registered_code_is_not_passed_on(oidc, api_client, error):
    state = parse_qs(urlsplit(start(api_client)).query)["state"][0]
    query = {"state": state, "error": error, "error_description": "<b>Call +1 555 0100 now</b>"}

    response = api_client.get("/api/oidc/test/callback/", query, HTTP_ACCEPT=NAVIGATION)

    _refused(response, "page", 400, "oidc_provider_refused")


def test_a_throttled_callback_sends_the_browser_back_with_throttled(oidc, api_client, settings, asks_for):
    settings.AUTH_THROTTLE_RATE = "1/min"
    location = oidc.authorize(start(api_client))
    one_time_code(callback(api_client, location, HTTP_ACCEPT=NAVIGATION))

    _refused(callback(api_client, location, **_accept(asks_for)), asks_for, 429, "throttled")


def test_a_provider_down_at_the_code_exchange_sends_the_browser_back_with_oidc_provider_unavailable(
    oidc, api_client, settings, asks_for
):
    location = oidc.authorize(start(api_client))
    settings.OIDC_PROVIDERS["test"]["issuer"] = f"http://127.0.0.1:{free_port()}/o"
    providers.forget()

    response = callback(api_client, location, **_accept(asks_for))

    _refused(response, asks_for, 503, "oidc_provider_unavailable")
    assert not OidcLoginCode.objects.exists()


@pytest.mark.parametrize(
    "accept",
    [None, "*/*", "application/json, text/plain, */*", "text/html;q=0.5,application/json"],
    ids=["none", "anything", "axios", "json preferred"],
)
def test_a_client_that_does_not_prefer_a_page_gets_the_json_error(oidc, api_client, accept):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}

    response = api_client.get("/api/oidc/test/callback/", {"state": "forged"}, **headers)

    _refused(response, "json", 400, "oidc_state_invalid")


def test_a_refused_navigation_keeps_the_cookie_of_a_later_sign_in_in_another_tab(oidc, api_client):
    first = oidc.authorize(start(api_client))
    # Another tab of the same browser starts again: the cookie is that sign-in's now.
    second = oidc.authorize(start(api_client))

    refused = callback(api_client, first, HTTP_ACCEPT=NAVIGATION)

    _refused(refused, "page", 400, "oidc_browser_mismatch")
    assert "oidc_browser" not in refused.cookies
    one_time_code(callback(api_client, second, HTTP_ACCEPT=NAVIGATION))


def test_without_a_frontend_callback_page_a_navigation_gets_the_json_error(api_client, settings):
    settings.OIDC_PROVIDERS = {}
    settings.OIDC_FRONTEND_CALLBACK_URL = ""

    response = api_client.get("/api/oidc/test/callback/", {"state": "x"}, HTTP_ACCEPT=NAVIGATION)

    _refused(response, "json", 404, "oidc_provider_unknown")
