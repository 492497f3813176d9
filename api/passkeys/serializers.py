"""Passkeys as clients send and see them: the browser's JSON forms of WebAuthn (what
`PublicKeyCredential.toJSON()` and @simplewebauthn/browser produce, and what
`PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON` read), and a
passkey as the account lists it.

The shapes are checked here, each value bounded, so that what reaches py_webauthn is at least
the right kind of JSON; whether it verifies is `api.passkeys.ceremonies`' to say.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.mfa.serializers import MFA_TOKEN_MAX_LENGTH
from api.models import Passkey

# WebAuthn's own bounds, with room: a credential id is at most 1023 bytes; client data is a
# small JSON document; an attestation object with a certificate chain a few kilobytes.
CREDENTIAL_ID_MAX_LENGTH = 1400
CLIENT_DATA_MAX_LENGTH = 8192
ATTESTATION_MAX_LENGTH = 65536
AUTHENTICATOR_DATA_MAX_LENGTH = 16384
SIGNATURE_MAX_LENGTH = 2048
USER_HANDLE_MAX_LENGTH = 128
NAME_MAX_LENGTH = 64

_BASE64URL = RegexValidator(r"\A[A-Za-z0-9_-]*={0,2}\Z", _("Enter base64url text."), code="invalid")


def base64url_field(max_length: int, **kwargs) -> serializers.CharField:
    """Binary data as WebAuthn's JSON carries it: base64url, padding optional."""
    return serializers.CharField(
        max_length=max_length, validators=[_BASE64URL], trim_whitespace=False, **kwargs
    )


class _Credential(serializers.Serializer):
    """What every `PublicKeyCredential` in JSON has."""

    id = base64url_field(CREDENTIAL_ID_MAX_LENGTH, help_text=_("The credential id (base64url)."))
    rawId = base64url_field(CREDENTIAL_ID_MAX_LENGTH, help_text=_("The same id, as `rawId`."))
    type = serializers.ChoiceField(choices=["public-key"])
    authenticatorAttachment = serializers.ChoiceField(
        choices=["platform", "cross-platform"], required=False, allow_null=True
    )


class AuthenticatorAttestationResponseJSONSerializer(serializers.Serializer):
    clientDataJSON = base64url_field(CLIENT_DATA_MAX_LENGTH)
    attestationObject = base64url_field(ATTESTATION_MAX_LENGTH)
    transports = serializers.ListField(
        child=serializers.CharField(max_length=32), max_length=16, required=False
    )


class RegistrationResponseJSONSerializer(_Credential):
    """The browser's answer to the creation options: `credential.toJSON()`."""

    response = AuthenticatorAttestationResponseJSONSerializer()


class AuthenticatorAssertionResponseJSONSerializer(serializers.Serializer):
    clientDataJSON = base64url_field(CLIENT_DATA_MAX_LENGTH)
    authenticatorData = base64url_field(AUTHENTICATOR_DATA_MAX_LENGTH)
    signature = base64url_field(SIGNATURE_MAX_LENGTH)
    userHandle = base64url_field(USER_HANDLE_MAX_LENGTH, required=False, allow_null=True, allow_blank=True)


class AuthenticationResponseJSONSerializer(_Credential):
    """The browser's answer to the request options: `credential.toJSON()`."""

    response = AuthenticatorAssertionResponseJSONSerializer()


def _flat(errors, path: str = "") -> list[str]:
    """Nested errors as one list of messages, each naming where it is (`response.signature: ...`):
    every field error of this API is a list of messages."""
    if isinstance(errors, dict):
        return [
            message
            for key, value in errors.items()
            for message in _flat(value, path if key == "non_field_errors" else f"{path}{key}.")
        ]
    if isinstance(errors, list):
        return [message for item in errors for message in _flat(item, path)]
    return [f"{path[:-1]}: {errors}" if path else str(errors)]


class _ShapeField(serializers.Field):
    """A JSON object of the browser's, checked by the `shape` serializer, errors flattened."""

    shape: type[serializers.Serializer]

    def to_internal_value(self, data):
        shape = self.shape(data=data)
        if not shape.is_valid():
            raise serializers.ValidationError(_flat(shape.errors))
        return shape.validated_data

    def to_representation(self, value):
        return value


