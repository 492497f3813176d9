"""Setting up two-factor login: pending and confirmed TOTP, recovery codes, turning it off, and
what each does to the user's other sessions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import InvalidToken

from api.mfa import services as mfa
from api.models import MfaChallenge, RecoveryCode, TotpDevice
from api.tests.accounts.conftest import (  # noqa: F401 (autouse: account mail as the account tests have it)
    _account_mail,
    _commits_run_their_callbacks,
    link_in,
    only_message_to,
)
from api.tests.conftest import PASSWORD
from api.tests.mfa.test_mfa_login import (
    bearer,
    code_step,
    enable_totp,
    mfa_token_of,
    password_step,
    totp_code,
)

pytestmark = pytest.mark.django_db

# The fresh proof every change of the second factor needs (api/sessions/stepup.py).
PROOF = {"password": PASSWORD}


def _confirm(client, code: str):
    return client.post("/api/user/mfa/totp/confirm/", {"code": code, **PROOF}, format="json")


def _disable(client, body: dict):
    return client.delete("/api/user/mfa/totp/", body, format="json")


def _regenerate(client, code: str):
    return client.post("/api/user/mfa/recovery-codes/", {"code": code}, format="json")


# --- Pending setup ------------------------------------------------------------------------------


def test_setup_gives_the_secret_its_otpauth_url_and_qr_code(auth_client, user):
    response = auth_client.post("/api/user/mfa/totp/", PROOF, format="json")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"secret", "otpauth_url", "qr_svg"}
    assert len(body["secret"]) == 32
    assert body["otpauth_url"].startswith("otpauth://totp/")
    assert f"secret={body['secret']}" in body["otpauth_url"]
    assert "issuer=Notes%20API" in body["otpauth_url"]
    assert body["qr_svg"].startswith("<svg") and body["qr_svg"].endswith("</svg>")


def test_pending_setup_changes_nothing_about_logging_in(auth_client, user, api_client):
    first = auth_client.post("/api/user/mfa/totp/", PROOF, format="json").json()["secret"]
    second = auth_client.post("/api/user/mfa/totp/", PROOF, format="json").json()["secret"]

    assert first != second
    assert TotpDevice.objects.get(user=user).secret == second
    assert password_step(api_client, user.username).status_code == 200
    assert auth_client.get("/api/user/me/").json()["mfa_enabled"] is False


def test_confirm_with_a_wrong_code_is_400_and_leaves_it_pending(auth_client, user, api_client, clock):
    secret = auth_client.post("/api/user/mfa/totp/", PROOF, format="json").json()["secret"]
    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)

    response = _confirm(auth_client, wrong)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_code"
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    assert not RecoveryCode.objects.exists()
    assert password_step(api_client, user.username).status_code == 200


@pytest.mark.parametrize("code", ["", "abc", "12345", "1234567", "aaaa-bbbb-cccc-dddd"])
def test_confirm_with_no_code_shape_is_a_field_error(auth_client, code):
    auth_client.post("/api/user/mfa/totp/", PROOF, format="json")

    response = _confirm(auth_client, code)

    assert response.status_code == 400
    assert "code" in response.json()


def test_confirm_with_the_code_of_a_replaced_secret_is_refused(auth_client, clock):
    old = auth_client.post("/api/user/mfa/totp/", PROOF, format="json").json()["secret"]
    auth_client.post("/api/user/mfa/totp/", PROOF, format="json")

    assert _confirm(auth_client, totp_code(old)).json()["code"] == "invalid_code"


def test_confirm_without_setup_or_after_an_hour_is_mfa_setup_not_started(auth_client, clock):
    assert _confirm(auth_client, "123456").json()["code"] == "mfa_setup_not_started"
    secret = auth_client.post("/api/user/mfa/totp/", PROOF, format="json").json()["secret"]

    # An hour later (the access token would have expired: the setup is made older instead).
    TotpDevice.objects.update(created_at=timezone.now() - timedelta(hours=1))
    response = _confirm(auth_client, totp_code(secret))

    assert response.status_code == 400
    assert response.json()["code"] == "mfa_setup_not_started"


# --- Turning it on ------------------------------------------------------------------------------


def test_confirm_turns_totp_on_and_answers_ten_recovery_codes_stored_hashed(auth_client, user, clock):
    secret = auth_client.post("/api/user/mfa/totp/", PROOF, format="json").json()["secret"]

    response = _confirm(auth_client, totp_code(secret))

    assert response.status_code == 200
    codes = response.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    stored = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert not any(code.replace("-", "") in hashed for code in codes for hashed in stored)
    assert auth_client.get("/api/user/me/").json()["mfa_enabled"] is True


def test_setup_or_confirm_while_on_is_409(auth_client, totp_user, clock):
    secret, _codes = totp_user

    start = auth_client.post("/api/user/mfa/totp/", PROOF, format="json")
    confirm = _confirm(auth_client, totp_code(secret))

    assert (start.status_code, start.json()["code"]) == (409, "mfa_already_enabled")
    assert (confirm.status_code, confirm.json()["code"]) == (409, "mfa_already_enabled")
    assert TotpDevice.objects.get().secret == secret


def test_turning_totp_on_ends_every_other_session_but_the_callers(user, login, clock):
    other, current = login(user.username), login(user.username)
    other_client, current_client = bearer(other["access"]), bearer(current["access"])
    assert other_client.get("/api/user/me/").status_code == 200

    enable_totp(current_client, clock)

    assert other_client.get("/api/user/me/").status_code == 401
    assert current_client.get("/api/user/me/").status_code == 200
    assert (
        current_client.post("/api/token/refresh/", {"refresh": other["refresh"]}, format="json").status_code
        == 401
    )
    assert (
        current_client.post("/api/token/refresh/", {"refresh": current["refresh"]}, format="json").status_code
        == 200
    )


# --- Recovery codes -------------------------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_set(auth_client, user, totp_user, api_client, clock):
    secret, old = totp_user

    response = _regenerate(auth_client, totp_code(secret))

    assert response.status_code == 200
    new = response.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.filter(user=user).count() == 10
    refused = code_step(api_client, mfa_token_of(api_client, user.username), old[0])
    assert refused.json()["code"] == "invalid_code"
    assert code_step(api_client, mfa_token_of(api_client, user.username), new[0]).status_code == 200


def test_new_recovery_codes_need_a_right_unused_totp_code(auth_client, totp_user, clock):
    secret, codes = totp_user
    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)

    assert _regenerate(auth_client, wrong).json()["code"] == "invalid_code"
    # A recovery code is not a TOTP code here.
    assert "code" in _regenerate(auth_client, codes[0]).json()
    assert _regenerate(auth_client, totp_code(secret)).status_code == 200
    assert _regenerate(auth_client, totp_code(secret)).json()["code"] == "invalid_code"


def test_new_recovery_codes_end_every_other_session(user, login, totp_user, auth_client, clock):
    secret, _codes = totp_user
    other = bearer(
        code_step(auth_client, mfa_token_of(auth_client, user.username), totp_code(secret)).json()["access"]
    )
    assert other.get("/api/user/me/").status_code == 200
    clock.shift(30)

    assert _regenerate(auth_client, totp_code(secret)).status_code == 200

    assert other.get("/api/user/me/").status_code == 401
    assert auth_client.get("/api/user/me/").status_code == 200


def test_new_recovery_codes_without_totp_is_400(auth_client):
    response = _regenerate(auth_client, "123456")

    assert (response.status_code, response.json()["code"]) == (400, "mfa_not_enabled")


# --- Turning it off -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "answer"),
    [
        ({}, 403, "reauthentication_required"),
        ({"password": PASSWORD}, 400, "code"),
        ({"code": "123456"}, 403, "reauthentication_required"),
    ],
    ids=["nothing", "no code", "no password"],
)
def test_turning_totp_off_needs_the_password_and_a_code(auth_client, user, totp_user, body, status, answer):
    response = _disable(auth_client, body)

    assert response.status_code == status
    assert answer in (response.json().get("code"), *response.json())
    assert TotpDevice.objects.get(user=user).confirmed_at is not None


def test_turning_totp_off_with_a_wrong_password_or_code_is_400(auth_client, user, totp_user):
    secret, _codes = totp_user
    wrong = str((int(totp_code(secret)) + 1) % 1_000_000).zfill(6)

    wrong_password = _disable(auth_client, {"password": "not the password", "code": totp_code(secret)})
    wrong_code = _disable(auth_client, {"password": PASSWORD, "code": wrong})

    assert wrong_password.status_code == 400 and "password" in wrong_password.json()
    assert (wrong_code.status_code, wrong_code.json()["code"]) == (400, "invalid_code")
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    # The right code, refused with the wrong password, was not spent.
    assert _disable(auth_client, {"password": PASSWORD, "code": totp_code(secret)}).status_code == 204


@pytest.mark.parametrize("with_recovery_code", [False, True])
def test_turning_totp_off_makes_logins_password_only_again(
    auth_client, user, totp_user, api_client, with_recovery_code
):
    secret, codes = totp_user
    code = codes[0] if with_recovery_code else totp_code(secret)

    response = _disable(auth_client, {"password": PASSWORD, "code": code})

    assert response.status_code == 204
    assert not TotpDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert password_step(api_client, user.username).status_code == 200
    assert auth_client.get("/api/user/me/").json()["mfa_enabled"] is False


def test_turning_totp_off_ends_every_other_session_and_waiting_login(
    user, totp_user, auth_client, api_client, clock
):
    secret, _codes = totp_user
    other = bearer(
        code_step(auth_client, mfa_token_of(auth_client, user.username), totp_code(secret)).json()["access"]
    )
    waiting = mfa_token_of(api_client, user.username)
    clock.shift(30)

    assert _disable(auth_client, {"password": PASSWORD, "code": totp_code(secret)}).status_code == 204

    assert other.get("/api/user/me/").status_code == 401
    assert auth_client.get("/api/user/me/").status_code == 200
    assert not MfaChallenge.objects.exists()
    assert code_step(api_client, waiting, totp_code(secret, 1)).json()["code"] == "mfa_token_invalid"


def test_turning_totp_off_when_off_is_400(auth_client):
    response = _disable(auth_client, {"password": PASSWORD, "code": "123456"})

    assert (response.status_code, response.json()["code"]) == (400, "mfa_not_enabled")


def test_wrong_codes_when_turning_totp_off_count_as_failed_logins(auth_client, user, totp_user, settings):
    settings.LOGIN_FAILURE_RATE = "2/hour"
    for _ in range(2):
        assert _disable(auth_client, {"password": PASSWORD, "code": "000000"}).status_code == 400

    assert _disable(auth_client, {"password": PASSWORD, "code": "000000"}).status_code == 429
    # From a client without the device cookie of an earlier login, which counts on its own.
    assert password_step(APIClient(), user.username).status_code == 429


# --- Password reset does not bypass the second factor -------------------------------------------


def test_password_reset_keeps_totp_and_the_next_login_needs_the_code(make_user, api_client, clock):
    owner = make_user("carol", email="carol@example.com")
    secret, _codes = enable_totp(
        bearer(
            api_client.post("/api/token/", {"username": "carol", "password": PASSWORD}, format="json").json()[
                "access"
            ]
        ),
        clock,
    )
    mail.outbox.clear()  # the notice of TOTP turned on
    waiting = mfa_token_of(api_client, "carol")
    assert (
        api_client.post(
            "/api/user/password-reset/", {"email": "carol@example.com"}, format="json"
        ).status_code
        == 202
    )
    new_password = "a brand new passphrase 7"
    link = link_in(only_message_to("carol@example.com"))

    reset = api_client.post(
        "/api/user/password-reset/confirm/", {**link, "new_password": new_password}, format="json"
    )

    assert reset.status_code == 204
    assert TotpDevice.objects.get(user=owner).confirmed_at is not None
    # A login waiting from before the reset is over.
    assert code_step(api_client, waiting, totp_code(secret)).json()["code"] == "mfa_token_invalid"
    response = password_step(api_client, "carol", new_password)
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code", "mfa_token"}
    assert code_step(api_client, response.json()["mfa_token"], totp_code(secret)).status_code == 200


# --- Accounts deleted meanwhile, clean-up ------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda user: mfa.totp_start(user=user),
        lambda user: mfa.totp_confirm(user=user, code="123456", keep_session=None),
        lambda user: mfa.recovery_codes_regenerate(user=user, code="123456", keep_session=None),
        lambda user: mfa.totp_disable(user=user, code="123456", keep_session=None),
    ],
    ids=["start", "confirm", "regenerate", "disable"],
)
def test_writes_for_an_account_deleted_meanwhile_fail_and_create_nothing(make_user, call):
    gone = make_user()
    stale = type(gone).objects.get(pk=gone.pk)
    gone.delete()

    with pytest.raises(InvalidToken):
        call(stale)

    assert not TotpDevice.objects.exists() and not RecoveryCode.objects.exists()


def test_flush_deletes_ended_logins_and_stale_setups_only(make_user, clock):
    waiting, pending, enabled = make_user(), make_user(), make_user()
    mfa.totp_start(user=pending)
    mfa.totp_start(user=enabled)
    TotpDevice.objects.filter(user=enabled).update(confirmed_at=timezone.now())
    mfa.mfa_challenge_start(user=waiting)
    clock.shift(60)
    mfa.mfa_challenge_start(user=waiting)

    clock.shift(300 - 30)
    call_command("flushexpiredtokens")
    assert MfaChallenge.objects.count() == 1
    assert TotpDevice.objects.count() == 2

    clock.shift(timedelta(hours=1).total_seconds())
    call_command("flushexpiredtokens")
    assert not MfaChallenge.objects.exists()
    assert list(TotpDevice.objects.values_list("user", flat=True)) == [enabled.pk]
