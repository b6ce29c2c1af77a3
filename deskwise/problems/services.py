"""Every change to a problem, one function each.

Each service is keyword-only and runs in one transaction at one moment (the
ticket services' ``service``). A change to a problem is one ``ProblemEvent``
(who, when, what from and to); a change to a ticket's link to a problem, or a
root cause recorded on a ticket, is also an internal event on that ticket's
timeline, so the ticket's story stays whole.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, transaction

from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from deskwise.core.queries import one
from deskwise.core.text import SUBJECT_MAX, clean_body, clean_line
from deskwise.problems.models import Problem, ProblemEvent, ProblemIncident, ProblemStatus
from deskwise.problems.permissions import can_see, may_keep_for, sees_all
from deskwise.tickets import services as tickets
from deskwise.tickets.choices import EventKind, Visibility
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.tickets.permissions import Action, can, require, team_ids

# The ticket internals a problem shares with the ticket services: the
# transaction, the lock, the timeline and the text rules.
service = tickets.service
_lock = tickets._lock
_append = tickets._append
_clean = tickets._clean
_check_owner = tickets._check_owner
_ref = tickets._ref

TITLE_MAX = SUBJECT_MAX
TEXT_MAX = 5_000
"""Characters of symptoms, root cause, workaround and permanent fix."""
MAX_LINKED_AT_ONCE = 200
"""Incidents one call links (a recurring cluster is smaller than this)."""

LABELS = {
    "title": "Title",
    "symptoms": "Symptoms",
    "root_cause": "Root cause",
    "workaround": "Workaround",
    "permanent_fix": "Permanent fix",
}
TEXT_FIELDS = ("symptoms", "root_cause", "workaround", "permanent_fix")


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET = _Unset.UNSET
type Maybe[T] = T | Literal[_Unset.UNSET]


@dataclass(frozen=True)
class RootCause:
    """A root cause recorded on a ticket: its timeline event, and the problem
    made from it when one was asked for."""

    event: TimelineEvent
    problem: Problem | None


# --- helpers (private: callers use the services below) ---------------------------


def _require_agent(actor: User) -> None:
    if not actor.is_agent:
        raise NotAllowed("Only agents work on problems.")


def _require_problem(actor: User, problem: Problem) -> None:
    if not can_see(actor, problem):
        raise NotFound(f"There is no problem {problem.reference}, or you may not see it.")


def _require_ticket(actor: User, ticket: Ticket) -> None:
    if not can(actor, Action.VIEW, ticket):
        raise NotFound(
            f"There is no ticket {ticket.reference}, or you may not see it.",
            fields={"ticket_id": ["No such ticket."]},
        )
    require(actor, Action.NOTE, ticket)


def _status(value: ProblemStatus | str) -> ProblemStatus:
    try:
        return ProblemStatus(value)
    except ValueError:
        choices = ", ".join(ProblemStatus.values)
        message = f"There is no status {str(value)[:40]!r}: use one of {choices}."
        raise InvalidInput(message, fields={"status": [message]}) from None


def _title(value: str | None) -> str:
    return _clean(value, clean_line, "title", label="Title", max_length=TITLE_MAX)


def _text(value: str | None, field: str, *, required: bool = False) -> str:
    return _clean(
        value, clean_body, field, label=LABELS[field], max_length=TEXT_MAX, required=required
    )


def check_status(status: ProblemStatus, values: dict[str, str]) -> None:
    """The status rules: a known error has its root cause and a workaround; a
    fixed problem has its permanent fix."""
    if status == ProblemStatus.KNOWN_ERROR:
        missing = [name for name in ("root_cause", "workaround") if not values.get(name)]
        if missing:
            what = " and ".join(LABELS[name].lower() for name in missing)
            raise InvalidInput(
                f"A known error has a root cause and a workaround: write the {what} first.",
                fields={name: ["Required for a known error."] for name in missing},
            )
    if status == ProblemStatus.FIXED and not values.get("permanent_fix"):
        raise InvalidInput(
            "A fixed problem has a permanent fix: say what was changed so that it does not "
            "happen again.",
            fields={"permanent_fix": ["Required for a fixed problem."]},
        )


def _check_team(actor: User, team: Team) -> None:
    if not may_keep_for(actor, team.pk):
        raise NotAllowed(
            f"You keep problems for your own teams; {team.name} is not one of them.",
            fields={"team": ["Not one of your teams."]},
        )


def _team_for(actor: User, team: Team | None, incidents: Sequence[Ticket]) -> Team:
    """The team a new problem belongs to: the one given; else the team most of
    its incidents are in (that the actor may keep problems for); else the
    actor's own."""
    if team is not None:
        _check_team(actor, team)
        return team
    counts = Counter(ticket.team_id for ticket in incidents)
    for team_id, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        if may_keep_for(actor, team_id):
            return Team.objects.get(pk=team_id)
    mine = sorted(team_ids(actor))
    if mine:
        return Team.objects.get(pk=mine[0])
    if sees_all(actor):
        return tickets._default_team()
    raise InvalidInput(
        "Which team keeps this problem? You are in no team yet.", fields={"team": ["Required."]}
    )


