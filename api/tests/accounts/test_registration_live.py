"""Parallel registrations of one name and its look-alikes against gunicorn: one account, no 5xx."""

import random
import string
import threading
from concurrent.futures import ThreadPoolExecutor

from api.core import skeletons
from api.tests.conftest import PASSWORD
from api.tests.live import LiveServer, manage_ok, server_env

# 8 requests at once, each round a new name. Every winner, and every loser that passed the
# check, hashes its password: this is the slowest of the race tests.
ROUNDS = 100
TAKEN = "A user with that username already exists."
CONFUSABLE = "This username is too similar to an existing one."


def _variants(name: str) -> list[str]:
    """`name` (the letters of "olivia", then others and digits) and 7 ways of writing it again.

    Any two of them clash (`skeletons.UsernameKeys`), so that of 8 registered at once exactly
    one can win, whatever the order.
    """
    fullwidth = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.ascii_letters + string.digits})
    cyrillic = str.maketrans({"o": "\N{CYRILLIC SMALL LETTER O}", "a": "\N{CYRILLIC SMALL LETTER A}"})
    return [
        name,
        name.upper(),
        name.capitalize(),
        name.translate(fullwidth),
        name.translate(cyrillic),
        name.replace("i", "\N{LATIN SMALL LETTER DOTLESS I}"),
        name.replace("l", "I"),  # capital i for l
        name.replace("o", "0", 1),  # digit zero for o
    ]


def test_parallel_registrations_of_a_name_and_its_look_alikes_create_one_account_and_no_5xx(
    live_database_url, gunicorn_server
):
    # SQLite in the SQLite pass, PostgreSQL in the PostgreSQL pass (live_database_url). The
    # throttle would otherwise answer most of these with 429.
    env = server_env(DATABASE_URL=live_database_url, AUTH_THROTTLE_RATE="100000/min")
    server: LiveServer = gunicorn_server(env, workers=2)
    run = "".join(random.choices("bcdfghjkpqstvxz", k=8))  # noqa: S311 - a name, not a secret
    names = [f"olivia{run}{n}" for n in range(ROUNDS)]
    start = threading.Barrier(8)

    def register(username: str):
        start.wait(timeout=60)  # all 8 at the same moment
        return server.request("POST", "/api/user/register/", {"username": username, "password": PASSWORD})

    outcomes = []
    with ThreadPoolExecutor(8) as clients:
        for name in names:
            variants = _variants(name)
            assert len(variants) == 8
            outcomes.append(list(zip(variants, clients.map(register, variants), strict=True)))

    for round_outcomes in outcomes:
        statuses = sorted(reply.status for _, reply in round_outcomes)
        assert statuses == [201] + [400] * 7, [(v, r.status, r.body) for v, r in round_outcomes]
        for _variant, reply in round_outcomes:
            if reply.status == 400:
                assert reply.headers["Content-Type"] == "application/json"
                assert reply.json() in ({"username": [TAKEN]}, {"username": [CONFUSABLE]})

    # And the database agrees: one account per round (each variant shares a key with the name).
    keys = sorted({key for name in names for key in skeletons.username_keys(name)})
    count = (
        "from api.models import User; "
        f"print(User.objects.filter(username_keys__key__in={keys!r}).distinct().count())"
    )
    assert int(manage_ok("shell", "--no-imports", "-c", count, env=env)) == ROUNDS
