"""Tickets over the API: the desk's selectors, filters and services, as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja import Status as ApiStatus
from pydantic import Field, StrictBool

from deskwise.accounts.models import Contact, Team, User
from deskwise.accounts.services import contact_get_or_create
from deskwise.api.schemas import (
    MAX_ID,
    READ_ERRORS,
    ROLE_READ_ERRORS,
    WRITE_ERRORS,
    BodyId,
    TeamRef,
    UserRef,
)
from deskwise.core.errors import InvalidInput, NotAllowed, NotFound
from deskwise.core.queries import one
from deskwise.core.text import (
    BODY_MAX,
    BODY_PATTERN,
    EMAIL_PATTERN,
    LINE_PATTERN,
    NAME_MAX,
    OPTIONAL_BODY_PATTERN,
    OPTIONAL_LINE_PATTERN,
    SUBJECT_MAX,
)
from deskwise.queueing.estimate import wait_words
from deskwise.tickets import selectors, services
from deskwise.tickets.choices import (
    CONTACT_EVENT,
    Channel,
    EventKind,
    Impact,
    Priority,
    SlaState,
    Status,
    TriageClass,
    Urgency,
    Visibility,
)
from deskwise.tickets.filters import TicketFilters
from deskwise.tickets.models import Attachment, Ticket, TimelineEvent
from deskwise.triage.models import Category

router = Router(tags=["tickets"])
queue_router = Router(tags=["queue"])

TicketId = Path(..., ge=1, le=MAX_ID, description="The number in the ticket's reference DW-<n>.")


class ContactRef(Schema):
    id: int
    email: str
    name: str


class CategoryRef(Schema):
    id: int
    name: str


class RedFlagOut(Schema):
    code: str
    label: str
    reason: str
    source: str = Field(description="'auto', or the agent who raised it.")


class ProposalOut(Schema):
    field: str
    value: str
    confidence: float
    source: Literal["rule", "model", "given"]
    why: str
    applied: bool


class TicketOut(Schema):
    id: int
    reference: str
    subject: str
    status: Status
    priority: Priority
    impact: Impact
    urgency: Urgency
    triage_class: TriageClass | Literal[""]
    category: CategoryRef | None
    red_flags: list[RedFlagOut] = Field(description="For agents; empty for requesters.")
    frustrated: bool = Field(description="For agents; false for requesters.")
    triage: list[ProposalOut] = Field(
        description="What automatic triage proposed and why (agents only)."
    )
    expected_start_at: dt.datetime | None = Field(
        description="When work is expected to start (kept current while it waits)."
    )
    expected_resolution_at: dt.datetime | None
    wait: str = Field(description="The wait estimate in words, as the requester reads it.")
    channel: Channel
    requester: ContactRef
    team: TeamRef
    owner: UserRef | None
    escalated_to: UserRef | None
    escalation_level: int
    reopen_count: int
    due_at: dt.datetime
    sla: SlaOut
    created_at: dt.datetime
    updated_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolution_confirmed: bool | None = Field(
        description="true: the requester confirmed; false: closed without their confirmation."
    )
    closed_at: dt.datetime | None


class SlaOut(Schema):
    state: SlaState = Field(description="ok, warning (close to a target) or breached.")
    paused: bool = Field(
        description="The clock is stopped (waiting on the requester, deferred, resolved...)."
    )
    first_response_due_at: dt.datetime | None
    resolution_due_at: dt.datetime | None
    first_response_breached_at: dt.datetime | None
    resolution_breached_at: dt.datetime | None
    paused_for_seconds: int = Field(description="Business time stopped so far.")


class TicketPage(Schema):
    items: list[TicketOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    url: str


class EventOut(Schema):
    id: int
    kind: EventKind
    visibility: Visibility
    actor: UserRef | None
    contact: ContactRef | None
    channel: Channel | Literal[""]
    body_text: str
    body_html: str
    data: dict[str, Any]
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None


SubjectText = Annotated[str, Field(max_length=SUBJECT_MAX, pattern=LINE_PATTERN)]
BodyText = Annotated[str, Field(max_length=BODY_MAX, pattern=BODY_PATTERN)]
EmailAddress = Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN)]


class TicketCreateIn(Schema):
    subject: SubjectText
    description: BodyText
    requester_email: str | None = Field(
        default=None,
        max_length=254,
        pattern=EMAIL_PATTERN,
        description="Who needs help; yourself when left out. Only agents open tickets for "
        "someone else.",
    )
    requester_name: str = Field(default="", max_length=NAME_MAX, pattern=OPTIONAL_LINE_PATTERN)
    team_id: BodyId | None = Field(default=None, description="Agents only.")
    impact: Impact | None = Field(
        default=None, description="Who is affected; left out, triage proposes it."
    )
    urgency: Urgency | None = Field(
        default=None, description="What cannot be done now; left out, triage proposes it."
    )
    category_id: BodyId | None = Field(default=None, description="Agents only.")
    channel: Literal["api", "phone", "walk_up", "chat"] = Field(
        default="api", description="Agents logging a call, walk-up or chat say so here."
    )
    cc: list[EmailAddress] = Field(
        default_factory=list, max_length=20, description="Participants' email addresses."
    )


class BodyIn(Schema):
    body: BodyText


class ReplyIn(BodyIn):
    then: Literal["open", "waiting_on_requester"] | None = Field(
        default=None, description="Status after the reply; by default a new ticket becomes open."
    )


class LogIn(BodyIn):
    channel: Literal["phone", "walk_up", "chat"]
    public: StrictBool = Field(default=False, description="Show this log to the requester.")


class AssignIn(Schema):
    owner_id: BodyId | None = Field(default=None, description="null leaves it unassigned.")
    team_id: BodyId | None = None
    override: StrictBool = Field(
        default=False, description="A supervisor assigning past the agent's limit."
    )


class TriageIn(Schema):
    """Only the fields sent are changed."""

    reason: str = Field(max_length=2000, pattern=BODY_PATTERN)
    triage_class: TriageClass | Literal[""] | None = None
    impact: Impact | None = None
    urgency: Urgency | None = None
    category_id: BodyId | None = None
    priority: Priority | None = Field(
        default=None, description="Set outright; otherwise it follows impact x urgency."
    )


class FlagIn(Schema):
    code: Literal["unclear", "unsupported", "research", "history", "out_of_scope", "frustrated"]
    reason: str = Field(max_length=2000, pattern=BODY_PATTERN)
    on: StrictBool = Field(default=True, description="false clears the flag.")


class TransitionIn(Schema):
    to: Status
    reason: str = Field(
        max_length=BODY_MAX,
        pattern=BODY_PATTERN,
        description="Why: every change through the API says so. For `resolved` it is the "
        "resolution the requester is asked to confirm.",
    )


class EscalateIn(Schema):
    reason: str = Field(max_length=2000, pattern=BODY_PATTERN)
    to_user_id: BodyId | None = Field(
        default=None,
        description="A supervisor. With neither this nor a team, the team's supervisor.",
    )
    to_team_id: BodyId | None = None


class ConfirmIn(Schema):
    solved: StrictBool
    comment: str = Field(default="", max_length=5000, pattern=OPTIONAL_BODY_PATTERN)


# Responses are built from rows the database already typed, so they are
# constructed without validating each field again (ninja checks the shape).
def _user_ref(user: User | None) -> UserRef | None:
    return UserRef.model_construct(id=user.pk, name=user.display_name) if user else None


def _flags(ticket: Ticket) -> list[RedFlagOut]:
    return [
        RedFlagOut.model_construct(
            code=str(f.get("code", "")),
            label=str(f.get("label", "")),
            reason=str(f.get("reason", "")),
            source=str(f.get("source", "auto")),
        )
        for f in ticket.red_flags
        if isinstance(f, dict)
    ]


def _proposals(ticket: Ticket) -> list[ProposalOut]:
    found = (ticket.triage or {}).get("proposals", {})
    return [
        ProposalOut.model_construct(
            field=str(p.get("field", name)),
            value=str(p.get("value", "")),
            confidence=float(p.get("confidence", 0)),
            source=p.get("source", "rule"),
            why=str(p.get("why", "")),
            applied=bool(p.get("applied")),
        )
        for name, p in found.items()
        if isinstance(p, dict)
    ]


def ticket_out(ticket: Ticket, *, internal: bool = True) -> TicketOut:
    """The ticket as the API shows it; ``internal`` (agents) adds triage and flags."""
    return TicketOut.model_construct(
        id=ticket.pk,
        reference=ticket.reference,
        subject=ticket.subject,
        status=Status(ticket.status),
        priority=Priority(ticket.priority),
        impact=Impact(ticket.impact),
        urgency=Urgency(ticket.urgency),
        triage_class=TriageClass(ticket.triage_class) if ticket.triage_class else "",
        category=CategoryRef.model_construct(id=ticket.category.pk, name=ticket.category.name)
        if ticket.category_id and ticket.category
        else None,
        red_flags=_flags(ticket) if internal else [],
        frustrated=ticket.frustrated if internal else False,
        triage=_proposals(ticket) if internal else [],
        expected_start_at=ticket.expected_start_at,
        expected_resolution_at=ticket.expected_resolution_at,
        wait=wait_words(ticket),
        channel=Channel(ticket.channel),
        requester=ContactRef.model_construct(
            id=ticket.requester.pk, email=ticket.requester.email, name=ticket.requester.name
        ),
        team=TeamRef.model_construct(id=ticket.team.pk, name=ticket.team.name),
        owner=_user_ref(ticket.owner),
        escalated_to=_user_ref(ticket.escalated_to),
        escalation_level=ticket.escalation_level,
        reopen_count=ticket.reopen_count,
        due_at=ticket.due_at,
        sla=SlaOut.model_construct(
            state=SlaState(ticket.sla_state),
            paused=ticket.sla_paused_at is not None,
            first_response_due_at=ticket.first_response_due_at,
            resolution_due_at=ticket.resolution_due_at,
            first_response_breached_at=ticket.first_response_breached_at,
            resolution_breached_at=ticket.resolution_breached_at,
            paused_for_seconds=int(ticket.sla_paused_for.total_seconds()),
        ),
        created_at=ticket.created_at,
        updated_at=ticket.updated_at,
        first_response_at=ticket.first_response_at,
        resolved_at=ticket.resolved_at,
        resolution_confirmed=ticket.resolution_confirmed,
        closed_at=ticket.closed_at,
    )


def _attachment_out(a: Attachment) -> AttachmentOut:
    return AttachmentOut.model_construct(
        id=a.pk,
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        url=f"/attachments/{a.pk}/{a.filename}",
    )


def event_out(event: TimelineEvent) -> EventOut:
    contact = event.contact
    return EventOut.model_construct(
        id=event.pk,
        kind=EventKind(event.kind),
        visibility=Visibility(event.visibility),
        actor=_user_ref(event.actor),
        contact=ContactRef.model_construct(id=contact.pk, email=contact.email, name=contact.name)
        if contact
        else None,
        channel=Channel(event.channel) if event.channel else "",
        body_text=event.body_text,
        body_html=event.body_html,
        data=event.data,
        created_at=event.created_at,
        attachments=[_attachment_out(a) for a in event.attachments.all()],
    )


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _team(user: User, team_id: int | None, field: str = "team_id") -> Team | None:
    if team_id is None:
        return None
    if not user.is_agent:
        raise NotAllowed("Only agents route tickets to teams.")
    team = one(Team.objects.filter(pk=team_id))
    if team is None:
        raise NotFound(f"There is no team {team_id}.", fields={field: ["No such team."]})
    return team


def _agent(user: User, user_id: int | None, field: str) -> User | None:
    if user_id is None:
        return None
    if not user.is_agent:
        raise NotAllowed("Only agents choose who works on a ticket.")
    agent = one(User.objects.filter(pk=user_id, is_active=True))
    if agent is None or not agent.is_agent:
        raise NotFound(f"There is no agent {user_id}.", fields={field: ["No such agent."]})
    return agent


def _category(user: User, category_id: int | None) -> Category | None:
    if category_id is None:
        return None
    if not user.is_agent:
        raise NotAllowed("Only agents choose the category.")
    category = one(Category.objects.filter(pk=category_id, is_active=True))
    if category is None:
        raise NotFound(
            f"There is no category {category_id}.", fields={"category_id": ["No such category."]}
        )
    return category


def _contact(email: str, name: str, field: str) -> Contact:
    """The contact for an address in a request; errors are named after the request's field."""
    try:
        return contact_get_or_create(email=email, name=name)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, fields={field: [exc.message]}) from None


