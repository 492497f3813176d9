"""The breached-password check: a password the range API knows is refused (`password_breached`) at
every door; only the first 5 hex digits of its SHA-1 leave the server; when the API cannot be
asked, the password is let through, logged and counted (fail-open, docs/security.md says why).

Every test talks to a range server of its own on a free port (`range_api`,
api/tests/range_server.py), never to the real API."""

import logging
import socket
import threading

import pytest
from prometheus_client import REGISTRY
from rest_framework.test import APIClient

from api.tests.range_server import dead_port, sha1_hex

pytestmark = pytest.mark.django_db

BREACHED = "a breached passphrase 2013"
UNKNOWN = "a passphrase nobody leaked"
METRIC = "notes_breached_password_checks_total"


def _count(outcome: str) -> float:
    return REGISTRY.get_sample_value(METRIC, {"outcome": outcome}) or 0.0


class Counts:
    """The check's counts before a test's request; `delta()` gives what it added to each."""

    OUTCOMES = ("found", "not_found", "unavailable")

    def __init__(self) -> None:
        self.before = {outcome: _count(outcome) for outcome in self.OUTCOMES}

    def delta(self) -> dict[str, float]:
        return {outcome: _count(outcome) - self.before[outcome] for outcome in self.OUTCOMES}


def _register(password: str, username: str = "carol"):
    return APIClient().post(
        "/api/user/register/", {"username": username, "password": password}, format="json"
    )


# --- Found, not found ----------------------------------------------------------------------------


def test_a_breached_password_is_refused_with_password_breached_at_every_door(password_door, range_api):
    range_api.breach(BREACHED)
    counts = Counts()

    response = password_door.set(BREACHED)

    password_door.refused(response, "password_breached")
    assert response.json()[password_door.field] == [
        "This password has appeared in a data breach, so it is among the first that attackers try; "
        "choose another."
    ]
    assert counts.delta() == {"found": 1, "not_found": 0, "unavailable": 0}


def test_a_password_the_range_api_does_not_know_is_accepted(password_door, range_api):
    range_api.breach(BREACHED)
    counts = Counts()

    password_door.accepted(password_door.set(UNKNOWN))

    assert len(range_api.requests) == 1
    assert counts.delta() == {"found": 0, "not_found": 1, "unavailable": 0}


def test_padding_is_asked_for_and_its_zero_count_lines_are_no_breach(range_api):
    # The password's own suffix is in the answer, with the count 0 that marks padding.
    range_api.pad_with(UNKNOWN)

    assert _register(UNKNOWN).status_code == 201

    ((_path, headers),) = range_api.requests
    assert headers["Add-Padding"] == "true"


def test_only_the_five_character_prefix_leaves_the_server(range_api):
    digest = sha1_hex(BREACHED)

    _register(BREACHED)

    ((path, headers),) = range_api.requests
    assert path == f"/range/{digest[:5]}"
    sent = path + "".join(f"{name}: {value}" for name, value in headers.items())
    for secret in (BREACHED, digest, digest[5:], digest.lower(), digest[5:].lower()):
        assert secret not in sent


def test_the_check_is_made_on_the_normalised_password(range_api):
    range_api.breach(BREACHED)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c != " " else c for c in BREACHED)

    response = _register(fullwidth)

    assert response.status_code == 400
    assert response.data["password"][0].code == "password_breached"


def test_a_password_too_short_anyway_is_not_looked_up(range_api):
    assert _register("short").status_code == 400

    assert range_api.requests == []


def test_with_the_check_off_nothing_is_asked_and_a_breached_password_passes(range_api, settings):
    settings.PWNED_PASSWORDS_CHECK = False
    range_api.breach(BREACHED)

    assert _register(BREACHED).status_code == 201
    assert range_api.requests == []


# --- The range API cannot be asked: fail-open, logged, counted -----------------------------------


def _assert_let_through_logged_and_counted(caplog, counts: Counts, reason: str) -> None:
    assert counts.delta() == {"found": 0, "not_found": 0, "unavailable": 1}
    (record,) = [r for r in caplog.records if r.name == "api.accounts.breached"]
    assert record.levelno == logging.WARNING
    assert "Breached-password check skipped, password allowed" in record.getMessage()
    assert reason in record.getMessage()
    digest = sha1_hex(BREACHED)
    for secret in (BREACHED, digest, digest[:5], digest[5:]):
        assert secret not in caplog.text


