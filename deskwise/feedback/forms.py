"""The closing questions as a form, the report's filters, and the follow-up note."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from deskwise.accounts.models import Team
from deskwise.core.forms import BodyField, DeskForm
from deskwise.feedback.models import RATING_MAX, RATING_MIN
from deskwise.feedback.services import BETTER_MAX, NOTE_MAX

SOLVED_CHOICES = [("yes", "Yes, it's solved"), ("no", "No, it isn't")]
RATING_WORDS = {
    1: "Very dissatisfied",
    2: "Dissatisfied",
    3: "Neither",
    4: "Satisfied",
    5: "Very satisfied",
}
RATING_CHOICES = [(str(n), f"{n} · {RATING_WORDS[n]}") for n in range(RATING_MIN, RATING_MAX + 1)]


def _yes_no(value: str) -> bool:
    return value == "yes"


class SurveyForm(DeskForm):
    solved = forms.TypedChoiceField(
        label="Is your problem solved?",
        choices=SOLVED_CHOICES,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Answer yes or no."},
    )
    satisfaction = forms.TypedChoiceField(
        label="How satisfied are you with how we handled it?",
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": f"Choose a number from {RATING_MIN} to {RATING_MAX}.",
        },
    )
    better = BodyField(
        label="Anything we could have done better?",
        max_length=BETTER_MAX,
        rows=4,
        required=False,
    )

    @staticmethod
    def initial_from(query: QueryDict) -> dict[str, Any]:
        """The answer a one-click link in the mail chose (``?solved=yes&rating=4``);
        anything else in the query is ignored."""
        initial: dict[str, Any] = {}
        solved = query.get("solved", "")
        if solved in {"yes", "no"}:
            initial["solved"] = solved
        rating = query.get("rating", "")
        if rating in {value for value, _ in RATING_CHOICES}:
            initial["satisfaction"] = rating
        return initial


class ReportFilterForm(DeskForm):
    since = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Until", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="Every team I may see"
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        """``teams``: those whose figures the user may see."""
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def values(self) -> tuple[dt.date | None, dt.date | None, int | None]:
        d = self.cleaned_data if self.is_valid() else {}
        team = d.get("team")
        return d.get("since"), d.get("until"), team.pk if team else None


class FollowUpDoneForm(DeskForm):
    note = BodyField(label="What you did", max_length=NOTE_MAX, rows=3)
