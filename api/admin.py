from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction

from api.models import Note, OutboxMessage, SecurityEvent, TokenFamily, User
from api.sessions.login_methods import PASSWORD, LastWayToLogIn, keep_a_way_in


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form: disabling the password is refused when it is the account's
    last way to log in (`api.sessions.login_methods`), as the API's removals are."""

    def _disables(self) -> bool:
        return self.cleaned_data.get("set_usable_password") is False

    def clean(self):
        cleaned = super().clean()
        if self._disables():
            try:
                with transaction.atomic():
                    keep_a_way_in(user=self.user, without=PASSWORD)
            except LastWayToLogIn as refused:
                # On the field: the admin's password page shows no form-wide errors.
                self.add_error(
                    "usable_password", ValidationError(str(refused.detail), code="last_login_method")
                )
        return cleaned

    def save(self, commit=True):
        # Checked again under the lock the write holds: a passkey or link removed since clean().
        with transaction.atomic():
            if self._disables() and commit:
                keep_a_way_in(user=self.user, without=PASSWORD)
            return super().save(commit=commit)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordChangeForm


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "created_at", "updated_at"]
    list_select_related = ["author"]
    search_fields = ["title", "author__username"]
    raw_id_fields = ["author"]


@admin.register(TokenFamily)
class TokenFamilyAdmin(admin.ModelAdmin):
    """Login sessions; revoking one here logs that device out at its next refresh."""

    list_display = ["id", "user", "created_at", "rotated_at", "expires_at", "revoked_at"]
    list_select_related = ["user"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "created_at", "expires_at", "current_jti", "previous_jti", "rotated_at"]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security log of every account: read only, as the owners see their own."""

    list_display = ["created_at", "user", "kind", "detail", "ip"]
    list_select_related = ["user"]
    list_filter = ["kind"]
    search_fields = ["user__username", "ip"]
    raw_id_fields = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Mail waiting, sent or given up; its text holds links, so it is not shown."""

    list_display = ["created_at", "kind", "user_id", "attempts", "sent_at", "failed_at", "last_error"]
    list_filter = ["kind"]
    fields = list_display

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
