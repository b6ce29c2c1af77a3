"""The forms of the time panel: a quick amount, and an entry typed in."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from deskwise.core.forms import DeskForm, LineField
from deskwise.timelog.models import MAX_MINUTES
from deskwise.timelog.permissions import desk_today
from deskwise.timelog.selectors import QUICK_MINUTES
from deskwise.timelog.services import NOTE_MAX

_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_WORDS = re.compile(
    r"^(?:(\d{1,2})\s*h(?:ours?|rs?)?)?\s*(?:(\d{1,4})\s*(?:m(?:in(?:utes?|s)?)?)?)?$"
)


def parse_duration(value: str) -> int | None:
    """``90``, ``1:30``, ``1h30``, ``1h 30m``, ``45m`` -> minutes; None when not understood."""
    text = value.strip().lower()
    if not text:
        return None
    if text.isdigit():
        return int(text[:6])
    found = _CLOCK.match(text)
    if found:
        return int(found.group(1)) * 60 + int(found.group(2))
    found = _WORDS.match(text)
    if found and (found.group(1) or found.group(2)):
        return int(found.group(1) or 0) * 60 + int(found.group(2) or 0)
    return None


class DurationField(forms.CharField):
    """Minutes, or hours and minutes as h:mm."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "25 or 1:30"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int:
        text = super().clean(value)
        minutes = parse_duration(text)
        if minutes is None:
            raise forms.ValidationError("Give minutes (25) or hours and minutes (1:30).")
        if minutes < 1:
            raise forms.ValidationError("Log at least 1 minute.")
        if minutes > MAX_MINUTES:
            raise forms.ValidationError("One entry holds at most a day (24:00).")
        return minutes


class QuickForm(DeskForm):
    minutes = forms.TypedChoiceField(
        choices=[(str(m), f"+{m} min") for m in QUICK_MINUTES], coerce=int
    )


class ManualForm(DeskForm):
    minutes = DurationField(label="Time", help_text="Minutes, or h:mm.")
    work_date = forms.DateField(
        label="Day",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = LineField(label="Note", max_length=NOTE_MAX, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "time-%s")  # ids apart from the ticket page's forms
        super().__init__(*args, **kwargs)
        self.fields["work_date"].initial = desk_today()
        self.fields["work_date"].widget.attrs["max"] = desk_today().isoformat()
