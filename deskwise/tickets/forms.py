from __future__ import annotations

from typing import Any

from django import forms

from deskwise.accounts.models import Team, User
from deskwise.core.forms import AttachmentsField, BodyField, DeskForm, EmailField, LineField
from deskwise.core.text import NAME_MAX, SUBJECT_MAX
from deskwise.tickets.choices import LOGGED_CHANNELS, Impact, Status, Urgency


class ReplyForm(DeskForm):
    body = BodyField(label="Message")
    then = forms.ChoiceField(
        label="Then",
        required=False,
        choices=[("", "Keep status"), (Status.WAITING.value, "Wait for the requester")],
    )
    attachments = AttachmentsField()


class NoteForm(DeskForm):
    body = BodyField(label="Internal note", rows=4)
    attachments = AttachmentsField()


class LogForm(DeskForm):
    channel = forms.ChoiceField(choices=[(c.value, c.label) for c in LOGGED_CHANNELS])
    body = BodyField(label="What was said", rows=4)
    public = forms.BooleanField(required=False, label="The requester can see this log")


class AssignForm(DeskForm):
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Nobody"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Same team"
    )

    def __init__(self, *args: Any, agents: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[a.pk for a in agents or []])  # type: ignore[attr-defined]


class StatusForm(DeskForm):
    to = forms.ChoiceField(
        label="New status",
        choices=[
            (s.value, s.label)
            for s in (Status.OPEN, Status.WAITING, Status.DEFERRED, Status.DECLINED)
        ],
    )
    reason = BodyField(label="Reason", required=False, rows=2, max_length=2000)


class EscalateForm(DeskForm):
    reason = BodyField(label="Why escalate?", rows=3, max_length=2000)
    to_user = forms.ModelChoiceField(
        queryset=User.objects.filter(role__in=["supervisor", "admin"], is_active=True),
        required=False,
        label="To supervisor",
        empty_label="—",
    )
    to_team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, label="To team", empty_label="—"
    )


class ResolveForm(DeskForm):
    resolution = BodyField(label="What solved it", rows=3)


class ReasonForm(DeskForm):
    reason = BodyField(label="Reason", rows=2, max_length=2000)


class OptionalReasonForm(DeskForm):
    reason = BodyField(label="Reason", rows=2, max_length=2000, required=False)


class NewContactTicketForm(DeskForm):
    """A call, walk-up or chat turned into a ticket in under thirty seconds."""

    channel = forms.ChoiceField(
        choices=[(c.value, c.label) for c in LOGGED_CHANNELS],
        widget=forms.RadioSelect,
        initial=LOGGED_CHANNELS[0].value,
    )
    requester_email = EmailField(label="Requester's email")
    requester_name = LineField(label="Name", max_length=NAME_MAX, required=False)
    subject = LineField(label="Subject", max_length=SUBJECT_MAX)
    body = BodyField(label="What they need", rows=4)
    impact = forms.ChoiceField(
        label="Who is affected?",
        choices=Impact.choices,
        initial=Impact.PERSON,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label="What can't they do right now?",
        choices=Urgency.choices,
        initial=Urgency.DEGRADED,
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Default team"
    )
    take = forms.BooleanField(required=False, initial=True, label="I'll handle it")
