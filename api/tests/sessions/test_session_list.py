"""The caller's sessions: listed, ended one by one, and ending access tokens at once."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from api.models import TokenFamily
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(username: str, **headers) -> dict:
    response = APIClient(**headers).post(
        "/api/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def _bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def _refresh(refresh: str):
    return APIClient().post("/api/token/refresh/", {"refresh": refresh}, format="json")


def test_sessions_list_shows_each_live_login_newest_first_with_its_client(user):
    _login("alice", HTTP_USER_AGENT="Firefox on a laptop", REMOTE_ADDR="192.0.2.10")
    phone = _login("alice", HTTP_USER_AGENT="Safari on a phone", REMOTE_ADDR="2001:db8::7")

    response = _bearer(phone["access"]).get("/api/user/sessions/")

    assert response.status_code == 200
    sessions = response.json()
    assert [(s["user_agent"], s["ip"], s["current"]) for s in sessions] == [
        ("Safari on a phone", "2001:db8::7", True),
        ("Firefox on a laptop", "192.0.2.10", False),
    ]
    assert set(sessions[0]) == {"id", "created_at", "last_used_at", "user_agent", "ip", "current"}
    assert sessions[0]["created_at"] >= sessions[1]["created_at"]


def test_sessions_list_shows_only_the_callers_live_sessions(user, make_user):
    make_user("bob")
    _login("bob")
    ended = _login("alice")
    APIClient().post("/api/token/blacklist/", {"refresh": ended["refresh"]}, format="json")
    live = _login("alice")

    sessions = _bearer(live["access"]).get("/api/user/sessions/").json()

    assert [s["id"] for s in sessions] == [str(TokenFamily.objects.get(user=user, revoked_at=None).pk)]


def test_sessions_idle_past_the_refresh_lifetime_are_not_listed(user, settings):
    _login("alice")
    with time_machine.travel(timedelta(days=1, seconds=1)):
        fresh = _login("alice")
        sessions = _bearer(fresh["access"]).get("/api/user/sessions/").json()

    assert len(sessions) == 1
    assert sessions[0]["current"] is True


def test_last_used_at_changes_at_refresh_not_at_each_request(user):
    tokens = _login("alice")
    first = _bearer(tokens["access"]).get("/api/user/sessions/").json()[0]["last_used_at"]

    with time_machine.travel(timedelta(seconds=90)):
        assert _bearer(tokens["access"]).get("/api/notes/").status_code == 200
        unchanged = _bearer(tokens["access"]).get("/api/user/sessions/").json()[0]["last_used_at"]
        refreshed = _refresh(tokens["refresh"]).json()
        after = _bearer(refreshed["access"]).get("/api/user/sessions/").json()[0]["last_used_at"]

    assert unchanged == first
    assert after > first


def test_last_used_at_changes_at_refresh_with_rotation_off_too(user, settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ROTATE_REFRESH_TOKENS": False}
    tokens = _login("alice")
    before = TokenFamily.objects.get().last_used_at

    with time_machine.travel(timedelta(seconds=90)):
        assert _refresh(tokens["refresh"]).status_code == 200

    assert TokenFamily.objects.get().last_used_at > before


def test_deleting_a_session_ends_its_refresh_and_access_tokens_at_once(user):
    laptop = _login("alice")
    phone = _login("alice")
    laptop_id = TokenFamily.objects.order_by("created_at").first().pk

    response = _bearer(phone["access"]).delete(f"/api/user/sessions/{laptop_id}/")

    assert response.status_code == 204
    refused = _bearer(laptop["access"]).get("/api/notes/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "token_not_valid"
    assert _refresh(laptop["refresh"]).status_code == 401
    assert _bearer(phone["access"]).get("/api/notes/").status_code == 200
    assert _refresh(phone["refresh"]).status_code == 200


def test_ending_the_current_session_ends_the_callers_own_tokens(user):
    tokens = _login("alice")
    session_id = TokenFamily.objects.get().pk

    assert _bearer(tokens["access"]).delete(f"/api/user/sessions/{session_id}/").status_code == 204
    assert _bearer(tokens["access"]).get("/api/user/sessions/").status_code == 401


@pytest.mark.parametrize("which", ["someone else's", "unknown", "already ended"])
def test_ending_a_session_that_is_not_a_live_one_of_the_caller_is_404(user, make_user, which):
    make_user("bob")
    bobs = _login("bob")
    mine = _login("alice")
    ended = _login("alice")
    APIClient().post("/api/token/blacklist/", {"refresh": ended["refresh"]}, format="json")
    session_id = {
        "someone else's": TokenFamily.objects.get(user__username="bob").pk,
        "unknown": uuid.uuid4(),
        "already ended": TokenFamily.objects.get(revoked_at__isnull=False).pk,
    }[which]

    response = _bearer(mine["access"]).delete(f"/api/user/sessions/{session_id}/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert _bearer(bobs["access"]).get("/api/notes/").status_code == 200


@pytest.mark.parametrize("path", ["/api/user/sessions/not-a-uuid/", "/api/user/sessions/123/"])
def test_a_malformed_session_id_is_a_json_404(auth_client, path):
    response = auth_client.delete(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_logout_ends_that_sessions_access_token_and_spares_other_sessions(user):
    laptop = _login("alice")
    phone = _login("alice")

    assert (
        APIClient().post("/api/token/blacklist/", {"refresh": laptop["refresh"]}, format="json").status_code
        == 200
    )

    assert _bearer(laptop["access"]).get("/api/notes/").status_code == 401
    verify = APIClient().post("/api/token/verify/", {"token": laptop["access"]}, format="json")
    assert verify.status_code == 401
    assert _bearer(phone["access"]).get("/api/notes/").status_code == 200


def test_an_access_token_of_a_deleted_session_row_is_refused(user):
    tokens = _login("alice")
    TokenFamily.objects.all().delete()

    assert _bearer(tokens["access"]).get("/api/notes/").status_code == 401


def test_session_ip_honours_num_proxies_and_drops_a_forged_garbage_address(user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    _login("alice", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    _login("alice", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip, <script>")

    assert sorted(TokenFamily.objects.values_list("ip", flat=True), key=str) == ["203.0.113.5", None]


def test_session_user_agent_is_cut_to_length_and_control_characters_dropped(user):
    tokens = _login("alice", HTTP_USER_AGENT="Agent\x00\x07/" + "x" * 1000)

    shown = _bearer(tokens["access"]).get("/api/user/sessions/").json()[0]["user_agent"]

    assert shown == ("Agent/" + "x" * 1000)[:256]


def _as_wsgi_sends(header: bytes) -> str:
    """A header value as a WSGI server hands it to Django: its bytes decoded as latin-1."""
    return header.decode("latin-1")


def test_a_utf8_user_agent_is_listed_as_the_client_sent_it(user):
    tokens = _login("alice", HTTP_USER_AGENT=_as_wsgi_sends("Über-App/1.0 ✓".encode()))

    shown = _bearer(tokens["access"]).get("/api/user/sessions/").json()[0]["user_agent"]

    assert shown == "Über-App/1.0 ✓"


def test_a_user_agent_that_is_not_utf8_is_listed_as_latin1(user):
    tokens = _login("alice", HTTP_USER_AGENT=_as_wsgi_sends(b"Caf\xe9/1.0 \xff"))

    shown = _bearer(tokens["access"]).get("/api/user/sessions/").json()[0]["user_agent"]

    assert shown == "Café/1.0 ÿ"


def test_a_utf8_user_agent_keeps_only_its_printable_characters(user):
    # A zero-width space and a C1 control, each valid UTF-8 but not printable.
    sent = "App\u200b/\u00852 ✓\x00".encode()
    tokens = _login("alice", HTTP_USER_AGENT=_as_wsgi_sends(sent))

    shown = _bearer(tokens["access"]).get("/api/user/sessions/").json()[0]["user_agent"]

    assert shown == "App/2 ✓"


def test_sessions_endpoints_need_a_token(api_client):
    assert api_client.get("/api/user/sessions/").status_code == 401
    assert api_client.delete(f"/api/user/sessions/{uuid.uuid4()}/").status_code == 401


def test_password_change_ends_other_sessions_and_labels_the_new_one_with_the_client(user):
    _login("alice", HTTP_USER_AGENT="Old phone")
    laptop = _login("alice", HTTP_USER_AGENT="Laptop")
    changed = _bearer(laptop["access"]).post(
        "/api/user/password/",
        {"old_password": PASSWORD, "new_password": "a whole new passphrase"},
        format="json",
        HTTP_USER_AGENT="Laptop",
    )
    assert changed.status_code == 200

    sessions = _bearer(changed.json()["access"]).get("/api/user/sessions/").json()

    assert [(s["user_agent"], s["current"]) for s in sessions] == [("Laptop", True)]
