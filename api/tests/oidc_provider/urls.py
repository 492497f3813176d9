"""The provider's routes: DOT's under /o/ (the issuer), its discovery document there and under
the paths of Entra's issuers too (`/common/v2.0/`, `/<tenant id>/v2.0/`), its JWK Set, the tests' control
endpoint, its authorize page (DOT's, or a cancelled sign-in), and the login page (Django's default
LOGIN_URL)."""

from django.urls import include, path

from api.tests.oidc_provider import control

urlpatterns = [
    # Before DOT's own, which they replace.
    path("o/.well-known/openid-configuration", control.discovery),
    path("<str:tenant>/v2.0/.well-known/openid-configuration", control.discovery),
    path("o/.well-known/jwks.json", control.jwks),
    path("o/authorize/", control.authorize),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("control/", control.control),
    path("accounts/login/", control.login),
]
