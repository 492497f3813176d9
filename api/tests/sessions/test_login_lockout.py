"""The per-username failed-login limit: one count per account however its name is typed, and
device cookies that keep the owner's own client out of a lock that guessers caused."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from api.sessions.login_devices import COOKIE_NAME
from api.tests.conftest import PASSWORD
from api.tests.live import manage_ok, project_env

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"
# "alice" in fullwidth letters, which NFKC turns into plain "alice".
FULLWIDTH_ALICE = "\uff41\uff4c\uff49\uff43\uff45"


def _client(ip: str) -> APIClient:
    return APIClient(REMOTE_ADDR=ip)


def _login(client: APIClient, username: str, password: str) -> int:
    return client.post("/api/token/", {"username": username, "password": password}, format="json").status_code


def _guess_until_locked(username: str, times: int) -> None:
    """Failed logins for `username` from as many addresses as `times`, none with a device cookie."""
    for n in range(times):
        assert _login(_client(f"198.51.100.{n}"), username, WRONG) == 401


@pytest.mark.parametrize(
    "spelling",
    ["alice ", " alice", "alice\t", "\u00a0alice", "alice\n", FULLWIDTH_ALICE, "ALICE "],
    ids=["trailing space", "leading space", "tab", "no-break space", "newline", "fullwidth", "case"],
)
def test_every_spelling_login_accepts_counts_against_the_same_username(user, settings, spelling):
    settings.LOGIN_FAILURE_RATE = "3/hour"

    for n in range(3):
        assert _login(_client(f"10.9.0.{n}"), spelling, WRONG) == 401
    blocked = _login(_client("10.9.1.1"), "alice", PASSWORD)

    assert blocked == 429


@pytest.mark.parametrize("spelling", ["  alice  ", FULLWIDTH_ALICE])
def test_login_finds_the_account_by_the_name_it_was_stored_under(user, spelling):
    assert _login(_client("10.9.2.1"), spelling, PASSWORD) == 200


def test_successful_login_sets_an_httponly_device_cookie_for_the_login_endpoint_only(user, settings):
    settings.LOGIN_DEVICE_COOKIE_SECURE = True
    response = _client("10.9.3.1").post(
        "/api/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )

    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["path"] == "/api/token/"
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.LOGIN_DEVICE_COOKIE_AGE
    # Signed, not a readable copy of what was typed.
    assert "alice" not in cookie.value


def test_failed_login_sets_no_device_cookie(user):
    response = _client("10.9.3.2").post(
        "/api/token/", {"username": "alice", "password": WRONG}, format="json"
    )

    assert COOKIE_NAME not in response.cookies


def test_owner_with_a_device_cookie_logs_in_while_guessers_have_locked_the_username(user, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    owner = _client("10.9.4.1")
    assert _login(owner, "alice", PASSWORD) == 200

    _guess_until_locked("alice", 3)

    assert _login(_client("10.9.4.2"), "alice", PASSWORD) == 429
    assert _login(owner, "alice", PASSWORD) == 200


def test_a_device_cookie_has_its_own_failure_limit_and_does_not_spend_the_usernames(user, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    device = _client("10.9.5.1")
    assert _login(device, "alice", PASSWORD) == 200

    statuses = [_login(device, "alice", WRONG) for _ in range(4)]

    # A stolen cookie gives a guesser no more than the limit...
    assert statuses == [401, 401, 401, 429]
    assert _login(device, "alice", PASSWORD) == 429
    # ...and the device's failures leave the username's own allowance untouched.
    assert _login(_client("10.9.5.2"), "alice", PASSWORD) == 200


def test_a_device_cookie_for_another_username_does_not_exempt_from_the_lock(make_user, user, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    make_user("bob")
    device = _client("10.9.6.1")
    assert _login(device, "bob", PASSWORD) == 200

    _guess_until_locked("alice", 3)

    assert _login(device, "alice", PASSWORD) == 429


@pytest.mark.parametrize("tamper", ["flip a character", "garbage", "empty"])
def test_a_forged_device_cookie_does_not_exempt_from_the_lock(user, settings, tamper):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    device = _client("10.9.7.1")
    assert _login(device, "alice", PASSWORD) == 200
    value = device.cookies[COOKIE_NAME].value
    forged = {
        "flip a character": value[:-1] + ("A" if value[-1] != "A" else "B"),
        "garbage": "not.a.cookie",
        "empty": "",
    }[tamper]
    device.cookies[COOKIE_NAME] = forged

    _guess_until_locked("alice", 3)

    assert _login(device, "alice", PASSWORD) == 429


def test_an_expired_device_cookie_does_not_exempt_from_the_lock(user, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    settings.LOGIN_DEVICE_COOKIE_AGE = 3600
    device = _client("10.9.8.1")
    assert _login(device, "alice", PASSWORD) == 200

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        _guess_until_locked("alice", 3)
        assert _login(device, "alice", PASSWORD) == 429


@pytest.mark.parametrize("value, expected", [("", "True"), ("true", "True"), ("false", "False")])
def test_cors_credentials_for_the_device_cookie_follow_the_environment(value, expected):
    # A frontend on another origin gets the cookie only with credentialed CORS: on by default, as
    # the reference client logs in with credentials.
    env = project_env(CORS_ALLOW_CREDENTIALS=value)
    printed = manage_ok(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CORS_ALLOW_CREDENTIALS)",
        env=env,
    )

    assert printed.strip() == expected
