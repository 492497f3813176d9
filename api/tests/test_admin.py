"""The admin login is a door like the API's: the same failure limit, the second factor for
accounts with TOTP on, no staff account without a second factor (ADMIN_REQUIRE_MFA), and a path
of its own choosing (DJANGO_ADMIN_URL). Its password forms and `manage.py changepassword` apply
the API's password rules."""

import getpass
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import OidcIdentity, User
from api.tests.conftest import PASSWORD
from api.tests.live import project_env, python
from api.tests.mfa.conftest import clock  # noqa: F401
from api.tests.mfa.test_mfa_login import bearer, enable_totp, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", password=PASSWORD)


@pytest.fixture
def totp_superuser(superuser, login, clock):  # noqa: F811
    secret, _codes = enable_totp(bearer(login(superuser.username)["access"]), clock)
    clock.shift(30)  # past the step whose code confirmed the setup
    return secret


def _admin_login(client: Client, password: str = PASSWORD, otp_code: str = ""):
    return client.post(LOGIN, {"username": "root", "password": password, "otp_code": otp_code})


def _signed_in(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


def test_admin_login_asks_an_account_with_totp_on_for_its_code(totp_superuser):
    browser = Client()

    password_only = _admin_login(browser)
    wrong_code = _admin_login(
        browser, otp_code="000000" if totp_code(totp_superuser) != "000000" else "111111"
    )

    assert password_only.status_code == wrong_code.status_code == 200
    assert "Enter the code of your authenticator app." in password_only.content.decode()
    assert "Wrong or already used code." in wrong_code.content.decode()
    assert "sessionid" not in browser.cookies or not browser.cookies["sessionid"].value
    assert not _signed_in(browser)

    assert _admin_login(browser, otp_code=totp_code(totp_superuser)).status_code == 302
    assert _signed_in(browser)


def test_admin_login_code_works_once(totp_superuser):
    code = totp_code(totp_superuser)
    assert _admin_login(Client(), otp_code=code).status_code == 302

    replayed = _admin_login(Client(), otp_code=code)

    assert "Wrong or already used code." in replayed.content.decode()


def test_wrong_admin_passwords_hit_the_same_limit_as_api_logins(superuser, settings):
    settings.ADMIN_REQUIRE_MFA = False
    settings.LOGIN_FAILURE_RATE = "3/hour"
    browser = Client()

    for _ in range(3):
        assert "Please enter the correct username" in _admin_login(browser, "guess").content.decode()
    right = _admin_login(browser)
    api = APIClient().post("/api/token/", {"username": "root", "password": PASSWORD}, format="json")

    assert right.status_code == 200
    assert "Too many failed attempts" in right.content.decode()
    assert not _signed_in(browser)
    assert api.status_code == 429


def test_wrong_api_passwords_lock_the_admin_login_too(superuser, settings):
    settings.ADMIN_REQUIRE_MFA = False
    settings.LOGIN_FAILURE_RATE = "2/hour"
    for _ in range(2):
        APIClient().post("/api/token/", {"username": "root", "password": "guess"}, format="json")

    response = _admin_login(Client())

    assert "Too many failed attempts" in response.content.decode()


def test_staff_without_a_second_factor_cannot_use_the_admin_when_mfa_is_required(superuser, settings):
    settings.ADMIN_REQUIRE_MFA = True
    browser = Client()

    refused = _admin_login(browser)
    already_in = Client()
    already_in.force_login(superuser)

    assert "Turn on two-factor login" in refused.content.decode()
    assert not _signed_in(browser)
    assert not _signed_in(already_in)


def test_staff_without_a_second_factor_may_use_the_admin_when_mfa_is_not_required(superuser, settings):
    settings.ADMIN_REQUIRE_MFA = False
    browser = Client()

    assert _admin_login(browser).status_code == 302
    assert _signed_in(browser)


def test_admin_requires_mfa_by_default_in_production():
    probe = "from django.conf import settings; print(settings.ADMIN_REQUIRE_MFA)"
    result = python("-c", f"import django; django.setup(); {probe}", env=project_env())

    assert result.stdout.strip() == "True", result.stderr


@pytest.mark.parametrize(
    ("value", "admin_paths"),
    [("", ["/admin/login/"]), ("staff-8f3k/", ["/staff-8f3k/login/"]), ("off", [])],
    ids=["default", "moved", "off"],
)
def test_django_admin_url_moves_or_removes_the_admin(value, admin_paths):
    # Which of these paths the URL configuration of a fresh process routes to the admin.
    candidates = ["/admin/login/", "/staff-8f3k/login/"]
    program = (
        "import django; django.setup(); from django.urls import Resolver404, resolve\n"
        "def admin(path):\n"
        "    try:\n"
        "        return resolve(path).app_name == 'admin'\n"
        "    except Resolver404:\n"
        "        return False\n"
        f"print(' '.join(path for path in {candidates!r} if admin(path)))"
    )

    result = python("-c", program, env=project_env(DJANGO_ADMIN_URL=value))

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == admin_paths


@pytest.mark.parametrize("value", ["/admin/", "admin", "api/", "ad min/"])
def test_a_bad_django_admin_url_stops_startup(value):
    result = python("-c", "import django; django.setup()", env=project_env(DJANGO_ADMIN_URL=value))

    assert result.returncode == 4
    assert "DJANGO_ADMIN_URL must be off or a path" in result.stderr


# --- Every door that sets a password applies the same rules ------------------------------------

BREACHED = "a breached passphrase 2013"


def test_the_admin_sets_a_users_password_by_the_api_rules(superuser, make_user, settings, range_api):
    settings.ADMIN_REQUIRE_MFA = False
    range_api.breach(BREACHED)
    browser = Client()
    assert _admin_login(browser).status_code == 302
    bob = make_user("bob")

    def set_password(password: str):
        form = {"usable_password": "true", "password1": password, "password2": password}
        return browser.post(f"/admin/api/user/{bob.pk}/password/", form)

    refusals = {
        "short": "This password is too short. It must contain at least 15 characters.",
        BREACHED: "This password has appeared in a data breach",
        "my notes and their secrets": "a password may not contain the username",
    }
    for password, message in refusals.items():
        response = set_password(password)
        assert response.status_code == 200, password
        assert message in response.content.decode(), password
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)

    assert set_password("a fine new passphrase").status_code == 302
    bob.refresh_from_db()
    assert bob.check_password("a fine new passphrase")