def _fresh(request: HttpRequest, ticket_id: int) -> TicketOut:
    user = _user(request)
    return ticket_out(selectors.ticket_get(user=user, pk=ticket_id), internal=user.is_agent)


@router.get("", response={200: TicketPage, **READ_ERRORS}, summary="List tickets")
def list_tickets(
    request: HttpRequest,
    filters: Query[TicketFilters],
    cursor: str | None = Query(None, max_length=512),
    limit: int = Query(25, ge=1, le=100),
) -> TicketPage:
    """The tickets you may see, filtered like the desk's queue and in its order
    (priority, then deadline). Requesters see their own requests, newest first."""
    user = _user(request)
    if user.is_agent:
        page = selectors.ticket_list(user=user, filters=filters, cursor=cursor, limit=limit)
    else:
        page = selectors.requester_ticket_list(user=user, cursor=cursor, limit=limit)
    return TicketPage.model_construct(
        items=[ticket_out(t, internal=user.is_agent) for t in page.items],
        next_cursor=page.next_cursor,
    )


@router.post("", response={201: TicketOut, **WRITE_ERRORS}, summary="Open a ticket")
def create_ticket(request: HttpRequest, payload: TicketCreateIn) -> ApiStatus[TicketOut]:
    user = _user(request)
    if user.is_agent and payload.requester_email:
        requester = _contact(payload.requester_email, payload.requester_name, "requester_email")
    elif user.is_agent:
        if user.contact is None:
            raise NotAllowed("This login has no requester identity; give requester_email.")
        requester = user.contact
    else:
        if user.contact is None:
            raise NotAllowed("This login has no requester identity.")
        requester = user.contact
        if (
            payload.requester_email
            and payload.requester_email.casefold() != requester.email.casefold()
        ):
            raise NotAllowed("You can only open requests for yourself.")
        if payload.team_id is not None or payload.channel != "api":
            raise NotAllowed("Only agents choose the team or log calls.")
    participants = [_contact(addr, "", "cc") for addr in payload.cc]
    ticket = services.open_ticket(
        requester=requester,
        subject=payload.subject,
        description=payload.description,
        channel=Channel(payload.channel),
        actor=user,
        team=_team(user, payload.team_id),
        impact=payload.impact,
        urgency=payload.urgency,
        category=_category(user, payload.category_id),
        participants=participants,
        event_kind=CONTACT_EVENT.get(Channel(payload.channel), EventKind.MESSAGE_IN),
    )
    # The service returns the ticket with its requester, team and owner in hand.
    return ApiStatus(201, ticket_out(ticket, internal=user.is_agent))


