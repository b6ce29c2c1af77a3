from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from deskwise.accounts.models import Team, User
from deskwise.core.forms import AttachmentsField, BodyField, DeskForm, EmailField, LineField
from deskwise.core.text import NAME_MAX, SUBJECT_MAX
from deskwise.tickets.choices import LOGGED_CHANNELS, Impact, Priority, Status, TriageClass, Urgency
from deskwise.triage.flags import LABELS
from deskwise.triage.models import Category


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
    override = forms.BooleanField(
        required=False,
        label="Past the agent's limit (supervisors)",
        help_text="Each agent carries a limited number of tickets; a supervisor may decide "
        "that one more is right.",
    )

    def __init__(self, *args: Any, agents: list[User] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=[a.pk for a in agents or []])  # type: ignore[attr-defined]


class StatusForm(DeskForm):
    to = forms.ChoiceField(
        label="New status",
        choices=[(s.value, s.label) for s in (Status.OPEN, Status.WAITING)],
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
    tip: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Add a bonus tip",
        widget=forms.RadioSelect,
        blank=True,
        empty_label="No tip",
        help_text="A short article the requester may like to know, sent with your message.",
    )

    def __init__(self, *args: Any, suggested: Sequence[int] | None = None, **kwargs: Any) -> None:
        """``suggested``: the tips to offer (ids); none offered, no tip field.
        Bound to a POST, any public tip is accepted."""
        super().__init__(*args, **kwargs)
        from deskwise.kb.models import Article
        from deskwise.kb.permissions import shareable

        tips = Article.objects.filter(shareable(), is_tip=True).defer("body", "body_html")
        field = self.fields["tip"]
        field.queryset = tips  # type: ignore[attr-defined]
        if not self.is_bound:
            if not suggested:
                del self.fields["tip"]
                return
            titles = dict(tips.filter(pk__in=suggested).values_list("pk", "title"))
            field.choices = [  # type: ignore[attr-defined]
                ("", "No tip"),
                *((pk, titles[pk]) for pk in suggested if pk in titles),
            ]


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
        choices=[("", "Not sure: let triage propose"), *Impact.choices],
        initial="",
        required=False,
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label="What can't they do right now?",
        choices=[("", "Not sure: let triage propose"), *Urgency.choices],
        initial="",
        required=False,
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Let triage choose"
    )
    take = forms.BooleanField(required=False, initial=True, label="I'll handle it")


class TriageForm(DeskForm):
    triage_class = forms.ChoiceField(
        label="Class", required=False, choices=[("", "—"), *TriageClass.choices]
    )
    impact = forms.ChoiceField(label="Who is affected", choices=Impact.choices)
    urgency = forms.ChoiceField(label="What can't be done", choices=Urgency.choices)
    category = forms.ModelChoiceField(
        queryset=Category.objects.filter(is_active=True), required=False, empty_label="—"
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "From the matrix"), *Priority.choices],
    )
    reason = BodyField(label="Why", rows=2, max_length=2000)


class FlagForm(DeskForm):
    code = forms.ChoiceField(label="Red flag", choices=[(c, LABELS[c]) for c in LABELS])
    on = forms.TypedChoiceField(
        label="",
        coerce=lambda v: v == "raise",
        choices=[("raise", "Raise it"), ("clear", "Clear it")],
        initial="raise",
        widget=forms.RadioSelect,
    )
    reason = BodyField(label="Why", rows=2, max_length=2000)
