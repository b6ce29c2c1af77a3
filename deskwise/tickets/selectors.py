"""Reads of tickets, with the policy applied: what you may not see is not found."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from deskwise.accounts.choices import STAFF_ROLES, Role
from deskwise.accounts.models import Team, User
from deskwise.core.errors import NotFound
from deskwise.core.pagination import Page, keyset_page
from deskwise.core.queries import one
from deskwise.tickets.choices import ACTIVE_STATES, QUEUE_ORDER, Visibility
from deskwise.tickets.filters import TicketFilters
from deskwise.tickets.models import Attachment, Ticket, TimelineEvent
from deskwise.tickets.permissions import (
    Action,
    can,
    requested_tickets,
    team_ids,
    visible_tickets,
)

NEWEST_FIRST = ("-id",)
TIMELINE_ORDER = ("created_at", "id")


def _visible(user: User | AnonymousUser) -> QuerySet[Ticket]:
    return Ticket.objects.filter(visible_tickets(user))


def ticket_get(*, user: User | AnonymousUser, pk: int) -> Ticket:
    ticket = one(
        _visible(user)
        .select_related("requester", "team", "owner", "escalated_to", "category")
        .filter(pk=pk)
    )
    if ticket is None:
        raise NotFound(f"There is no ticket DW-{pk}, or you may not see it.")
    return ticket


# What a row of the desk's queue shows; loading only this keeps a page cheap.
QUEUE_ROW = (
    "subject", "status", "priority", "channel", "due_at", "first_response_at", "updated_at",
    "sla_state", "sla_paused_at",
    "requester__name", "requester__email", "team__name",
    "owner__first_name", "owner__last_name", "owner__username",
    "red_flags", "frustrated", "expected_start_at", "expected_resolution_at", "estimate_basis",
    "category__name",
)  # fmt: skip


def ticket_list(
    *,
    user: User,
    filters: TicketFilters,
    cursor: str | None = None,
    limit: int = 25,
    row_only: bool = False,
) -> Page[Ticket]:
    """The agent's queue: filtered, in priority and deadline order, a page at a time.
    ``row_only`` loads just what a queue row shows."""
    qs = filters.apply(_visible(user), user_id=user.pk, team_ids=team_ids(user))
    qs = qs.select_related("requester", "team", "owner", "category")
    if row_only:
        qs = qs.only(*QUEUE_ROW)
    return keyset_page(qs, ordering=QUEUE_ORDER, cursor=cursor, limit=limit)


def back_from_deferral(*, user: User, limit: int = 10) -> list[Ticket]:
    """The agent's tickets back from deferral that they have not taken up
    again: shown at the top of their queue."""
    return list(
        Ticket.objects.filter(owner=user, back_at__isnull=False, status__in=sorted(ACTIVE_STATES))
        .only("pk", "subject", "priority", "back_at", "status")
        .order_by("-back_at")[:limit]
    )


def requester_ticket_list(
    *, user: User, cursor: str | None = None, limit: int = 25
) -> Page[Ticket]:
    """The requests a person asked for (or is copied on), newest first."""
    qs = Ticket.objects.filter(requested_tickets(user)).select_related("owner")
    return keyset_page(qs, ordering=NEWEST_FIRST, cursor=cursor, limit=limit)


def requested_ticket_get(*, user: User | AnonymousUser, pk: int) -> Ticket:
    """One of a person's own requests, as the portal shows it (even to an agent)."""
    ticket = one(
        Ticket.objects.filter(requested_tickets(user))
        .select_related("requester", "team", "owner")
        .filter(pk=pk)
    )
    if ticket is None:
        raise NotFound(f"There is no request DW-{pk}, or it is not yours.")
    return ticket


