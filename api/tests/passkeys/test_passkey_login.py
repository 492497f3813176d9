"""Passwordless login with a passkey: options naming no account, then the browser's answer, for
the same answer as `POST /api/token/`. Every refusal counts in the one failed-credential limit."""

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import Passkey, SecurityEvent, TokenFamily
from api.passkeys import ceremonies
from api.tests.conftest import PASSWORD
from api.tests.mfa.conftest import clock  # noqa: F401
from api.tests.mfa.test_mfa_login import enable_totp
from api.tests.passkeys.authenticator import (
    SoftAuthenticator,
    b64url,
    login_options,
    passkey_login,
    register_passkey,
    unb64url,
)

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"


def _assert_refused(response, code: str = "passkey_invalid") -> None:
    assert response.status_code == 401, response.content
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "access" not in response.json()


def _kinds(user) -> list[str]:
    return list(
        SecurityEvent.objects.filter(user=user).order_by("-created_at", "-id").values_list("kind", flat=True)
    )


def test_login_options_name_no_account_and_ask_for_user_verification(api_client):
    options = login_options(api_client)

    assert options["rpId"] == "localhost"
    assert options["allowCredentials"] == []
    assert options["userVerification"] == "required"
    assert options["timeout"] == 300_000
    assert len(unb64url(options["challenge"])) == 32


def test_a_passkey_login_answers_as_a_password_login_and_starts_a_labelled_session(
    user, passkey, authenticator
):
    client = APIClient(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=BROWSER)
    before = TokenFamily.objects.filter(user=user).count()

    response = passkey_login(client, authenticator.get(login_options(client)))

    assert response.status_code == 200, response.content
    assert set(response.json()) == {"access", "refresh"}
    session = TokenFamily.objects.filter(user=user).latest("created_at")
    assert TokenFamily.objects.filter(user=user).count() == before + 1
    assert (session.user_agent, session.ip) == (BROWSER, "203.0.113.9")
    assert "login_device" in response.cookies
    event = SecurityEvent.objects.filter(user=user).latest("created_at")
    assert (event.kind, event.detail) == ("login", "passkey, new device")
    me = APIClient(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}").get("/api/user/me/")
    assert me.json()["username"] == "alice"


def test_a_passkey_login_moves_the_counter_and_when_it_was_last_used(user, passkey, authenticator):
    client = APIClient()
    passkey_login(client, authenticator.get(login_options(client)))

    stored = Passkey.objects.get(pk=passkey["id"])
    assert stored.sign_count == 1
    assert stored.last_used_at is not None


def test_a_passkey_login_stores_the_backup_state_the_authenticator_reports(
    user, auth_client, passkey, authenticator
):
    assert passkey["backed_up"] is False
    # The passkey has since been synced to the user's cloud account: its flags say so now.
    authenticator.synced = True
    client = APIClient()
    assert passkey_login(client, authenticator.get(login_options(client))).status_code == 200

    (listed,) = auth_client.get("/api/user/passkeys/").json()
    assert listed["backed_up"] is True


def test_in_refresh_cookie_mode_a_passkey_login_sets_the_cookie(user, passkey, authenticator, settings):
    settings.JWT_REFRESH_COOKIE = True
    settings.CORS_ALLOWED_ORIGINS = settings.CSRF_TRUSTED_ORIGINS = ["http://localhost:5173"]
    client = APIClient(HTTP_ORIGIN="http://localhost:5173")

    response = passkey_login(client, authenticator.get(login_options(client)))

    assert response.status_code == 200, response.content
    assert set(response.json()) == {"access"}
    assert response.cookies["refresh_token"]["httponly"]


def test_in_refresh_cookie_mode_a_passkey_login_from_another_origin_is_refused(
    user, passkey, authenticator, settings
):
    settings.JWT_REFRESH_COOKIE = True
    client = APIClient(HTTP_ORIGIN="https://evil.example")

    response = passkey_login(client, authenticator.get(login_options(client)))

    assert response.status_code == 403
    assert response.json()["code"] == "origin_not_allowed"


def test_a_passkey_login_of_an_account_with_totp_on_needs_no_code(user, auth_client, clock):  # noqa: F811
    enable_totp(auth_client, clock)
    authenticator = SoftAuthenticator()
    register_passkey(auth_client, authenticator)
    client = APIClient()

    response = passkey_login(client, authenticator.get(login_options(client)))

    assert response.status_code == 200, response.content
    assert "access" in response.json()


def test_an_authenticator_without_a_counter_logs_in_again_and_again(auth_client, user):
    authenticator = SoftAuthenticator(counter_step=0)
    register_passkey(auth_client, authenticator)

    for _ in range(3):
        client = APIClient()
        assert passkey_login(client, authenticator.get(login_options(client))).status_code == 200


@pytest.mark.parametrize("counter", [1, 4], ids=["backwards", "standing-still"])
def test_a_counter_that_does_not_move_on_is_refused_logged_and_counted(user, passkey, authenticator, counter):
    client = APIClient()
    for _ in range(4):
        assert passkey_login(client, authenticator.get(login_options(client))).status_code == 200

    response = passkey_login(client, authenticator.get(login_options(client), counter=counter))

    _assert_refused(response)
    assert sorted(_kinds(user)[:2]) == ["login_failed", "passkey_clone_suspected"]
    assert Passkey.objects.get(pk=passkey["id"]).sign_count == 4


def test_a_clone_suspected_is_mailed_to_the_owner(mailed_user, passkey, authenticator):
    from django.core import mail

    client = APIClient()
    passkey_login(client, authenticator.get(login_options(client)))
    mail.outbox.clear()

    passkey_login(client, authenticator.get(login_options(client), counter=1))

    (notice,) = mail.outbox
    assert "counter went backwards" in notice.body


