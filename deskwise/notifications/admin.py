from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """The outbox: what was sent, what is waiting, what failed and why."""

    list_display = ["created_at", "template", "subject", "status", "attempts", "ticket"]
    list_filter = ["status", "template"]
    search_fields = ["subject", "message_id"]
    exclude = ["context"]
    show_full_result_count = False
    ordering = ["-id"]
