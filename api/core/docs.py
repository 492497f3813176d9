"""The OpenAPI schema, Swagger UI and ReDoc (drf-spectacular), answering JSON to anything but
a page view, telling the operator when the pages' assets were never collected, and loading
nothing from another host; and the JSON index at `/` that points to them."""

import logging

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

# A fixed name rather than the module path, so log filters survive the code moving.
logger = logging.getLogger(__name__)

# The docs pages may load, connect to and run only what this server serves: an offline or
# firewalled reader sees the same page, and no third party learns who reads the docs. Inline
# scripts and styles are how drf-spectacular's templates set the UIs up and how they style
# themselves; `blob:` is ReDoc's search worker and the images Swagger UI shows from a response.
# This is what keeps ReDoc from loading the Redocly logo its sidebar links from cdn.redoc.ly:
# no ReDoc option turns that off.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
    ]
)

# What `/` links to, by URL name.
INDEX_LINKS = {
    "docs": "swagger-ui",
    "redoc": "redoc",
    "schema": "schema",
    "health": "health",
    "jwks": "jwks",
    "login": "token-obtain-pair",
}


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


# The schema without `lang`, made once per process: making it takes tens of milliseconds of
# CPU, and anyone may ask for it. With `lang` it is made for each request as before, so that no
# client can fill memory with a copy per language. It states settings (the password rules),
# so a changed setting (in tests) makes it anew.
_schema: dict | None = None


@receiver(setting_changed)
def _forget_schema(**kwargs) -> None:
    global _schema
    _schema = None


class SchemaView(JSONAnswersMixin, SpectacularAPIView):
    """The OpenAPI schema, as YAML or JSON."""

    def _get_schema_response(self, request):
        global _schema
        if request.GET.get("lang") or self.api_version or request.version:
            return super()._get_schema_response(request)
        if _schema is None:
            _schema = super()._get_schema_response(request).data
        return Response(
            data=_schema,
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, None)}"'},
        )


class SameOriginOnlyMixin:
    """The page's Content-Security-Policy lets it reach this server only."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
        return response


class SwaggerView(JSONAnswersMixin, CollectedAssetsMixin, SameOriginOnlyMixin, SpectacularSwaggerView):
    """Swagger UI, with assets served by this server."""


class RedocView(JSONAnswersMixin, CollectedAssetsMixin, SameOriginOnlyMixin, SpectacularRedocView):
    """ReDoc, with assets served by this server."""

    # drf-spectacular's page without its Google Fonts links.
    template_name = "api/redoc.html"


class Index(APIView):
    """`GET /`: what this server is, and where its docs, schema, health check and login are."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    # Left out of the schema like the docs routes: it describes the API rather than being part of it.
    @extend_schema(exclude=True)
    def get(self, request):
        links = {name: request.build_absolute_uri(reverse(route)) for name, route in INDEX_LINKS.items()}
        return Response(
            {"name": spectacular_settings.TITLE, "version": spectacular_settings.VERSION, "links": links},
            # Changes only with a deployment.
            headers={"Cache-Control": "public, max-age=300"},
        )
