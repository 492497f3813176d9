"""Two-factor login as clients send and see it (docs/mfa.md): the second login step, and setup."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.sessions.serializers import MfaCodeField
from api.sessions.stepup import ProofSerializer


class TotpSetupSerializer(serializers.Serializer):
    """A pending TOTP setup: what the authenticator app needs. Logins need no code until a first
    code confirms it."""

    secret = serializers.CharField(
        read_only=True, help_text=_("The shared secret in base32, for typing into the app by hand.")
    )
    otpauth_url = serializers.CharField(
        read_only=True, help_text=_("The `otpauth://totp/...` URL the app reads from the QR code.")
    )
    qr_svg = serializers.CharField(
        read_only=True, help_text=_("The QR code of `otpauth_url`, as an SVG document to show the user.")
    )


class TotpCodeSerializer(serializers.Serializer):
    """A current code of the authenticator app."""

    code = MfaCodeField(recovery=False)


class RecoveryCodesSerializer(serializers.Serializer):
    """A new set of recovery codes: shown this once, each good for one login."""

    recovery_codes = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=_(
            "10 single-use codes that stand in for the app's code; this is the only time they are "
            "shown. Any earlier set no longer works."
        ),
    )


class TotpConfirmSerializer(ProofSerializer):
    """Turning TOTP on: the first code of the pending secret, and the fresh proof."""

    code = MfaCodeField(recovery=False)


class TotpDisableSerializer(ProofSerializer):
    """Turning TOTP off: a code of the app or a recovery code, and the fresh proof."""

    code = MfaCodeField(recovery=True)


# --- The second login step ----------------------------------------------------------------

# Long enough for any token this server signs, short enough to refuse garbage at once.
MFA_TOKEN_MAX_LENGTH = 2048


class MfaLoginSerializer(serializers.Serializer):
    """Second login step: the `mfa_token` of the login that answered `mfa_required`, and a code."""

    mfa_token = serializers.CharField(write_only=True, max_length=MFA_TOKEN_MAX_LENGTH)
    code = MfaCodeField(recovery=True)
