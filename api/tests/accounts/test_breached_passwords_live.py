"""The breached-password check in production processes: gunicorn asks the range API that its
environment names, here a server of the test's own; every other live server of the suite has the
check off (`live.project_env`), so that none asks the real API."""

import secrets

from api.tests.live import LiveServer, server_env, settings_in_process
from api.tests.range_server import RangeServer, sha1_hex

BREACHED = "a breached passphrase 2013"
UNKNOWN = "a passphrase nobody leaked"
_CHECK = {
    "check": "s.PWNED_PASSWORDS_CHECK",
    "url": "s.PWNED_PASSWORDS_URL",
    "timeout": "s.PWNED_PASSWORDS_TIMEOUT",
    "minimum": "s.PASSWORD_MIN_LENGTH",
    "words": "s.PASSWORD_CONTEXT_WORDS",
}


def test_gunicorn_refuses_a_password_that_the_range_api_of_its_environment_knows(
    live_database_url, gunicorn_server
):
    range_api = RangeServer()
    try:
        range_api.breach(BREACHED)
        env = server_env(
            DATABASE_URL=live_database_url, PWNED_PASSWORDS_CHECK="true", PWNED_PASSWORDS_URL=range_api.url
        )
        server: LiveServer = gunicorn_server(env)
        name = f"breachy{secrets.token_hex(4)}"
        refused = server.request("POST", "/api/user/register/", {"username": name, "password": BREACHED})
        accepted = server.request("POST", "/api/user/register/", {"username": name, "password": UNKNOWN})
    finally:
        range_api.close()

    assert refused.status == 400, refused.body
    assert refused.json() == {
        "password": [
            "This password has appeared in a data breach, so it is among the first that attackers "
            "try; choose another."
        ]
    }
    assert accepted.status == 201, accepted.body
    assert [path for path, _headers in range_api.requests] == [
        f"/range/{sha1_hex(BREACHED)[:5]}",
        f"/range/{sha1_hex(UNKNOWN)[:5]}",
    ]


def test_production_checks_against_the_public_range_api_by_default():
    # A blank value is the default, as in a deployment that sets nothing.
    assert settings_in_process(_CHECK, PWNED_PASSWORDS_CHECK="") == {
        "check": True,
        "url": "https://api.pwnedpasswords.com/range/",
        "timeout": 2.0,
        "minimum": 15,
        "words": ["notes"],
    }


def test_the_suites_production_processes_have_the_check_off():
    assert settings_in_process({"check": "s.PWNED_PASSWORDS_CHECK"}) == {"check": False}
