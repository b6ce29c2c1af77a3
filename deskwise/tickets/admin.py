from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.tickets.models import Ticket


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    """Tickets are worked in the desk; the admin lists them for reference."""

    list_display = ["reference", "subject", "status", "priority", "team", "owner", "created_at"]
    list_filter = ["status", "priority", "channel", "team"]
    search_fields = ["subject", "requester__email"]
    list_select_related = ["team", "owner"]
    show_full_result_count = False
    ordering = ["-id"]
