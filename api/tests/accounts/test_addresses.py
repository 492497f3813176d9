"""Only addresses the mailer can deliver are accepted: Django's validator lets some non-ASCII
letters through in the part before the @ (it matches ignoring case), and SMTP without SMTPUTF8
would send such a message to a mangled recipient."""

import pytest
from django.core import mail
from django.core.mail.message import sanitize_address
from rest_framework.test import APIClient

from api.models import User
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

UNDELIVERABLE = ["\u017fmith@example.com", "\u212aim@example.com", "jos\u00e9@example.com"]
UNDELIVERABLE_IDS = ["long s", "kelvin sign", "accented"]


@pytest.mark.parametrize("address", UNDELIVERABLE, ids=UNDELIVERABLE_IDS)
def test_registration_refuses_an_address_with_a_non_ascii_local_part(api_client, address):
    response = api_client.post(
        "/api/user/register/", {"username": "smith", "password": PASSWORD, "email": address}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    assert not User.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("address", UNDELIVERABLE, ids=UNDELIVERABLE_IDS)
def test_an_email_change_refuses_an_address_with_a_non_ascii_local_part(auth_client, user, address):
    response = auth_client.patch("/api/user/me/", {"email": address, "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]
    user.refresh_from_db()
    assert (user.email, user.pending_email) == ("", "")


@pytest.mark.parametrize("path", ["/api/user/password-reset/", "/api/user/verify-email/resend/"])
def test_link_requests_refuse_an_address_with_a_non_ascii_local_part(api_client, path):
    response = api_client.post(path, {"email": UNDELIVERABLE[0]}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["email"]


def test_a_non_ascii_domain_is_delivered_as_idna(make_user):
    make_user("smith", email="smith@b\u00fccher.example")

    response = APIClient().post(
        "/api/user/password-reset/", {"email": "smith@b\u00fccher.example"}, format="json"
    )

    assert response.status_code == 202
    (message,) = mail.outbox
    assert message.recipients() == ["smith@b\u00fccher.example"]
    # What goes into RCPT TO: the domain in IDNA, the local part untouched.
    assert sanitize_address(message.recipients()[0], "utf-8") == "smith@xn--bcher-kva.example"
