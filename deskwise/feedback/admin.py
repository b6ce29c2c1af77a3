"""The closing questions in the admin, for reference only.

Surveys are sent and answered, and follow-ups closed, through the services
(each leaves a timeline event); the admin shows them and changes nothing.
The token's hash is not shown.
"""

from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.feedback.models import FollowUp, Survey


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = [
        "ticket", "sent_at", "expires_at", "answered_at", "solved", "satisfaction", "agent",
        "team", "category",
    ]  # fmt: skip
    list_filter = ["solved", "satisfaction", "team"]
    list_select_related = ["ticket", "agent", "team", "category"]
    search_fields = ["ticket__subject", "requester__email", "better"]
    exclude = ["token_hash"]
    raw_id_fields = ["ticket", "requester", "event"]
    date_hierarchy = "sent_at"
    show_full_result_count = False
    ordering = ["-sent_at"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["survey", "reason", "status", "supervisor", "team", "created_at", "done_at"]
    list_filter = ["status", "team"]
    list_select_related = ["survey", "supervisor", "team"]
    search_fields = ["reason", "note", "survey__ticket__subject"]
    raw_id_fields = ["survey"]
    show_full_result_count = False
    ordering = ["-created_at"]
