"""Problems over the API, on the same selectors and services as the pages:
agents list, read, write and link them; to anyone else they do not exist (404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Body, Path, Query, Router, Schema
from ninja import Status as ApiStatus
from pydantic import Discriminator, Field, StrictBool, Tag

from deskwise.accounts.models import Team, User
from deskwise.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS, BodyId, TeamRef, UserRef
from deskwise.core.errors import NotFound
from deskwise.core.queries import one
from deskwise.core.text import (
    BODY_PATTERN,
    LINE_PATTERN,
    OPTIONAL_BODY_PATTERN,
    OPTIONAL_LINE_PATTERN,
)
from deskwise.problems import selectors, services
from deskwise.problems.models import Problem, ProblemEvent, ProblemStatus
from deskwise.problems.permissions import require_reader
from deskwise.problems.services import MAX_LINKED_AT_ONCE, TEXT_MAX, TITLE_MAX, UNSET, Maybe
from deskwise.tickets import selectors as tickets
from deskwise.tickets.api import CategoryRef, TicketId
from deskwise.tickets.choices import Status
from deskwise.tickets.models import Ticket

router = Router(tags=["problems"])

ProblemId = Path(..., ge=1, le=MAX_ID, description="The number in the problem's reference PRB-<n>.")
TitleText = Annotated[str, Field(max_length=TITLE_MAX, pattern=LINE_PATTERN)]
Text = Annotated[str, Field(max_length=TEXT_MAX, pattern=BODY_PATTERN)]
OptionalText = Annotated[str, Field(max_length=TEXT_MAX, pattern=OPTIONAL_BODY_PATTERN)]


class ProblemOut(Schema):
    id: int
    reference: str = Field(description="PRB-<id>")
    title: str
    symptoms: str
    root_cause: str
    workaround: str
    permanent_fix: str
    status: ProblemStatus
    team: TeamRef
    owner: UserRef | None
    incident_count: int = Field(description="Incidents (tickets) linked to it.")
    url: str = Field(description="The problem's page on the desk.")
    created_at: dt.datetime
    updated_at: dt.datetime


class IncidentOut(Schema):
    ticket_id: int
    reference: str
    subject: str
    status: Status
    linked_at: dt.datetime
    linked_by: UserRef | None


class ProblemEventOut(Schema):
    kind: str = Field(description="created, changed, linked or unlinked")
    actor: UserRef | None
    data: dict[str, object] = Field(
        description="changed: {field: {from, to}}; linked/unlinked: {ticket: {id, reference, "
        "subject}}; created: the first values."
    )
    created_at: dt.datetime


class ProblemDetailOut(ProblemOut):
    incidents: list[IncidentOut] = Field(
        description="The linked tickets you may see, the most recently linked first (at most 100)."
    )
    history: list[ProblemEventOut] = Field(description="Its changes, newest first (at most 100).")


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class _ProblemCreate(Schema):
    title: TitleText
    symptoms: Text = Field(description="What people notice.")
    root_cause: OptionalText = ""
    workaround: OptionalText = ""
    permanent_fix: OptionalText = ""
    team_id: BodyId | None = Field(
        default=None, description="One of your teams; left out: the incidents' team, or yours."
    )
    owner_id: BodyId | None = None
    incident_ids: list[BodyId] = Field(
        default_factory=list,
        max_length=MAX_LINKED_AT_ONCE,
        description="Tickets to link at once (a recurring proposal's incident_ids).",
    )


class NewInvestigation(_ProblemCreate):
    """The root cause is not known yet (the status when none is given)."""

    status: Literal["investigating"] = "investigating"


class NewKnownError(_ProblemCreate):
    """The root cause and a workaround are known: both are required."""

    status: Literal["known_error"]
    root_cause: Text
    workaround: Text


class NewFixed(_ProblemCreate):
    """A permanent fix is in place: it is required."""

    status: Literal["fixed"]
    permanent_fix: Text


class NewClosed(_ProblemCreate):
    status: Literal["closed"]


NewProblemBody = Body(..., description="A new problem; what it needs depends on its status.")


def _new_status(value: object) -> object:
    """Which kind of new problem a body is: by its status, investigating when left out."""
    if isinstance(value, dict):
        return value.get("status", "investigating")
    return getattr(value, "status", None)


# The status rules are part of the schema: a known error names its root cause
# and workaround, a fixed problem its permanent fix.
ProblemCreateIn = Annotated[
    Annotated[NewInvestigation, Tag("investigating")]
    | Annotated[NewKnownError, Tag("known_error")]
    | Annotated[NewFixed, Tag("fixed")]
    | Annotated[NewClosed, Tag("closed")],
    Discriminator(
        _new_status,
        custom_error_type="invalid_status",
        custom_error_message="The status is one of investigating, known_error, fixed, closed.",
    ),
]


class ProblemPatchIn(Schema):
    """Only the fields sent are changed."""

    title: TitleText | None = Field(default=None, description="null or left out: unchanged.")
    symptoms: Text | None = Field(default=None, description="null or left out: unchanged.")
    root_cause: OptionalText | None = None
    workaround: OptionalText | None = None
    permanent_fix: OptionalText | None = None
    status: ProblemStatus | None = None
    team_id: BodyId | None = Field(default=None, description="null or left out: unchanged.")
    owner_id: BodyId | None = Field(default=None, description="null: nobody.")


class LinkIn(Schema):
    ticket_id: BodyId


class RootCauseIn(Schema):
    ticket_id: BodyId
    root_cause: Text
    create_problem: StrictBool = Field(
        default=False, description="Also make a problem of it, with the ticket linked."
    )
    title: str = Field(
        default="",
        max_length=TITLE_MAX,
        pattern=OPTIONAL_LINE_PATTERN,
        description="The problem's title; empty: the ticket's subject.",
    )
    workaround: OptionalText = Field(
        default="", description="With a workaround the problem is a known error at once."
    )
    link_similar: StrictBool = Field(
        default=False,
        description="With create_problem: link the ticket's recent similar incidents too.",
    )


class RootCauseOut(Schema):
    ticket_id: int
    event_id: int = Field(description="The internal timeline event that records it.")
    problem: ProblemOut | None


class RecurringProposalOut(Schema):
    category: CategoryRef | None
    label: str = Field(description="The words the incidents share.")
    size: int
    incident_ids: list[int] = Field(description="The most recent first.")
    first_at: dt.datetime
    last_at: dt.datetime
    trend: str = Field(description="rising, steady, falling or new")
    title: str = Field(description="A title to start from.")
    symptoms: str = Field(description="Symptoms to start from.")


class RecurringOut(Schema):
    rows: int = Field(description="Incidents clustered.")
    capped: bool = Field(description="Only the most recent incidents were clustered.")
    days: int
    min_size: int
    proposals: list[RecurringProposalOut]


class SimilarOut(Schema):
    ticket_id: int
    reference: str
    subject: str


class TicketProblemsOut(Schema):
    problem: ProblemOut | None = Field(description="The ticket's problem, when you may see it.")
    linked_elsewhere: bool = Field(description="Linked to a problem you may not see.")
    known_errors: list[ProblemOut] = Field(description="Known errors that may match it.")
    similar_incidents: list[SimilarOut] = Field(
        description="Finished tickets like it, in its category, opened in the last 30 days."
    )
    related: list[ProblemOut] = Field(description="Problems those incidents are linked to.")
    root_cause: str | None = Field(description="The root cause recorded on it, if any.")
    needs_root_cause: bool


def _user(request: HttpRequest) -> User:
    return require_reader(request.auth)  # type: ignore[attr-defined]


def _user_ref(user: User | None) -> UserRef | None:
    return UserRef(id=user.pk, name=user.display_name) if user is not None else None


def problem_out(problem: Problem, *, incident_count: int | None = None) -> ProblemOut:
    count = getattr(problem, "incident_count", None) if incident_count is None else incident_count
    if count is None:
        count = problem.incidents.count()
    return ProblemOut(
        id=problem.pk,
        reference=problem.reference,
        title=problem.title,
        symptoms=problem.symptoms,
        root_cause=problem.root_cause,
        workaround=problem.workaround,
        permanent_fix=problem.permanent_fix,
        status=ProblemStatus(problem.status),
        team=TeamRef(id=problem.team.pk, name=problem.team.name),
        owner=_user_ref(problem.owner),
        incident_count=count,
        url=problem.desk_url,
        created_at=problem.created_at,
        updated_at=problem.updated_at,
    )


def _event_out(event: ProblemEvent) -> ProblemEventOut:
    return ProblemEventOut(
        kind=event.kind, actor=_user_ref(event.actor), data=event.data, created_at=event.created_at
    )


def _incident_out(ticket: Ticket) -> IncidentOut:
    link = ticket.problem_link
    return IncidentOut(
        ticket_id=ticket.pk,
        reference=ticket.reference,
        subject=ticket.subject,
        status=Status(ticket.status),
        linked_at=link.linked_at,
        linked_by=_user_ref(link.linked_by),
    )


def _fresh(user: User, pk: int) -> ProblemDetailOut:
    problem = selectors.problem_get(user=user, pk=pk)
    incidents = selectors.problem_incidents(user=user, problem=problem)
    return ProblemDetailOut(
        **problem_out(problem, incident_count=incidents.total).model_dump(),
        incidents=[_incident_out(t) for t in incidents.tickets],
        history=[_event_out(e) for e in selectors.problem_history(problem=problem)],
    )


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = one(Team.objects.filter(pk=team_id))
    if team is None:
        raise NotFound(f"There is no team {team_id}.", fields={"team_id": ["No such team."]})
    return team


def _owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = one(User.objects.filter(pk=owner_id, is_active=True))
    if owner is None or not owner.is_agent:
        raise NotFound(f"There is no agent {owner_id}.", fields={"owner_id": ["No such agent."]})
    return owner


def _ticket(user: User, ticket_id: int, field: str = "ticket_id") -> Ticket:
    try:
        return tickets.ticket_get(user=user, pk=ticket_id)
    except NotFound as exc:
        raise NotFound(exc.message, fields={field: ["No such ticket."]}) from None


class ProblemFilters(Schema):
    q: str = Field(
        default="",
        max_length=200,
        pattern=OPTIONAL_LINE_PATTERN,
        description="Words the title, symptoms, root cause, workaround or fix hold; or PRB-<n>.",
    )
    status: ProblemStatus | None = None


@router.get("", response={200: ProblemPage, **READ_ERRORS}, summary="List problems")
def list_problems(
    request: HttpRequest,
    filters: Query[ProblemFilters],
    cursor: str | None = Query(None, max_length=512),
    limit: int = Query(25, ge=1, le=100),
) -> ProblemPage:
    """The problems you may see, most recently changed first. Known errors
    that may explain a ticket: `?status=known_error&q=<its words>`."""
    page = selectors.problem_list(
        user=_user(request),
        q=filters.q,
        status=filters.status.value if filters.status else None,
        cursor=cursor,
        limit=limit,
    )
    return ProblemPage(items=[problem_out(p) for p in page.items], next_cursor=page.next_cursor)


@router.get(
    "/recurring", response={200: RecurringOut, **READ_ERRORS}, summary="Recurring incidents"
)
def recurring_proposals(
    request: HttpRequest, days: int = Query(selectors.REPEAT_DAYS, ge=1, le=366)
) -> RecurringOut:
    """Clusters of recent incidents without a problem that share a category and
    read alike: each a proposal for a new problem. Create it with POST
    /problems and the proposal's `incident_ids`."""
    found = selectors.recurring(user=_user(request), days=days)
    return RecurringOut(
        rows=found.rows,
        capped=found.capped,
        days=found.days,
        min_size=found.min_size,
        proposals=[
            RecurringProposalOut(
                category=CategoryRef(id=p.category_id, name=p.category)
                if p.category_id is not None
                else None,
                label=p.label,
                size=p.size,
                incident_ids=p.ticket_ids,
                first_at=p.first_at,
                last_at=p.last_at,
                trend=p.trend,
                title=p.title,
                symptoms=p.symptoms,
            )
            for p in found.proposals
        ],
    )


