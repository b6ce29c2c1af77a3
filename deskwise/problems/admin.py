"""Problems in the admin, for reference: they are written on the desk's pages
and through the API, where every change is recorded in the problem's history,
so the admin only looks."""

from __future__ import annotations

from django.contrib import admin

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.problems.models import Problem, ProblemEvent, ProblemIncident


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "status", "team", "owner", "updated_at"]
    list_filter = ["status", "team"]
    search_fields = ["title", "symptoms", "root_cause", "workaround"]
    list_select_related = ["team", "owner"]
    show_full_result_count = False
    ordering = ["-updated_at", "-id"]


@admin.register(ProblemIncident)
class ProblemIncidentAdmin(ReadOnlyAdmin):
    list_display = ["problem", "ticket", "linked_by", "linked_at"]
    list_select_related = ["problem", "ticket", "linked_by"]
    search_fields = ["problem__title", "ticket__subject"]
    show_full_result_count = False
    ordering = ["-linked_at", "-id"]


@admin.register(ProblemEvent)
class ProblemEventAdmin(ReadOnlyAdmin):
    list_display = ["problem", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["problem", "actor"]
    show_full_result_count = False
    ordering = ["-created_at", "-id"]
