"""The OpenAPI schema, Swagger UI and ReDoc (drf-spectacular), answering JSON to anything but
a page view, and telling the operator when the pages' assets were never collected."""

import logging

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

logger = logging.getLogger(__name__)


class StaticFilesMissing(APIException):
    """503: the docs pages cannot link their assets until `collectstatic` has run."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "The documentation's assets are not installed on this server: run "
        "`python manage.py collectstatic` and restart it."
    )
    default_code = "static_files_missing"


class JSONAnswersMixin:
    """Errors and OPTIONS answers render as JSON.

    These views render only HTML or YAML: an error or an OPTIONS answer went through the
    template renderer, which has no template for them (a 500), or came back as YAML.
    """

    def perform_content_negotiation(self, request, force=False):
        # Whatever the client accepts, an OPTIONS answer is JSON (not a 406 for `Accept: application/json`).
        if request.method == "OPTIONS":
            return JSONRenderer(), JSONRenderer.media_type
        return super().perform_content_negotiation(request, force)

    def finalize_response(self, request, response, *args, **kwargs):
        if isinstance(response, Response) and response.exception:
            request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)


class CollectedAssetsMixin:
    """A docs page whose assets were never collected is a 503 naming the fix, not a 500.

    With DEBUG off, the manifest storage knows an asset's URL only once `collectstatic` has
    listed it, and raises ValueError for any other; with DEBUG on it is never asked.
    """

    def handle_exception(self, exc):
        if isinstance(exc, ValueError) and isinstance(staticfiles_storage, ManifestFilesMixin):
            logger.error("API docs unavailable, static files not collected (%s): run collectstatic", exc)
            exc = StaticFilesMissing()
        return super().handle_exception(exc)


class SchemaView(JSONAnswersMixin, SpectacularAPIView):
    """The OpenAPI schema, as YAML or JSON."""


class SwaggerView(JSONAnswersMixin, CollectedAssetsMixin, SpectacularSwaggerView):
    """Swagger UI, with assets served by this server."""


class RedocView(JSONAnswersMixin, CollectedAssetsMixin, SpectacularRedocView):
    """ReDoc, with assets served by this server."""