@router.get("/{ticket_id}", response={200: TicketOut, **READ_ERRORS}, summary="A ticket")
def get_ticket(request: HttpRequest, ticket_id: int = TicketId) -> TicketOut:
    return _fresh(request, ticket_id)


@router.get(
    "/{ticket_id}/timeline", response={200: EventPage, **READ_ERRORS}, summary="A ticket's timeline"
)
def get_timeline(
    request: HttpRequest,
    ticket_id: int = TicketId,
    cursor: str | None = Query(None, max_length=512),
    limit: int = Query(50, ge=1, le=100),
) -> EventPage:
    """Every event you may read, oldest first; internal notes only for agents."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    page = selectors.timeline_page(user=user, ticket=ticket, cursor=cursor, limit=limit)
    return EventPage.model_construct(
        items=[event_out(e) for e in page.items], next_cursor=page.next_cursor
    )


def _event_response(event: TimelineEvent) -> ApiStatus[EventOut]:
    fresh = (
        TimelineEvent.objects.select_related("actor", "contact")
        .prefetch_related("attachments")
        .get(pk=event.pk)
    )
    return ApiStatus(201, event_out(fresh))


@router.post("/{ticket_id}/reply", response={201: EventOut, **WRITE_ERRORS}, summary="Reply")
def post_reply(
    request: HttpRequest, payload: ReplyIn, ticket_id: int = TicketId
) -> ApiStatus[EventOut]:
    """An agent's answer to the requester, mailed to them and their copies."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    then = Status(payload.then) if payload.then else None
    return _event_response(services.reply(ticket=ticket, actor=user, body=payload.body, then=then))


