"""Reads of time on tickets, with permissions applied: the ticket's panel and
the API read the ticket through the ticket selectors (a ticket you may not
see does not exist), then its totals and its latest entries, bounded."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, Sum

from deskwise.accounts.models import User
from deskwise.api.schemas import MAX_ID
from deskwise.core import clock
from deskwise.core.errors import NotFound
from deskwise.core.queries import one
from deskwise.tickets import selectors as tickets
from deskwise.tickets.models import Ticket
from deskwise.timelog.models import TimeEntry, Timer
from deskwise.timelog.permissions import may_remove, require_agent, zone

LATEST = 10
"""Entries the ticket's panel shows."""
QUICK_MINUTES = (5, 15, 30, 60)


@dataclasses.dataclass(frozen=True)
class Totals:
    minutes: int
    mine: int
    entries: int


@dataclasses.dataclass(frozen=True)
class Panel:
    ticket: Ticket
    totals: Totals
    entries: list[TimeEntry]
    removable: frozenset[int]
    # The user's running timer, on this ticket or another one.
    timer: Timer | None

    @property
    def timer_here(self) -> bool:
        return self.timer is not None and self.timer.ticket_id == self.ticket.pk

    @property
    def timer_seconds(self) -> int:
        if self.timer is None:
            return 0
        return max(0, int((clock.now() - self.timer.started_at).total_seconds()))

    @property
    def timer_since(self) -> str:
        """When the timer started, as the desk's clock shows it."""
        if self.timer is None:
            return ""
        return f"{self.timer.started_at.astimezone(zone()):%H:%M}"


def ticket_for(*, user: User | AnonymousUser, pk: int) -> tuple[User, Ticket]:
    """The agent and the ticket whose time they ask for; NotFound otherwise."""
    agent = require_agent(user)
    if not 1 <= pk <= MAX_ID:
        raise NotFound(f"There is no ticket DW-{pk}, or you may not see it.")
    return agent, tickets.ticket_get(user=agent, pk=pk)


def totals(*, user: User, ticket: Ticket) -> Totals:
    found = TimeEntry.objects.filter(ticket=ticket).aggregate(
        spent=Sum("minutes"), mine=Sum("minutes", filter=Q(agent=user)), entries=Count("pk")
    )
    return Totals(
        minutes=found["spent"] or 0, mine=found["mine"] or 0, entries=found["entries"] or 0
    )


def entries(*, ticket: Ticket, limit: int = LATEST) -> list[TimeEntry]:
    """The ticket's latest entries, the most recently logged first."""
    return list(
        TimeEntry.objects.filter(ticket=ticket)
        .select_related("agent")
        .order_by("-created_at", "-id")[:limit]
    )


def running_timer(*, user: User) -> Timer | None:
    return one(Timer.objects.filter(agent=user).select_related("ticket"))


def panel(*, user: User, ticket: Ticket) -> Panel:
    latest = entries(ticket=ticket)
    return Panel(
        ticket=ticket,
        totals=totals(user=user, ticket=ticket),
        entries=latest,
        removable=frozenset(e.pk for e in latest if may_remove(user, e)),
        timer=running_timer(user=user),
    )


def entry_get(*, ticket: Ticket, pk: int) -> TimeEntry:
    """An entry of a ticket already read with permissions."""
    entry = one(TimeEntry.objects.filter(ticket=ticket, pk=pk).select_related("agent", "ticket"))
    if entry is None:
        raise NotFound(
            f"There is no time entry {pk} on {ticket.reference}.",
            fields={"entry_id": ["No such entry."]},
        )
    return entry