def test_an_answer_from_another_origin_is_refused(user, passkey, authenticator):
    client = APIClient()

    _assert_refused(
        passkey_login(client, authenticator.get(login_options(client), origin="https://evil.example"))
    )
    assert _kinds(user)[0] == "login_failed"


def test_an_answer_for_another_rp_id_is_refused(user, passkey, authenticator):
    client = APIClient()

    _assert_refused(passkey_login(client, authenticator.get(login_options(client), rp_id="evil.example")))


def test_an_answer_without_user_verification_is_refused(user, passkey, authenticator):
    client = APIClient()

    _assert_refused(passkey_login(client, authenticator.get(login_options(client), verified=False)))


def test_a_bad_signature_is_refused(user, passkey, authenticator):
    client = APIClient()
    answer = authenticator.get(login_options(client))
    answer["response"]["signature"] = SoftAuthenticator().get(login_options(client))["response"]["signature"]

    _assert_refused(passkey_login(client, answer))


def test_a_replayed_answer_is_refused(user, passkey, authenticator):
    client = APIClient()
    answer = authenticator.get(login_options(client))
    assert passkey_login(client, answer).status_code == 200

    _assert_refused(passkey_login(client, answer), "passkey_challenge_invalid")


def test_an_expired_challenge_is_refused(user, passkey, authenticator, settings):
    settings.WEBAUTHN_CHALLENGE_MAX_AGE = 60
    client = APIClient()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        answer = authenticator.get(login_options(client))
        traveller.shift(61)

        _assert_refused(passkey_login(client, answer), "passkey_challenge_invalid")


def test_a_challenge_the_server_never_gave_is_refused(user, passkey, authenticator):
    client = APIClient()

    answer = authenticator.get(login_options(client), challenge=b64url(b"\x00" * 32))

    _assert_refused(passkey_login(client, answer), "passkey_challenge_invalid")


def test_an_unknown_credential_is_refused(user, passkey):
    client = APIClient()

    _assert_refused(passkey_login(client, SoftAuthenticator().get(login_options(client))))


def test_a_deleted_passkey_no_longer_logs_in(user, auth_client, passkey, authenticator):
    response = auth_client.delete(
        f"/api/user/passkeys/{passkey['id']}/", {"password": PASSWORD}, format="json"
    )
    assert response.status_code == 204
    client = APIClient()

    _assert_refused(passkey_login(client, authenticator.get(login_options(client))))


def test_a_passkey_deleted_while_its_answer_is_checked_does_not_log_in(
    user, passkey, authenticator, monkeypatch
):
    # The owner deletes the passkey (on another device) after the login read it, before the
    # counter moves: the signature was good, but the passkey is gone.
    verify = ceremonies.assertion_verify

    def verify_then_deleted(*args, **kwargs):
        verified = verify(*args, **kwargs)
        Passkey.objects.filter(pk=passkey["id"]).delete()
        return verified

    monkeypatch.setattr(ceremonies, "assertion_verify", verify_then_deleted)
    client = APIClient()
    sessions = TokenFamily.objects.filter(user=user).count()

    _assert_refused(passkey_login(client, authenticator.get(login_options(client))))
    assert TokenFamily.objects.filter(user=user).count() == sessions


def test_a_user_handle_of_another_account_is_refused(user, passkey, authenticator, make_user, client_for):
    register_passkey(client_for(make_user("bob")), SoftAuthenticator())
    bobs_handle = Passkey.objects.get(user__username="bob").user.passkey_user_handle
    client = APIClient()
    authenticator.user_handle = bobs_handle

    _assert_refused(passkey_login(client, authenticator.get(login_options(client))))


def test_an_answer_without_a_user_handle_still_logs_in(user, passkey, authenticator):
    client = APIClient()

    response = passkey_login(client, authenticator.get(login_options(client), with_user_handle=False))

    assert response.status_code == 200, response.content


def test_a_deactivated_account_does_not_log_in_with_its_passkey(user, passkey, authenticator):
    user.is_active = False
    user.save(update_fields=["is_active"])
    client = APIClient()

    _assert_refused(passkey_login(client, authenticator.get(login_options(client))))


def test_with_verification_required_an_unverified_account_does_not_log_in(
    user, passkey, authenticator, settings
):
    settings.REQUIRE_EMAIL_VERIFICATION = True
    user.email_verified = False
    user.save(update_fields=["email_verified"])
    client = APIClient()

    response = passkey_login(client, authenticator.get(login_options(client)))

    assert response.status_code == 403
    assert response.json()["code"] == "email_not_verified"


def test_refused_passkeys_count_toward_the_accounts_limit_of_every_door(
    user, passkey, authenticator, settings
):
    settings.LOGIN_FAILURE_RATE = "2/hour"
    for _ in range(2):
        client = APIClient()
        _assert_refused(passkey_login(client, authenticator.get(login_options(client), verified=False)))

    client = APIClient()
    response = passkey_login(client, authenticator.get(login_options(client)))
    password = client.post("/api/token/", {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert password.status_code == 429
    assert _kinds(user)[:3] == ["login_locked", "login_failed", "login_failed"]


def test_unknown_credentials_count_toward_the_client_ips_limit(user, passkey, authenticator, settings):
    settings.LOGIN_FAILURE_IP_RATE = "2/hour"
    client = APIClient(REMOTE_ADDR="198.51.100.20")
    for _ in range(2):
        _assert_refused(passkey_login(client, SoftAuthenticator().get(login_options(client))))

    response = passkey_login(client, authenticator.get(login_options(client)))

    assert response.status_code == 429
    other_ip = APIClient(REMOTE_ADDR="198.51.100.21")
    assert passkey_login(other_ip, authenticator.get(login_options(other_ip))).status_code == 200
