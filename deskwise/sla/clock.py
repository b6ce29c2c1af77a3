"""The service-level clock: due times, warnings and pauses, computed from
what is stored on a ticket, so any process can recompute them at any time
and get the same answer (a lost task never loses a breach).

Business time is the team's calendar (see ``calendar``) unless the policy
counts around the clock. The clock stops while the ticket is resolved,
closed or declined, and (as the policy says) while waiting on the requester
or deferred; time stopped is kept on the ticket as business time and pushes
the due times back by as much.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from deskwise.core import clock
from deskwise.sla.calendar import ALWAYS, team_calendar
from deskwise.sla.models import Target
from deskwise.sla.policies import Policy, policy_for
from deskwise.tickets.choices import SlaState, Status
from deskwise.tickets.models import Ticket

STOPPED = frozenset({Status.RESOLVED, Status.CLOSED, Status.DECLINED})


@dataclass(frozen=True)
class Crossing:
    """Something that became due: a warning, or a missed target."""

    kind: str  # "warning" | "breach"
    target: Target
    due_at: dt.datetime  # the target's due time (for a warning too)


def stopped_in(policy: Policy) -> frozenset[str]:
    statuses = set(STOPPED)
    if policy.pause_when_waiting:
        statuses.add(Status.WAITING)
    if policy.pause_when_deferred:
        statuses.add(Status.DEFERRED)
    return frozenset(statuses)


def pending_target(ticket: Ticket) -> Target:
    return Target.FIRST_RESPONSE if ticket.first_response_at is None else Target.RESOLUTION


def refresh(ticket: Ticket, *, now: dt.datetime | None = None) -> list[Crossing]:
    """Recompute the ticket's service-level fields (not saved), and say what
    has become due by ``now`` and is not recorded yet.

    Call after any change to the ticket's status, priority, team or first
    response, and from the sweep."""
    now = now or clock.now()
    policy = policy_for(team_id=ticket.team_id, priority=ticket.priority)
    calendar = team_calendar(ticket.team_id) if policy.business_hours else ALWAYS
    ticket.sla_policy_id = policy.id
    stopped = ticket.status in stopped_in(policy)
    if ticket.sla_paused_at is not None and not stopped:
        ticket.sla_paused_for += max(dt.timedelta(0), calendar.between(ticket.sla_paused_at, now))
        ticket.sla_paused_at = None
    elif stopped and ticket.sla_paused_at is None:
        ticket.sla_paused_at = now
    held = ticket.sla_paused_for
    start = ticket.created_at
    if ticket.first_response_at is None or ticket.first_response_due_at is None:
        ticket.first_response_due_at = calendar.add(start, policy.first_response + held)
    ticket.resolution_due_at = calendar.add(start, policy.resolution + held)
    pending = pending_target(ticket)
    ticket.due_at = (
        ticket.first_response_due_at
        if pending == Target.FIRST_RESPONSE
        else ticket.resolution_due_at
    )
    length = policy.first_response if pending == Target.FIRST_RESPONSE else policy.resolution
    warn_at = calendar.add(start, length * policy.warn_share + held)

    crossings = _crossings(ticket, now=now, stopped=stopped, warn_at=warn_at)
    upcoming = []
    if not stopped:
        if ticket.first_response_at is None and ticket.first_response_breached_at is None:
            upcoming.append(ticket.first_response_due_at)
        if ticket.resolution_breached_at is None:
            upcoming.append(ticket.resolution_due_at)
        if ticket.sla_warned_for != pending and not _breached(ticket, pending):
            upcoming.append(warn_at)
    later = [moment for moment in upcoming if moment > now]
    ticket.sla_next_at = min(later) if later else None
    _set_state(ticket, pending, crossings)
    return crossings


def _breached(ticket: Ticket, target: Target) -> bool:
    if target == Target.FIRST_RESPONSE:
        return ticket.first_response_breached_at is not None
    return ticket.resolution_breached_at is not None


def _crossings(
    ticket: Ticket, *, now: dt.datetime, stopped: bool, warn_at: dt.datetime
) -> list[Crossing]:
    found = []
    first_due = ticket.first_response_due_at
    resolution_due = ticket.resolution_due_at
    if first_due is None or resolution_due is None:  # refresh sets both first
        raise ValueError("due times are computed before their crossings")
    if ticket.first_response_breached_at is None and (
        (ticket.first_response_at is None and now >= first_due and not stopped)
        or (ticket.first_response_at is not None and ticket.first_response_at > first_due)
    ):
        found.append(Crossing("breach", Target.FIRST_RESPONSE, first_due))
    resolved = ticket.resolved_at
    if ticket.resolution_breached_at is None and (
        (not stopped and now >= resolution_due)
        or (resolved is not None and ticket.status in STOPPED and resolved > resolution_due)
    ):
        found.append(Crossing("breach", Target.RESOLUTION, resolution_due))
    pending = pending_target(ticket)
    if (
        not stopped
        and now >= warn_at
        and ticket.sla_warned_for != pending
        and not _breached(ticket, pending)
        and not any(c.target == pending for c in found)
    ):
        due = first_due if pending == Target.FIRST_RESPONSE else resolution_due
        found.append(Crossing("warning", pending, due))
    return found


def _set_state(ticket: Ticket, pending: Target, crossings: list[Crossing]) -> None:
    """The ticket's state as the crossings will leave it once recorded."""
    for crossing in crossings:
        if crossing.kind == "breach":
            moment = clock.now()
            if crossing.target == Target.FIRST_RESPONSE:
                ticket.first_response_breached_at = moment
            else:
                ticket.resolution_breached_at = moment
        else:
            ticket.sla_warned_for = crossing.target
    if ticket.first_response_breached_at or ticket.resolution_breached_at:
        ticket.sla_state = SlaState.BREACHED
    elif ticket.sla_warned_for == pending:
        ticket.sla_state = SlaState.WARNING
    else:
        ticket.sla_state = SlaState.OK
