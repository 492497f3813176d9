from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"

    def ready(self) -> None:
        # Registers the OpenAPI extension for the project's authentication class.
        from api.sessions import authentication  # noqa: F401