def _events(
    user: User | AnonymousUser, ticket: Ticket, *, public_only: bool = False
) -> QuerySet[TimelineEvent]:
    events = TimelineEvent.objects.filter(ticket=ticket)
    if public_only or not can(user, Action.VIEW_INTERNAL, ticket):
        events = events.filter(visibility=Visibility.PUBLIC)
    return events.select_related("actor", "contact").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("id"))
    )


def timeline(
    *, user: User | AnonymousUser, ticket: Ticket, public_only: bool = False
) -> list[TimelineEvent]:
    """The events a user may read, oldest first; internal ones only for agents,
    and never in the portal (``public_only``)."""
    return list(_events(user, ticket, public_only=public_only).order_by(*TIMELINE_ORDER))


def timeline_page(
    *, user: User | AnonymousUser, ticket: Ticket, cursor: str | None, limit: int = 50
) -> Page[TimelineEvent]:
    return keyset_page(_events(user, ticket), ordering=TIMELINE_ORDER, cursor=cursor, limit=limit)


def attachment_get(*, user: User | AnonymousUser, pk: int) -> Attachment:
    attachment = one(Attachment.objects.select_related("event", "ticket").filter(pk=pk))
    if attachment is None or not can(user, Action.VIEW, attachment.ticket):
        raise NotFound("There is no such file, or you may not see it.")
    if attachment.event.is_internal and not can(user, Action.VIEW_INTERNAL, attachment.ticket):
        raise NotFound("There is no such file, or you may not see it.")
    return attachment


COUNT_CAP = 100


def queue_counts(*, user: User) -> dict[str, int]:
    """How many active tickets I own, and how many in my teams nobody owns.

    Each count stops at COUNT_CAP (shown as "100+"): past that the number only
    says "a lot", and counting further would read the whole backlog.
    """
    active = Ticket.objects.filter(status__in=sorted(ACTIVE_STATES)).order_by()
    parts = [active.filter(owner_id=user.pk)]
    teams = sorted(team_ids(user))
    if teams:
        parts.append(active.filter(owner__isnull=True, team_id__in=teams))
    sqls: list[str] = []
    params: list[Any] = []
    for part in parts:
        sql, part_params = part.values("pk")[:COUNT_CAP].query.sql_with_params()
        sqls.append(f"(SELECT COUNT(*) FROM ({sql}) part)")  # noqa: S608 (ORM-built SQL)
        params += part_params
    # Both counts in one round trip; each still reads only its own index.
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sqls), params)
        counts = cursor.fetchone()
    return {"mine": counts[0], "unassigned": counts[1] if teams else 0}


FILTER_CHOICES_SECONDS = 60


def queue_filter_choices(*, user: User) -> tuple[list[Team], list[User]]:
    """The teams and agents the queue's filters offer. They change rarely, so
    they are kept in the cache for a minute per set of teams."""
    scope = "all" if user.is_desk_admin else ",".join(map(str, sorted(team_ids(user))))
    key = f"queue-filter-choices:{scope}"
    cached = cache.get(key)
    if cached is None:
        teams = teams_for(user=user)
        agents = agents_for(teams=None if user.is_desk_admin else team_ids(user))
        cached = (teams, agents)
        cache.set(key, cached, FILTER_CHOICES_SECONDS)
    return cached


def teams_for(*, user: User) -> list[Team]:
    if user.is_desk_admin:
        return list(Team.objects.all())
    return list(Team.objects.filter(pk__in=sorted(team_ids(user))))


def agents_for(*, team: Team | None = None, teams: frozenset[int] | None = None) -> list[User]:
    """Agents who can own tickets (in ``team``, or any of ``teams``, when given), by name."""
    qs = User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES))
    if team is not None:
        qs = qs.filter(Q(memberships__team=team) | Q(role=Role.ADMIN)).distinct()
    elif teams is not None:
        qs = qs.filter(memberships__team_id__in=sorted(teams)).distinct()
    return list(qs.order_by("first_name", "last_name", "username"))


def supervisors() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.ADMIN]).order_by(
            "first_name", "last_name"
        )
    )
