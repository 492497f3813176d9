"""Usernames: duplicates ignoring case and width, and look-alikes, are 400s whoever wins a race.

Look-alike letters are written as escapes, so that the source shows which is which.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from rest_framework.exceptions import ValidationError

from api.accounts import services
from api.core import skeletons
from api.models import User
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TAKEN = "A user with that username already exists."
CONFUSABLE = "This username is too similar to an existing one."

CYRILLIC_ADMIN = "\N{CYRILLIC SMALL LETTER A}dmin"
DOTLESS_ADMIN = "adm\N{LATIN SMALL LETTER DOTLESS I}n"


def fullwidth(text: str) -> str:
    """`text` in fullwidth forms, which NFKC turns back into ASCII."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _register(client, username: str):
    return client.post("/api/user/register/", {"username": username, "password": PASSWORD}, format="json")


def _assert_refused(response, message: str, code: str) -> None:
    assert response.status_code == 400, response.content
    assert response.json() == {"username": [message]}
    assert response.data["username"][0].code == code


def _keys_held(user: User) -> set[str]:
    return set(user.username_keys.values_list("key", flat=True))


# --- What the check refuses --------------------------------------------------------------------


def test_fullwidth_form_of_an_existing_name_is_a_400_not_a_500(api_client, make_user):
    make_user("admin46708")

    response = _register(api_client, fullwidth("ADMIN46708"))

    _assert_refused(response, TAKEN, "unique")
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "existing, variant",
    [
        # Outside ASCII, where SQLite's lower() changes nothing.
        ("\N{LATIN SMALL LETTER N WITH TILDE}andu", "\N{LATIN CAPITAL LETTER N WITH TILDE}ANDU"),
        ("\N{GREEK CAPITAL LETTER OMEGA}mega", "\N{GREEK SMALL LETTER OMEGA}MEGA"),
        # Full case folding: a sharp s is ss.
        ("stra\N{LATIN SMALL LETTER SHARP S}e", "STRASSE"),
    ],
)
def test_case_variant_of_an_existing_name_is_refused_as_taken(api_client, make_user, existing, variant):
    make_user(existing)

    _assert_refused(_register(api_client, variant), TAKEN, "unique")
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "existing, look_alike",
    [
        ("admin", DOTLESS_ADMIN),
        ("admin", CYRILLIC_ADMIN),
        ("admin", "\N{CYRILLIC CAPITAL LETTER A}D\N{CYRILLIC CAPITAL LETTER EM}IN"),
        ("admin", fullwidth("adm") + "\N{CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I}" + fullwidth("n")),
        ("admin", "admin\N{HANGUL FILLER}"),  # counts as a letter, renders as nothing
        ("paypal", "PaypaI"),  # capital i for l
        ("hello", "\N{CYRILLIC CAPITAL LETTER EN}ello"),
        ("user1", "userl"),
        ("bob", "b0b"),
        ("modern", "rnodern"),
    ],
)
def test_look_alike_of_an_existing_name_is_refused_as_confusable(api_client, make_user, existing, look_alike):
    make_user(existing)

    _assert_refused(_register(api_client, look_alike), CONFUSABLE, "confusable")
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "first, second",
    [
        ("alice", "alicia"),
        ("bob1", "bob2"),
        ("user1", "user2"),
        ("user1", "user11"),
        ("neil", "nell"),  # an i looks like an l only as a capital
        ("ian", "lan"),
        ("paypal", "paypai"),
        ("jos\N{LATIN SMALL LETTER E WITH ACUTE}", "jose"),  # an accent is no look-alike
    ],
)
def test_distinct_names_both_register(api_client, first, second):
    assert _register(api_client, first).status_code == 201
    assert _register(api_client, second).status_code == 201
    assert User.objects.count() == 2


@pytest.mark.parametrize(
    "username",
    [
        "\N{ARABIC LIGATURE ALLAH ISOLATED FORM}" * 40,  # 40 letters; 160 once normalised
        "\N{ARABIC LIGATURE JALLAJALALOUHOU}",  # a letter; normalised, two words
    ],
)
def test_name_that_normalising_makes_too_long_or_invalid_is_refused(api_client, username):
    response = _register(api_client, username)

    assert response.status_code == 400
    assert "username" in response.json()
    assert not User.objects.exists()


# --- The database enforces it -------------------------------------------------------------------


@pytest.mark.parametrize("look_alike", ["ADMIN", CYRILLIC_ADMIN, DOTLESS_ADMIN])
def test_database_refuses_a_look_alike_that_skips_the_check(make_user, look_alike):
    make_user("admin")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username=look_alike, password=PASSWORD)


