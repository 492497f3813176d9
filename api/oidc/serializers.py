"""The bodies of the OpenID Connect endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ProviderSerializer(serializers.Serializer):
    """A provider to offer on the login page."""

    name = serializers.CharField(read_only=True, help_text=_("In the paths of /api/oidc/<name>/."))
    display_name = serializers.CharField(read_only=True)


class FlowStartSerializer(serializers.Serializer):
    """Where to send the browser: the provider's authorization page."""

    authorization_url = serializers.CharField(
        read_only=True,
        help_text=_(
            "Set `window.location` to it. The answer also sets an HttpOnly cookie that binds the "
            "sign-in to this browser: send the request with credentials."
        ),
    )


class LoginCodeSerializer(serializers.Serializer):
    """The one-time code the callback handed the frontend (`?code=`)."""

    code = serializers.CharField(max_length=64, write_only=True)
