"""SimpleJWT's token serializers, backed by this project's sessions."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt import serializers as jwt_serializers

from api.core import security_log
from api.core.clients import client_of
from api.core.fields import password_field
from api.models import TokenFamily, User
from api.sessions import binding, cookies, second_factor, services
from api.sessions.login_devices import known_device
from api.sessions.tokens import FAMILY_CLAIM


# Documents the answer, which `cookies.token_response` and the token serializers build. Its
# fields are not read-only: the schema would call every read-only field required.
class TokenPairSerializer(serializers.Serializer):
    """What every endpoint that logs a client in answers, and a refresh: the access token, the
    refresh token (not in cookie mode), and with DPoP the token type."""

    access = serializers.CharField()
    refresh = serializers.CharField(
        required=False,
        help_text=_(
            "Absent in refresh cookie mode (JWT_REFRESH_COOKIE), where the refresh token is in the "
            "`Set-Cookie` header instead, and from a refresh with rotation off."
        ),
    )
    token_type = serializers.ChoiceField(
        choices=[binding.DPOP_TOKEN_TYPE],
        required=False,
        help_text=_(
            "`DPoP` when the login or refresh sent a DPoP proof: the tokens are bound to its key, and "
            "each request needs `Authorization: DPoP <access>` and a fresh proof. Absent for Bearer tokens."
        ),
    )


class SessionSerializer(serializers.ModelSerializer):
    """One of the caller's live sessions (a login and the refreshes since); `current` is the one
    whose access token made the request."""

    current = serializers.SerializerMethodField()

    class Meta:
        model = TokenFamily
        fields = ["id", "created_at", "last_used_at", "user_agent", "ip", "current"]
        read_only_fields = fields

    def get_current(self, session: TokenFamily) -> bool:
        token = self.context["request"].auth
        return token is not None and str(session.pk) == str(token.get(FAMILY_CLAIM))


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
        # Only once SimpleJWT has accepted the password: a wrong one answers as for any account.
        services.login_permitted(user=self.user)
        # Likewise only after the password: a login that needs a second factor gets an
        # `mfa_token` for `POST /api/token/mfa/` instead of a pair (docs/mfa.md).
        mfa_token = second_factor.login_challenge(user=self.user)
        if mfa_token is not None:
            raise second_factor.MfaRequired(mfa_token=mfa_token)
        request = self.context["request"]
        jkt = self.context.get("dpop_jkt")
        pair = services.session_start(user=self.user, dpop_jkt=jkt, **client_of(request))
        security_log.record_login(
            user=self.user, request=request, detail="password", known_device=known_device(request, self.user)
        )
        return binding.with_token_type({"refresh": pair.refresh, "access": pair.access}, jkt=pair.dpop_jkt)


class TokenRefreshSerializer(serializers.Serializer):
    """Refresh: rotation, reuse detection and the concurrent-refresh grace (`services`)."""

    # Optional in the body: in cookie mode the cookie may carry it (`cookies.presented_refresh`).
    refresh = serializers.CharField(required=False)
    access = serializers.CharField(read_only=True)

    def validate(self, attrs):
        pair = services.session_refresh(
            raw_refresh=cookies.presented_refresh(self, attrs), dpop_jkt=self.context.get("dpop_jkt")
        )
        data = {"access": pair.access}
        if pair.refresh is not None:
            data["refresh"] = pair.refresh
        return binding.with_token_type(data, jkt=pair.dpop_jkt)


class TokenVerifySerializer(serializers.Serializer):
    """A token to check: accepted now (signature, expiry, revocation, spent refresh token) or not."""

    token = serializers.CharField(write_only=True)

    def validate(self, attrs):
        services.token_verify(raw_token=attrs["token"])
        return {}


class TokenBlacklistSerializer(serializers.Serializer):
    """Logout: the refresh token whose session (every token of that login) ends."""

    refresh = serializers.CharField(write_only=True, required=False)

    def validate(self, attrs):
        services.session_end(
            raw_refresh=cookies.presented_refresh(self, attrs), dpop_jkt=self.context.get("dpop_jkt")
        )
        return {}


# --- Two-factor login (docs/mfa.md) -----------------------------------------------------------


class MfaCodeField(serializers.CharField):
    """A code from an authenticator app (six digits) or, with `recovery`, a recovery code;
    spaces and hyphens are ignored. Anything of another shape is a field error, not a try."""

    def __init__(self, *, recovery: bool, **kwargs) -> None:
        self.recovery = recovery
        kwargs.setdefault(
            "help_text",
            _("The 6-digit code of the authenticator app, or one of the recovery codes.")
            if recovery
            else _("The 6-digit code of the authenticator app."),
        )
        super().__init__(max_length=64, write_only=True, **kwargs)

    def to_internal_value(self, data) -> str:
        code = second_factor.code_shape(super().to_internal_value(data), recovery=self.recovery)
        if code is not None:
            return code
        if self.recovery:
            raise serializers.ValidationError(
                _("Enter the 6-digit code of your authenticator app, or a recovery code."), code="invalid"
            )
        raise serializers.ValidationError(
            _("Enter the 6-digit code of your authenticator app."), code="invalid"
        )


# --- Step-up (api/sessions/stepup.py) --------------------------------------------------------


class ReauthenticateSerializer(serializers.Serializer):
    """A credential to prove again: the current password, (with TOTP on) a TOTP or recovery code,
    the browser's answer to `POST /api/user/reauthenticate/passkey/options/`, or the one-time
    code of a step-up at a provider (`POST /api/user/reauthenticate/oidc/`)."""

    password = password_field(required=False)
    code = MfaCodeField(recovery=True, required=False)
    # Its shape is the passkey check's to judge (`second_factor.passkey_use`).
    credential = serializers.DictField(
        required=False,
        write_only=True,
        help_text=_(
            "A passkey's `AuthenticationResponseJSON` (`credential.toJSON()`), answering the options of "
            "`POST /api/user/reauthenticate/passkey/options/`."
        ),
    )

    oidc_code = serializers.CharField(
        required=False,
        write_only=True,
        max_length=64,
        help_text=_(
            "The `code` of the frontend's callback page after `POST /api/user/reauthenticate/oidc/` "
            "(`flow=reauthenticate`): from this session, once, within two minutes."
        ),
    )

    def validate(self, attrs):
        if sum(name in attrs for name in ("password", "code", "credential", "oidc_code")) != 1:
            raise serializers.ValidationError(
                _(
                    "Send one of your password, a code of your authenticator app, a passkey's answer, "
                    "or the code of a sign-in at your provider."
                ),
                code="invalid",
            )
        return attrs


class ReauthTokenSerializer(serializers.Serializer):
    """A step-up token: send it as `X-Reauth-Token` with a sensitive change, from this session."""

    reauth_token = serializers.CharField(read_only=True)
    expires_in = serializers.IntegerField(
        read_only=True, help_text=_("Seconds it stays good (REAUTH_MAX_AGE).")
    )
