"""OIDC_PROVIDERS and each provider's variables: checked at startup, one line for each bad one,
nothing fetched. Settings are read once per process, so each case is a process."""

import pytest

from api.tests.core.test_settings import assert_refused, assert_starts, check
from api.tests.live import project_env, python, settings_in_process

GOOGLE = {
    "OIDC_PROVIDERS": "google",
    "OIDC_GOOGLE_ISSUER": "https://accounts.google.com",
    "OIDC_GOOGLE_CLIENT_ID": "client.apps.googleusercontent.com",
    "OIDC_GOOGLE_CLIENT_SECRET": "a-secret-never-printed",
    "OIDC_FRONTEND_CALLBACK_URL": "https://app.example.com/oidc/callback",
}


def test_without_providers_nothing_is_configured_and_signup_and_trust_are_off():
    read = {"providers": "s.OIDC_PROVIDERS", "signup": "s.OIDC_SIGNUP", "trust": "s.OIDC_TRUST_PROVIDER_MFA"}
    assert settings_in_process(read) == {"providers": {}, "signup": False, "trust": False}


def test_a_provider_is_read_with_its_default_scopes_and_display_name():
    assert settings_in_process({"providers": "s.OIDC_PROVIDERS"}, **GOOGLE)["providers"] == {
        "google": {
            "issuer": "https://accounts.google.com",
            "client_id": "client.apps.googleusercontent.com",
            "client_secret": "a-secret-never-printed",
            "scopes": ["openid", "email", "profile"],
            "display_name": "Google",
            "tenants": [],
        }
    }


def test_a_server_without_providers_never_loads_the_jose_libraries():
    # The whole URLconf and a request, as a worker has them: Authlib and joserfc come at the
    # first sign-in with a provider, and cost a server without one nothing.
    program = (
        "import sys, django; django.setup(); from django.test import Client; "
        "Client().get('/api/oidc/providers/', HTTP_HOST='127.0.0.1'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'authlib', 'joserfc'}))"
    )
    result = python("-c", program, env=project_env())

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_a_production_provider_starts_without_fetching_anything():
    # The issuer's host does not resolve here: startup must not ask it.
    assert_starts(check(**{**GOOGLE, "OIDC_GOOGLE_ISSUER": "https://issuer.invalid"}))


@pytest.mark.parametrize(
    "issuer, why",
    [
        ("http://accounts.example.com", "https:// (http:// only on localhost"),
        ("accounts.google.com", "an absolute https:// URL"),
        ("https://accounts.google.com?x=1", "without query or fragment"),
    ],
)
def test_an_issuer_that_is_no_https_url_is_one_line(issuer, why):
    (line,) = assert_refused(check(**{**GOOGLE, "OIDC_GOOGLE_ISSUER": issuer}), "OIDC_GOOGLE_ISSUER")

    assert why in line


def test_a_loopback_issuer_may_be_plain_http():
    assert_starts(check(**{**GOOGLE, "OIDC_GOOGLE_ISSUER": "http://127.0.0.1:8080/realms/notes"}))


def test_a_provider_without_issuer_client_id_or_secret_is_one_line_each_and_prints_no_secret():
    lines = assert_refused(
        check(OIDC_PROVIDERS="keycloak", OIDC_FRONTEND_CALLBACK_URL="https://app.example.com/cb"),
        "OIDC_KEYCLOAK_ISSUER",
        "OIDC_KEYCLOAK_CLIENT_ID",
        "OIDC_KEYCLOAK_CLIENT_SECRET",
    )
    assert all("must be set" in line for line in lines)
    result = check(**{**GOOGLE, "OIDC_GOOGLE_ISSUER": "ftp://x"})
    assert "a-secret-never-printed" not in result.stderr


def test_a_bad_provider_name_or_scopes_without_openid_is_one_line():
    assert_refused(check(**{**GOOGLE, "OIDC_PROVIDERS": "google,My-IdP"}), "OIDC_PROVIDERS")
    assert_refused(check(**{**GOOGLE, "OIDC_GOOGLE_SCOPES": "email profile"}), "OIDC_GOOGLE_SCOPES")


ENTRA = {
    **GOOGLE,
    "OIDC_PROVIDERS": "entra",
    "OIDC_ENTRA_ISSUER": "https://login.microsoftonline.com/organizations/v2.0",
    "OIDC_ENTRA_CLIENT_ID": "00000000-1111-2222-3333-444444444444",
    "OIDC_ENTRA_CLIENT_SECRET": "a-secret-never-printed",
}
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_a_multi_tenant_issuer_reads_its_allow_list_of_tenants():
    read = {"tenants": "s.OIDC_PROVIDERS['entra']['tenants']"}
    other = "9188040d-6c67-4c5b-b112-36a304b66dad"

    assert settings_in_process(read, **ENTRA, OIDC_ENTRA_TENANTS=f"{TENANT}, {other}") == {
        "tenants": [TENANT, other]
    }


@pytest.mark.parametrize("tenant", ["contoso.onmicrosoft.com", TENANT.upper(), "common"])
def test_a_tenant_that_is_no_tenant_id_is_one_line(tenant):
    (line,) = assert_refused(check(**ENTRA, OIDC_ENTRA_TENANTS=f"{TENANT},{tenant}"), "OIDC_ENTRA_TENANTS")

    assert "GUIDs in lower case" in line and repr(tenant) in line


def test_tenants_for_a_single_tenant_issuer_are_one_line():
    single = {**ENTRA, "OIDC_ENTRA_ISSUER": f"https://login.microsoftonline.com/{TENANT}/v2.0"}
    (line,) = assert_refused(check(**single, OIDC_ENTRA_TENANTS=TENANT), "OIDC_ENTRA_TENANTS")

    assert "only for a multi-tenant issuer" in line


def test_providers_need_an_https_frontend_callback():
    assert_refused(check(**{**GOOGLE, "OIDC_FRONTEND_CALLBACK_URL": ""}), "OIDC_FRONTEND_CALLBACK_URL")
    (line,) = assert_refused(
        check(**{**GOOGLE, "OIDC_FRONTEND_CALLBACK_URL": "http://app.example.com/cb"}),
        "OIDC_FRONTEND_CALLBACK_URL",
    )
    assert "https://" in line


def test_a_provider_timeout_out_of_range_is_one_line():
    (line,) = assert_refused(check(OIDC_PROVIDER_TIMEOUT="60"), "OIDC_PROVIDER_TIMEOUT")
    assert "at most 30" in line
