import importlib
import pkgutil
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import APIException, ValidationError

import api
from api.core.schema_errors import CODES, error_body_schema
from api.core.schema_names import OPERATION_IDS
from api.mfa.errors import MfaAlreadyEnabled
from api.notes import selectors
from api.notes.views import NoteListCreate
from api.passkeys.errors import PasskeysDisabled
from api.tests.conftest import PASSWORD
from api.tests.core.test_hostile_input import CODES_BY_STATUS
from api.tests.schema_contract import DOCUMENTED_STATUSES, SchemaContract

pytestmark = pytest.mark.django_db

BEARER_OR_DPOP = [{"jwtAuth": []}, {"dpopAuth": [], "dpopProof": []}]


def _api_routes() -> set[str]:
    """Every route under /api/ in OpenAPI's path syntax, from the URL configuration itself."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                # drf-spectacular names a `pk` path parameter `id`, whatever its converter.
                # Other parameters keep their names (`/api/oidc/{name}/start/`).
                route = re.sub(r"<(?:\w+:)?pk>", "{id}", route)
                yield "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)

    docs = {"/api/schema/", "/api/docs/", "/api/redoc/"}
    return {route for route in walk(get_resolver().url_patterns) if route.startswith("/api/")} - docs


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_schema_covers_every_api_route_with_bearer_scheme(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    routes = _api_routes()
    assert {"/api/notes/{id}/", "/api/token/refresh/", "/api/user/me/"} <= routes
    assert set(schema["paths"]) >= routes
    scheme = schema["components"]["securitySchemes"]["jwtAuth"]
    assert {name: scheme[name] for name in ("type", "scheme", "bearerFormat")} == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert set(scheme) == {"type", "scheme", "bearerFormat", "description"}
    assert "Authorization: DPoP <access>" in scheme["description"]


def test_schema_documents_errors_and_link_header(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    paths = schema["paths"]

    notes_list = paths["/api/notes/"]["get"]["responses"]
    assert "Link" in notes_list["200"]["headers"]
    assert {"400", "401"} <= set(notes_list)
    assert {"401", "404"} <= set(paths["/api/notes/{id}/"]["get"]["responses"])
    assert {"400", "401", "409", "413", "429", "503"} <= set(paths["/api/token/"]["post"]["responses"])
    assert {"409", "413", "503"} <= set(paths["/api/notes/{id}/"]["patch"]["responses"])
    assert "503" in notes_list and "409" not in notes_list and "413" not in notes_list
    # Health documents its own 503 body, naming the failing part.
    health_503 = paths["/api/health/"]["get"]["responses"]["503"]["content"]["application/json"]["schema"]
    assert health_503 == {"$ref": "#/components/schemas/Health"}
    assert paths["/api/notes/{id}/"]["get"]["security"] == BEARER_OR_DPOP


def test_schema_states_the_password_rules_wherever_a_password_is_set(api_client, settings):
    # Asked once before the change as well: the schema a server keeps follows its settings.
    assert api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").status_code == 200
    settings.PASSWORD_MIN_LENGTH = 20

    schemas = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    schemas = schemas["components"]["schemas"]

    for serializer, field in [
        ("RegisterRequest", "password"),
        ("PasswordChangeRequest", "new_password"),
        ("PasswordResetConfirmRequest", "new_password"),
    ]:
        description = schemas[serializer]["properties"][field]["description"]
        assert description.startswith("20 to 1024 characters, of any kind"), serializer
        for stated in ("NFKC", "k-anonymity", "password_breached", "password_context_word", "let through"):
            assert stated in description, (serializer, stated)


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_use_assets_served_by_this_server(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html
    assert "unpkg" not in html


# --- What a client generated from the schema (openapi-typescript, say) is typed by -----------


@pytest.fixture(scope="module")
def schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def test_every_operation_has_exactly_one_of_the_listed_tags(schema):
    listed = [tag["name"] for tag in django_settings.SPECTACULAR_SETTINGS["TAGS"]]
    assert listed == [
        "tokens",
        "account",
        "sessions",
        "two-factor",
        "passkeys",
        "openid-connect",
        "notes",
        "operations",
    ]
    assert all(tag["description"] for tag in django_settings.SPECTACULAR_SETTINGS["TAGS"])
    assert [tag["name"] for tag in schema["tags"]] == listed

    tags = {operation["operationId"]: operation["tags"] for _, _, operation in _operations(schema)}
    assert all(len(names) == 1 and names[0] in listed for names in tags.values()), tags
    assert {names[0] for names in tags.values()} == set(listed)
    expected = {
        "obtainToken": "tokens",
        "refreshToken": "tokens",
        "registerUser": "account",
        "listSecurityEvents": "account",
        "listSessions": "sessions",
        "reauthenticate": "sessions",
        "completeMfaLogin": "two-factor",
        "startTotpSetup": "two-factor",
        "obtainTokenWithPasskey": "passkeys",
        "getReauthPasskeyOptions": "passkeys",
        "listNotes": "notes",
        "getHealth": "operations",
        "getJwks": "operations",
        "getCsrfToken": "operations",
    }
    assert {name: tags[name][0] for name in expected} == expected


def test_operation_ids_are_unique_camel_case_verbs_and_nouns(schema):
    ids = [operation["operationId"] for _, _, operation in _operations(schema)]

    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]+", name) for name in ids), ids
    assert not [name for name in ids if "api_" in name or "api" in name.lower().split("_")]
    by_operation = {
        (method, path): operation["operationId"] for method, path, operation in _operations(schema)
    }
    # Published names: generated clients call them.
    assert {
        by_operation[("GET", "/api/notes/")],
        by_operation[("POST", "/api/notes/")],
        by_operation[("GET", "/api/notes/{id}/")],
        by_operation[("PUT", "/api/notes/{id}/")],
        by_operation[("PATCH", "/api/notes/{id}/")],
        by_operation[("DELETE", "/api/notes/{id}/")],
        by_operation[("GET", "/api/user/sessions/")],
        by_operation[("DELETE", "/api/user/passkeys/{id}/")],
        by_operation[("GET", "/.well-known/jwks.json")],
        by_operation[("GET", "/api/health/")],
    } == {
        "listNotes",
        "createNote",
        "getNote",
        "replaceNote",
        "updateNote",
        "deleteNote",
        "listSessions",
        "deletePasskey",
        "getJwks",
        "getHealth",
    }
    # Each named operation exists: no name is kept for a route that is gone.
    assert {key: by_operation.get(key) for key in OPERATION_IDS} == OPERATION_IDS


def test_every_authenticated_operation_accepts_bearer_or_dpop(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {name: schemes[name]["type"] for name in schemes} == {
        "jwtAuth": "http",
        "dpopAuth": "http",
        "dpopProof": "apiKey",
    }
    assert (schemes["jwtAuth"]["scheme"], schemes["dpopAuth"]["scheme"]) == ("bearer", "DPoP")
    assert (schemes["dpopProof"]["in"], schemes["dpopProof"]["name"]) == ("header", "DPoP")

    authenticated = set()
    for method, path, operation in _operations(schema):
        codes = _codes(schema, operation["responses"].get("401"))
        if "not_authenticated" in codes:
            authenticated.add(operation["operationId"])
            assert operation["security"] == BEARER_OR_DPOP, (method, path)
        else:
            assert not any("jwtAuth" in entry for entry in operation.get("security", [])), (method, path)
    assert {"listNotes", "getAccount", "changePassword", "registerPasskey"} <= authenticated
    assert not {"obtainToken", "refreshToken", "registerUser", "getHealth"} & authenticated


def _alternatives(schema: dict, response: dict | None) -> list[dict]:
    if response is None:
        return []
    body = response["content"]["application/json"]["schema"]
    return [SchemaContract(schema).resolve(option) for option in body.get("oneOf", [body])]


def _codes(schema: dict, response: dict | None) -> set[str]:
    return {
        code
        for option in _alternatives(schema, response)
        for code in option.get("properties", {}).get("code", {}).get("enum", ())
    }


def test_every_error_response_names_its_codes_as_an_enum(schema):
    for method, path, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if int(status) < 400 or (path, status) == ("/api/health/", "503"):
                continue  # the health check's 503 is its own body, naming the failing part
            for option in _alternatives(schema, response):
                properties = option["properties"]
                if option.get("additionalProperties") is False:
                    assert status == "400", (method, path, status)  # field errors
                    continue
                assert option["required"] == ["detail", "code"], (method, path, status)
                codes = properties["code"]["enum"]
                assert codes and set(codes) <= set(CODES[int(status)]), (method, path, status)

    responses = schema["paths"]["/api/token/"]["post"]["responses"]
    assert _codes(schema, responses["401"]) == {"no_active_account", "mfa_required"}
    assert "mfa_token" in _alternatives(schema, responses["401"])[0]["properties"]
    assert _codes(schema, responses["400"]) == {"parse_error", "invalid_dpop_proof", "use_dpop_nonce"}
    assert _codes(schema, responses["503"]) == {"service_unavailable"}
    notes = schema["paths"]["/api/notes/{id}/"]
    assert _codes(schema, notes["get"]["responses"]["404"]) == {"not_found"}
    assert _codes(schema, notes["get"]["responses"]["401"]) == {
        "not_authenticated",
        "bad_authorization_header",
        "token_not_valid",
        "invalid_dpop_proof",
        "use_dpop_nonce",
    }
    passkey = schema["paths"]["/api/user/passkeys/register/"]["post"]["responses"]
    assert _codes(schema, passkey["409"]) == {"conflict", "too_many_passkeys", "passkey_already_registered"}


def test_shared_error_components_list_every_code_of_their_status(schema):
    components = schema["components"]["schemas"]
    for status, codes in CODES.items():
        assert components[f"Error{status}"]["properties"]["code"]["enum"] == list(codes)
    # Every code the hostile requests may meet (test_hostile_input.py), wherever the schema
    # documents its status.
    for status, codes in CODES_BY_STATUS.items():
        if status in DOCUMENTED_STATUSES:
            assert codes <= set(CODES[status]), status


def _project_exceptions() -> set[type[APIException]]:
    for module in pkgutil.walk_packages(api.__path__, "api."):
        if not module.name.startswith(("api.tests", "api.migrations")):
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {cls for cls in subclasses(APIException) if cls.__module__.startswith("api.")}


def test_every_code_of_the_projects_exceptions_is_in_the_schema(schema):
    # Answers of pages outside the schema, and of a server error, which no client can act on.
    outside = {"static_files_missing", "server_error", "length_required"}
    exceptions = _project_exceptions()
    assert len(exceptions) > 20
    missing = [
        f"{cls.__module__}.{cls.__qualname__}: {cls.status_code} {cls.default_code}"
        for cls in exceptions
        if cls.default_code not in outside and cls.default_code not in CODES.get(cls.status_code, ())
    ]
    assert not missing
    assert {"passkey_invalid", "use_dpop_nonce", "mfa_token_invalid", "csrf_failed", "conflict"} <= {
        cls.default_code for cls in exceptions
    }


def test_a_code_not_listed_for_its_status_stops_the_schema():
    with pytest.raises(ValueError, match="not listed for 409"):
        error_body_schema(409, {"conflict", "no_such_code"})


def test_field_errors_of_a_400_name_the_request_fields_and_non_field_errors(schema):
    def field_errors(method: str, path: str) -> dict:
        response = schema["paths"][path][method]["responses"]["400"]
        (fields,) = [o for o in _alternatives(schema, response) if o.get("additionalProperties") is False]
        assert all(
            value == {"type": "array", "items": {"type": "string"}} for value in fields["properties"].values()
        )
        return fields["properties"]

    assert set(field_errors("post", "/api/notes/")) == {"title", "content", "non_field_errors"}
    assert set(field_errors("patch", "/api/notes/{id}/")) == {"title", "content", "non_field_errors"}
    assert set(field_errors("post", "/api/user/register/")) == {
        "username",
        "password",
        "email",
        "non_field_errors",
    }
    assert set(field_errors("post", "/api/token/")) == {"username", "password", "non_field_errors"}
    assert set(field_errors("delete", "/api/user/me/")) == {"password", "non_field_errors"}
    assert set(field_errors("get", "/api/notes/")) == {"cursor"}
    assert set(field_errors("get", "/api/user/security-events/")) == {"cursor"}


def test_token_pair_leaves_refresh_and_token_type_out_of_required(schema, api_client, user, settings):
    pair = schema["components"]["schemas"]["TokenPair"]
    assert pair["required"] == ["access"]
    assert "refresh cookie mode" in pair["properties"]["refresh"]["description"]
    token_type = SchemaContract(schema).resolve(pair["properties"]["token_type"]["allOf"][0])
    assert token_type["enum"] == ["DPoP"]
    for path in ("/api/token/", "/api/token/refresh/", "/api/token/mfa/", "/api/user/password/"):
        (ok,) = [r for status, r in schema["paths"][path]["post"]["responses"].items() if status == "200"]
        assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TokenPair"}, path

    settings.JWT_REFRESH_COOKIE = True
    answer = api_client.post(
        "/api/token/",
        {"username": user.username, "password": PASSWORD},
        format="json",
        HTTP_ORIGIN="http://testserver",
    )

    assert answer.status_code == 200, answer.content
    assert set(pair["required"]) <= set(answer.json()) <= set(pair["properties"])
    assert "refresh" not in answer.json()


# --- Every error answer of the suite, held to the schema (api/tests/schema_contract.py) ------


def test_an_answer_with_a_status_the_operation_does_not_document_fails(auth_client, monkeypatch):
    def conflict(**kwargs):
        raise MfaAlreadyEnabled()

    monkeypatch.setattr(selectors, "note_by_id", conflict)

    with pytest.raises(AssertionError, match=r"\(getNote\) answered 409, which the schema does not document"):
        auth_client.get("/api/notes/1/")


def test_an_answer_with_a_code_its_status_does_not_list_fails(auth_client, monkeypatch):
    def disabled(**kwargs):
        raise PasskeysDisabled()

    monkeypatch.setattr(selectors, "note_by_id", disabled)

    with pytest.raises(
        AssertionError, match=r"404 with code 'passkeys_disabled', not one of \['not_found'\]"
    ):
        auth_client.get("/api/notes/1/")


def test_field_errors_of_a_field_the_operation_does_not_name_fail(auth_client, monkeypatch):
    def refused(self, serializer):
        raise ValidationError({"colour": ["Not a field of a note."]})

    monkeypatch.setattr(NoteListCreate, "perform_create", refused)

    with pytest.raises(AssertionError, match=r"field errors of \['colour'\]"):
        auth_client.post("/api/notes/", {"title": "t", "content": "c"}, format="json")


def test_answers_the_schema_documents_pass(auth_client, api_client):
    assert auth_client.get("/api/notes/999/").json()["code"] == "not_found"
    assert api_client.get("/api/notes/").json()["code"] == "not_authenticated"
    assert set(auth_client.post("/api/notes/", {}, format="json").json()) == {"title", "content"}
