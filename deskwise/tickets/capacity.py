"""How much each agent carries, and who takes the next ticket.

An agent's load is the active tickets they own; their limit is their WIP
limit. Assigning past it needs a supervisor's override (the services check
it). Auto-assignment gives a new ticket to an agent of its team who is on
shift and has room: in turn (round-robin) or to the least loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q

from deskwise.accounts.choices import STAFF_ROLES, AutoAssign
from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.tickets.choices import ACTIVE_STATES
from deskwise.tickets.models import Ticket


def load(agent: User) -> int:
    return Ticket.objects.filter(owner=agent, status__in=sorted(ACTIVE_STATES)).count()


def over_limit(agent: User, *, adding: int = 1) -> str | None:
    """A sentence when taking ``adding`` more tickets would pass the agent's limit."""
    current = load(agent)
    if current + adding <= agent.wip_limit:
        return None
    return (
        f"{agent.display_name} has {current} ticket{'s' if current != 1 else ''} in progress; "
        f"the limit is {agent.wip_limit}."
    )


def team_load(team: Team) -> list[tuple[User, int]]:
    """The team's agents with their load, by name."""
    active = Q(owned_tickets__status__in=sorted(ACTIVE_STATES))
    agents = (
        User.objects.filter(memberships__team=team, is_active=True, role__in=sorted(STAFF_ROLES))
        .annotate(load=Count("owned_tickets", filter=active))
        .order_by("first_name", "last_name", "username")
    )
    return [(agent, agent.load) for agent in agents]


def _on_shift(agent: User) -> bool:
    from deskwise.queueing.calendars import agent_calendar

    return agent_calendar(agent).is_working(clock.now())


def pick_agent(team: Team) -> User | None:
    """Who gets a new ticket of ``team`` under its auto-assignment, if anyone."""
    if team.auto_assign == AutoAssign.NONE:
        return None
    candidates = [
        (agent, n) for agent, n in team_load(team) if n < agent.wip_limit and _on_shift(agent)
    ]
    if not candidates:
        return None
    if team.auto_assign == AutoAssign.LEAST_LOADED:
        return min(candidates, key=lambda pair: (pair[1], pair[0].pk))[0]
    # The turn is read under a lock: two requests arriving together go to two agents.
    after = (
        Team.objects.select_for_update()
        .filter(pk=team.pk)
        .values_list("last_assigned_id", flat=True)
        .first()
    )
    return _next_in_turn([a for a, _ in candidates], after=after)


def _next_in_turn(agents: Sequence[User], *, after: int | None) -> User:
    ordered = sorted(agents, key=lambda a: a.pk)
    for agent in ordered:
        if after is None or agent.pk > after:
            return agent
    return ordered[0]
