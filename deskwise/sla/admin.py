"""Service levels in the admin: policies and the desk's holidays to edit,
breaches to read."""

from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.sla.models import Breach, Holiday, SlaPolicy


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin[SlaPolicy]):
    list_display = [
        "name", "priority", "team", "first_response_minutes", "resolution_minutes",
        "business_hours", "warn_percent", "pause_when_waiting", "pause_when_deferred", "is_active",
    ]  # fmt: skip
    list_filter = ["priority", "team", "is_active", "business_hours"]
    fieldsets = [
        (None, {"fields": ["name", "priority", "team", "is_active"]}),
        ("Targets", {"fields": ["first_response_minutes", "resolution_minutes", "warn_percent"]}),
        ("The clock", {"fields": ["business_hours", "pause_when_waiting", "pause_when_deferred"]}),
    ]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin[Holiday]):
    list_display = ["date", "name", "team"]
    list_filter = ["team"]
    date_hierarchy = "date"


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "target", "due_at", "noticed_at", "team", "priority"]
    list_filter = ["target", "team", "priority"]
    date_hierarchy = "noticed_at"
