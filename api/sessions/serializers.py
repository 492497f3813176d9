"""SimpleJWT's token serializers, backed by this project's sessions."""

from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers

from api.core.fields import password_field
from api.models import User
from api.sessions import services


class TokenPairSerializer(serializers.Serializer):
    """What every endpoint that logs a client in answers."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


# --- SimpleJWT's serializers, with sessions --------------------------------------------------


class TokenObtainPairSerializer(jwt_serializers.TokenObtainSerializer):
    """Login: checks the credentials (SimpleJWT) and starts a session."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"] = password_field()

    def validate_username(self, value: str) -> str:
        # Usernames are stored NFKC-normalised (`create_user`); the name typed at login is
        # compared in the same form, as the per-username failure limit counts it.
        return User.normalize_username(value)

    def validate(self, attrs):
        super().validate(attrs)
        pair = services.session_start(user=self.user)
        return {"refresh": pair.refresh, "access": pair.access}


class TokenRefreshSerializer(serializers.Serializer):
    """Refresh: rotation, reuse detection and the concurrent-refresh grace (`services`)."""

    refresh = serializers.CharField()
    access = serializers.CharField(read_only=True)

    def validate(self, attrs):
        pair = services.session_refresh(raw_refresh=attrs["refresh"])
        data = {"access": pair.access}
        if pair.refresh is not None:
            data["refresh"] = pair.refresh
        return data


class TokenVerifySerializer(serializers.Serializer):
    token = serializers.CharField(write_only=True)

    def validate(self, attrs):
        services.token_verify(raw_token=attrs["token"])
        return {}


class TokenBlacklistSerializer(serializers.Serializer):
    refresh = serializers.CharField(write_only=True)

    def validate(self, attrs):
        services.session_end(raw_refresh=attrs["refresh"])
        return {}
