"""Where admins write the canned responses and the language bank.

The body's help lists every variable with what it holds, so an admin writing a
template knows what can be filled in without looking it up; ``clean()`` on the
models refuses typos and stray braces before a requester ever sees them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Field
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join

from deskwise.responses.models import LanguagePhrase, ResponseTemplate
from deskwise.responses.render import VARIABLES


def variables_help(intro: str) -> str:
    """The variables as an HTML list for a field's help (Django shows help as HTML)."""
    items = format_html_join(
        "",
        "<li><code>{{{{ {} }}}}</code>: {}</li>",
        ((name, text) for name, text in VARIABLES.items()),
    )
    return format_html(
        "{} A variable without a value shows as [name?] in the preview.<ul>{}</ul>",
        intro,
        items,
    )


class VariablesHelpAdmin(admin.ModelAdmin):
    """Puts the list of variables under one text field of the admin form."""

    help_field = ""
    help_intro = ""

    def formfield_for_dbfield(
        self, db_field: Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name == self.help_field:
            formfield.help_text = variables_help(self.help_intro)
        return formfield


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(VariablesHelpAdmin):
    list_display = ["name", "purpose", "order", "is_active", "updated_at"]
    list_filter = ["purpose", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name", "body"]
    fields = ["name", "purpose", "body", "order", "is_active"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 18, "cols": 90})}
    }
    help_field = "body"
    help_intro = "Plain text, filled in when an agent uses the template. You can use:"


@admin.register(LanguagePhrase)
class LanguagePhraseAdmin(VariablesHelpAdmin):
    list_display = ["text", "step", "order", "is_active"]
    list_filter = ["step", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["text"]
    fields = ["step", "text", "order", "is_active"]
    help_field = "text"
    help_intro = "One or two sentences for the defer/decline dialog. You can use:"
