"""Honest wait estimates from the desk's own queue and history.

``model`` is the pure queue model; this module measures its facts in the
database: the tickets ahead, the team's start rate per working agent-hour and
the arrivals of more urgent work over a rolling window, and the median
handling time in working hours. Rates are cached for a few minutes per team
and priority; the count of tickets ahead is always fresh.

Every new ticket gets an estimate at intake (kept as its first prediction,
``predicted_start_at``, to measure accuracy against ``first_response_at``), and
a sweep keeps the estimates of waiting tickets current as the queue moves.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Q

from deskwise.accounts.models import Team
from deskwise.core import clock
from deskwise.queueing import model
from deskwise.queueing.calendars import team_staffing
from deskwise.sla.targets import target_for
from deskwise.tickets.choices import ACTIVE_STATES
from deskwise.tickets.models import Ticket

WINDOW = dt.timedelta(days=14)
RATES_SECONDS = 300
HANDLING_SAMPLE = 200
MIN_HANDLING = 5


@dataclass(frozen=True)
class Rates:
    starts_per_agent_hour: float | None
    higher_arrivals_per_hour: float
    handling_seconds: float | None


def _waiting(team_id: int) -> Any:
    return Ticket.objects.filter(
        team_id=team_id, status__in=sorted(ACTIVE_STATES), first_response_at__isnull=True
    )


def rates(team: Team, priority: int) -> Rates:
    """The team's measured pace for this priority, over the last two weeks."""
    key = f"wait:rates:{team.pk}:{priority}"
    cached = cache.get(key)
    if cached is not None:
        return Rates(*cached)
    now = clock.now()
    since = now - WINDOW
    staffing, calendar = team_staffing(team)
    recent = Ticket.objects.filter(team_id=team.pk, created_at__gte=since)
    started = recent.filter(first_response_at__isnull=False).count()
    agent_hours = staffing.agent_hours(since, now)
    per_agent_hour = started / agent_hours if started and agent_hours > 0 else None
    higher = recent.filter(priority__lt=priority).count()
    handled = [
        (start, end)
        for start, end in recent.filter(
            priority=priority, resolved_at__isnull=False, first_response_at__isnull=False
        )
        .order_by("-id")
        .values_list("first_response_at", "resolved_at")[:HANDLING_SAMPLE]
        if start is not None and end is not None
    ]
    spans = [calendar.between(start, end).total_seconds() for start, end in handled if end > start]
    handling = statistics.median(spans) if len(handled) >= MIN_HANDLING and spans else None
    result = Rates(per_agent_hour, higher / (WINDOW.total_seconds() / 3600), handling)
    cache.set(key, (result.starts_per_agent_hour, result.higher_arrivals_per_hour,
                    result.handling_seconds), RATES_SECONDS)  # fmt: skip
    return result


def _facts(team: Team, priority: int, ahead: int) -> model.QueueFacts:
    measured = rates(team, priority)
    target = target_for(priority)
    return model.QueueFacts(
        ahead=ahead,
        starts_per_agent_hour=measured.starts_per_agent_hour,
        higher_arrivals_per_hour=measured.higher_arrivals_per_hour,
        handling=dt.timedelta(seconds=measured.handling_seconds)
        if measured.handling_seconds is not None
        else None,
        target_first_response=target.first_response,
        target_resolution=target.resolution,
    )


def ahead_of(ticket: Ticket) -> int:
    """Waiting tickets that will be started before this one."""
    return (
        _waiting(ticket.team_id)
        .filter(
            Q(priority__lt=ticket.priority)
            | Q(priority=ticket.priority, created_at__lt=ticket.created_at)
            | Q(priority=ticket.priority, created_at=ticket.created_at, pk__lt=ticket.pk)
        )
        .count()
    )


def estimate_for(ticket: Ticket) -> model.Estimate | None:
    """When work on a ticket will likely start and end; None once it has started."""
    if ticket.first_response_at is not None or ticket.status not in ACTIVE_STATES:
        return None
    staffing, calendar = team_staffing(ticket.team)
    facts = _facts(ticket.team, ticket.priority, ahead_of(ticket))
    return model.estimate(clock.now(), facts, staffing, tz=calendar.tz)


def capacity_date(team: Team, priority: int) -> dt.datetime | None:
    """When the team will have capacity for a new request of this priority."""
    ahead = _waiting(team.pk).filter(priority__lte=priority).count()
    staffing, _ = team_staffing(team)
    return model.capacity_for(clock.now(), _facts(team, priority, ahead), staffing)


def _kept(ticket: Ticket) -> model.Estimate | None:
    """The stored estimate, rebuilt for words: it says the same thing every time
    it is shown until the queue moves it."""
    basis = ticket.estimate_basis
    start, resolution = ticket.expected_start_at, ticket.expected_resolution_at
    if start is None and basis not in REASONS:
        return None
    _, calendar = team_staffing(ticket.team)
    now = clock.now()
    target = target_for(ticket.priority)
    words = model.describe(start, now, calendar.tz) if start else model.NO_ESTIMATE
    return model.Estimate(
        start,
        resolution,
        "target" if basis == "target" else "history",
        words,
        model.describe(resolution, now, calendar.tz, day_only=True)
        if resolution
        else model.NO_ESTIMATE,
        reason=basis if basis in REASONS else None,  # type: ignore[arg-type]
        target_first_response=target.first_response,
        target_resolution=target.resolution,
        horizon=dt.timedelta(days=60) if basis == "horizon" else None,
    )


def wait_words(ticket: Ticket) -> str:
    """The requester's sentence: when we expect to start, and to resolve."""
    if ticket.first_response_at is not None or ticket.status not in ACTIVE_STATES:
        return ""
    kept = _kept(ticket)
    return model.sentence(kept) if kept is not None else ""


def start_words(ticket: Ticket) -> str:
    """Just the expected start, in words, for the queue."""
    kept = _kept(ticket)
    return kept.words_start if kept is not None and kept.start is not None else ""


STORED = ("expected_start_at", "expected_resolution_at", "estimate_basis")
REASONS = frozenset({"overload", "horizon", "closed"})


def stored_fields(estimate: model.Estimate | None) -> dict[str, Any]:
    """What a ticket keeps of an estimate."""
    if estimate is None:
        return {"expected_start_at": None, "expected_resolution_at": None, "estimate_basis": ""}
    return {
        "expected_start_at": estimate.start,
        "expected_resolution_at": estimate.resolution,
        "estimate_basis": estimate.reason or estimate.basis,
    }


def refresh_team(team: Team, *, limit: int = 2000) -> int:
    """Recompute the estimates of a team's waiting tickets in one pass: each
    ticket's place in the queue is its rank, so no query per ticket."""
    waiting = list(
        _waiting(team.pk)
        .order_by("priority", "created_at", "id")
        .only("pk", "priority", *STORED)[:limit]
    )
    if not waiting:
        return 0
    staffing, calendar = team_staffing(team)
    now = clock.now()
    changed = []
    for rank, ticket in enumerate(waiting):
        facts = _facts(team, ticket.priority, rank)
        fields = stored_fields(model.estimate(now, facts, staffing, tz=calendar.tz))
        if any(getattr(ticket, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(ticket, name, value)
            changed.append(ticket)
    # Derived data, not a change anyone made: no timeline event.
    Ticket.objects.bulk_update(changed, list(STORED), batch_size=500)
    return len(changed)