@router.get(
    "/for-ticket/{ticket_id}",
    response={200: TicketProblemsOut, **READ_ERRORS},
    summary="A ticket's problem",
)
def ticket_problems(request: HttpRequest, ticket_id: int = TicketId) -> TicketProblemsOut:
    """What the ticket page shows: its problem, or the known errors that may
    match; its recent similar incidents; whether to ask for its root cause."""
    user = _user(request)
    found = selectors.for_ticket(user=user, ticket=tickets.ticket_get(user=user, pk=ticket_id))
    return TicketProblemsOut(
        problem=problem_out(found.problem) if found.problem else None,
        linked_elsewhere=found.linked_elsewhere,
        known_errors=[problem_out(p) for p in found.known_errors],
        similar_incidents=[
            SimilarOut(ticket_id=s.id, reference=s.reference, subject=s.title)
            for s in found.repeats
        ],
        related=[problem_out(p) for p in found.related],
        root_cause=found.root_cause,
        needs_root_cause=found.needs_root_cause,
    )


@router.post("/root-causes", response={201: RootCauseOut, **WRITE_ERRORS}, summary="Root cause")
def record_root_cause(request: HttpRequest, payload: RootCauseIn) -> ApiStatus[RootCauseOut]:
    """The root cause of a ticket that has no problem, on its timeline (an
    internal event); optionally made into a problem with the ticket linked."""
    user = _user(request)
    ticket = _ticket(user, payload.ticket_id)
    also: list[Ticket] = []
    if payload.create_problem and payload.link_similar:
        repeats = selectors.repeat_incidents(ticket, user=user)
        also = list(
            Ticket.objects.filter(pk__in=[hit.id for hit in repeats], problem_link__isnull=True)
        )
    result = services.root_cause_record(
        ticket=ticket,
        actor=user,
        root_cause=payload.root_cause,
        create_problem=payload.create_problem,
        title=payload.title,
        workaround=payload.workaround,
        also_link=also,
    )
    problem = (
        problem_out(selectors.problem_get(user=user, pk=result.problem.pk))
        if result.problem is not None
        else None
    )
    return ApiStatus(
        201, RootCauseOut(ticket_id=ticket.pk, event_id=result.event.pk, problem=problem)
    )


