"""Django's admin site behind the same door rules as the API: its login checks the password
through the failed-credential limit (`api.sessions.credentials`), asks an account with TOTP on
for its code, and, with `ADMIN_REQUIRE_MFA`, lets no staff account without a second factor in."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from api.core import security_log
from api.mfa import services as mfa
from api.mfa.errors import WrongCode
from api.sessions import credentials
from api.sessions.login_devices import known_device

THROTTLED = _("Too many failed attempts. Try again later.")


class AdminLoginForm(AdminAuthenticationForm):
    """The admin login: username, password and, for an account with TOTP on, its code."""

    otp_code = forms.CharField(
        label=_("Authenticator code"),
        required=False,
        max_length=64,
        help_text=_("Accounts with two-factor login on: the app's 6-digit code, or a recovery code."),
    )

    def clean(self):
        try:
            super().clean()
        except credentials.TooManyFailures:
            raise ValidationError(THROTTLED, code="throttled") from None
        user = self.user_cache
        if user.mfa_enabled:
            self._check_code(user)
        elif settings.ADMIN_REQUIRE_MFA:
            raise ValidationError(
                _("Turn on two-factor login for this account (through the API) before using the admin."),
                code="mfa_not_enabled",
            )
        security_log.record_login(
            user=user, request=self.request, detail="admin", known_device=known_device(self.request, user)
        )
        return self.cleaned_data

    def _check_code(self, user) -> None:
        code = self.cleaned_data.get("otp_code") or ""
        if not code.strip():
            raise ValidationError(_("Enter the code of your authenticator app."), code="mfa_required")
        try:
            with credentials.attempt_by(self.request, user):
                mfa.code_use(user=user, code=code)
        except credentials.TooManyFailures:
            raise ValidationError(THROTTLED, code="throttled") from None
        except WrongCode:
            raise ValidationError(_("Wrong or already used code."), code="invalid_code") from None


class AdminPasswordChangeForm(PasswordChangeForm):
    """The admin's own password change: the old password is checked through the failure limit."""

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not credentials.password_is_right(request=None, user=self.user, password=old_password):
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class AdminSite(admin.AdminSite):
    """The project's admin site (`api.apps.AdminConfig` makes it `admin.site`)."""

    login_form = AdminLoginForm
    password_change_form = AdminPasswordChangeForm

    def has_permission(self, request) -> bool:
        # Also for a session that logged in before ADMIN_REQUIRE_MFA was turned on.
        user = request.user
        return super().has_permission(request) and (user.mfa_enabled or not settings.ADMIN_REQUIRE_MFA)
