"""The defer/decline dialog, the off-channel form and the register filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms

from deskwise.accounts.models import Team
from deskwise.core.forms import BodyField, DeskForm, EmailField, LineField
from deskwise.outcomes.models import DecisionKind, DecisionReason, Where
from deskwise.responses.models import ResponseTemplate
from deskwise.triage.models import Category


def parse_alternatives(text: str) -> list[dict[str, str]]:
    """One alternative per line: words, optionally "| https://address"."""
    found = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-• ").strip()
        if not line:
            continue
        label, _, url = (part.strip() for part in line.partition("|"))
        if not url and label.startswith(("http://", "https://")):
            label, url = label, label
        found.append(
            {"kind": "link" if url else "text", "label": label, **({"url": url} if url else {})}
        )
    return found


class DecisionForm(DeskForm):
    """Reason, explanation, alternatives, date; then the reply, previewed from a
    template and edited before it is sent."""

    reason = forms.ModelChoiceField(queryset=DecisionReason.objects.none(), label="Reason")
    explanation = BodyField(label="Explanation", rows=3, max_length=5000, required=False)
    alternatives = forms.CharField(
        label="Alternatives offered",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line; add “| https://…” for a link.",
    )
    articles: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Articles that may help",
        widget=forms.CheckboxSelectMultiple,
        help_text="Ticked ones are offered as alternatives, with their links.",
    )
    other_team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, label="Or point them to another team"
    )
    expected_date = forms.DateField(
        label="Expected date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the desk expects to have time for it (from the wait estimate).",
    )
    template = forms.ModelChoiceField(
        queryset=ResponseTemplate.objects.none(), required=False, label="Reply template"
    )
    message = BodyField(label="The reply", rows=12, required=False)

    def __init__(self, *args: Any, kind: str, suggested: Sequence[int] = (), **kwargs: Any) -> None:
        """``suggested``: the articles to offer (ids, likeliest first). Any
        public article is accepted; the boxes shown are the suggested ones and
        any already ticked."""
        super().__init__(*args, **kwargs)
        from deskwise.kb.models import Article
        from deskwise.kb.permissions import shareable
        from deskwise.outcomes.selectors import reasons
        from deskwise.responses.selectors import templates_for

        ticked = (
            [int(v) for v in self.data.getlist("articles") if v.isdigit()][:20]
            if (self.is_bound and hasattr(self.data, "getlist"))
            else []
        )
        shown = list(dict.fromkeys([*suggested, *ticked]))
        if not shown:
            del self.fields["articles"]
        else:
            articles = Article.objects.filter(shareable()).only("title", "slug")
            titles = dict(articles.filter(pk__in=shown).values_list("pk", "title"))
            field = self.fields["articles"]
            field.queryset = articles  # type: ignore[attr-defined]
            field.choices = [(pk, titles[pk]) for pk in shown if pk in titles]  # type: ignore[attr-defined]

        self.kind = kind
        self.fields["reason"].queryset = DecisionReason.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in reasons(kind)]
        )
        self.fields["template"].queryset = ResponseTemplate.objects.filter(  # type: ignore[attr-defined]
            pk__in=[t.pk for t in templates_for(kind)]
        )
        if kind == DecisionKind.DECLINE:
            del self.fields["expected_date"]

    def offered(self) -> list[dict[str, str]]:
        from django.conf import settings

        items = parse_alternatives(self.cleaned_data.get("alternatives") or "")
        for article in self.cleaned_data.get("articles") or ():
            url = f"{settings.BASE_URL}{article.get_absolute_url()}"
            items.append({"kind": "article", "label": article.title, "url": url})
        team = self.cleaned_data.get("other_team")
        if team is not None:
            contact = f" ({team.email})" if team.email else ""
            items.append({"kind": "team", "label": f"The {team.name} team{contact}"})
        return items


class OffChannelForm(DeskForm):
    requester_email = EmailField(label="Who asked (email)")
    requester_name = LineField(label="Name", max_length=200, required=False)
    what = BodyField(label="What they asked", rows=4, max_length=10_000)
    where = forms.ChoiceField(
        label="Where", choices=Where.choices, widget=forms.RadioSelect, initial=Where.HALLWAY
    )
    outcome = forms.ChoiceField(
        label="Then",
        choices=[
            ("ticket", "Log it as a ticket for them now"),
            ("invite", "Ask them to submit a ticket (a friendly email with a pre-filled link)"),
        ],
        widget=forms.RadioSelect,
        initial="ticket",
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Let triage choose"
    )


class RegisterFilterForm(DeskForm):
    kind = forms.ChoiceField(
        choices=[("", "Deferrals and declines"), *DecisionKind.choices], required=False
    )
    reason = forms.ModelChoiceField(
        queryset=DecisionReason.objects.all(), required=False, empty_label="Any reason"
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.all(), required=False, empty_label="Any team"
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.all(), required=False, empty_label="Any category"
    )
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(required=False, max_length=200, label="Words")

    def filters(self) -> Any:
        from zoneinfo import ZoneInfo

        from django.conf import settings

        from deskwise.outcomes.selectors import RegisterFilters

        d = self.cleaned_data if self.is_valid() else {}
        tz = ZoneInfo(settings.TIME_ZONE)

        def moment(day: dt.date | None, *, end: bool = False) -> dt.datetime | None:
            if day is None:
                return None
            if end:
                day = day + dt.timedelta(days=1)
            return dt.datetime.combine(day, dt.time(), tzinfo=tz)

        return RegisterFilters(
            kind=d.get("kind") or "",
            reason_id=d["reason"].pk if d.get("reason") else None,
            team_id=d["team"].pk if d.get("team") else None,
            category_id=d["category"].pk if d.get("category") else None,
            since=moment(d.get("since")),
            until=moment(d.get("until"), end=True),
            text=(d.get("q") or "").strip(),
        )


class CaseForm(DeskForm):
    title = LineField(label="Title", max_length=200)
    fix_kind = forms.ChoiceField(
        label="The fix",
        choices=[
            ("documentation", "Documentation"),
            ("training", "Training"),
            ("upgrade", "An upgrade"),
            ("policy", "A policy change"),
        ],
    )
    proposal = BodyField(label="The proposal", rows=5, max_length=10_000)
    hours = forms.FloatField(
        label="Hours each request takes", required=False, min_value=0, max_value=1000
    )
