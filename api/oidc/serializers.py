"""The bodies of the OpenID Connect endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.models import OidcIdentity
from api.sessions.stepup import ProofSerializer


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


class IdentitySerializer(serializers.ModelSerializer):
    """A provider account linked to the caller's account."""

    class Meta:
        model = OidcIdentity
        fields = ["id", "provider", "email", "created_at", "last_used_at"]
        read_only_fields = fields


class LinkStartSerializer(ProofSerializer):
    """The provider to link, and the fresh proof a sensitive change needs."""

    provider = serializers.CharField(max_length=32)


class ReauthStartSerializer(serializers.Serializer):
    """The provider to sign in at again: one the caller has linked an account at."""

    provider = serializers.CharField(max_length=32)
