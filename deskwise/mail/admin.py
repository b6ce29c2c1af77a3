"""Mailboxes, with their credential entered write-only, and the received mail
with the "unprocessed mail" an admin retries or discards."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from deskwise.accounts.models import User
from deskwise.core.errors import ServiceError
from deskwise.mail.choices import InboundStatus
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.services import inbound_discard, inbound_retry, mailbox_set_secret


class MailboxForm(forms.ModelForm):
    secret = forms.CharField(
        label="Password or access token",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again. Leave empty to keep the current one.",
    )

    class Meta:
        model = Mailbox
        fields = [
            "name", "team", "kind", "address", "is_active", "host", "port", "security",
            "username", "auth", "folder", "move_to", "path",
        ]  # fmt: skip


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["name", "address", "team", "kind", "is_active", "last_polled_at", "status"]
    list_filter = ["kind", "is_active", "team"]
    readonly_fields = ["last_polled_at", "last_error"]

    @admin.display(description="Last poll")
    def status(self, obj: Mailbox) -> str:
        return f"error: {obj.last_error[:80]}" if obj.last_error else "ok"

    def save_model(self, request: HttpRequest, obj: Mailbox, form: Any, change: bool) -> None:
        obj.address = obj.address.strip().lower()
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("secret"):
            mailbox_set_secret(mailbox=obj, secret=form.cleaned_data["secret"])


class StatusFilter(admin.SimpleListFilter):
    """Opens on what needs an admin: the unprocessed mail."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in InboundStatus] + [("all", "All")]

    def choices(self, changelist: Any) -> Any:
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or InboundStatus.FAILED) == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value() or InboundStatus.FAILED
        return queryset if value == "all" else queryset.filter(status=value)


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_address", "subject", "status", "outcome", "ticket_link"]
    list_filter = [StatusFilter, "outcome", "mailbox"]
    search_fields = ["from_address", "subject", "message_id"]
    exclude = ["raw", "html"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields if f.name not in {"raw", "html"}]
    actions = ["retry", "discard"]
    show_full_result_count = False
    ordering = ["-received_at"]

    @admin.display(description="Ticket")
    def ticket_link(self, obj: InboundMessage) -> str:
        if not obj.ticket_id:
            return "—"
        return format_html('<a href="/desk/tickets/{}/">DW-{}</a>', obj.ticket_id, obj.ticket_id)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:  # type: ignore[override]
        # Actions are offered although rows are read-only: each is a service.
        actions = super().get_actions(request)
        return actions if getattr(request.user, "is_desk_admin", False) else {}

    def _each(self, request: HttpRequest, queryset: QuerySet[InboundMessage], run: Any) -> None:
        actor = request.user
        assert isinstance(actor, User)
        done = 0
        for inbound in queryset[:500]:
            try:
                run(inbound=inbound, actor=actor)
                done += 1
            except ServiceError as exc:
                self.message_user(request, f"{inbound}: {exc.message}", messages.WARNING)
        self.message_user(request, f"{done} message(s) handled.", messages.SUCCESS)

    @admin.action(description="Process the selected messages again")
    def retry(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        self._each(request, queryset, inbound_retry)

    @admin.action(description="Discard the selected messages (kept, no longer listed)")
    def discard(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        self._each(request, queryset, inbound_discard)
