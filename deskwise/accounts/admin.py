"""The admin for the desk's configuration: teams, people, roles and tokens.

Tickets are never edited here (their changes go through the ticket
services, with a timeline); people and teams are configuration.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from deskwise.accounts.choices import Role
from deskwise.accounts.models import ApiToken, Contact, Membership, Team, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "joined_at"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "is_default", "auto_assign"]
    search_fields = ["name", "email"]
    fields = [
        "name", "slug", "description", "email", "is_default", "auto_assign",
        "working_hours", "time_zone", "holiday_country",
    ]  # fmt: skip
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name"]
    autocomplete_fields = ["contact"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email", "contact")}),
        ("Role", {"fields": ("role", "is_active")}),
        ("Capacity", {"fields": ("wip_limit", "working_hours", "time_zone")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "role", "password1", "password2")}),
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # The role decides admin access, so the two can never disagree.
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        obj.email = obj.email.strip().lower()
        super().save_model(request, obj, form, change)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "organisation", "is_technical", "created_at"]
    list_filter = ["is_technical"]
    search_fields = ["email", "name", "organisation"]
    readonly_fields = ["created_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owner (`deskwise token create`) and shown
    once; here they can only be seen and revoked."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
