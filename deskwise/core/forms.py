"""Form fields that apply the desk's text rules and upload limits."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms.renderers import Jinja2

from deskwise.core.files import human_size, safe_filename
from deskwise.core.text import BODY_MAX, clean_body, clean_email, clean_line

# One renderer for every form: it holds the compiled widget templates.
Jinja2FormRenderer = Jinja2()


class LineField(forms.CharField):
    def __init__(self, *, max_length: int, **kwargs: Any) -> None:
        super().__init__(max_length=max_length, strip=True, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_line(
            value,
            label=str(self.label or "This field"),
            max_length=self.max_length or 0,
            required=self.required,
        )


class BodyField(forms.CharField):
    def __init__(self, *, max_length: int = BODY_MAX, rows: int = 6, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, strip=False, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_body(
            value,
            label=str(self.label or "This field"),
            max_length=self.max_length or BODY_MAX,
            required=self.required,
        )


class EmailField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.EmailInput(attrs={"autocomplete": "email"}))
        super().__init__(max_length=254, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return clean_email(value, label=str(self.label or "Email address"), required=self.required)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Several files at once, each within the desk's size limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "Attachments")
        limit = human_size(settings.DESKWISE_MAX_ATTACHMENT_BYTES)
        kwargs.setdefault(
            "help_text",
            f"Up to {settings.DESKWISE_MAX_ATTACHMENTS} files, {limit} each.",
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(AttachmentsField, self).clean(f, initial) for f in files]
        files = [f for f in files if f]
        limit = settings.DESKWISE_MAX_ATTACHMENT_BYTES
        if len(files) > settings.DESKWISE_MAX_ATTACHMENTS:
            raise forms.ValidationError(
                f"{len(files)} files were attached; at most {settings.DESKWISE_MAX_ATTACHMENTS} "
                "can be added at once."
            )
        for f in files:
            if f.size > limit:
                raise forms.ValidationError(
                    f"{safe_filename(f.name)} is {human_size(f.size)}; the limit is "
                    f"{human_size(limit)} per file."
                )
        return files


class DeskForm(forms.Form):
    """Our forms render their widgets with Jinja2, like the pages around them
    (the admin keeps Django's renderer)."""

    default_renderer = Jinja2FormRenderer

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels read as labels, not "Message:"
        super().__init__(*args, **kwargs)
