"""Top-level URL routing: the API's JSON index at /, the API under /api/, Django admin under
`DJANGO_ADMIN_URL` (if any), the JWK Set, and the operators' Prometheus metrics (outside the API
and its schema)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api.core.docs import Index
from api.core.metrics import metrics_view
from api.sessions.jwks import JWKS

urlpatterns = [
    path("", Index.as_view(), name="index"),
    path("api/", include("api.urls")),
    path(".well-known/jwks.json", JWKS.as_view(), name="jwks"),
    path("metrics", metrics_view, name="metrics"),
]

if settings.DJANGO_ADMIN_URL:
    urlpatterns.append(path(settings.DJANGO_ADMIN_URL, admin.site.urls))
