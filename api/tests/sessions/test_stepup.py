"""Step-up: an access token alone never changes the email, the second factor or the account's
existence; a fresh proof (the password, a code, or a step-up token of the same session) does."""

import pytest
from rest_framework.test import APIClient

from api.models import Note, TotpDevice, User
from api.sessions.stepup import REAUTH_HEADER
from api.tests.conftest import PASSWORD
from api.tests.mfa.conftest import clock  # noqa: F401
from api.tests.mfa.test_mfa_login import bearer, enable_totp, totp_code

pytestmark = pytest.mark.django_db

REAUTH = f"HTTP_{REAUTH_HEADER.upper().replace('-', '_')}"

# What a script that copied the access token out of the page can send: everything but a proof.
SENSITIVE = [
    ("patch", "/api/user/me/", {"email": "evil@attacker.example"}),
    ("post", "/api/user/mfa/totp/", {}),
    ("post", "/api/user/mfa/totp/confirm/", {"code": "123456"}),
    ("delete", "/api/user/mfa/totp/", {"code": "123456"}),
    ("delete", "/api/user/me/", {}),
]


def _send(client: APIClient, method: str, path: str, body: dict, **headers):
    return getattr(client, method)(path, body, format="json", **headers)


def _reauthenticate(client: APIClient, body: dict | None = None):
    return client.post(
        "/api/user/reauthenticate/", {"password": PASSWORD} if body is None else body, format="json"
    )


@pytest.mark.parametrize(("method", "path", "body"), SENSITIVE, ids=[f"{m} {p}" for m, p, _ in SENSITIVE])
def test_a_stolen_access_token_alone_cannot_make_a_sensitive_change(auth_client, user, method, path, body):
    response = _send(auth_client, method, path, body)

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    user.refresh_from_db()
    assert user.email == ""
    assert not TotpDevice.objects.filter(user=user).exists()


def test_a_fresh_login_is_no_proof(user, login):
    just_logged_in = bearer(login(user.username)["access"])

    response = just_logged_in.patch("/api/user/me/", {"email": "new@example.com"}, format="json")

    assert response.json()["code"] == "reauthentication_required"


