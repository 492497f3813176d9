from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from api.models import Note, OutboxMessage, SecurityEvent, TokenFamily, User

admin.site.register(User, UserAdmin)


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
