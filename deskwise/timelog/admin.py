"""Time on tickets in the admin, for reference: entries are logged on the
ticket page and through the API, where each is documented on the ticket's
timeline, so the admin only looks."""

from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.timelog.models import TimeEntry, Timer


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "agent", "minutes", "work_date", "source", "created_at"]
    list_filter = ["source"]
    list_select_related = ["ticket", "agent"]
    raw_id_fields = ["ticket", "agent"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]


@admin.register(Timer)
class TimerAdmin(ReadOnlyAdmin):
    list_display = ["agent", "ticket", "started_at"]
    list_select_related = ["ticket", "agent"]
    raw_id_fields = ["ticket", "agent"]