@router.post("", response={201: ProblemDetailOut, **WRITE_ERRORS}, summary="Create a problem")
def create_problem(
    request: HttpRequest, payload: ProblemCreateIn = NewProblemBody
) -> ApiStatus[ProblemDetailOut]:
    user = _user(request)
    incidents = (
        selectors.incidents_for_proposal(user=user, ticket_ids=payload.incident_ids)
        if payload.incident_ids
        else []
    )
    problem = services.problem_create(
        actor=user,
        title=payload.title,
        symptoms=payload.symptoms,
        root_cause=payload.root_cause,
        workaround=payload.workaround,
        permanent_fix=payload.permanent_fix,
        status=ProblemStatus(payload.status),
        team=_team(payload.team_id),
        owner=_owner(payload.owner_id),
        incidents=incidents,
    )
    return ApiStatus(201, _fresh(user, problem.pk))


@router.get("/{problem_id}", response={200: ProblemDetailOut, **READ_ERRORS}, summary="A problem")
def get_problem(request: HttpRequest, problem_id: int = ProblemId) -> ProblemDetailOut:
    return _fresh(_user(request), problem_id)


def _given[T](value: T | None, sent: bool) -> Maybe[T]:
    return value if sent and value is not None else UNSET


@router.patch(
    "/{problem_id}", response={200: ProblemDetailOut, **WRITE_ERRORS}, summary="Change a problem"
)
def update_problem(
    request: HttpRequest, payload: ProblemPatchIn, problem_id: int = ProblemId
) -> ProblemDetailOut:
    """The fields left out (or null) stay as they are; `owner_id: null` leaves
    the problem without an owner."""
    user = _user(request)
    problem = selectors.problem_get(user=user, pk=problem_id)
    sent = payload.model_fields_set
    team = _team(payload.team_id) if payload.team_id is not None else None
    owner: Maybe[User | None] = _owner(payload.owner_id) if "owner_id" in sent else UNSET
    services.problem_update(
        problem=problem,
        actor=user,
        title=_given(payload.title, "title" in sent),
        symptoms=_given(payload.symptoms, "symptoms" in sent),
        root_cause=_given(payload.root_cause, "root_cause" in sent),
        workaround=_given(payload.workaround, "workaround" in sent),
        permanent_fix=_given(payload.permanent_fix, "permanent_fix" in sent),
        status=_given(payload.status, "status" in sent),
        team=team if team is not None else UNSET,
        owner=owner,
    )
    return _fresh(user, problem_id)


