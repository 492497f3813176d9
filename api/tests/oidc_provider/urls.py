"""The provider's routes: DOT's under /o/ (the issuer), the tests' control endpoint, and the
login page (Django's default LOGIN_URL)."""

from django.urls import include, path

from api.tests.oidc_provider import control

urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("control/", control.control),
    path("accounts/login/", control.login),
]
