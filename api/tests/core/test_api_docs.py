"""The schema and the docs pages answer every method with JSON or the page, never a 500, and tell
an operator who skipped `collectstatic` what to run."""

import re

import pytest

pytestmark = pytest.mark.django_db

DOCS_PAGES = ["/api/docs/", "/api/redoc/"]
DOCS_ROUTES = [*DOCS_PAGES, "/api/schema/"]


@pytest.mark.parametrize("accept", ["*/*", "application/json"])
@pytest.mark.parametrize("path", DOCS_ROUTES)
def test_options_on_docs_routes_is_a_json_answer(api_client, path, accept):
    response = api_client.options(path, HTTP_ACCEPT=accept)

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json(), dict)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("path", DOCS_ROUTES)
def test_writes_to_docs_routes_are_405_json(api_client, path, method):
    response = getattr(api_client, method)(path, "{}", content_type="application/json")

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_without_collected_static_files_in_production_are_503_naming_collectstatic(
    api_client, settings, tmp_path, path
):
    # A deployment that skipped `collectstatic`: DEBUG off, an empty STATIC_ROOT.
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path

    response = api_client.get(path)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "static_files_missing"
    assert "manage.py collectstatic" in body["detail"]


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_and_their_assets_work_without_collectstatic_in_development(
    client, settings, tmp_path, path
):
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path

    page = client.get(path)

    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.content.decode())
    assert assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


# Hosts a docs page or its scripts would fetch fonts or assets from.
FONT_HOSTS = ("fonts.googleapis", "fonts.gstatic")
ALLOWED_CSP_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_name_no_other_host(api_client, path):
    response = api_client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    hosts = set(re.findall(r"https?://([^/\s\"'<>]+)", html))
    assert hosts <= {"testserver"}, hosts
    assert not re.findall(r'(?:src|href)="//', html)


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_and_their_scripts_and_styles_fetch_no_fonts(api_client, path):
    page = api_client.get(path).content.decode()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any(asset.endswith(".js") for asset in assets)

    texts = {path: page}
    for asset in assets:
        response = api_client.get(asset)
        assert response.status_code == 200, asset
        texts[asset] = b"".join(response.streaming_content).decode("utf-8", "replace")

    assert not [(name, host) for name, text in texts.items() for host in FONT_HOSTS if host in text]


@pytest.mark.parametrize("path", DOCS_PAGES)
def test_docs_pages_may_load_nothing_from_another_host(api_client, path):
    # What a page's scripts would fetch at run time (ReDoc's sidebar loads the Redocly logo from
    # cdn.redoc.ly) is beyond the HTML: the browser itself refuses it, by this policy.
    response = api_client.get(path)

    directives = [directive.split() for directive in response["Content-Security-Policy"].split(";")]
    policy = {name: set(sources) for name, *sources in directives}
    assert policy["default-src"] == {"'self'"}
    assert {"img-src", "script-src", "style-src"} <= set(policy)
    for directive, sources in policy.items():
        assert sources <= ALLOWED_CSP_SOURCES, directive


def test_the_schema_asked_in_another_language_leaves_the_default_one_as_it_was(api_client):
    first = api_client.get("/api/schema/?format=json")
    german = api_client.get("/api/schema/?format=json&lang=de")
    again = api_client.get("/api/schema/?format=json")

    assert first.status_code == german.status_code == again.status_code == 200
    assert german.content != first.content
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