def test_the_current_password_in_the_body_is_a_proof(auth_client, user):
    response = auth_client.patch(
        "/api/user/me/", {"email": "new@example.com", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_a_step_up_token_lets_the_same_session_change_the_email_and_delete_the_account(
    auth_client, user, make_note
):
    make_note(user)
    answer = _reauthenticate(auth_client)
    assert answer.status_code == 200
    assert answer.json()["expires_in"] == 300
    step_up = {REAUTH: answer.json()["reauth_token"]}

    changed = auth_client.patch("/api/user/me/", {"email": "new@example.com"}, format="json", **step_up)
    deleted = auth_client.delete("/api/user/me/", format="json", **step_up)

    assert (changed.status_code, deleted.status_code) == (200, 204)
    assert not User.objects.filter(pk=user.pk).exists()
    assert not Note.objects.exists()


def test_a_step_up_token_is_worthless_beside_another_sessions_access_token(auth_client, user, login):
    step_up = {REAUTH: _reauthenticate(auth_client).json()["reauth_token"]}
    other_session = bearer(login(user.username)["access"])

    response = other_session.patch(
        "/api/user/me/", {"email": "evil@attacker.example"}, format="json", **step_up
    )

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"
    user.refresh_from_db()
    assert user.email == ""


def test_a_step_up_token_is_no_access_token(auth_client):
    step_up = _reauthenticate(auth_client).json()["reauth_token"]

    response = bearer(step_up).get("/api/user/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_step_up_token_expires_after_reauth_max_age(auth_client, user, settings, clock):  # noqa: F811
    settings.REAUTH_MAX_AGE = 60
    step_up = {REAUTH: _reauthenticate(auth_client).json()["reauth_token"]}
    clock.shift(61)
    # The access token's own lifetime is 5 minutes: still good, the step-up token is not.
    response = auth_client.patch("/api/user/me/", {"email": "late@example.com"}, format="json", **step_up)

    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_required"


def test_a_step_up_token_dies_with_a_password_change(auth_client, user):
    step_up = {REAUTH: _reauthenticate(auth_client).json()["reauth_token"]}
    changed = auth_client.post(
        "/api/user/password/",
        {"old_password": PASSWORD, "new_password": "a new long passphrase 7"},
        format="json",
    )
    fresh = bearer(changed.json()["access"])

    response = fresh.patch("/api/user/me/", {"email": "new@example.com"}, format="json", **step_up)

    assert response.json()["code"] == "reauthentication_required"


def test_reauthenticate_with_a_wrong_password_is_400_and_gives_no_token(auth_client):
    response = _reauthenticate(auth_client, {"password": "not it"})

    assert response.status_code == 400
    assert response.json() == {"password": ["Wrong password."]}


@pytest.mark.parametrize("body", [{}, {"password": PASSWORD, "code": "123456"}], ids=["neither", "both"])
def test_reauthenticate_takes_exactly_one_credential(auth_client, body):
    response = _reauthenticate(auth_client, body)

    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_reauthenticate_with_a_totp_or_recovery_code_for_an_account_with_totp_on(auth_client, user, clock):  # noqa: F811
    secret, recovery_codes = enable_totp(auth_client, clock)

    by_totp = _reauthenticate(auth_client, {"code": totp_code(secret)})
    by_recovery = _reauthenticate(auth_client, {"code": recovery_codes[0]})
    replayed = _reauthenticate(auth_client, {"code": recovery_codes[0]})

    assert (by_totp.status_code, by_recovery.status_code) == (200, 200)
    assert (replayed.status_code, replayed.json()["code"]) == (400, "invalid_code")


def test_reauthenticate_with_a_code_without_totp_is_400(auth_client):
    response = _reauthenticate(auth_client, {"code": "123456"})

    assert (response.status_code, response.json()["code"]) == (400, "mfa_not_enabled")


def test_a_step_up_token_lets_the_session_turn_totp_on(auth_client, user, clock):  # noqa: F811
    step_up = {REAUTH: _reauthenticate(auth_client).json()["reauth_token"]}

    secret = auth_client.post("/api/user/mfa/totp/", format="json", **step_up).json()["secret"]
    confirmed = auth_client.post(
        "/api/user/mfa/totp/confirm/", {"code": totp_code(secret)}, format="json", **step_up
    )

    assert confirmed.status_code == 200
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


# --- One failure limit at every door --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("delete", "/api/user/me/", {"password": "guess"}),
        ("post", "/api/user/reauthenticate/", {"password": "guess"}),
        ("patch", "/api/user/me/", {"email": "evil@attacker.example", "password": "guess"}),
        ("post", "/api/user/password/", {"old_password": "guess", "new_password": "a new long passphrase 7"}),
    ],
    ids=["delete account", "reauthenticate", "change email", "change password"],
)
def test_password_guesses_with_an_access_token_hit_the_accounts_failure_limit(
    auth_client, user, settings, method, path, body
):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    settings.AUTH_THROTTLE_RATE = "1000/min"

    statuses = [_send(auth_client, method, path, body).status_code for _ in range(4)]
    right = _send(auth_client, method, path, {**body, "password": PASSWORD, "old_password": PASSWORD})

    assert statuses == [400, 400, 400, 429]
    assert right.status_code == 429
    # The same count as logins: the account is locked for logins from elsewhere too.
    login = APIClient().post("/api/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert login.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()


def test_wrong_passwords_from_one_ip_over_many_accounts_hit_the_ip_limit(make_user, settings):
    settings.LOGIN_FAILURE_IP_RATE = "3/hour"
    names = [make_user().username for _ in range(4)]
    sprayer = APIClient(REMOTE_ADDR="203.0.113.9")

    statuses = [
        sprayer.post("/api/token/", {"username": name, "password": "Summer2026!"}, format="json").status_code
        for name in names
    ]
    elsewhere = APIClient(REMOTE_ADDR="203.0.113.10").post(
        "/api/token/", {"username": names[-1], "password": PASSWORD}, format="json"
    )

    assert statuses == [401, 401, 401, 429]
    assert elsewhere.status_code == 200
