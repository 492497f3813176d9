"""Sign-up and the account as clients send and see them."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.accounts import services
from api.core.fields import password_field
from api.models import USERNAME_CLASH_MESSAGES, User


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
    password = password_field()

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

    password = password_field()

    def validate_password(self, value: str) -> str:
        return _check_current_password(self, value)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = password_field()
    new_password = password_field()

    def validate_old_password(self, value: str) -> str:
        return _check_current_password(self, value)

    def validate_new_password(self, value: str) -> str:
        return _validate_new_password(value, self.context["request"].user)
