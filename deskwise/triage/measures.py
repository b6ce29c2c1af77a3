"""How well triage and the wait estimate do, measured on the desk's own tickets.

Two figures a supervisor watches: how often agents change what automatic
triage applied (per field: a high rate means a rule or the model misleads),
and how far the predicted start of work was from the actual start (the
first response) — the honesty of the wait the desk quoted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, Q

from deskwise.tickets.choices import EventKind
from deskwise.tickets.models import Ticket, TimelineEvent

FIELDS = ("triage_class", "impact", "urgency", "category", "team")
SAMPLE = 10_000  # the most recent tickets measured; enough for stable percentiles


@dataclass(frozen=True)
class OverrideRate:
    field: str
    applied: int  # tickets where automatic triage applied a value
    changed: int  # of those, tickets where an agent changed it

    @property
    def rate(self) -> float | None:
        return self.changed / self.applied if self.applied else None


def override_rates(*, since: dt.datetime, until: dt.datetime) -> list[OverrideRate]:
    """Per field, of the tickets opened in the window whose value triage
    applied, how many an agent changed."""
    opened = Ticket.objects.filter(created_at__gte=since, created_at__lt=until)
    applied = opened.aggregate(
        **{
            name: Count(
                "pk",
                filter=Q(**{f"triage__proposals__{name}__applied": True})
                & Q(**{f"triage__proposals__{name}__source__in": ["rule", "model"]}),
            )
            for name in FIELDS
        }
    )
    changes = TimelineEvent.objects.filter(
        kind=EventKind.TRIAGE,
        actor__isnull=False,
        ticket__created_at__gte=since,
        ticket__created_at__lt=until,
    )
    changed = changes.aggregate(
        **{
            name: Count(
                "ticket_id", distinct=True, filter=Q(**{f"data__changes__{name}__overrode": True})
            )
            for name in FIELDS
        }
    )
    return [OverrideRate(name, applied[name] or 0, changed[name] or 0) for name in FIELDS]


@dataclass(frozen=True)
class StartAccuracy:
    tickets: int
    median_error_hours: float | None
    p90_error_hours: float | None
    late_share: float | None  # work started after the predicted time


def start_accuracy(
    *, since: dt.datetime, until: dt.datetime, team_id: int | None = None
) -> StartAccuracy:
    """Predicted against actual start for the tickets opened in the window that
    have started (the most recent SAMPLE of them)."""
    rows = Ticket.objects.filter(
        created_at__gte=since,
        created_at__lt=until,
        predicted_start_at__isnull=False,
        first_response_at__isnull=False,
    )
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    pairs = [
        (predicted, actual)
        for predicted, actual in rows.order_by("-id").values_list(
            "predicted_start_at", "first_response_at"
        )[:SAMPLE]
        if predicted is not None and actual is not None
    ]
    if not pairs:
        return StartAccuracy(0, None, None, None)
    errors = sorted(abs((actual - predicted).total_seconds()) / 3600 for predicted, actual in pairs)
    late = sum(actual > predicted for predicted, actual in pairs)
    p90 = errors[min(len(errors) - 1, round(0.9 * (len(errors) - 1)))]
    return StartAccuracy(
        tickets=len(pairs),
        median_error_hours=round(statistics.median(errors), 2),
        p90_error_hours=round(p90, 2),
        late_share=round(late / len(pairs), 3),
    )