@router.post(
    "/{ticket_id}/notes", response={201: EventOut, **WRITE_ERRORS}, summary="Internal note"
)
def post_note(
    request: HttpRequest, payload: BodyIn, ticket_id: int = TicketId
) -> ApiStatus[EventOut]:
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    return _event_response(services.add_note(ticket=ticket, actor=user, body=payload.body))


@router.post(
    "/{ticket_id}/messages", response={201: EventOut, **WRITE_ERRORS}, summary="Requester message"
)
def post_message(
    request: HttpRequest, payload: BodyIn, ticket_id: int = TicketId
) -> ApiStatus[EventOut]:
    """The requester (or a participant) adds to their request."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    if user.contact is None or user.is_agent:
        raise NotAllowed("Agents reply or add notes; messages come from requesters.")
    event = services.add_requester_message(
        ticket=ticket, contact=user.contact, actor=user, body=payload.body, channel=Channel.API
    )
    return _event_response(event)


@router.post("/{ticket_id}/log", response={200: TicketOut, **WRITE_ERRORS}, summary="Log a contact")
def post_log(request: HttpRequest, payload: LogIn, ticket_id: int = TicketId) -> TicketOut:
    """Record a phone call, walk-up or chat about this ticket."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    services.log_contact(
        actor=user,
        channel=Channel(payload.channel),
        body=payload.body,
        ticket=ticket,
        public=payload.public,
    )
    return _fresh(request, ticket_id)


