"""The reply coach in the admin: the jargon list, each team's switches, and
the records of sent replies (read only: the coach writes them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from deskwise.coach import services
from deskwise.coach.checks import CHECKS
from deskwise.coach.models import CoachRecord, JargonTerm, TeamCoachSettings
from deskwise.core.admin_helpers import ReadOnlyAdmin


class ForgetOnSave(admin.ModelAdmin):
    """The process that saves sees the change at once; the others within a minute."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        services.forget()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        services.forget()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        services.forget()


@admin.register(JargonTerm)
class JargonTermAdmin(ForgetOnSave):
    list_display = ["term", "plain_words", "is_active"]
    list_filter = ["is_active"]
    list_editable = ["is_active"]
    search_fields = ["term", "plain_words"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.forget()  # list_editable saves go through here too


class TeamCoachSettingsForm(forms.ModelForm):
    disabled_checks = forms.MultipleChoiceField(
        choices=list(CHECKS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Checks switched off",
        help_text="The coach does not make these checks on this team's tickets.",
    )

    class Meta:
        model = TeamCoachSettings
        fields = ["team", "disabled_checks"]


@admin.register(TeamCoachSettings)
class TeamCoachSettingsAdmin(ForgetOnSave):
    form = TeamCoachSettingsForm
    list_display = ["team", "switched_off"]
    list_select_related = ["team"]

    @admin.display(description="Checks switched off")
    def switched_off(self, obj: TeamCoachSettings) -> str:
        codes = obj.disabled_checks if isinstance(obj.disabled_checks, list) else []
        return ", ".join(CHECKS.get(str(code), str(code)) for code in codes) or "none"


@admin.register(CoachRecord)
class CoachRecordAdmin(ReadOnlyAdmin):
    list_display = ["event", "ticket", "agent", "team", "purpose", "notes_count", "created_at"]
    list_filter = ["purpose", "team"]
    list_select_related = ["event", "ticket", "agent", "team"]
    raw_id_fields = ["event", "ticket"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    ordering = ["-created_at"]
