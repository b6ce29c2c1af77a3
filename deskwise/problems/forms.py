"""The forms of the problem pages: a problem, the search, linking a ticket, a
root cause from the ticket page, and a problem from a recurring cluster."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from deskwise.accounts.choices import STAFF_ROLES
from deskwise.accounts.models import Team, User
from deskwise.core.forms import BodyField, DeskForm, LineField
from deskwise.problems.models import ProblemStatus
from deskwise.problems.permissions import sees_all
from deskwise.problems.services import MAX_LINKED_AT_ONCE, TEXT_MAX, TITLE_MAX
from deskwise.tickets.permissions import team_ids

_TICKET = re.compile(r"^\s*(?:DW-?)?(\d{1,18})\s*$", re.IGNORECASE)


class ProblemForm(DeskForm):
    title = LineField(label="Title", max_length=TITLE_MAX)
    symptoms = BodyField(
        label="Symptoms",
        rows=4,
        max_length=TEXT_MAX,
        help_text="What people notice: how the incidents look to them.",
    )
    root_cause = BodyField(label="Root cause", rows=3, max_length=TEXT_MAX, required=False)
    workaround = BodyField(
        label="Workaround",
        rows=3,
        max_length=TEXT_MAX,
        required=False,
        help_text="What helps until it is fixed; shown on the tickets it explains.",
    )
    permanent_fix = BodyField(label="Permanent fix", rows=3, max_length=TEXT_MAX, required=False)
    status = forms.ChoiceField(
        label="Status",
        choices=ProblemStatus.choices,
        initial=ProblemStatus.INVESTIGATING,
        help_text="A known error needs its root cause and a workaround; fixed needs the "
        "permanent fix.",
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), label="Team")
    owner = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Owner", required=False, empty_label="Nobody yet"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = Team.objects.all()
        if not sees_all(user):
            teams = teams.filter(pk__in=sorted(team_ids(user)))
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        agents = User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES))
        self.fields["owner"].queryset = agents.order_by(  # type: ignore[attr-defined]
            "first_name", "last_name", "username"
        )


class SearchForm(DeskForm):
    q = forms.CharField(label="Words", required=False, max_length=200)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ProblemStatus.choices]
    )

    def clean_q(self) -> str:
        value = self.cleaned_data.get("q") or ""
        return LineField(max_length=200, required=False, label="Words").clean(value)


def ticket_number(value: str) -> int | None:
    found = _TICKET.match(value or "")
    return int(found.group(1)) if found else None


class LinkForm(DeskForm):
    ticket = LineField(label="Ticket", max_length=40, help_text="Its reference, e.g. DW-1042.")

    def clean_ticket(self) -> int:
        number = ticket_number(self.cleaned_data.get("ticket") or "")
        if number is None or number < 1:
            raise forms.ValidationError("Give a ticket's reference, such as DW-1042.")
        return number


class LinkProblemForm(DeskForm):
    problem = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


class RootCauseForm(DeskForm):
    root_cause = BodyField(label="Root cause", rows=3, max_length=TEXT_MAX)
    create_problem = forms.BooleanField(
        label="Also create a problem from it", required=False, initial=False
    )
    title = LineField(
        label="Problem title", max_length=TITLE_MAX, required=False, help_text="Empty: the subject."
    )
    workaround = BodyField(
        label="Workaround",
        rows=2,
        max_length=TEXT_MAX,
        required=False,
        help_text="With a workaround the problem is a known error at once.",
    )
    link_similar = forms.BooleanField(
        label="Link the similar incidents to the problem too", required=False, initial=True
    )


class ProposalForm(DeskForm):
    title = LineField(label="Title", max_length=TITLE_MAX)
    incidents = forms.CharField(widget=forms.HiddenInput, max_length=20 * MAX_LINKED_AT_ONCE)

    def clean_incidents(self) -> list[int]:
        raw = (self.cleaned_data.get("incidents") or "").split(",")
        try:
            found = [int(part) for part in raw if part.strip()]
        except ValueError:
            raise forms.ValidationError("The incidents were not understood.") from None
        if not found or any(pk < 1 or pk > 2**63 - 1 for pk in found):
            raise forms.ValidationError("The incidents were not understood.")
        if len(found) > MAX_LINKED_AT_ONCE:
            raise forms.ValidationError(f"Link at most {MAX_LINKED_AT_ONCE} incidents at once.")
        return found