@router.post(
    "/{ticket_id}/take", response={200: TicketOut, **WRITE_ERRORS}, summary="Take ownership"
)
def post_take(request: HttpRequest, ticket_id: int = TicketId) -> TicketOut:
    user = _user(request)
    services.take_ownership(ticket=selectors.ticket_get(user=user, pk=ticket_id), actor=user)
    return _fresh(request, ticket_id)


@router.post("/{ticket_id}/assign", response={200: TicketOut, **WRITE_ERRORS}, summary="Assign")
def post_assign(request: HttpRequest, payload: AssignIn, ticket_id: int = TicketId) -> TicketOut:
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    services.assign(
        ticket=ticket,
        actor=user,
        owner=_agent(user, payload.owner_id, "owner_id"),
        team=_team(user, payload.team_id),
        override=payload.override,
    )
    return _fresh(request, ticket_id)


@router.post(
    "/{ticket_id}/triage", response={200: TicketOut, **WRITE_ERRORS}, summary="Change triage"
)
def post_triage(request: HttpRequest, payload: TriageIn, ticket_id: int = TicketId) -> TicketOut:
    """Correct class, impact, urgency, category or priority, with a reason.
    Fields left out stay as they are."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    sent = payload.model_fields_set
    changes: dict[str, Any] = {}
    for name in ("triage_class", "impact", "urgency", "priority"):
        if name in sent and getattr(payload, name) is not None:
            changes[name] = getattr(payload, name)
    if "category_id" in sent:
        changes["category"] = _category(user, payload.category_id)
    services.change_triage(ticket=ticket, actor=user, reason=payload.reason, **changes)
    return _fresh(request, ticket_id)


@router.post("/{ticket_id}/flags", response={200: TicketOut, **WRITE_ERRORS}, summary="Red flag")
def post_flag(request: HttpRequest, payload: FlagIn, ticket_id: int = TicketId) -> TicketOut:
    """Raise (or with `on: false` clear) a red flag, with a reason."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    services.set_flag(
        ticket=ticket, actor=user, code=payload.code, reason=payload.reason, on=payload.on
    )
    return _fresh(request, ticket_id)