def _record(
    problem: Problem, kind: ProblemEvent.Kind, actor: User | None, data: dict[str, Any]
) -> ProblemEvent:
    return ProblemEvent.objects.create(
        problem=problem, kind=kind, actor=actor, data=data, created_at=clock.now()
    )


def _problem_ref(problem: Problem) -> dict[str, Any]:
    return {
        "id": problem.pk,
        "reference": problem.reference,
        "title": problem.title,
        "status": problem.status,
    }


def _ticket_ref(ticket: Ticket) -> dict[str, Any]:
    return {"id": ticket.pk, "reference": ticket.reference, "subject": ticket.subject}


def _touch(problem: Problem) -> None:
    """The problem changed now (its incidents did), without rewriting its fields."""
    problem.updated_at = clock.now()
    Problem.objects.filter(pk=problem.pk).update(updated_at=problem.updated_at)


def _save_ticket(ticket: Ticket) -> None:
    ticket.save(update_fields=["updated_at", "back_at"])


def _link(problem: Problem, ticket: Ticket, actor: User) -> ProblemIncident:
    ticket = _lock(ticket)
    _require_ticket(actor, ticket)
    existing = one(ProblemIncident.objects.filter(ticket_id=ticket.pk).select_related("problem"))
    if existing is not None:
        if existing.problem_id == problem.pk:
            raise Conflict(f"{ticket.reference} is already linked to {problem.reference}.")
        other = existing.problem
        named = f"{other.reference} “{other.title}”" if can_see(actor, other) else "another problem"
        raise Conflict(
            f"{ticket.reference} is already linked to {named}; a ticket has one problem. "
            "Unlink it there first.",
            fields={"ticket_id": ["Linked to another problem."]},
        )
    now = clock.now()
    try:
        with transaction.atomic():
            link = ProblemIncident.objects.create(
                problem=problem, ticket=ticket, linked_by=actor, linked_at=now
            )
    except IntegrityError:  # linked at the same moment by someone else
        raise Conflict(
            f"{ticket.reference} was just linked to a problem by someone else.",
            fields={"ticket_id": ["Linked to another problem."]},
        ) from None
    status = ProblemStatus(problem.status)
    body = f"Linked to {problem.reference} “{problem.title}” ({status.label.lower()})."
    if problem.workaround:
        body += f"\nWorkaround: {problem.workaround}"
    _append(
        ticket,
        kind=EventKind.PROBLEM,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=body,
        data={"action": "linked", "problem": _problem_ref(problem)},
    )
    _save_ticket(ticket)
    _record(problem, ProblemEvent.Kind.LINKED, actor, {"ticket": _ticket_ref(ticket)})
    return link


