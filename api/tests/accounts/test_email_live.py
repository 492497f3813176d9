"""Account mail over real SMTP: gunicorn sends to an SMTP server on a free port, and the links
in what arrives reset a password and verify an address."""

import email
import email.policy
import queue
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from aiosmtpd.controller import Controller

from api.tests.conftest import PASSWORD
from api.tests.live import LiveServer, free_port, server_env

# How long a message may take to arrive: the server sends it in the background.
MAIL_TIMEOUT = 30
NEW_PASSWORD = "a brand new passphrase 42"
OTHER_PASSWORD = "another new passphrase 43"
# Rounds of two confirms of one link sent together; each round a new account and link.
RESET_RACE_ROUNDS = 5
# How long a request of a round waits for the other at the barrier.
BARRIER_TIMEOUT = 30
LINK = re.compile(r"https://app\.example\.com/(?:reset|verify-email)/(?P<uid>[^/\s]+)/(?P<token>[^/\s]+)")


class Inbox:
    """An aiosmtpd handler that keeps what it receives, to be read with a timeout."""

    def __init__(self) -> None:
        self.messages: queue.Queue[email.message.EmailMessage] = queue.Queue()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.put(message)
        return "250 Message accepted for delivery"

    def next(self) -> email.message.EmailMessage:
        """The next message that carries a link: security notices (of a reset, say) are passed over."""
        deadline = time.monotonic() + MAIL_TIMEOUT
        while True:
            try:
                message = self.messages.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no message arrived within {MAIL_TIMEOUT}s") from None
            if not str(message["Subject"]).startswith("Security notice:"):
                return message


