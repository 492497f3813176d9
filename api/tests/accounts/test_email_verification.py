"""Email verification (REQUIRE_EMAIL_VERIFICATION): a link by email at sign-up and at every change
of address; until it is followed, a right password answers 403 `email_not_verified`."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from api.accounts.tokens import uid_for
from api.core import outbox
from api.models import User
from api.sessions import services as sessions
from api.tests.accounts.conftest import REFUSING_BACKEND, link_in, only_message_to
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

VERIFY = "/api/user/verify-email/"
RESEND = "/api/user/verify-email/resend/"


def _register(client: APIClient, username: str, **extra):
    body = {"username": username, "password": PASSWORD, **extra}
    return client.post("/api/user/register/", body, format="json")


def _login(client: APIClient, username: str, password: str = PASSWORD):
    return client.post("/api/token/", {"username": username, "password": password}, format="json")


def _signed_in(user: User) -> APIClient:
    # An unverified account cannot log in; a session started directly stands for one it
    # had before its address changed.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {sessions.session_start(user=user).access}")
    return client


def _assert_refused(response, code: str = "invalid_token") -> None:
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code


# --- Sign-up and login -------------------------------------------------------------------------


def test_with_verification_off_nothing_changes(api_client):
    assert _register(api_client, "dora").status_code == 201
    assert _login(api_client, "dora").status_code == 200
    assert mail.outbox == []
    assert User.objects.get(username="dora").email_verified


def test_sign_up_requires_an_email_when_verification_is_on(api_client, verification_required):
    for extra in ({}, {"email": ""}):
        response = _register(api_client, "dora", **extra)
        assert response.status_code == 400
        assert set(response.json()) == {"email"}
    assert not User.objects.exists()


def test_sign_up_mails_a_link_and_login_waits_for_it(api_client, verification_required):
    assert _register(api_client, "dora", email="dora@example.com").status_code == 201
    message = only_message_to("dora@example.com")
    assert message.subject == "Confirm your email address"

    refused = _login(api_client, "dora")

    assert refused.status_code == 403
    assert refused.json() == {"detail": refused.json()["detail"], "code": "email_not_verified"}


def test_a_wrong_password_for_an_unverified_account_answers_as_for_any_account(
    api_client, verification_required
):
    _register(api_client, "dora", email="dora@example.com")

    wrong = _login(api_client, "dora", "not the password")
    unknown = _login(api_client, "nobody", "not the password")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "no_active_account"


def test_following_the_link_verifies_the_address_and_login_works(api_client, verification_required):
    _register(api_client, "dora", email="dora@example.com")
    link = link_in(only_message_to("dora@example.com"))

    assert api_client.post(VERIFY, link, format="json").status_code == 204

    login = _login(api_client, "dora")
    assert login.status_code == 200
    me = APIClient(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}").get("/api/user/me/")
    assert me.json()["email_verified"] is True


def test_a_verification_link_works_once(api_client, verification_required):
    _register(api_client, "dora", email="dora@example.com")
    link = link_in(only_message_to("dora@example.com"))
    assert api_client.post(VERIFY, link, format="json").status_code == 204

    _assert_refused(api_client.post(VERIFY, link, format="json"))


def test_a_verification_link_expires(api_client, verification_required, settings):
    settings.EMAIL_VERIFY_TIMEOUT = 600
    _register(api_client, "dora", email="dora@example.com")
    link = link_in(only_message_to("dora@example.com"))

    with time_machine.travel(timezone.now() + timedelta(seconds=605)):
        _assert_refused(api_client.post(VERIFY, link, format="json"), code="token_expired")


def test_a_reset_token_is_not_a_verification_token(api_client, make_user):
    # Verification not required: a reset link then goes to an unverified address too.
    dora = make_user("dora", email="dora@example.com", email_verified=False)
    api_client.post("/api/user/password-reset/", {"email": "dora@example.com"}, format="json")
    reset = link_in(only_message_to("dora@example.com"))

    _assert_refused(api_client.post(VERIFY, reset, format="json"))
    dora.refresh_from_db()
    assert not dora.email_verified


def test_another_accounts_verification_token_is_refused(api_client, verification_required):
    _register(api_client, "dora", email="dora@example.com")
    _register(api_client, "eve", email="eve@example.com")
    doras = link_in(only_message_to("dora@example.com"))
    eve = User.objects.get(username="eve")

    _assert_refused(api_client.post(VERIFY, {"uid": uid_for(eve), "token": doras["token"]}, format="json"))
    eve.refresh_from_db()
    assert not eve.email_verified


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"uid": None, "token": None},
        {"uid": ["x"], "token": "a-b"},
        {"uid": "MQ\x00", "token": "a-b"},
        [1],
    ],
    ids=["empty", "nulls", "list", "null-byte", "not-an-object"],
)
def test_verify_refuses_garbage_with_a_400(api_client, body):
    response = api_client.post(VERIFY, body, format="json")

    assert response.status_code == 400
    assert isinstance(response.json(), dict)


def test_sign_up_commits_even_when_the_mail_fails_and_resend_recovers(
    api_client, verification_required, settings, caplog
):
    settings.EMAIL_BACKEND = REFUSING_BACKEND
    with caplog.at_level(logging.WARNING, logger="api.mail"):
        assert _register(api_client, "dora", email="dora@example.com").status_code == 201
    assert "not sent" in caplog.text
    assert "/verify-email/" not in caplog.text
    assert User.objects.filter(username="dora", email_verified=False).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert api_client.post(RESEND, {"email": "dora@example.com"}, format="json").status_code == 202
    link = link_in(only_message_to("dora@example.com"))
    assert api_client.post(VERIFY, link, format="json").status_code == 204
    assert _login(api_client, "dora").status_code == 200


# --- Resend -----------------------------------------------------------------------------------


def test_resend_answers_the_same_for_unknown_verified_and_unverified_addresses(
    api_client, verification_required, make_user
):
    make_user("dora", email="dora@example.com", email_verified=False)
    make_user("vera", email="vera@example.com")

    answers = [
        api_client.post(RESEND, {"email": address}, format="json")
        for address in ("dora@example.com", "vera@example.com", "nobody@example.com")
    ]

    assert {(a.status_code, a.content) for a in answers} == {(202, answers[0].content)}
    assert [message.to for message in mail.outbox] == [["dora@example.com"]]


def test_resend_is_limited_per_address(verification_required, make_user, settings):
    settings.EMAIL_ADDRESS_THROTTLE_RATE = "1/min"
    make_user("dora", email="dora@example.com", email_verified=False)

    statuses = [
        APIClient(REMOTE_ADDR=f"10.0.0.{n}")
        .post(RESEND, {"email": "Dora@example.com"}, format="json")
        .status_code
        for n in range(2)
    ]

    assert statuses == [202, 429]


def test_resend_is_limited_per_client_ip(verification_required, settings):
    settings.EMAIL_THROTTLE_RATE = "1/min"
    client = APIClient(REMOTE_ADDR="10.0.0.1")

    statuses = [
        client.post(RESEND, {"email": f"x{n}@example.com"}, format="json").status_code for n in range(2)
    ]

    assert statuses == [202, 429]


# --- Changing the address --------------------------------------------------------------------


def _change_email(user: User, address: str):
    return _signed_in(user).patch("/api/user/me/", {"email": address, "password": PASSWORD}, format="json")


def test_a_new_address_is_pending_until_its_link_is_used(verification_required, make_user):
    dora = make_user("dora", email="dora@example.com")
    client = _signed_in(dora)

    response = client.patch(
        "/api/user/me/", {"email": "dora@new.example", "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["email"] == "dora@example.com"
    assert response.json()["pending_email"] == "dora@new.example"
    assert response.json()["email_verified"] is True
    link = link_in(only_message_to("dora@new.example"))
    # Until the link is used the old address is the account's: logins go on, a reset goes there.
    assert _login(APIClient(), "dora").status_code == 200
    assert APIClient().post(VERIFY, link, format="json").status_code == 204
    after = client.get("/api/user/me/").json()
    assert (after["email"], after["pending_email"], after["email_verified"]) == ("dora@new.example", "", True)


def test_a_reset_for_a_pending_address_mails_nothing(make_user):
    # A stolen session's change of address cannot bring a reset link to the thief.
    dora = make_user("dora", email="dora@example.com")
    _change_email(dora, "thief@attacker.example")
    mail.outbox.clear()

    response = APIClient().post(
        "/api/user/password-reset/", {"email": "thief@attacker.example"}, format="json"
    )

    assert response.status_code == 202
    assert mail.outbox == []


def test_a_change_link_dies_with_the_change_it_was_made_for(make_user, api_client):
    dora = make_user("dora", email="dora@example.com")
    _change_email(dora, "x@example.com")
    first_x = link_in(only_message_to("x@example.com"))
    mail.outbox.clear()
    _change_email(dora, "b@example.com")
    mail.outbox.clear()
    _change_email(dora, "x@example.com")
    second_x = link_in(only_message_to("x@example.com"))

    _assert_refused(api_client.post(VERIFY, first_x, format="json"))
    assert api_client.post(VERIFY, second_x, format="json").status_code == 204
    dora.refresh_from_db()
    assert dora.email == "x@example.com"


def test_asking_for_the_current_address_cancels_a_pending_change(make_user, api_client):
    dora = make_user("dora", email="dora@example.com")
    _change_email(dora, "new@example.com")
    link = link_in(only_message_to("new@example.com"))

    _change_email(dora, "dora@example.com")

    _assert_refused(api_client.post(VERIFY, link, format="json"))
    dora.refresh_from_db()
    assert (dora.email, dora.pending_email) == ("dora@example.com", "")


def test_resend_mails_a_new_link_for_a_pending_change(make_user, api_client):
    dora = make_user("dora", email="dora@example.com")
    _change_email(dora, "new@example.com")
    mail.outbox.clear()

    api_client.post("/api/user/verify-email/resend/", {"email": "new@example.com"}, format="json")

    assert (
        api_client.post(VERIFY, link_in(only_message_to("new@example.com")), format="json").status_code == 204
    )


def test_without_account_mail_a_new_address_takes_effect_at_once(make_user, settings):
    settings.EMAIL_VERIFY_URL = ""
    dora = make_user("dora", email="dora@example.com")

    response = _change_email(dora, "dora@new.example")

    assert (response.json()["email"], response.json()["pending_email"]) == ("dora@new.example", "")
    assert mail.outbox == []


def test_a_reset_goes_only_to_a_proven_address_when_verification_is_required(
    api_client, verification_required
):
    _register(api_client, "dora", email="dora@example.com")
    mail.outbox.clear()

    api_client.post("/api/user/password-reset/", {"email": "dora@example.com"}, format="json")

    assert mail.outbox == []


def test_a_link_for_the_old_address_dies_when_the_address_changes(api_client, verification_required):
    _register(api_client, "dora", email="dora@example.com")
    old_link = link_in(only_message_to("dora@example.com"))
    dora = User.objects.get(username="dora")

    _signed_in(dora).patch(
        "/api/user/me/", {"email": "dora@new.example", "password": PASSWORD}, format="json"
    )

    _assert_refused(api_client.post(VERIFY, old_link, format="json"))
    assert (
        api_client.post(VERIFY, link_in(only_message_to("dora@new.example")), format="json").status_code
        == 204
    )


def test_the_same_address_again_changes_nothing(verification_required, make_user):
    dora = make_user("dora", email="dora@example.com")

    response = _signed_in(dora).patch(
        "/api/user/me/", {"email": "dora@example.com", "password": PASSWORD}, format="json"
    )

    assert response.json()["email_verified"] is True
    assert mail.outbox == []


def test_the_address_cannot_be_removed_while_verification_is_on(verification_required, make_user):
    dora = make_user("dora", email="dora@example.com")

    response = _signed_in(dora).patch("/api/user/me/", {"email": "", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"email"}


def test_email_verified_is_read_only(verification_required, make_user):
    dora = make_user("dora", email="dora@example.com", email_verified=False)

    response = _signed_in(dora).patch(
        "/api/user/me/", {"email_verified": True, "password": PASSWORD}, format="json"
    )

    assert response.status_code == 200
    dora.refresh_from_db()
    assert not dora.email_verified


# --- Accounts from before the switch --------------------------------------------------------


def test_accounts_made_before_verification_was_required_count_as_verified(api_client, settings):
    assert _register(api_client, "early", email="early@example.com").status_code == 201
    assert _register(api_client, "noaddress").status_code == 201

    settings.REQUIRE_EMAIL_VERIFICATION = True

    assert _login(api_client, "early").status_code == 200
    assert _login(api_client, "noaddress").status_code == 200
    assert mail.outbox == []


def test_the_migration_marks_existing_accounts_verified(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("api", "0003_drop_token_blacklist_tables")])
    old_user = executor.loader.project_state([("api", "0003_drop_token_blacklist_tables")]).apps.get_model(
        "api", "User"
    )
    old_user.objects.create(username="veteran", password="!", email="veteran@example.com")
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert User.objects.get(username="veteran").email_verified is True
    finally:
        User.objects.filter(username="veteran").delete()


# --- Schema and cost ----------------------------------------------------------------------------


def test_the_schema_documents_the_new_answers(api_client):
    paths = api_client.get("/api/schema/?format=json").json()["paths"]

    assert "403" in paths["/api/token/"]["post"]["responses"]
    assert {"202", "400", "429"} <= set(paths["/api/user/password-reset/"]["post"]["responses"])
    assert {"204", "400"} <= set(paths["/api/user/password-reset/confirm/"]["post"]["responses"])
    assert {"204", "400"} <= set(paths["/api/user/verify-email/"]["post"]["responses"])
    assert {"202", "429"} <= set(paths["/api/user/verify-email/resend/"]["post"]["responses"])
    me = api_client.get("/api/schema/?format=json").json()["components"]["schemas"]["User"]
    assert me["properties"]["email_verified"]["readOnly"] is True


def test_verification_endpoints_take_a_bounded_number_of_queries(
    api_client, verification_required, make_user, settings, stored_not_sent, django_assert_max_num_queries
):
    settings.MAIL_RECIPIENT_RATE = "3/hour"
    for n in range(8):
        make_user(f"dora{n}", email="dora@example.com", email_verified=False)
    # The accounts; for each message its two budget places and its row, at most the address's
    # budget of them however many accounts share it; then the one refused place.
    with django_assert_max_num_queries(1 + 3 * 3 + 1):
        assert api_client.post(RESEND, {"email": "dora@example.com"}, format="json").status_code == 202
    assert outbox.deliver_due() == 3

    link = link_in(mail.outbox[0])
    # The account, its row lock and the check under it, the write (and savepoints).
    with django_assert_max_num_queries(6):
        assert api_client.post(VERIFY, link, format="json").status_code == 204
