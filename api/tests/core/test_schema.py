import re

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from api.core.schema_names import OPERATION_IDS

pytestmark = pytest.mark.django_db


def _api_routes() -> set[str]:
    """Every route under /api/ in OpenAPI's path syntax, from the URL configuration itself."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                # drf-spectacular names a `pk` path parameter `id`, whatever its converter.
                yield "/" + re.sub(r"<(?:\w+:)?pk>", "{id}", route)

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
    assert paths["/api/notes/{id}/"]["get"]["security"] == [{"jwtAuth": []}]


def test_schema_states_the_password_rules_wherever_a_password_is_set(api_client, settings):
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
    assert listed == ["tokens", "account", "sessions", "two-factor", "passkeys", "notes", "operations"]
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
