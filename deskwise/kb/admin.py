"""The knowledge base in the admin: for reference and for sections.

Articles are written on the desk's pages, where every save is a version; the
admin shows them with their counters and versions read-only, so nothing here
can change an article without leaving a trace.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from deskwise.core.admin_helpers import ReadOnlyAdmin
from deskwise.kb.models import Article, ArticleVersion, Deflection, Section, Vote


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ["name"]


class VersionInline(admin.TabularInline[ArticleVersion, Article]):
    model = ArticleVersion
    fields = ["number", "title", "author", "note", "created_at"]
    readonly_fields = ["number", "title", "author", "note", "created_at"]
    extra = 0
    can_delete = False
    ordering = ["-number"]
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = [
        "title", "section", "visibility", "is_tip", "is_archived", "version", "views",
        "helpful", "unhelpful", "deflections", "review_at", "updated_at",
    ]  # fmt: skip
    list_filter = ["visibility", "is_archived", "is_tip", "section"]
    search_fields = ["title", "slug", "source_path"]
    list_select_related = ["section"]
    readonly_fields = [
        "title", "slug", "section", "tags", "visibility", "is_tip", "owner", "review_at",
        "source_path", "version", "views", "helpful", "unhelpful", "deflections",
        "is_archived", "created_at", "updated_at", "summary", "body",
    ]  # fmt: skip
    inlines = [VersionInline]
    ordering = ["title"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    list_display = ["article", "helpful", "user", "created_at"]
    list_filter = ["helpful"]
    list_select_related = ["article", "user"]
    search_fields = ["article__title"]
    ordering = ["-created_at"]


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ["article", "contact", "query", "created_at"]
    list_select_related = ["article", "contact"]
    search_fields = ["article__title", "query"]
    ordering = ["-created_at"]
