"""Which service level applies to a ticket: the most specific active policy
(its team's for its priority, else every team's), else the desk's defaults."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deskwise.core.memo import timed_memo
from deskwise.sla.targets import DEFAULT_TARGETS
from deskwise.tickets.choices import Priority


@dataclass(frozen=True)
class Policy:
    """A policy as the clock needs it (a plain value: safe to keep in memory)."""

    id: int | None  # None: the desk's built-in default
    name: str
    first_response: dt.timedelta
    resolution: dt.timedelta
    business_hours: bool = True
    warn_share: float = 0.75
    pause_when_waiting: bool = True
    pause_when_deferred: bool = True


def default_policy(priority: int) -> Policy:
    target = DEFAULT_TARGETS[Priority(priority)]
    return Policy(
        id=None,
        name=f"Default for {Priority(priority).label}",
        first_response=target.first_response,
        resolution=target.resolution,
        # An outage does not wait for the morning; everything else counts
        # business hours.
        business_hours=Priority(priority) != Priority.P1,
    )


@timed_memo(60)
def _active() -> dict[tuple[int | None, int], Policy]:
    from deskwise.sla.models import SlaPolicy

    found = {}
    for p in SlaPolicy.objects.filter(is_active=True):
        found[(p.team_id, p.priority)] = Policy(
            id=p.pk,
            name=p.name,
            first_response=p.first_response,
            resolution=p.resolution,
            business_hours=p.business_hours,
            warn_share=p.warn_percent / 100,
            pause_when_waiting=p.pause_when_waiting,
            pause_when_deferred=p.pause_when_deferred,
        )
    return found


def policy_for(*, team_id: int, priority: int) -> Policy:
    active = _active()
    return (
        active.get((team_id, priority)) or active.get((None, priority)) or default_policy(priority)
    )


def forget() -> None:
    _active.forget()