def test_a_range_api_that_does_not_answer_in_time_lets_the_password_through(range_api, settings, caplog):
    settings.PWNED_PASSWORDS_TIMEOUT = 0.2
    range_api.breach(BREACHED)
    range_api.hold()
    counts = Counts()

    try:
        response = _register(BREACHED)
    finally:
        range_api.release()

    assert response.status_code == 201
    _assert_let_through_logged_and_counted(caplog, counts, "no answer within 0.2 s")


def test_a_range_api_whose_name_does_not_resolve_in_time_lets_the_password_through(
    range_api, settings, caplog, monkeypatch
):
    # A resolver that does not answer: the socket timeout does not cover the name lookup.
    settings.PWNED_PASSWORDS_TIMEOUT = 0.2
    settings.PWNED_PASSWORDS_URL = "http://range.example.invalid/range/"
    resolving = socket.getaddrinfo
    release, returned = threading.Event(), threading.Event()

    def hung_lookup(host, *args, **kwargs):
        if host != "range.example.invalid":
            return resolving(host, *args, **kwargs)
        release.wait(timeout=30)
        returned.set()
        raise socket.gaierror(socket.EAI_AGAIN, "released")

    monkeypatch.setattr(socket, "getaddrinfo", hung_lookup)
    counts = Counts()

    try:
        response = _register(BREACHED)
        # Answered while the lookup still hangs: the request did not wait for it.
        lookup_still_hung = not returned.is_set()
    finally:
        release.set()

    assert response.status_code == 201
    assert lookup_still_hung
    _assert_let_through_logged_and_counted(caplog, counts, "not resolved in time")


def test_a_range_api_that_trickles_its_answer_is_given_up_on(range_api, settings, caplog):
    # Each line comes well within the socket timeout; the whole answer would take 40 times it.
    settings.PWNED_PASSWORDS_TIMEOUT = 1
    range_api.trickle(0.05)
    counts = Counts()

    assert _register(BREACHED).status_code == 201

    _assert_let_through_logged_and_counted(caplog, counts, "no whole answer within 1 s")


def test_a_range_api_that_refuses_connections_lets_the_password_through(settings, caplog):
    settings.PWNED_PASSWORDS_CHECK = True
    counts = Counts()

    with dead_port() as port:
        settings.PWNED_PASSWORDS_URL = f"http://127.0.0.1:{port}/range/"
        response = _register(BREACHED)

    assert response.status_code == 201
    _assert_let_through_logged_and_counted(caplog, counts, "cannot be reached (ConnectionRefusedError)")


@pytest.mark.parametrize(
    "status, body, reason",
    [
        (503, None, "the range API answered 503"),
        (429, None, "the range API answered 429"),
        (200, b"<html><body>Sign in to the hotel Wi-Fi</body></html>", "not a range list"),
        (200, b"", "the answer is empty"),
    ],
    ids=["503", "429", "not-a-range-list", "empty"],
)
def test_an_error_or_an_answer_that_is_no_range_list_lets_the_password_through(
    range_api, caplog, status, body, reason
):
    range_api.breach(BREACHED)
    range_api.status = status
    range_api.body_override = body
    counts = Counts()

    assert _register(BREACHED).status_code == 201

    _assert_let_through_logged_and_counted(caplog, counts, reason)


def test_the_local_common_password_list_still_applies_when_the_api_cannot_be_asked(settings):
    settings.PWNED_PASSWORDS_CHECK = True

    with dead_port() as port:
        settings.PWNED_PASSWORDS_URL = f"http://127.0.0.1:{port}/range/"
        response = _register("1q2w3e4r5t6y7u8i9o0p")

    assert response.status_code == 400
    assert [error.code for error in response.data["password"]] == ["password_too_common"]


def test_the_metric_is_served_at_metrics(range_api):
    range_api.breach(BREACHED)
    _register(BREACHED)

    scraped = APIClient().get("/metrics").content.decode()

    assert f'{METRIC}{{outcome="found"}}' in scraped
    assert f'{METRIC}{{outcome="unavailable"}}' in scraped
