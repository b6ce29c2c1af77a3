"""Who may do what with tickets: the one policy, used by selectors, services,
views, templates and the API alike. Deny by default."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, cast

from django.db.models import Q

from deskwise.core.errors import NotAllowed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deskwise.accounts.models import User
    from deskwise.tickets.models import Ticket


class Action(StrEnum):
    VIEW = "view"
    VIEW_INTERNAL = "view_internal"
    REPLY = "reply"
    NOTE = "note"
    LOG_CONTACT = "log_contact"
    TAKE = "take"
    ASSIGN = "assign"
    TRANSITION = "transition"
    ESCALATE = "escalate"
    RESOLVE = "resolve"
    REOPEN = "reopen"
    CLOSE = "close"
    TRIAGE = "triage"
    DECIDE = "decide"  # defer or decline
    REQUESTER_MESSAGE = "requester_message"
    CONFIRM = "confirm"


AGENT_ACTIONS = frozenset(Action) - {Action.REQUESTER_MESSAGE, Action.CONFIRM}
REQUESTER_ACTIONS = frozenset({Action.VIEW})


def team_ids(user: User) -> frozenset[int]:
    """The teams a user works in, read once per user object."""
    cached = getattr(user, "_deskwise_team_ids", None)
    if cached is None:
        cached = frozenset(user.memberships.values_list("team_id", flat=True))
        user._deskwise_team_ids = cached  # type: ignore[attr-defined]
    return cached


def _person(user: User | AnonymousUser) -> User | None:
    """The signed-in, active user, or None for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return None
    return cast("User", user)


def visible_tickets(user: User | AnonymousUser) -> Q:
    """The tickets a user may see, as a filter. Nothing for anyone unknown."""
    person = _person(user)
    if person is None:
        return Q(pk__in=[])
    if person.is_desk_admin:
        return Q()
    if person.is_agent:
        return Q(team_id__in=sorted(team_ids(person))) | Q(owner=person) | Q(escalated_to=person)
    return requested_tickets(person)


MAX_COPIED = 5000  # participations a person's portal lists


def requested_tickets(user: User | AnonymousUser) -> Q:
    """The tickets a person asked for or is copied on: the portal's view, whatever
    their role."""
    from deskwise.tickets.models import Ticket

    person = _person(user)
    if person is None or person.contact_id is None:
        return Q(pk__in=[])
    # The tickets someone is copied on are few: read them first, so the database
    # combines two index lookups instead of testing every ticket for a match.
    copied = list(
        Ticket.participants.through.objects.filter(contact_id=person.contact_id)
        .order_by("-ticket_id")
        .values_list("ticket_id", flat=True)[:MAX_COPIED]
    )
    mine = Q(requester_id=person.contact_id)
    return mine | Q(pk__in=copied) if copied else mine


def can_see(user: User | AnonymousUser, ticket: Ticket) -> bool:
    person = _person(user)
    if person is None:
        return False
    if person.is_desk_admin:
        return True
    if person.is_agent:
        return (
            ticket.team_id in team_ids(person)
            or ticket.owner_id == person.pk
            or ticket.escalated_to_id == person.pk
        )
    return _is_party(person, ticket)


def _is_party(user: User | AnonymousUser, ticket: Ticket) -> bool:
    person = _person(user)
    if person is None or person.contact_id is None:
        return False
    return (
        ticket.requester_id == person.contact_id
        or ticket.participants.filter(pk=person.contact_id).exists()
    )


def can(user: User | AnonymousUser, action: Action, ticket: Ticket) -> bool:
    person = _person(user)
    if person is None:
        return False
    if action == Action.CONFIRM:
        # Only the person who asked says whether it is solved, whatever their role.
        return person.contact_id is not None and ticket.requester_id == person.contact_id
    if action == Action.REQUESTER_MESSAGE:
        # Anyone speaks as a requester on their own requests, agents included.
        return _is_party(person, ticket)
    if not can_see(person, ticket):
        return False
    if person.is_agent:
        return action in AGENT_ACTIONS
    return action in REQUESTER_ACTIONS


def require(user: User | AnonymousUser, action: Action, ticket: Ticket) -> None:
    if not can(user, action, ticket):
        raise NotAllowed("You are not allowed to do that on this ticket.")
