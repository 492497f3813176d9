import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from rest_framework.test import APIClient

from api.accounts.hashers import Argon2idPasswordHasher
from api.models import User
from api.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

# The name and parameters of api.accounts.hashers.Argon2idPasswordHasher: Argon2id of the NFKC
# form, 7 MiB, 5 iterations, 1 lane.
PROJECT_ARGON2_PREFIX = "argon2nfkc$argon2id$v=19$m=7168,t=5,p=1$"


def _register(client, **body):
    return client.post("/api/user/register/", body, format="json")


# --- Registration ---------------------------------------------------------------------------


def test_register_returns_201_with_id_username_email_and_no_password(api_client, project_password_hashers):
    response = _register(api_client, username="bob", password=PASSWORD, email="bob@example.com")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "username", "email"}
    assert body["username"] == "bob"
    user = User.objects.get(username="bob")
    assert user.check_password(PASSWORD)
    assert user.password.startswith(PROJECT_ARGON2_PREFIX)


def test_register_without_email_is_accepted(api_client):
    response = _register(api_client, username="bob", password=PASSWORD)

    assert response.status_code == 201
    assert response.json()["email"] == ""


def test_register_then_login_works(api_client, login):
    _register(api_client, username="bob", password=PASSWORD)

    assert set(login("bob")) == {"access", "refresh"}


@pytest.mark.parametrize("password", ["short", "password123", "12345678901", "bobbobbob1"])
def test_register_rejects_weak_password_under_password_field(api_client, password):
    response = _register(api_client, username="bobbobbob1", password=password)

    assert response.status_code == 400
    assert "password" in response.json()
    assert not User.objects.exists()


@pytest.mark.parametrize("username", ["alice", "ALICE", "Alice"])
def test_register_rejects_username_differing_only_by_case(api_client, user, username):
    response = _register(api_client, username=username, password=PASSWORD)

    assert response.status_code == 400
    assert "username" in response.json()
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"password": PASSWORD}, "username"),
        ({"username": "bob"}, "password"),
        ({"username": "bad name!", "password": PASSWORD}, "username"),
        ({"username": "u" * 151, "password": PASSWORD}, "username"),
        ({"username": "bob", "password": PASSWORD, "email": "not-an-email"}, "email"),
        ({"username": {"a": 1}, "password": PASSWORD}, "username"),
        ({"username": "bob", "password": "p" * 2000}, "password"),
    ],
)
def test_register_rejects_invalid_input_with_field_errors(api_client, body, field):
    response = _register(api_client, **body)

    assert response.status_code == 400
    assert field in response.json()
    assert not User.objects.exists()