@router.post(
    "/{ticket_id}/transition", response={200: TicketOut, **WRITE_ERRORS}, summary="Change status"
)
def post_transition(
    request: HttpRequest, payload: TransitionIn, ticket_id: int = TicketId
) -> TicketOut:
    """Move the ticket by the transition table; a refused move says why (409).
    Resolving needs the resolution as `reason`; deferring and declining need a reason."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    services.transition(ticket=ticket, actor=user, to=payload.to, reason=payload.reason)
    return _fresh(request, ticket_id)


@router.post("/{ticket_id}/escalate", response={200: TicketOut, **WRITE_ERRORS}, summary="Escalate")
def post_escalate(
    request: HttpRequest, payload: EscalateIn, ticket_id: int = TicketId
) -> TicketOut:
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    services.escalate(
        ticket=ticket,
        actor=user,
        reason=payload.reason,
        to_user=_agent(user, payload.to_user_id, "to_user_id"),
        to_team=_team(user, payload.to_team_id, "to_team_id"),
    )
    return _fresh(request, ticket_id)


@router.post(
    "/{ticket_id}/confirm", response={200: TicketOut, **WRITE_ERRORS}, summary="Confirm resolution"
)
def post_confirm(request: HttpRequest, payload: ConfirmIn, ticket_id: int = TicketId) -> TicketOut:
    """The requester answers "Have I solved your problem?"."""
    user = _user(request)
    ticket = selectors.ticket_get(user=user, pk=ticket_id)
    if user.contact is None:
        raise NotAllowed("Only the requester can confirm the resolution.")
    services.confirm_resolution(
        ticket=ticket,
        contact=user.contact,
        actor=user,
        solved=payload.solved,
        comment=payload.comment,
    )
    return _fresh(request, ticket_id)


@queue_router.get("", response={200: TicketPage, **ROLE_READ_ERRORS}, summary="My work queue")
def work_queue(
    request: HttpRequest,
    view: Literal["mine", "unassigned", "all"] = Query("mine"),
    cursor: str | None = Query(None, max_length=512),
    limit: int = Query(25, ge=1, le=100),
) -> TicketPage:
    """The agent's queue in working order: priority, then deadline, then age."""
    user = _user(request)
    if not user.is_agent:
        raise NotAllowed("The work queue is for agents.")
    page = selectors.ticket_list(
        user=user, filters=TicketFilters(view=view), cursor=cursor, limit=limit
    )
    return TicketPage.model_construct(
        items=[ticket_out(t) for t in page.items], next_cursor=page.next_cursor
    )


@queue_router.post("/next", response={200: TicketOut, **WRITE_ERRORS}, summary="Take the next")
def next_ticket(request: HttpRequest) -> TicketOut:
    """Take the top unassigned ticket of your teams (409 when none waits, or at your limit)."""
    user = _user(request)
    ticket = services.take_next(actor=user)
    return _fresh(request, ticket.pk)
