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
