"""Schemathesis against the live server's own schema: no 5xx, no answer the schema does not allow."""

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.sessions import services

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 25
# One test per operation, so that parallel workers share them; the live schema is the same one.
OPERATIONS = [
    (method.upper(), path)
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in item
    if method in ("get", "post", "put", "patch", "delete")
]


@pytest.fixture
def live_schema(live_server, transactional_db, settings):
    # Thousands of generated requests must not all end as 429s.
    settings.AUTH_THROTTLE_RATE = "1000000/min"
    settings.LOGIN_FAILURE_RATE = "1000000/min"
    settings.LOGIN_FAILURE_IP_RATE = "1000000/min"
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")


def test_the_live_schema_has_the_operations_these_tests_fuzz(live_schema):
    live = {(result.ok().method.upper(), result.ok().path) for result in live_schema.get_all_operations()}
    assert len(OPERATIONS) >= 17
    assert live == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_conforms_to_the_schema_with_a_bearer_token(live_schema, make_user, method, path):
    operation = live_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
    def call(case):
        # A fresh session for every example: generated calls may log out or change the password.
        access = services.session_start(user=make_user()).access
        case.call_and_validate(headers={"Authorization": f"Bearer {access}"}, checks=CHECKS)

    call()
