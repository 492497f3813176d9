"""New passwords as NIST SP 800-63B-4 (3.1.1.2) asks, at every door that sets one: length and not
composition, no truncation, Unicode normalised (NFKC) before hashing and checking, no context
words; existing accounts keep their passwords until they set new ones."""

import unicodedata

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from rest_framework.test import APIClient

from api.models import User
from api.tests.accounts.conftest import DOOR_USERNAME
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = "/api/user/register/"


def _register(username: str, password: str, email: str = ""):
    body = {"username": username, "password": password, "email": email}
    return APIClient().post(REGISTER, body, format="json")


def _logs_in(username: str, password: str) -> bool:
    response = APIClient().post("/api/token/", {"username": username, "password": password}, format="json")
    assert response.status_code in (200, 401), response.content
    return response.status_code == 200


# --- Length, not composition -------------------------------------------------------------------


def test_fourteen_characters_are_too_short_and_fifteen_enough_by_default(password_door):
    password_door.refused(password_door.set("fourteen chars"), "password_too_short")

    password_door.accepted(password_door.set("fifteen letters"))
    assert _logs_in(DOOR_USERNAME, "fifteen letters")


def test_the_minimum_follows_password_min_length(password_door, settings):
    settings.PASSWORD_MIN_LENGTH = 20

    password_door.refused(password_door.set("nineteen characters"), "password_too_short")
    password_door.accepted(password_door.set("twenty characters ok"))


def test_the_too_short_message_names_the_minimum(password_door):
    response = password_door.set("short")

    assert response.json()[password_door.field] == [
        "This password is too short. It must contain at least 15 characters."
    ]


@pytest.mark.parametrize("length", [64, 200, 1024])
def test_long_passwords_are_accepted_and_log_in(length):
    password = ("long passphrase with words and spaces " * 30)[:length]
    assert len(password) == length

    assert _register("longword", password).status_code == 201
    assert _logs_in("longword", password)


def test_a_password_that_normalising_makes_longer_than_1024_is_refused(password_door):
    # 300 characters as typed, within the field's limit; each of these ligatures is 18 characters
    # in NFKC form, the form that would be hashed.
    ligatures = "\N{ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM}" * 300
    assert len(unicodedata.normalize("NFKC", ligatures)) > 1024

    password_door.refused(password_door.set(ligatures), "password_too_long")


@pytest.mark.parametrize(
    "password",
    [
        "730592846153208",  # digits only: Django's NumericPasswordValidator would refuse it
        "lowercase letters only here",
        "ALL CAPITALS AND SPACES",
        "\N{FOX FACE} in the snow \N{SNOWFLAKE} at dawn",
        "\u043a\u0440\u0430\u0441\u043d\u044b\u0439 \u0437\u0430\u043a\u0430\u0442 \u043d\u0430\u0434 \u0440\u0435\u043a\u043e\u0439",
        "               quiet spaces",
    ],
    ids=["digits", "lowercase", "capitals", "emoji", "cyrillic", "leading-spaces"],
)
def test_no_composition_rules_any_characters_of_the_length_will_do(password):
    assert _register("plainwords", password).status_code == 201
    assert _logs_in("plainwords", password)


def test_no_truncation_the_last_of_a_long_password_counts():
    password = "x" * 99 + "A"
    changed_last = "x" * 99 + "B"

    assert _register("untruncated", password).status_code == 201

    assert not _logs_in("untruncated", changed_last)
    assert _logs_in("untruncated", password)


# --- Unicode: one password, however it is typed ------------------------------------------------

COMPOSED = "cr\N{LATIN SMALL LETTER E WITH GRAVE}me br\N{LATIN SMALL LETTER U WITH CIRCUMFLEX}l\N{LATIN SMALL LETTER E WITH ACUTE}e au caf\N{LATIN SMALL LETTER E WITH ACUTE}"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)


def test_the_two_spellings_differ():
    assert COMPOSED != DECOMPOSED and len(DECOMPOSED) > len(COMPOSED)


@pytest.mark.parametrize(
    "typed_at_signup, typed_at_login",
    [
        (COMPOSED, DECOMPOSED),
        (DECOMPOSED, COMPOSED),
        # Fullwidth letters, as some East Asian keyboards type them, are the ASCII ones.
        ("\uff46\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 passphrase", "fullwidth passphrase"),
    ],
    ids=["composed-then-decomposed", "decomposed-then-composed", "fullwidth-then-ascii"],
)
def test_a_password_logs_in_however_its_characters_are_typed(typed_at_signup, typed_at_login):
    assert _register("unicode", typed_at_signup).status_code == 201

    assert _logs_in("unicode", typed_at_login)
    assert _logs_in("unicode", typed_at_signup)