def test_the_admin_disables_a_password_only_when_the_account_keeps_a_way_to_log_in(
    superuser, make_user, settings
):
    settings.ADMIN_REQUIRE_MFA = False
    browser = Client()
    assert _admin_login(browser).status_code == 302
    bob = make_user("bob")

    def disable():
        return browser.post(
            f"/admin/api/user/{bob.pk}/password/", {"usable_password": "false", "unset-password": "1"}
        )

    refused = disable()
    assert refused.status_code == 200
    assert "last way to log in" in refused.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)

    OidcIdentity.objects.create(
        user=bob, provider="test", issuer="https://idp.example", subject="s", created_at=timezone.now()
    )
    assert disable().status_code == 302
    bob.refresh_from_db()
    assert not bob.has_usable_password()


def test_the_admin_adds_a_user_only_with_a_password_the_rules_pass(superuser, settings, range_api):
    settings.ADMIN_REQUIRE_MFA = False
    range_api.breach(BREACHED)
    browser = Client()
    assert _admin_login(browser).status_code == 302

    def add(password: str):
        form = {"username": "dora", "usable_password": "true", "password1": password, "password2": password}
        return browser.post("/admin/api/user/add/", form)

    refused = add(BREACHED)

    assert refused.status_code == 200
    assert "This password has appeared in a data breach" in refused.content.decode()
    assert not User.objects.filter(username="dora").exists()
    assert add("a fine new passphrase").status_code == 302
    assert User.objects.get(username="dora").check_password("a fine new passphrase")


def test_manage_py_changepassword_applies_the_rules(make_user, monkeypatch, range_api):
    range_api.breach(BREACHED)
    bob = make_user("bob")
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": BREACHED)
    errors = io.StringIO()

    with pytest.raises(CommandError, match="after 3 attempts"):
        call_command("changepassword", "bob", stdout=io.StringIO(), stderr=errors)

    assert "This password has appeared in a data breach" in errors.getvalue()
    assert len(range_api.requests) == 3
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


SUPERUSER_REFUSALS = {
    "short": "This password is too short. It must contain at least 15 characters.",
    BREACHED: "This password has appeared in a data breach",
    "root of all my notes": "a password may not contain the username",
}


@pytest.mark.parametrize("password", list(SUPERUSER_REFUSALS), ids=["short", "breached", "context-word"])
def test_manage_py_createsuperuser_without_input_applies_the_rules(monkeypatch, range_api, password):
    range_api.breach(BREACHED)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)

    with pytest.raises(CommandError) as refusal:
        call_command("createsuperuser", interactive=False, username="root", email="root@example.com")

    assert SUPERUSER_REFUSALS[password] in str(refusal.value)
    assert password not in str(refusal.value).replace(SUPERUSER_REFUSALS[password], "")
    assert not User.objects.filter(username="root").exists()


def test_manage_py_createsuperuser_without_input_takes_a_password_the_rules_pass(monkeypatch, range_api):
    range_api.breach(BREACHED)
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a fine new passphrase")

    call_command("createsuperuser", interactive=False, username="root", email="root@example.com", verbosity=0)

    assert User.objects.get(username="root").check_password("a fine new passphrase")
    assert len(range_api.requests) == 1


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_manage_py_createsuperuser_at_its_prompt_offers_no_way_past_the_rules(monkeypatch, range_api):
    range_api.breach(BREACHED)
    typed = iter([BREACHED, BREACHED, "a fine new passphrase", "a fine new passphrase"])
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": next(typed))
    # Django's own prompt creates the account with the breached password once this is answered "y".
    monkeypatch.setattr("builtins.input", lambda prompt="": "y")
    errors = io.StringIO()

    call_command(
        "createsuperuser",
        interactive=True,
        username="root",
        email="root@example.com",
        stdin=_Terminal(),
        stdout=io.StringIO(),
        stderr=errors,
    )

    assert "This password has appeared in a data breach" in errors.getvalue()
    assert "The password rules apply to every account" in errors.getvalue()
    root = User.objects.get(username="root")
    assert root.check_password("a fine new passphrase")
    assert not root.check_password(BREACHED)