@router.post(
    "/{problem_id}/incidents",
    response={201: IncidentOut, **WRITE_ERRORS},
    summary="Link an incident",
)
def link_incident(
    request: HttpRequest, payload: LinkIn, problem_id: int = ProblemId
) -> ApiStatus[IncidentOut]:
    """The ticket is an incident of this problem; a ticket has one problem (409
    when it is linked already)."""
    user = _user(request)
    problem = selectors.problem_get(user=user, pk=problem_id)
    link = services.incident_link(
        problem=problem, ticket=_ticket(user, payload.ticket_id), actor=user
    )
    ticket = link.ticket
    return ApiStatus(
        201,
        IncidentOut(
            ticket_id=ticket.pk,
            reference=ticket.reference,
            subject=ticket.subject,
            status=Status(ticket.status),
            linked_at=link.linked_at,
            linked_by=_user_ref(user),
        ),
    )


@router.delete(
    "/{problem_id}/incidents/{ticket_id}",
    response={204: None, **READ_ERRORS},
    summary="Unlink an incident",
)
def unlink_incident(
    request: HttpRequest, problem_id: int = ProblemId, ticket_id: int = TicketId
) -> ApiStatus[None]:
    """404 when the ticket is not linked to this problem."""
    user = _user(request)
    problem = selectors.problem_get(user=user, pk=problem_id)
    services.incident_unlink(problem=problem, ticket=_ticket(user, ticket_id), actor=user)
    return ApiStatus(204, None)