@pytest.fixture
def smtp_server():
    """An SMTP server on 127.0.0.1: yields its inbox and port; stopped after the test."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), ready_timeout=MAIL_TIMEOUT)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture
def mail_env(smtp_server, live_database_url):
    inbox, port = smtp_server

    def make(**variables: str) -> dict[str, str]:
        return server_env(
            DATABASE_URL=live_database_url,
            EMAIL_URL=f"smtp://127.0.0.1:{port}",
            EMAIL_TIMEOUT="5",
            PASSWORD_RESET_URL="https://app.example.com/reset/{uid}/{token}",
            EMAIL_VERIFY_URL="https://app.example.com/verify-email/{uid}/{token}",
            DEFAULT_FROM_EMAIL="Notes <no-reply@example.com>",
            **variables,
        )

    return inbox, make


def _link(message: email.message.EmailMessage) -> dict[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    found = LINK.search(text)
    assert found, text
    assert found.group(0) in html
    return {"uid": found["uid"], "token": found["token"]}


def _name() -> str:
    return f"mail{uuid.uuid4().hex[:12]}"


def _log_in(server: LiveServer, username: str, password: str = PASSWORD):
    return server.request("POST", "/api/token/", {"username": username, "password": password})


def test_a_password_reset_by_real_mail(mail_env, gunicorn_server):
    inbox, make_env = mail_env
    server: LiveServer = gunicorn_server(make_env())
    username = _name()
    address = f"{username}@example.com"
    body = {"username": username, "password": PASSWORD, "email": address}
    assert server.request("POST", "/api/user/register/", body).status == 201
    old = _log_in(server, username).json()

    asked = server.request("POST", "/api/user/password-reset/", {"email": address})
    assert asked.status == 202
    message = inbox.next()
    assert message["To"] == address
    assert message["From"] == "Notes <no-reply@example.com>"
    link = _link(message)

    confirmed = server.request(
        "POST", "/api/user/password-reset/confirm/", {**link, "new_password": NEW_PASSWORD}
    )
    assert confirmed.status == 204, confirmed.body

    assert _log_in(server, username, NEW_PASSWORD).status == 200
    assert _log_in(server, username).status == 401
    assert server.request("GET", "/api/notes/", token=old["access"]).status == 401
    assert server.request("POST", "/api/token/refresh/", {"refresh": old["refresh"]}).status == 401
    server.stop()
    assert link["token"] not in server.output()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail_env, gunicorn_server):
    inbox, make_env = mail_env
    server = gunicorn_server(make_env())

    reply = server.request("POST", "/api/user/password-reset/", {"email": f"{_name()}@example.com"})

    assert reply.status == 202
    # Nothing arrives: a known address sent at once would be here well within this time.
    with pytest.raises(queue.Empty):
        inbox.messages.get(timeout=2)


def test_email_verification_by_real_mail(mail_env, gunicorn_server):
    inbox, make_env = mail_env
    server = gunicorn_server(make_env(REQUIRE_EMAIL_VERIFICATION="true"))
    username = _name()
    address = f"{username}@example.com"

    body = {"username": username, "password": PASSWORD, "email": address}
    assert server.request("POST", "/api/user/register/", body).status == 201
    refused = _log_in(server, username)
    assert refused.status == 403
    assert refused.json()["code"] == "email_not_verified"

    message = inbox.next()
    assert message["To"] == address
    verified = server.request("POST", "/api/user/verify-email/", _link(message))
    assert verified.status == 204, verified.body

    login = _log_in(server, username)
    assert login.status == 200
    me = server.request("GET", "/api/user/me/", token=login.json()["access"]).json()
    assert me["email_verified"] is True


def test_a_mail_server_that_is_down_costs_the_answer_nothing_and_a_retry_works(
    live_database_url, smtp_server, gunicorn_server
):
    inbox, port = smtp_server
    down = free_port()  # nothing listens there
    env = {
        "DATABASE_URL": live_database_url,
        "PASSWORD_RESET_URL": "https://app.example.com/reset/{uid}/{token}",
        "EMAIL_VERIFY_URL": "https://app.example.com/verify-email/{uid}/{token}",
        "DEFAULT_FROM_EMAIL": "no-reply@example.com",
        "EMAIL_TIMEOUT": "5",
    }
    broken = gunicorn_server(server_env(EMAIL_URL=f"smtp://127.0.0.1:{down}", **env))
    username = _name()
    address = f"{username}@example.com"
    body = {"username": username, "password": PASSWORD, "email": address}
    assert broken.request("POST", "/api/user/register/", body).status == 201

    assert broken.request("POST", "/api/user/password-reset/", {"email": address}).status == 202
    # The sender tries after the answer, finds no server, and keeps the message for a retry.
    deadline = time.monotonic() + 30
    while "not sent (try 1 of" not in broken.output() and time.monotonic() < deadline:
        time.sleep(0.1)
    broken.stop()
    assert "not sent (try 1 of" in broken.output()
    assert "/reset/" not in broken.output()

    working = gunicorn_server(server_env(EMAIL_URL=f"smtp://127.0.0.1:{port}", **env))
    assert working.request("POST", "/api/user/password-reset/", {"email": address}).status == 202
    link = _link(inbox.next())
    reply = working.request(
        "POST", "/api/user/password-reset/confirm/", {**link, "new_password": NEW_PASSWORD}
    )
    assert reply.status == 204


def test_two_parallel_confirms_of_one_reset_link_never_both_succeed(mail_env, gunicorn_server):
    inbox, make_env = mail_env
    # Two workers, so the two confirms run at the same time; throttles out of the way.
    server = gunicorn_server(
        make_env(AUTH_THROTTLE_RATE="100000/min", EMAIL_THROTTLE_RATE="100000/hour"), workers=2
    )
    confirm_path = "/api/user/password-reset/confirm/"

    with ThreadPoolExecutor(2) as pool:
        for round_number in range(RESET_RACE_ROUNDS):
            username = _name()
            address = f"{username}@example.com"
            body = {"username": username, "password": PASSWORD, "email": address}
            assert server.request("POST", "/api/user/register/", body).status == 201
            assert server.request("POST", "/api/user/password-reset/", {"email": address}).status == 202
            link = _link(inbox.next())
            start = threading.Barrier(2)

            def confirm(password: str, link=link, start=start):
                start.wait(timeout=BARRIER_TIMEOUT)
                return password, server.request("POST", confirm_path, {**link, "new_password": password})

            replies = list(pool.map(confirm, [NEW_PASSWORD, OTHER_PASSWORD]))

            statuses = sorted(reply.status for _, reply in replies)
            assert statuses == [204, 400], f"round {round_number}: {[(r.status, r.body) for _, r in replies]}"
            (winner,) = [password for password, reply in replies if reply.status == 204]
            (loser,) = [reply for _, reply in replies if reply.status == 400]
            assert loser.json()["code"] == "invalid_token", loser.body
            # The password is the winner's; the loser's and the old one never worked.
            assert _log_in(server, username, winner).status == 200
            for refused in {NEW_PASSWORD, OTHER_PASSWORD, PASSWORD} - {winner}:
                assert _log_in(server, username, refused).status == 401