@extend_schema_field(RegistrationResponseJSONSerializer)
class RegistrationResponseField(_ShapeField):
    shape = RegistrationResponseJSONSerializer


@extend_schema_field(AuthenticationResponseJSONSerializer)
class AuthenticationResponseField(_ShapeField):
    shape = AuthenticationResponseJSONSerializer


# --- Requests ---------------------------------------------------------------------------------


class PasskeyRegisterSerializer(serializers.Serializer):
    """A new passkey: the browser's answer to the options of `register/options/`, and a name."""

    credential = RegistrationResponseField(write_only=True)
    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text=_('What the owner calls it ("Laptop", "Phone"); default "Passkey".'),
    )


class PasskeyAssertionSerializer(serializers.Serializer):
    """The browser's answer to request options."""

    credential = AuthenticationResponseField(write_only=True)


class PasskeyMfaOptionsSerializer(serializers.Serializer):
    """The `mfa_token` of a login that answered `mfa_required`."""

    mfa_token = serializers.CharField(write_only=True, max_length=MFA_TOKEN_MAX_LENGTH)


class PasskeyMfaLoginSerializer(PasskeyMfaOptionsSerializer):
    """Second login step with a passkey: the `mfa_token`, and the answer to its options."""

    credential = AuthenticationResponseField(write_only=True)


# --- Answers ----------------------------------------------------------------------------------


class PasskeySerializer(serializers.ModelSerializer):
    """One of the caller's passkeys; only its name changes."""

    name = serializers.CharField(max_length=NAME_MAX_LENGTH)

    class Meta:
        model = Passkey
        fields = ["id", "name", "created_at", "last_used_at", "backed_up", "transports"]
        read_only_fields = ["id", "created_at", "last_used_at", "backed_up", "transports"]
        extra_kwargs = {
            "backed_up": {"help_text": _("Whether the passkey is synced (backed up) by its provider now.")},
        }

    transports = serializers.ListField(child=serializers.CharField(), read_only=True)


class PublicKeyCredentialDescriptorJSONSerializer(serializers.Serializer):
    id = serializers.CharField()
    type = serializers.CharField()
    transports = serializers.ListField(child=serializers.CharField(), required=False)


class PublicKeyCredentialRpEntitySerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()


class PublicKeyCredentialUserEntityJSONSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("The account's user handle (base64url): random, not its id."))
    name = serializers.CharField()
    displayName = serializers.CharField()


class PublicKeyCredentialParametersSerializer(serializers.Serializer):
    type = serializers.CharField()
    alg = serializers.IntegerField()


class AuthenticatorSelectionCriteriaSerializer(serializers.Serializer):
    residentKey = serializers.CharField()
    requireResidentKey = serializers.BooleanField()
    userVerification = serializers.CharField()


class PublicKeyCredentialCreationOptionsJSONSerializer(serializers.Serializer):
    """Options for `navigator.credentials.create()`, through
    `PublicKeyCredential.parseCreationOptionsFromJSON()` or @simplewebauthn/browser's
    `startRegistration({optionsJSON})`."""

    rp = PublicKeyCredentialRpEntitySerializer()
    user = PublicKeyCredentialUserEntityJSONSerializer()
    challenge = serializers.CharField()
    pubKeyCredParams = PublicKeyCredentialParametersSerializer(many=True)
    timeout = serializers.IntegerField()
    excludeCredentials = PublicKeyCredentialDescriptorJSONSerializer(many=True)
    authenticatorSelection = AuthenticatorSelectionCriteriaSerializer()
    attestation = serializers.CharField()


class PublicKeyCredentialRequestOptionsJSONSerializer(serializers.Serializer):
    """Options for `navigator.credentials.get()`, through
    `PublicKeyCredential.parseRequestOptionsFromJSON()` or @simplewebauthn/browser's
    `startAuthentication({optionsJSON})`; with `mediation: "conditional"` for autofill."""

    challenge = serializers.CharField()
    timeout = serializers.IntegerField()
    rpId = serializers.CharField()
    allowCredentials = PublicKeyCredentialDescriptorJSONSerializer(many=True)
    userVerification = serializers.CharField()
