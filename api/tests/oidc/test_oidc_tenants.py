"""Microsoft Entra ID's multi-tenant endpoints, against the real test provider made to act as one:
the API is configured with `<base>/organizations/v2.0`, whose discovery names the issuer
`<base>/{tenantid}/v2.0`, and each ID token's `iss` is that template with its own `tid`. Only
such an issuer accepts the template, only with the token's `tid` in it, and each tenant's
accounts are identities of their own; OIDC_<NAME>_TENANTS narrows the tenants that sign in."""

import pytest
from rest_framework.test import APIClient

from api.models import OidcIdentity, User
from api.oidc import providers
from api.tests.oidc.flows import callback, exchange, one_time_code, sign_in, start
from api.tests.oidc.test_oidc_stepup import _prove, _session, _step_up_code

pytestmark = pytest.mark.django_db

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
OTHER_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"


def _base(provider) -> str:
    return f"http://127.0.0.1:{provider.port}"


def _configure(settings, provider, *, issuer: str, discovery_issuer: str, tenants=()) -> None:
    """The API's provider `test` with `issuer`, whose discovery names `discovery_issuer`."""
    settings.OIDC_PROVIDERS = {
        "test": {**settings.OIDC_PROVIDERS["test"], "issuer": issuer, "tenants": list(tenants)}
    }
    provider.control(discovery_issuer=discovery_issuer)
    providers.forget()


@pytest.fixture
def entra(oidc, settings):
    """The test provider as Entra's `organizations` endpoint, whose keys sign for the template;
    new provider accounts sign up."""
    base = _base(oidc)
    _configure(
        settings, oidc, issuer=f"{base}/organizations/v2.0", discovery_issuer=f"{base}/{{tenantid}}/v2.0"
    )
    oidc.control(key_issuer=f"{base}/{{tenantid}}/v2.0")
    settings.OIDC_SIGNUP = True
    return oidc


def _as_tenant(provider, tid, *, iss_tenant=None) -> None:
    """The next ID tokens are of tenant `tid`, naming `iss_tenant`'s issuer (by default its own)."""
    provider.control(claims={"iss": f"{_base(provider)}/{iss_tenant or tid}/v2.0", "tid": tid})


def _callback(client, provider):
    return callback(client, provider.authorize(start(client)))


def _refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["code"] == code


def test_a_tenants_account_signs_in_as_an_identity_of_that_tenants_issuer(entra, api_client):
    _as_tenant(entra, TENANT)
    answer = exchange(api_client, sign_in(api_client, entra))

    assert answer.status_code == 200, answer.content
    identity = OidcIdentity.objects.get()
    assert identity.issuer == f"{_base(entra)}/{TENANT}/v2.0"
    assert identity.provider == "test"


def test_a_token_whose_iss_names_another_tenant_than_its_tid_is_refused(entra, api_client):
    _as_tenant(entra, TENANT, iss_tenant=OTHER_TENANT)

    _refused(_callback(api_client, entra), 400, "oidc_id_token_invalid")
    assert not OidcIdentity.objects.exists()


def test_a_key_that_signs_for_another_tenant_is_refused_and_one_of_the_tokens_tenant_accepted(
    entra, api_client
):
    _as_tenant(entra, TENANT)
    entra.control(key_issuer=f"{_base(entra)}/{OTHER_TENANT}/v2.0")

    _refused(_callback(api_client, entra), 400, "oidc_id_token_invalid")
    entra.control(key_issuer=f"{_base(entra)}/{TENANT}/v2.0")
    providers.forget()
    assert exchange(api_client, one_time_code(_callback(api_client, entra))).status_code == 200


def test_a_token_naming_the_template_itself_as_its_issuer_is_refused(entra, api_client):
    entra.control(claims={"iss": f"{_base(entra)}/{{tenantid}}/v2.0", "tid": "{tenantid}"})

    _refused(_callback(api_client, entra), 400, "oidc_id_token_invalid")


