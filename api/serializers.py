import copy
from datetime import UTC, datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers

from api import services
from api.models import USERNAME_CLASH_MESSAGES, Note, User

# Long enough for any passphrase, short enough that hashing stays cheap.
PASSWORD_MAX_LENGTH = 1024
NOTE_CONTENT_MAX_LENGTH = 20_000


def _password_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        **kwargs,
    )


def _validate_new_password(password: str, user: User) -> str:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(list(exc.messages)) from exc
    return password


def _check_current_password(serializer: serializers.Serializer, password: str) -> str:
    if not serializer.context["request"].user.check_password(password):
        raise serializers.ValidationError(_("Wrong password."), code="wrong_password")
    return password


class NoteSerializer(serializers.ModelSerializer):
    """A note as clients see it; `author` is the owner's id and never writable."""

    content = serializers.CharField(max_length=NOTE_CONTENT_MAX_LENGTH)

    class Meta:
        model = Note
        fields = ["id", "title", "content", "created_at", "updated_at", "author"]
        read_only_fields = ["created_at", "updated_at", "author"]

    def get_fields(self) -> dict[str, serializers.Field]:
        # ModelSerializer introspects the model again for every instance (a tenth of a note
        # create, profiled). The result depends on the class alone, so it is built once and
        # deep-copied, as DRF itself does with declared fields.
        cls = type(self)
        if "_field_templates" not in cls.__dict__:
            cls._field_templates = super().get_fields()
        return copy.deepcopy(cls._field_templates)

    def create(self, validated_data) -> Note:
        return services.note_create(**validated_data)

    def update(self, note: Note, validated_data) -> Note:
        return services.note_update(note=note, changes=validated_data)

    def to_representation(self, note: Note) -> dict:
        # The field-by-field machinery cost most of a notes-list request (profiled: about a
        # third of its CPU for a page of 20). The output is the same; a test holds the two
        # equal, so a field added to Meta.fields but not here fails it.
        return {
            "id": note.id,
            "title": note.title,
            "content": note.content,
            "created_at": _iso_datetime(note.created_at),
            "updated_at": _iso_datetime(note.updated_at),
            "author": note.author_id,
        }


def _iso_datetime(value: datetime) -> str:
    """What DRF's DateTimeField renders for an aware datetime in UTC."""
    text = value.astimezone(UTC).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class UsernameField(serializers.CharField):
    """A username as it will be stored: NFKC-normalised, as `create_user` does, before any check.

    Checking the name as sent would let fullwidth `ADMIN` past the checks that `ADMIN` fails,
    and a name that normalising lengthens (one ligature can become 18 characters) past the
    length limit.
    """

    def to_internal_value(self, data) -> str:
        return User.normalize_username(super().to_internal_value(data))


class RegisterSerializer(serializers.ModelSerializer):
    """Sign-up: username, password (Django's validators) and an optional email."""

    # Declared rather than generated: ModelSerializer's field checks the raw value, and adds an
    # exact-match uniqueness query that `validate_username` makes redundant.
    username = UsernameField(
        max_length=User._meta.get_field("username").max_length,
        validators=[User.username_validator],
        help_text=_(
            "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only. Refused if an "
            "account has the same name ignoring case and width, or a name that looks like it "
            "(letters of other scripts that look like these, capital I for l, 0 for o...)."
        ),
    )
    password = _password_field()

    class Meta:
        model = User
        fields = ["id", "username", "password", "email"]
        extra_kwargs = {"email": {"required": False}}

    def validate_username(self, value: str) -> str:
        clash = User.username_clash(value)
        if clash is not None:
            raise serializers.ValidationError(USERNAME_CLASH_MESSAGES[clash], code=clash)
        return value

    def validate(self, attrs):
        candidate = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            _validate_new_password(attrs["password"], candidate)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"password": exc.detail}) from exc
        return attrs

    def create(self, validated_data) -> User:
        return services.user_register(**validated_data)


class UserSerializer(serializers.ModelSerializer):
    """The signed-in user's account; only the email can change."""

    class Meta:
        model = User
        fields = ["id", "username", "email", "date_joined"]
        read_only_fields = ["id", "username", "date_joined"]

    def update(self, user: User, validated_data) -> User:
        return services.user_update(user=user, changes=validated_data)


class CurrentPasswordSerializer(serializers.Serializer):
    """Asks for the account's current password before a destructive change."""

    password = _password_field()

    def validate_password(self, value: str) -> str:
        return _check_current_password(self, value)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = _password_field()
    new_password = _password_field()

    def validate_old_password(self, value: str) -> str:
        return _check_current_password(self, value)

    def validate_new_password(self, value: str) -> str:
        return _validate_new_password(value, self.context["request"].user)


class TokenPairSerializer(serializers.Serializer):
    """What every endpoint that logs a client in answers."""

    access = serializers.CharField(read_only=True)
    refresh = serializers.CharField(read_only=True)


# --- SimpleJWT's serializers, with sessions --------------------------------------------------


class TokenObtainPairSerializer(jwt_serializers.TokenObtainSerializer):
    """Login: checks the credentials (SimpleJWT) and starts a session."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"] = _password_field()

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
