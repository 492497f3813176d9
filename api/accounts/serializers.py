"""Sign-up and the account as clients send and see them."""

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import get_error_detail

from api.accounts import recovery, services
from api.accounts.errors import InvalidLink
from api.accounts.tokens import TOKEN_MAX_LENGTH, UID_MAX_LENGTH, password_reset_tokens, user_for_uid
from api.core.fields import PASSWORD_MAX_LENGTH, password_field
from api.models import USERNAME_CLASH_MESSAGES, User
from api.sessions import credentials


def _validate_new_password(password: str, user: User) -> str:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        # Each message keeps its rule's code (`password_too_short`, `password_breached`, ...).
        raise serializers.ValidationError(get_error_detail(exc)) from exc
    return password


def new_password_field(**kwargs) -> serializers.CharField:
    """A password being set: the field, with the rules it must pass in the schema."""
    return password_field(help_text=NEW_PASSWORD_HELP, **kwargs)


def _new_password_help() -> str:
    return _(
        "%(min)d to %(max)d characters, of any kind (no character classes are required): spaces, "
        "any script and emoji count as typed, normalised to Unicode NFKC. Refused: a password "
        "containing the username, the email's part before the @ or the site's name, ignoring case "
        "(`password_context_word`); one too similar to the username or email "
        "(`password_too_similar`); a common one (`password_too_common`); and one found in "
        "breached-password lists (`password_breached`), checked by k-anonymity: only the first 5 "
        "hex digits of its SHA-1 leave the server (when the list cannot be asked in time, the "
        "password is let through). Too short or long: `password_too_short`, `password_too_long`. "
        "Field errors carry the messages; docs/api.md lists them with their codes."
    ) % {"min": settings.PASSWORD_MIN_LENGTH, "max": PASSWORD_MAX_LENGTH}


# Rendered when the schema is, so that it states the PASSWORD_MIN_LENGTH in force.
NEW_PASSWORD_HELP = lazy(_new_password_help, str)()


def _check_current_password(serializer: serializers.Serializer, password: str) -> str:
    request = serializer.context["request"]
    # Through the one credential check: a stolen access token cannot guess the password here.
    if not credentials.password_is_right(request=request, user=request.user, password=password):
        raise serializers.ValidationError(_("Wrong password."), code="wrong_password")
    return password


def deliverable_email(value: str) -> None:
    """Refuse an address the mailer cannot deliver: a local part (before the @) outside ASCII.

    Django's validator matches letters ignoring case, which lets some non-ASCII letters through
    (the long s U+017F matches `s`, the Kelvin sign U+212A matches `k`), and its SMTP backend does not speak
    SMTPUTF8: such a message would leave with a mangled recipient, and a link sent to it would
    never arrive. Non-ASCII domains are fine: they are sent as IDNA (punycode).
    """
    if value and not value.rpartition("@")[0].isascii():
        raise serializers.ValidationError(
            _("Enter an address whose part before the @ uses only ASCII letters, digits and punctuation."),
            code="invalid",
        )


class UsernameField(serializers.CharField):
    """A username as it will be stored: NFKC-normalised, as `create_user` does, before any check.

    Checking the name as sent would let fullwidth `ADMIN` past the checks that `ADMIN` fails,
    and a name that normalising lengthens (one ligature can become 18 characters) past the
    length limit.
    """

    def to_internal_value(self, data) -> str:
        return User.normalize_username(super().to_internal_value(data))


class RegisterSerializer(serializers.ModelSerializer):
    """Sign-up: username, password (the rules of `api.accounts.validators`) and an optional email."""

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
    password = new_password_field()

    class Meta:
        model = User
        fields = ["id", "username", "password", "email"]
        extra_kwargs = {"email": {"required": False, "validators": [deliverable_email]}}

    def get_fields(self):
        fields = super().get_fields()
        if settings.REQUIRE_EMAIL_VERIFICATION:
            # The address the verification link goes to; without it the account could never log in.
            fields["email"].required = True
            fields["email"].allow_blank = False
        return fields

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
    """The signed-in user's account; only the email can change (and then needs verifying).

    A change needs a fresh proof (`api.sessions.stepup`): `password`, or a step-up token.
    """

    password = password_field(
        required=False,
        help_text=_("The current password, unless an X-Reauth-Token header carries a step-up token."),
    )
    # A plain string in the schema: empty while no change waits (an "email" format forbids that).
    pending_email = serializers.CharField(
        read_only=True,
        help_text=_(
            "The new address of an email change waiting for its link (docs/accounts.md); empty if none. "
            "`email` stays the account's address until the link is used."
        ),
    )

    mfa_enabled = serializers.BooleanField(
        read_only=True, help_text=_("Whether logins need a TOTP or recovery code as well (docs/mfa.md).")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "email_verified",
            "pending_email",
            "date_joined",
            "mfa_enabled",
            "password",
        ]
        read_only_fields = ["id", "username", "email_verified", "pending_email", "date_joined", "mfa_enabled"]
        extra_kwargs = {"email": {"validators": [deliverable_email]}}

    def validate_email(self, value: str) -> str:
        if not value and settings.REQUIRE_EMAIL_VERIFICATION:
            raise serializers.ValidationError(_("An email address is required."), code="required")
        return value

    def update(self, user: User, validated_data) -> User:
        validated_data.pop("password", None)  # the proof, checked before (`stepup.FreshProof`)
        return services.user_update(user=user, changes=validated_data)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = password_field()
    new_password = new_password_field()

    def validate_old_password(self, value: str) -> str:
        return _check_current_password(self, value)

    def validate_new_password(self, value: str) -> str:
        return _validate_new_password(value, self.context["request"].user)


# --- Emailed links: password reset and email verification ----------------------------------


class EmailRequestSerializer(serializers.Serializer):
    """An address to mail a link to; the answer is the same whether or not an account has it."""

    email = serializers.EmailField(
        max_length=User._meta.get_field("email").max_length, validators=[deliverable_email]
    )


class LinkAcceptedSerializer(serializers.Serializer):
    """The answer to a request for a link: always the same."""

    detail = serializers.CharField(read_only=True)


class LinkSerializer(serializers.Serializer):
    """The uid and token of an emailed link; `validate` finds the account (never its token)."""

    uid = serializers.CharField(max_length=UID_MAX_LENGTH)
    token = serializers.CharField(max_length=TOKEN_MAX_LENGTH)

    def validate(self, attrs):
        user = user_for_uid(attrs["uid"])
        if user is None:
            raise InvalidLink()
        return {**attrs, "user": user}


class PasswordResetConfirmSerializer(LinkSerializer):
    """A reset link's uid and token, and the new password (the rules of `api.accounts.validators`)."""

    new_password = new_password_field()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The token first: password rules only matter for an account the link may change, and
        # the user-similarity rule needs that account.
        recovery.check_link(password_reset_tokens.check(attrs["user"], attrs["token"]))
        try:
            _validate_new_password(attrs["new_password"], attrs["user"])
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"new_password": exc.detail}) from exc
        return attrs
