from __future__ import annotations

from django import forms

from deskwise.core.forms import AttachmentsField, BodyField, DeskForm, LineField
from deskwise.core.text import SUBJECT_MAX
from deskwise.tickets.choices import Impact, Urgency


class RequestForm(DeskForm):
    subject = LineField(
        label="In a few words, what do you need?",
        max_length=SUBJECT_MAX,
        widget=forms.TextInput(
            attrs={"placeholder": "e.g. The printer on floor 2 jams on every page"}
        ),
    )
    description = BodyField(
        label="Tell us more",
        help_text="What were you doing, what did you expect, and what happened instead? "
        "Since when? Any error message?",
        rows=7,
    )
    impact = forms.ChoiceField(
        label="Who is affected?",
        choices=Impact.choices,
        initial=Impact.PERSON,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label="What can't you do right now?",
        choices=Urgency.choices,
        initial=Urgency.DEGRADED,
        widget=forms.RadioSelect,
    )
    attachments = AttachmentsField(label="Screenshots or files")


class MessageForm(DeskForm):
    body = BodyField(label="Add a message", rows=4)
    attachments = AttachmentsField()


class ConfirmForm(DeskForm):
    solved = forms.TypedChoiceField(
        choices=[("yes", "Yes, it's solved"), ("no", "No, it's not solved")],
        coerce=lambda v: v == "yes",
    )
    comment = BodyField(label="Anything to add?", rows=2, max_length=5000, required=False)