def test_register_works_even_with_a_stale_bearer_token(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer expired.or.garbage")

    assert _register(api_client, username="bob", password=PASSWORD).status_code == 201


def test_register_never_logs_the_password(api_client, caplog):
    with caplog.at_level(logging.DEBUG):
        _register(api_client, username="bob", password=PASSWORD)
        _register(api_client, username="bob2", password="weak")

    assert PASSWORD not in caplog.text
    assert "weak" not in caplog.text


# --- Login ----------------------------------------------------------------------------------


def test_login_returns_access_and_refresh(api_client, user):
    response = api_client.post("/api/token/", {"username": "alice", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_wrong_password_and_unknown_user_get_identical_answers(api_client, user):
    wrong = api_client.post("/api/token/", {"username": "alice", "password": "nope-nope"}, format="json")
    unknown = api_client.post("/api/token/", {"username": "nobody", "password": "nope-nope"}, format="json")

    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "no_active_account"


class CountingArgon2idHasher(Argon2idPasswordHasher):
    """Counts Argon2 computations, the whole cost of a login attempt."""

    computations = 0

    def encode(self, password, salt):
        type(self).computations += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        type(self).computations += 1
        return super().verify(password, encoded)


def test_wrong_password_and_unknown_user_cost_the_same_hashing_work(api_client, user, settings):
    others = [path for path in settings.PASSWORD_HASHERS if "Argon2" not in path]
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingArgon2idHasher", *others]

    def hashing_work(username):
        CountingArgon2idHasher.computations = 0
        api_client.post("/api/token/", {"username": username, "password": "nope-nope"}, format="json")
        return CountingArgon2idHasher.computations

    assert hashing_work("alice") == hashing_work("nobody") == 1


def test_inactive_user_cannot_log_in_and_looks_like_wrong_password(api_client, make_user):
    make_user("carol", is_active=False)

    response = api_client.post("/api/token/", {"username": "carol", "password": PASSWORD}, format="json")

    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


@pytest.mark.parametrize(
    "body", [{}, {"username": "alice"}, {"password": "x"}, {"username": ["a"], "password": "x"}]
)
def test_login_with_missing_or_malformed_fields_is_400(api_client, body):
    response = api_client.post("/api/token/", body, format="json")

    assert response.status_code == 400


def test_pbkdf2_hash_still_logs_in_and_is_upgraded_to_argon2id(
    api_client, make_user, login, project_password_hashers
):
    user = make_user("legacy")
    User.objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))

    login("legacy")

    user.refresh_from_db()
    assert user.password.startswith(PROJECT_ARGON2_PREFIX)


class WeakerArgon2idHasher(Argon2idPasswordHasher):
    """What a deployment with a lower setting, or an earlier release, stored."""

    time_cost = 1
    memory_cost = 4 * 1024


@pytest.mark.parametrize(
    "hasher",
    [Argon2PasswordHasher(), WeakerArgon2idHasher()],
    ids=["django-defaults", "weaker-parameters"],
)
def test_argon2_hash_with_other_parameters_is_rehashed_with_the_projects_at_login(
    api_client, make_user, login, hasher, project_password_hashers
):
    # Django's is an "argon2" hash, of the password as typed; the weaker one is the project's
    # own "argon2nfkc", which only the hasher's parameter check can tell apart.
    user = make_user("legacy")
    old_hash = hasher.encode(PASSWORD, hasher.salt())
    assert not old_hash.startswith(PROJECT_ARGON2_PREFIX)
    User.objects.filter(pk=user.pk).update(password=old_hash)

    login("legacy")

    user.refresh_from_db()
    assert user.password.startswith(PROJECT_ARGON2_PREFIX)
    assert user.check_password(PASSWORD)


# --- Bearer authentication failures ---------------------------------------------------------


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "not_authenticated"),
        ("Token abc", "not_authenticated"),
        ("Basic YWxpY2U6cGFzcw==", "not_authenticated"),
        ("Bearer", "bad_authorization_header"),
        ("Bearer a b", "bad_authorization_header"),
        ("Bearer garbage", "token_not_valid"),
        ("Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoiMSJ9.c2lnbmF0dXJl", "token_not_valid"),
    ],
)
def test_bad_authorization_gets_401_with_code_and_www_authenticate(api_client, header, code):
    if header:
        api_client.credentials(HTTP_AUTHORIZATION=header)

    response = api_client.get("/api/notes/")

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_access_token_gets_401_token_not_valid(api_client, tokens):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    with time_machine.travel(timedelta(minutes=6)):
        response = api_client.get("/api/notes/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_access_token_accepted_before_expiry_is_refused_after_it(api_client, tokens):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get("/api/notes/").status_code == 200

    with time_machine.travel(timedelta(minutes=6)):
        response = api_client.get("/api/notes/")

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_altered_copy_of_an_accepted_token_is_refused(api_client, tokens):
    header, payload, signature = tokens["access"].split(".")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert api_client.get("/api/notes/").status_code == 200
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]

    for forged in (f"{header}.{payload}.{flipped}", f"{header}.{payload}.", f"{header}.{payload}"):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {forged}")
        assert api_client.get("/api/notes/").status_code == 401


def test_refresh_token_is_not_accepted_as_bearer(api_client, tokens):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['refresh']}")

    assert api_client.get("/api/notes/").status_code == 401


# --- Throttling -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/token/", {"username": "alice", "password": "wrong-password"}),
        ("/api/user/register/", {"username": "x", "password": "weak"}),
        ("/api/token/refresh/", {"refresh": "garbage"}),
    ],
)
def test_auth_endpoints_answer_429_with_retry_after_over_the_rate(api_client, user, settings, path, body):
    settings.AUTH_THROTTLE_RATE = "3/min"

    statuses = [api_client.post(path, body, format="json").status_code for _ in range(4)]

    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    response = api_client.post(path, body, format="json")
    assert int(response["Retry-After"]) > 0
    assert response.json()["code"] == "throttled"


