"""Service-level targets per priority, on the calendar clock.

Business hours, holidays, pauses and per-team policies are the SLA module's
next step; until then these defaults keep the queue ordered by a real
deadline.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deskwise.tickets.choices import Priority

H = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Target:
    first_response: dt.timedelta
    resolution: dt.timedelta


DEFAULT_TARGETS = {
    Priority.P1: Target(first_response=1 * H, resolution=4 * H),
    Priority.P2: Target(first_response=4 * H, resolution=24 * H),
    Priority.P3: Target(first_response=8 * H, resolution=72 * H),
    Priority.P4: Target(first_response=24 * H, resolution=240 * H),
}


def target_for(priority: int) -> Target:
    return DEFAULT_TARGETS[Priority(priority)]


def next_due(
    *, priority: int, created_at: dt.datetime, first_response_at: dt.datetime | None
) -> dt.datetime:
    """The deadline the queue orders by: first response, then resolution."""
    target = target_for(priority)
    if first_response_at is None:
        return created_at + target.first_response
    return created_at + target.resolution