def _incidents(incidents: Sequence[Ticket]) -> list[Ticket]:
    unique = list({ticket.pk: ticket for ticket in incidents}.values())
    if len(unique) > MAX_LINKED_AT_ONCE:
        raise InvalidInput(
            f"{len(unique)} incidents were given; link at most {MAX_LINKED_AT_ONCE} at once.",
            fields={"incidents": ["Too many."]},
        )
    return unique


# --- services ---------------------------------------------------------------------


@service
def problem_create(
    *,
    actor: User,
    title: str,
    symptoms: str,
    root_cause: str = "",
    workaround: str = "",
    permanent_fix: str = "",
    status: ProblemStatus | str = ProblemStatus.INVESTIGATING,
    team: Team | None = None,
    owner: User | None = None,
    incidents: Sequence[Ticket] = (),
) -> Problem:
    """A new problem, optionally with the incidents it explains linked at once
    (a recurring cluster, or the ticket whose root cause it is)."""
    _require_agent(actor)
    values = {
        "title": _title(title),
        "symptoms": _text(symptoms, "symptoms", required=True),
        "root_cause": _text(root_cause, "root_cause"),
        "workaround": _text(workaround, "workaround"),
        "permanent_fix": _text(permanent_fix, "permanent_fix"),
    }
    chosen = _status(status)
    check_status(chosen, values)
    linked = _incidents(incidents)
    kept_by = _team_for(actor, team, linked)
    if owner is not None:
        _check_owner(owner, kept_by)
    now = clock.now()
    problem = Problem.objects.create(
        **values,
        status=chosen,
        team=kept_by,
        owner=owner,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _record(
        problem,
        ProblemEvent.Kind.CREATED,
        actor,
        {**values, "status": chosen.value, "team": _ref(kept_by), "owner": _ref(owner)},
    )
    for ticket in linked:
        _link(problem, ticket, actor)
    return problem


@service
def problem_update(
    *,
    problem: Problem,
    actor: User,
    title: Maybe[str] = UNSET,
    symptoms: Maybe[str] = UNSET,
    root_cause: Maybe[str] = UNSET,
    workaround: Maybe[str] = UNSET,
    permanent_fix: Maybe[str] = UNSET,
    status: Maybe[ProblemStatus | str] = UNSET,
    team: Maybe[Team] = UNSET,
    owner: Maybe[User | None] = UNSET,
) -> Problem:
    """Change what is known about a problem; the fields left UNSET stay as
    they are. The status rules apply to the result."""
    _require_agent(actor)
    given: dict[str, str] = {}
    if title is not UNSET:
        given["title"] = _title(title)
    for name, value in (
        ("symptoms", symptoms),
        ("root_cause", root_cause),
        ("workaround", workaround),
        ("permanent_fix", permanent_fix),
    ):
        if value is not UNSET:
            given[name] = _text(value, name, required=name == "symptoms")
    chosen = _status(status) if status is not UNSET else None
    locked = one(Problem.objects.select_for_update().filter(pk=problem.pk))
    if locked is None:
        raise NotFound(f"There is no problem {problem.reference}, or you may not see it.")
    problem = locked
    _require_problem(actor, problem)
    changes: dict[str, dict[str, Any]] = {}
    for name, value in given.items():
        if getattr(problem, name) != value:
            changes[name] = {"from": getattr(problem, name), "to": value}
            setattr(problem, name, value)
    if chosen is not None and chosen != problem.status:
        changes["status"] = {"from": problem.status, "to": chosen.value}
        problem.status = chosen
    if team is not UNSET and team.pk != problem.team_id:
        _check_team(actor, team)
        changes["team"] = {"from": _ref(problem.team), "to": _ref(team)}
        problem.team = team
    if owner is not UNSET and (owner.pk if owner else None) != problem.owner_id:
        changes["owner"] = {"from": _ref(problem.owner), "to": _ref(owner)}
        problem.owner = owner
    if not changes:
        raise Conflict(f"Nothing changed: {problem.reference} already says that.")
    if problem.owner is not None and ("owner" in changes or "team" in changes):
        _check_owner(problem.owner, problem.team)
    check_status(
        ProblemStatus(problem.status), {name: getattr(problem, name) for name in TEXT_FIELDS}
    )
    problem.updated_at = clock.now()
    problem.save()
    _record(problem, ProblemEvent.Kind.CHANGED, actor, changes)
    return problem


@service
def incident_link(*, problem: Problem, ticket: Ticket, actor: User) -> ProblemIncident:
    """The ticket is an incident of this problem. A ticket has one problem."""
    _require_agent(actor)
    _require_problem(actor, problem)
    link = _link(problem, ticket, actor)
    _touch(problem)
    return link


@service
def incident_unlink(*, problem: Problem, ticket: Ticket, actor: User) -> None:
    """The ticket is not an incident of this problem after all."""
    _require_agent(actor)
    _require_problem(actor, problem)
    ticket = _lock(ticket)
    _require_ticket(actor, ticket)
    link = one(ProblemIncident.objects.filter(problem=problem, ticket_id=ticket.pk))
    if link is None:
        raise NotFound(
            f"{ticket.reference} is not linked to {problem.reference}.",
            fields={"ticket_id": ["Not linked to this problem."]},
        )
    link.delete()
    _append(
        ticket,
        kind=EventKind.PROBLEM,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=f"Unlinked from {problem.reference} “{problem.title}”.",
        data={"action": "unlinked", "problem": _problem_ref(problem)},
    )
    _save_ticket(ticket)
    _record(problem, ProblemEvent.Kind.UNLINKED, actor, {"ticket": _ticket_ref(ticket)})
    _touch(problem)


def symptoms_of(ticket: Ticket) -> str:
    """What a ticket's requester saw, in their words, as a problem's symptoms."""
    from deskwise.search.selectors import ticket_text

    text = ticket_text(ticket).strip() or ticket.subject
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1].rstrip() + "…"


