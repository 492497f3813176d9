"""The caller's security log: `GET /api/user/security-events/`, newest first (`api.core.security_log`)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.models import SecurityEvent


class SecurityEventSerializer(serializers.ModelSerializer):
    """One event: what (`kind`), where or about what (`detail`), when, and from which client."""

    kind = serializers.CharField(
        read_only=True,
        help_text=_(
            "login, login_failed, login_locked, reauthenticated, password_changed, password_reset, "
            "email_change_requested, email_changed, mfa_enabled, mfa_disabled, "
            "recovery_codes_regenerated, passkey_added, passkey_removed, passkey_clone_suspected, "
            "oidc_linked, oidc_unlinked, session_ended, sessions_ended_all"
        ),
    )

    class Meta:
        model = SecurityEvent
        fields = ["id", "kind", "detail", "created_at", "ip", "user_agent"]
        read_only_fields = fields


class EventPagination(CursorPagination):
    """Pages newest first, as a plain array with an RFC 8288 `Link` header, as the notes list."""

    ordering = ("-created_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        # A 400 as for the notes list's cursor, not DRF's 404: the page exists, the cursor is bad.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": [_("Invalid cursor.")]}, code="invalid_cursor") from None

    def get_paginated_response(self, data):
        links = [
            f'<{url}>; rel="{rel}"'
            for rel, url in (("next", self.get_next_link()), ("prev", self.get_previous_link()))
            if url
        ]
        return Response(data, headers={"Link": ", ".join(links)} if links else None)

    def get_paginated_response_schema(self, schema):
        return schema


class SecurityEvents(generics.ListAPIView):
    """The caller's recent security events (logins, failures, changes, sessions ended), newest first."""

    serializer_class = SecurityEventSerializer
    pagination_class = EventPagination

    def get_queryset(self):
        return SecurityEvent.objects.filter(user_id=self.request.user.pk)
