from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from api.models import Note, TokenFamily, User

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
