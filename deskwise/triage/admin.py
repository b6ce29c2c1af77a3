"""Triage as admins shape it: the matrix, categories, rules, the catalogue of
supported products, the phrases behind red flags, and the trained models."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.triage import flags, priority, rules
from deskwise.triage.models import (
    Category,
    FlagPhrase,
    PriorityCell,
    Product,
    TriageModel,
    TriageRule,
)


class ForgetOnSave(admin.ModelAdmin):
    """The process that saves sees the change at once; the others within a minute."""

    forget: Any = None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.forget()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        self.forget()


@admin.register(PriorityCell)
class PriorityCellAdmin(ForgetOnSave):
    list_display = ["impact", "urgency", "priority"]
    list_editable = ["priority"]
    forget = staticmethod(priority.matrix.forget)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the nine cells exist from the start

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "is_active"]
    list_filter = ["is_active", "team"]
    search_fields = ["name"]


@admin.register(TriageRule)
class TriageRuleAdmin(ForgetOnSave):
    list_display = ["name", "field", "value", "confidence", "is_active", "order"]
    list_filter = ["field", "is_active"]
    list_editable = ["is_active", "order"]
    search_fields = ["name", "phrases"]
    forget = staticmethod(rules.compiled_rules.forget)


@admin.register(Product)
class ProductAdmin(ForgetOnSave):
    list_display = ["name", "supported", "note"]
    list_filter = ["supported"]
    search_fields = ["name", "aliases"]
    forget = staticmethod(flags.forget)


@admin.register(FlagPhrase)
class FlagPhraseAdmin(ForgetOnSave):
    list_display = ["phrase", "kind", "team", "note"]
    list_filter = ["kind", "team"]
    search_fields = ["phrase"]
    forget = staticmethod(flags.forget)


@admin.register(TriageModel)
class TriageModelAdmin(ReadOnlyAdmin):
    list_display = ["field", "version", "trained_at", "samples", "is_active", "metrics"]
    list_filter = ["field", "is_active"]
    exclude = ["data"]