@service
def root_cause_record(
    *,
    ticket: Ticket,
    actor: User,
    root_cause: str,
    create_problem: bool = False,
    title: str = "",
    workaround: str = "",
    also_link: Sequence[Ticket] = (),
) -> RootCause:
    """The agent's root cause for a ticket without a problem: an internal event
    on its timeline. With ``create_problem`` it also becomes a problem (a known
    error when a workaround is given), with the ticket, and ``also_link`` (its
    similar incidents), linked to it."""
    _require_agent(actor)
    root_cause = _text(root_cause, "root_cause", required=True)
    ticket = _lock(ticket)
    _require_ticket(actor, ticket)
    existing = one(ProblemIncident.objects.filter(ticket_id=ticket.pk).select_related("problem"))
    if existing is not None:
        other = existing.problem
        named = other.reference if can_see(actor, other) else "a problem"
        raise Conflict(
            f"{ticket.reference} is linked to {named} already: write the root cause on the problem."
        )
    if also_link and not create_problem:
        raise InvalidInput(
            "Similar incidents are linked to a problem: ask for one to be created too.",
            fields={"create_problem": ["Required to link the similar incidents."]},
        )
    event = _append(
        ticket,
        kind=EventKind.PROBLEM,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=f"Root cause: {root_cause}",
        data={"action": "root_cause", "root_cause": root_cause},
    )
    _save_ticket(ticket)
    problem = None
    if create_problem:
        problem = problem_create(
            actor=actor,
            title=title.strip() or ticket.subject,
            symptoms=symptoms_of(ticket),
            root_cause=root_cause,
            workaround=workaround,
            status=ProblemStatus.KNOWN_ERROR if workaround.strip() else ProblemStatus.INVESTIGATING,
            incidents=[ticket, *also_link],
        )
    return RootCause(event=event, problem=problem)
