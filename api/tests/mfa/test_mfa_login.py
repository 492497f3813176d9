"""Two-step login of an account with TOTP on: the password answers 401 `mfa_required` with an
`mfa_token`, which with a TOTP or recovery code at /api/token/mfa/ starts the session."""

import time

import pyotp
import pytest
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from api.mfa import services as mfa
from api.models import MfaChallenge, RecoveryCode, TokenFamily, TotpDevice
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

FRONTEND = "https://app.example.com"


# --- Helpers, also used by the other tests of an account with TOTP on ----------------------


def totp_code(secret: str, steps: int = 0) -> str:
    """The code of the authenticator app `steps` time steps from now."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def enable_totp(client: APIClient, clock) -> tuple[str, list[str]]:
    """Turn TOTP on for the client's user; returns the secret and the recovery codes. Moves the
    clock to the next time step, so the code used to confirm is not replayed by accident."""
    proof = {"password": PASSWORD}
    secret = client.post("/api/user/mfa/totp/", proof, format="json").json()["secret"]
    response = client.post("/api/user/mfa/totp/confirm/", {"code": totp_code(secret), **proof}, format="json")
    assert response.status_code == 200, response.content
    clock.shift(30)
    return secret, response.json()["recovery_codes"]


def password_step(client: APIClient, username: str, password: str = PASSWORD, **headers):
    return client.post("/api/token/", {"username": username, "password": password}, format="json", **headers)


def code_step(client: APIClient, mfa_token: str, code: str, **headers):
    return client.post("/api/token/mfa/", {"mfa_token": mfa_token, "code": code}, format="json", **headers)


def mfa_token_of(client: APIClient, username: str) -> str:
    response = password_step(client, username)
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "mfa_required"
    return response.json()["mfa_token"]


# --- The two steps ------------------------------------------------------------------------------


def test_password_of_an_account_with_totp_on_is_401_mfa_required_without_tokens(api_client, user, totp_user):
    response = password_step(api_client, user.username)

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "code", "mfa_token"}
    assert body["code"] == "mfa_required"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    # No session began, and no device cookie: the login is not finished.
    assert "login_device" not in response.cookies
    assert TokenFamily.objects.filter(user=user).count() == 1  # the fixture's own login


def test_wrong_password_of_an_account_with_totp_on_is_the_usual_401(api_client, user, totp_user):
    response = password_step(api_client, user.username, "wrong password")

    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"
    assert "mfa_token" not in response.json()
    assert not MfaChallenge.objects.exists()


def test_totp_code_finishes_the_login_with_a_working_session(api_client, user, totp_user):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)

    response = code_step(api_client, mfa_token, totp_code(secret), HTTP_USER_AGENT="Phone app/1.0")

    assert response.status_code == 200, response.content
    pair = response.json()
    assert set(pair) == {"access", "refresh"}
    assert "login_device" in response.cookies
    client = bearer(pair["access"])
    assert client.get("/api/user/me/").json()["mfa_enabled"] is True
    sessions = client.get("/api/user/sessions/").json()
    [current] = [s for s in sessions if s["current"]]
    assert (current["user_agent"], current["ip"]) == ("Phone app/1.0", "127.0.0.1")
    refreshed = api_client.post("/api/token/refresh/", {"refresh": pair["refresh"]}, format="json")
    assert refreshed.status_code == 200


def test_code_typed_with_a_space_is_accepted(api_client, user, totp_user):
    secret, _codes = totp_user
    code = totp_code(secret)

    response = code_step(api_client, mfa_token_of(api_client, user.username), f"{code[:3]} {code[3:]}")

    assert response.status_code == 200, response.content


def test_recovery_code_finishes_the_login_once(api_client, user, totp_user):
    _secret, codes = totp_user

    first = code_step(api_client, mfa_token_of(api_client, user.username), codes[0])
    again = code_step(api_client, mfa_token_of(api_client, user.username), codes[0])

    assert first.status_code == 200, first.content
    assert again.status_code == 401
    assert again.json()["code"] == "invalid_code"
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    # Written in capitals without hyphens, another code still works.
    assert (
        code_step(
            api_client, mfa_token_of(api_client, user.username), codes[1].replace("-", "").upper()
        ).status_code
        == 200
    )


def test_totp_code_works_once(api_client, user, totp_user):
    secret, _codes = totp_user
    code = totp_code(secret)
    assert code_step(api_client, mfa_token_of(api_client, user.username), code).status_code == 200

    replay = code_step(api_client, mfa_token_of(api_client, user.username), code)

    assert replay.status_code == 401
    assert replay.json()["code"] == "invalid_code"


def test_once_a_code_is_used_an_earlier_one_is_refused(api_client, user, totp_user):
    secret, _codes = totp_user
    assert (
        code_step(api_client, mfa_token_of(api_client, user.username), totp_code(secret, 1)).status_code
        == 200
    )

    earlier = code_step(api_client, mfa_token_of(api_client, user.username), totp_code(secret))

    assert earlier.status_code == 401


@pytest.mark.parametrize("steps, status", [(-1, 200), (1, 200), (-2, 401), (2, 401)])
def test_codes_one_step_off_are_accepted_and_two_steps_off_refused(
    api_client, user, totp_user, clock, steps, status
):
    secret, _codes = totp_user
    # Past the steps around the one used to confirm, which no longer count.
    clock.shift(90)

    response = code_step(api_client, mfa_token_of(api_client, user.username), totp_code(secret, steps))

    assert response.status_code == status, response.content


def test_mfa_token_works_once(api_client, user, totp_user, clock):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    assert code_step(api_client, mfa_token, totp_code(secret)).status_code == 200
    clock.shift(30)

    again = code_step(api_client, mfa_token, totp_code(secret))

    assert again.status_code == 401
    assert again.json()["code"] == "mfa_token_invalid"


@pytest.mark.parametrize("lifetime", [300, 60])
def test_mfa_token_expires_after_its_lifetime(api_client, user, totp_user, clock, settings, lifetime):
    settings.MFA_TOKEN_LIFETIME = lifetime
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)

    clock.shift(lifetime + 1)
    response = code_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_mfa_token_still_works_just_before_its_lifetime_ends(api_client, user, totp_user, clock, settings):
    settings.MFA_TOKEN_LIFETIME = 60
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)

    clock.shift(55)

    assert code_step(api_client, mfa_token, totp_code(secret)).status_code == 200


def test_five_wrong_codes_end_the_mfa_token_even_for_a_right_code(api_client, user, totp_user):
    secret, codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)

    answers = [code_step(api_client, mfa_token, wrong) for _ in range(mfa.MFA_MAX_ATTEMPTS)]
    after = [code_step(api_client, mfa_token, code) for code in (totp_code(secret), codes[0])]

    assert [a.json()["code"] for a in answers] == ["invalid_code"] * mfa.MFA_MAX_ATTEMPTS
    assert {a.status_code for a in answers} == {401}
    assert [a.json()["code"] for a in after] == ["mfa_token_invalid"] * 2
    # Nothing was spent by the refused right codes.
    assert not RecoveryCode.objects.filter(user=user, used_at__isnull=False).exists()
    assert code_step(api_client, mfa_token_of(api_client, user.username), codes[0]).status_code == 200


def test_wrong_codes_count_toward_the_accounts_failed_login_limit(api_client, user, totp_user, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    secret, _codes = totp_user
    spare = mfa_token_of(api_client, user.username)
    for _ in range(3):
        response = code_step(api_client, mfa_token_of(api_client, user.username), "000000")
        assert response.json()["code"] == "invalid_code"

    password = password_step(api_client, user.username)
    finish = code_step(api_client, spare, totp_code(secret))

    assert password.status_code == 429
    assert finish.status_code == 429


def test_account_at_its_failure_limit_cannot_finish_a_login(api_client, user, totp_user, settings):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    settings.LOGIN_FAILURE_RATE = "2/hour"
    for _ in range(2):
        assert code_step(api_client, mfa_token, "000000").status_code == 401

    response = code_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 429
    assert password_step(api_client, user.username).status_code == 429


def test_mfa_required_is_not_a_failed_login(api_client, user, totp_user, settings):
    settings.LOGIN_FAILURE_RATE = "2/hour"

    answers = [password_step(api_client, user.username) for _ in range(4)]

    assert [a.json()["code"] for a in answers] == ["mfa_required"] * 4


# --- The mfa_token is no other token, and no other token is an mfa_token -----------------------


def test_mfa_token_is_refused_as_bearer_refresh_and_verified_token(api_client, user, totp_user):
    mfa_token = mfa_token_of(api_client, user.username)

    assert bearer(mfa_token).get("/api/user/me/").status_code == 401
    refresh = api_client.post("/api/token/refresh/", {"refresh": mfa_token}, format="json")
    assert refresh.status_code == 401
    assert refresh.json()["code"] == "token_not_valid"
    assert api_client.post("/api/token/verify/", {"token": mfa_token}, format="json").status_code == 401
    assert api_client.post("/api/token/blacklist/", {"refresh": mfa_token}, format="json").status_code == 401


@pytest.mark.parametrize("kind", ["access", "refresh"])
def test_access_and_refresh_tokens_are_refused_as_mfa_token(api_client, user, totp_user, tokens, kind):
    secret, _codes = totp_user

    response = code_step(api_client, tokens[kind], totp_code(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"
    # The code was not spent either.
    assert (
        code_step(api_client, mfa_token_of(api_client, user.username), totp_code(secret)).status_code == 200
    )


@pytest.mark.parametrize(
    ("mfa_token", "status", "answer"),
    [
        ("", 400, "mfa_token"),
        ("x", 401, "mfa_token_invalid"),
        ("a.b.c", 401, "mfa_token_invalid"),
        ("eyJhbGciOiJub25lIn0.eyJ0b2tlbl90eXBlIjoibWZhIn0.", 401, "mfa_token_invalid"),
    ],
    ids=["empty", "word", "three parts", "unsigned"],
)
def test_garbage_mfa_token_is_a_client_error(api_client, mfa_token, status, answer):
    response = code_step(api_client, mfa_token, "123456")

    assert response.status_code == status
    # An empty one is a field error of `mfa_token`; the others are not tokens of this server.
    assert answer in ({*response.json()} if status == 400 else {response.json()["code"]})


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "x" * 65, "12345\u0000"])
def test_code_of_no_known_shape_is_a_field_error_and_no_try(api_client, user, totp_user, code):
    mfa_token = mfa_token_of(api_client, user.username)

    response = code_step(api_client, mfa_token, code)

    assert response.status_code == 400
    assert "code" in response.json()
    assert MfaChallenge.objects.get().attempts == 0


# --- Account changes during a login -----------------------------------------------------------


def test_turning_totp_off_during_a_login_ends_it_and_the_next_login_needs_no_code(
    api_client, user, totp_user, auth_client, clock
):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    disabled = auth_client.delete(
        "/api/user/mfa/totp/", {"password": PASSWORD, "code": totp_code(secret)}, format="json"
    )
    assert disabled.status_code == 204
    clock.shift(30)

    response = code_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"
    assert password_step(api_client, user.username).status_code == 200


def test_account_deleted_during_a_login_ends_it(api_client, user, totp_user):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    user.delete()

    response = code_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_token_invalid"


def test_password_change_during_a_login_ends_it(api_client, user, totp_user, auth_client):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    changed = auth_client.post(
        "/api/user/password/",
        {"old_password": PASSWORD, "new_password": "another long passphrase 42"},
        format="json",
    )
    assert changed.status_code == 200

    response = code_step(api_client, mfa_token, totp_code(secret))

    assert response.json()["code"] == "mfa_token_invalid"
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_deactivated_account_cannot_finish_a_login(api_client, user, totp_user):
    secret, _codes = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert code_step(api_client, mfa_token, totp_code(secret)).json()["code"] == "mfa_token_invalid"


# --- Refresh cookie mode ----------------------------------------------------------------------


@pytest.fixture
def cookie_mode(settings):
    settings.JWT_REFRESH_COOKIE = True
    settings.JWT_REFRESH_COOKIE_NAME = "refresh_token"
    settings.CORS_ALLOWED_ORIGINS = [FRONTEND]
    settings.CSRF_TRUSTED_ORIGINS = [FRONTEND]
    settings.CORS_ALLOW_CREDENTIALS = True


def test_second_step_in_cookie_mode_answers_as_login_does(api_client, user, totp_user, cookie_mode):
    secret, _codes = totp_user
    response = password_step(api_client, user.username, HTTP_ORIGIN=FRONTEND)
    assert response.json()["code"] == "mfa_required"

    finished = code_step(api_client, response.json()["mfa_token"], totp_code(secret), HTTP_ORIGIN=FRONTEND)

    assert finished.status_code == 200
    assert set(finished.json()) == {"access"}
    cookie = finished.cookies["refresh_token"]
    assert cookie["httponly"] and cookie["path"] == "/api/token/"
    refreshed = api_client.post("/api/token/refresh/", {}, format="json", HTTP_ORIGIN=FRONTEND)
    assert refreshed.status_code == 200


@pytest.mark.parametrize(
    "headers, code",
    [({}, "origin_missing"), ({"HTTP_ORIGIN": "https://evil.example"}, "origin_not_allowed")],
)
def test_second_step_in_cookie_mode_needs_an_allowed_origin(
    api_client, user, totp_user, cookie_mode, headers, code
):
    secret, _codes = totp_user
    mfa_token = password_step(api_client, user.username, HTTP_ORIGIN=FRONTEND).json()["mfa_token"]

    response = code_step(api_client, mfa_token, totp_code(secret), **headers)

    assert response.status_code == 403
    assert response.json()["code"] == code
    assert MfaChallenge.objects.get().used_at is None


# --- Cost --------------------------------------------------------------------------------------


def test_both_login_steps_make_a_fixed_small_number_of_queries(
    api_client, user, totp_user, django_assert_max_num_queries
):
    secret, _codes = totp_user

    # Each step takes and gives back its places in the failure counts (api/core/counters.py);
    # the second logs the login (api/core/security_log.py, in a savepoint here).
    with django_assert_max_num_queries(8):
        mfa_token = mfa_token_of(api_client, user.username)
    with django_assert_max_num_queries(15):
        response = code_step(api_client, mfa_token, totp_code(secret))

    assert response.status_code == 200


def test_two_factor_logins_are_counted_mfa_required_then_ok_or_failed(api_client, user, totp_user):
    def logins(outcome: str) -> float:
        return REGISTRY.get_sample_value("notes_logins_total", {"outcome": outcome}) or 0.0

    before = {outcome: logins(outcome) for outcome in ("ok", "failed", "mfa_required")}
    secret, _ = totp_user
    mfa_token = mfa_token_of(api_client, user.username)
    assert (
        code_step(api_client, mfa_token, "000000" if totp_code(secret) != "000000" else "111111").status_code
        == 401
    )
    assert code_step(api_client, mfa_token, totp_code(secret)).status_code == 200

    assert {outcome: logins(outcome) - before[outcome] for outcome in before} == {
        "ok": 1,
        "failed": 1,
        "mfa_required": 1,
    }