def test_every_way_of_saving_a_user_stores_its_keys(make_user, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="root", email="root@example.com", verbosity=0)
    User(username="plain").save()
    make_user("made")

    for user in User.objects.all():
        assert _keys_held(user) == set(skeletons.username_keys(user.username))


def test_renaming_moves_the_keys_to_the_new_name(make_user):
    user = make_user("before")
    user.username = "after"
    user.save(update_fields=["username"])

    assert _keys_held(user) == set(skeletons.username_keys("after"))
    make_user("BEFORE")  # free again
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user("\N{CYRILLIC SMALL LETTER A}fter")


# --- Losing a race ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rival, message, code",
    [("ADMIN", TAKEN, "unique"), (CYRILLIC_ADMIN, CONFUSABLE, "confusable")],
)
def test_name_taken_between_the_check_and_the_insert_gets_the_checks_answer(make_user, rival, message, code):
    # The serializer's check passed for "admin"; then a parallel registration committed first.
    make_user(rival)

    with pytest.raises(ValidationError) as refused:
        services.user_register(username="admin", password=PASSWORD)

    assert refused.value.detail == {"username": [message]}
    assert refused.value.get_codes() == {"username": [code]}
    assert list(User.objects.values_list("username", flat=True)) == [rival]


@pytest.mark.parametrize(
    "rival, message, code",
    [("ADMIN", TAKEN, "unique"), (CYRILLIC_ADMIN, CONFUSABLE, "confusable")],
)
def test_registration_that_loses_the_race_gets_the_same_400_as_the_check(
    api_client, monkeypatch, rival, message, code
):
    real_check = User.username_clash
    rivals = []

    def check_then_rival_commits(username, **kwargs):
        # What a parallel request does between this request's check and its insert.
        answer = real_check(username, **kwargs)
        if not rivals:
            rivals.append(User.objects.create_user(username=rival, password=PASSWORD))
        return answer

    monkeypatch.setattr(User, "username_clash", staticmethod(check_then_rival_commits))

    response = _register(api_client, "admin")

    _assert_refused(response, message, code)
    assert list(User.objects.values_list("username", flat=True)) == [rival]


def test_other_integrity_errors_are_not_reported_as_a_taken_name(monkeypatch):
    def fails(*args, **kwargs):
        raise IntegrityError("some other constraint")

    monkeypatch.setattr(User, "save", fails)

    with pytest.raises(IntegrityError):
        services.user_register(username="admin", password=PASSWORD)


# --- The admin -------------------------------------------------------------------------------


def test_admin_add_form_refuses_a_look_alike_with_a_field_error(admin_client, settings):
    # admin_client is logged in as "admin", a superuser without a second factor.
    settings.ADMIN_REQUIRE_MFA = False
    response = admin_client.post(
        "/admin/api/user/add/",
        {"username": CYRILLIC_ADMIN, "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 200
    assert CONFUSABLE in response.content.decode()
    assert User.objects.count() == 1


# --- Existing accounts ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migration_gives_existing_users_their_keys_and_keeps_clashing_accounts_working(
    api_client, login, client, settings
):
    settings.ADMIN_REQUIRE_MFA = False  # "root" below has no second factor
    executor = MigrationExecutor(connection)
    executor.migrate([("api", "0001_initial")])
    try:
        # Before the keys, only lower(username) was unique: a look-alike could register.
        old_user = executor.loader.project_state([("api", "0001_initial")]).apps.get_model("api", "User")
        for username in ("admin", CYRILLIC_ADMIN, "bob"):
            old_user.objects.create(username=username, password=make_password(PASSWORD))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    first, look_alike, other = User.objects.order_by("pk")[:3]
    admin_keys = set(skeletons.username_keys("admin"))
    suffixed = {f"{key}-{look_alike.pk}" for key in admin_keys}
    assert _keys_held(first) == admin_keys
    assert _keys_held(look_alike) == suffixed
    assert _keys_held(other) == set(skeletons.username_keys("bob"))

    # The later account still logs in and can be changed, in the admin too (its name is its
    # own, though it clashes); new look-alikes are still refused.
    login(CYRILLIC_ADMIN)
    login("admin")
    client.force_login(User.objects.create_superuser("root", password=PASSWORD))
    edited = client.post(
        f"/admin/api/user/{look_alike.pk}/change/",
        {
            "username": CYRILLIC_ADMIN,
            "email": "a@example.com",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert edited.status_code == 302
    look_alike.refresh_from_db()
    assert look_alike.email == "a@example.com"
    assert _keys_held(look_alike) == suffixed
    _assert_refused(_register(api_client, "ADMIN"), TAKEN, "unique")
    _assert_refused(_register(api_client, DOTLESS_ADMIN), CONFUSABLE, "confusable")