def test_a_password_change_is_normalised_as_registration_is(auth_client):
    response = auth_client.post(
        "/api/user/password/", {"old_password": PASSWORD, "new_password": DECOMPOSED}, format="json"
    )

    assert response.status_code == 200
    assert _logs_in("alice", COMPOSED)


class TypedArgon2Hasher(Argon2PasswordHasher):
    """Django's "argon2" hasher, which hashes the password as typed, as every Argon2 hash stored
    before passwords were normalised was made (at the least cost, for speed)."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1


def test_a_hash_of_the_password_as_typed_still_logs_in_and_is_rehashed_normalised(make_user):
    user = make_user("legacy")
    old_hash = make_password(DECOMPOSED, hasher=TypedArgon2Hasher())
    assert old_hash.startswith("argon2$")
    User.objects.filter(pk=user.pk).update(password=old_hash)
    # Before the login that upgrades it, the hash knows only the spelling it was made from.
    assert not User.objects.get(pk=user.pk).check_password(COMPOSED)

    assert _logs_in("legacy", DECOMPOSED)

    user.refresh_from_db()
    assert user.password.startswith("argon2nfkc$argon2id$")
    assert _logs_in("legacy", COMPOSED)
    assert _logs_in("legacy", DECOMPOSED)


def test_a_hash_of_an_ascii_password_from_before_is_rehashed_at_login_and_keeps_working(make_user):
    user = make_user("ascii")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher=TypedArgon2Hasher()))

    assert _logs_in("ascii", PASSWORD)

    user.refresh_from_db()
    assert user.password.startswith("argon2nfkc$")
    assert _logs_in("ascii", PASSWORD)


# --- Context words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "my marguerite garden plot",  # the username
        "MY MARGUERITE GARDEN PLOT",  # in another case
        "\uff4d\uff41\uff52\uff47\uff55\uff45\uff52\uff49\uff54\uff45 garden plot",  # in fullwidth letters
        "pick a daisy.bloom today",  # the email's part before the @
        "a daisy in the meadow",  # one word of it
        "spring bloom in the meadow",  # the other
        "all my Notes are safe here",  # the site's name
    ],
    ids=[
        "username",
        "username-capitals",
        "username-fullwidth",
        "email-local",
        "email-word-1",
        "email-word-2",
        "site",
    ],
)
def test_a_password_containing_a_context_word_is_refused(password_door, password):
    password_door.refused(password_door.set(password), "password_context_word")


def test_the_refusal_names_the_word(password_door):
    response = password_door.set("all my notes are safe here")

    (message,) = response.json()[password_door.field]
    assert "\N{LEFT DOUBLE QUOTATION MARK}notes\N{RIGHT DOUBLE QUOTATION MARK}" in message


def test_context_words_shorter_than_four_characters_are_not_looked_for():
    assert _register("bob", "bob builds a garden shed", email="bo@example.com").status_code == 201


def test_the_site_words_follow_password_context_words(settings):
    settings.PASSWORD_CONTEXT_WORDS = ["acme", "Rockets"]

    refused = [
        _register("wile", password) for password in ("acme makes great anvils", "red rockets fly high")
    ]
    accepted = _register("wile", "all my notes are safe here")

    assert [response.status_code for response in refused] == [400, 400]
    assert [refused[0].data["password"][0].code, refused[1].data["password"][0].code] == [
        "password_context_word"
    ] * 2
    assert accepted.status_code == 201


# --- The other rules keep their codes ----------------------------------------------------------


def test_a_common_password_is_refused_with_its_own_code(password_door):
    password_door.refused(password_door.set("1q2w3e4r5t6y7u8i9o0p"), "password_too_common")


def test_a_common_password_in_fullwidth_letters_is_the_common_one(password_door):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "1q2w3e4r5t6y7u8i9o0p")

    password_door.refused(password_door.set(fullwidth), "password_too_common")


def test_several_broken_rules_are_all_listed_with_their_codes():
    response = _register("notesy", "notes")

    assert response.status_code == 400
    assert [error.code for error in response.data["password"]] == [
        "password_too_short",
        "password_context_word",
        "password_too_similar",
    ]


# --- Existing accounts -------------------------------------------------------------------------


def test_an_account_with_a_ten_character_password_from_before_still_logs_in(make_user):
    user = make_user("veteran")
    User.objects.filter(pk=user.pk).update(password=make_password("ten chars!"))

    assert _logs_in("veteran", "ten chars!")
