from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"

    def ready(self) -> None:
        # Registers the OpenAPI extension for the project's authentication class.
        # Logins and step-up ask for the second factor, passkeys and a provider's step-up code
        # through sessions' seam: `api.mfa`, `api.passkeys` and `api.oidc` build on sessions, so
        # only this wiring, outside them all, names them together.
        from api.mfa.factor import TotpFactor
        from api.oidc.factor import ProviderFactor
        from api.passkeys.factor import PasskeyFactor
        from api.sessions import (
            authentication,  # noqa: F401
            second_factor,
        )

        second_factor.register(TotpFactor())
        second_factor.register_passkeys(PasskeyFactor())
        second_factor.register_provider_proof(ProviderFactor())


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with the project's site: the API's failure limit and second factor."""

    default_site = "api.admin_site.AdminSite"
    # Not the app's own config: `api` stays `ApiConfig`, this is named in INSTALLED_APPS.
    default = False