@pytest.mark.parametrize(
    "tid",
    [None, "", "common", TENANT.upper(), TENANT + "0", f"{TENANT}/x", 42],
    ids=["missing", "empty", "a-name", "upper-case", "too-long", "a-path", "a-number"],
)
def test_a_token_without_a_tenant_id_shaped_tid_is_refused(entra, api_client, tid):
    # Its `iss` is the template with that very `tid`: only the tid's shape is wrong.
    entra.control(claims={"iss": f"{_base(entra)}/{tid}/v2.0", **({} if tid is None else {"tid": tid})})

    _refused(_callback(api_client, entra), 400, "oidc_id_token_invalid")


def test_the_allow_list_refuses_a_tenant_it_does_not_list(entra, settings):
    settings.OIDC_PROVIDERS["test"]["tenants"] = [TENANT]
    outsider = APIClient()
    _as_tenant(entra, OTHER_TENANT)

    _refused(_callback(outsider, entra), 403, "oidc_tenant_not_allowed")
    assert not OidcIdentity.objects.exists()
    member = APIClient()
    _as_tenant(entra, TENANT)
    assert exchange(member, sign_in(member, entra)).status_code == 200


def test_the_same_sub_in_two_tenants_is_two_identities_of_two_accounts(entra):
    # As from Entra: no `email_verified`, so the second tenant's account is not sent to link.
    entra.control(omit=["email_verified"])
    signed_in = []
    for tenant in (TENANT, OTHER_TENANT, TENANT):
        _as_tenant(entra, tenant)
        client = APIClient()
        answer = exchange(client, sign_in(client, entra))
        assert answer.status_code == 200, answer.content
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access']}")
        signed_in.append(client.get("/api/user/me/").json()["username"])

    first, other, again = signed_in
    assert first == again != other
    assert User.objects.count() == 2
    assert {(i.issuer, i.subject) for i in OidcIdentity.objects.all()} == {
        (f"{_base(entra)}/{TENANT}/v2.0", entra.control()["sub"]),
        (f"{_base(entra)}/{OTHER_TENANT}/v2.0", entra.control()["sub"]),
    }


def test_a_tenants_account_steps_up_at_the_multi_tenant_provider(entra, settings):
    _as_tenant(entra, TENANT)
    browser = _session(entra, settings)

    proved = _prove(browser, _step_up_code(browser, entra))

    assert proved.status_code == 200, proved.content


@pytest.mark.parametrize("configured", ["/o", f"/{TENANT}/v2.0"], ids=["another-issuer", "one-tenants"])
def test_a_single_tenant_issuer_refuses_a_discovery_naming_the_template(
    oidc, settings, api_client, configured
):
    base = _base(oidc)
    _configure(settings, oidc, issuer=base + configured, discovery_issuer=f"{base}/{{tenantid}}/v2.0")

    _refused(api_client.post("/api/oidc/test/start/"), 503, "oidc_provider_unavailable")


def test_a_multi_tenant_issuer_refuses_a_discovery_naming_another_template(oidc, settings, api_client):
    base = _base(oidc)
    _configure(
        settings, oidc, issuer=f"{base}/common/v2.0", discovery_issuer=f"{base}/{{tenantid}}/v2.0/other"
    )

    _refused(api_client.post("/api/oidc/test/start/"), 503, "oidc_provider_unavailable")


def test_a_tenants_own_issuer_refuses_another_tenants_token(oidc, settings, api_client):
    issuer = f"{_base(oidc)}/{TENANT}/v2.0"
    _configure(settings, oidc, issuer=issuer, discovery_issuer=issuer)
    _as_tenant(oidc, OTHER_TENANT)

    _refused(_callback(api_client, oidc), 400, "oidc_id_token_invalid")
    _as_tenant(oidc, TENANT)
    settings.OIDC_SIGNUP = True
    assert exchange(api_client, one_time_code(_callback(api_client, oidc))).status_code == 200