# name: (path, body, the answer while not throttled)
THROTTLED_ENDPOINTS = {
    "login": ("/api/token/", {"username": "alice", "password": "wrong-password"}, 401),
    "register": ("/api/user/register/", {"username": "x", "password": "weak"}, 400),
    "refresh": ("/api/token/refresh/", {"refresh": "garbage"}, 401),
}


@pytest.mark.parametrize("exhausted", THROTTLED_ENDPOINTS)
def test_each_auth_endpoint_counts_in_its_own_throttle_bucket(api_client, user, settings, exhausted):
    # A shared bucket would let sign-ups from an office or a carrier's NAT lock its users
    # out of logging in, and the other way round.
    settings.AUTH_THROTTLE_RATE = "2/min"
    path, body, status = THROTTLED_ENDPOINTS[exhausted]
    assert [api_client.post(path, body, format="json").status_code for _ in range(3)] == [status, status, 429]

    others = {
        name: api_client.post(path, body, format="json").status_code
        for name, (path, body, _) in THROTTLED_ENDPOINTS.items()
        if name != exhausted
    }

    assert others == {
        name: status for name, (_, _, status) in THROTTLED_ENDPOINTS.items() if name != exhausted
    }


def test_throttle_counts_each_client_ip_apart(user, settings):
    settings.AUTH_THROTTLE_RATE = "2/min"
    body = {"username": "alice", "password": "wrong-password"}
    first, second = APIClient(REMOTE_ADDR="10.0.0.1"), APIClient(REMOTE_ADDR="10.0.0.2")

    for _ in range(2):
        first.post("/api/token/", body, format="json")

    assert first.post("/api/token/", body, format="json").status_code == 429
    assert second.post("/api/token/", body, format="json").status_code == 401


def test_throttle_uses_forwarded_ip_only_behind_configured_proxies(user, settings):
    settings.AUTH_THROTTLE_RATE = "1/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    body = {"username": "alice", "password": "wrong-password"}

    def post_from(client_ip):
        client = APIClient(REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=client_ip)
        return client.post("/api/token/", body, format="json").status_code

    assert post_from("203.0.113.5") == 401
    assert post_from("203.0.113.6") == 401
    assert post_from("203.0.113.5") == 429


def test_failed_logins_for_one_username_are_limited_across_ips(user, settings):
    settings.LOGIN_FAILURE_RATE = "3/hour"
    wrong = {"username": "alice", "password": "wrong-password"}

    for n in range(3):
        APIClient(REMOTE_ADDR=f"10.0.1.{n}").post("/api/token/", wrong, format="json")
    blocked = APIClient(REMOTE_ADDR="10.0.2.1").post(
        "/api/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    other_user = APIClient(REMOTE_ADDR="10.0.2.2").post(
        "/api/token/", {"username": "bob", "password": "x-wrong"}, format="json"
    )

    assert blocked.status_code == 429
    assert other_user.status_code == 401


@pytest.mark.parametrize("next_attempt", ["alice", "Alice", "aLiCe"])
def test_failed_logins_count_together_whatever_the_case_of_the_username(user, settings, next_attempt):
    # Usernames are unique regardless of case, so each spelling names the same account; a
    # counter per spelling would give a guesser a fresh allowance for every one of them.
    settings.LOGIN_FAILURE_RATE = "3/hour"

    for n, spelling in enumerate(["Alice", "ALICE", "alice"]):
        client = APIClient(REMOTE_ADDR=f"10.0.4.{n}")
        wrong = {"username": spelling, "password": "wrong-password"}
        assert client.post("/api/token/", wrong, format="json").status_code == 401
    blocked = APIClient(REMOTE_ADDR="10.0.5.1").post(
        "/api/token/", {"username": next_attempt, "password": PASSWORD}, format="json"
    )

    assert blocked.status_code == 429
    assert blocked.json()["code"] == "throttled"


def test_username_failure_limit_treats_unknown_usernames_like_real_ones(db, settings):
    settings.LOGIN_FAILURE_RATE = "2/hour"
    body = {"username": "ghost", "password": "wrong-password"}

    statuses = [
        APIClient(REMOTE_ADDR=f"10.0.3.{n}").post("/api/token/", body, format="json").status_code
        for n in range(3)
    ]

    assert statuses == [401, 401, 429]


def test_successful_logins_do_not_count_as_failures(user, settings, login):
    settings.LOGIN_FAILURE_RATE = "2/hour"

    for _ in range(4):
        login("alice")
