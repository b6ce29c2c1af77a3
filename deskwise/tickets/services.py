"""Every change to a ticket, one function each.

Each service is keyword-only, runs in one transaction, locks the ticket row,
checks the policy, appends its timeline event and queues its mail after the
commit. Pages, the API, mail intake, commands and tasks all come here;
nothing else saves a ticket.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Contact, Team, User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed
from deskwise.core.files import guess_type, human_size, safe_filename
from deskwise.core.queries import one
from deskwise.core.text import SUBJECT_MAX, clean_body, clean_line, text_to_html
from deskwise.notifications.services import email_queue, thread_key_record
from deskwise.queueing.estimate import STORED, estimate_for, stored_fields
from deskwise.queueing.model import sentence
from deskwise.sla import clock as sla_clock
from deskwise.sla.models import Breach, Target
from deskwise.tickets.capacity import over_limit, pick_agent
from deskwise.tickets.choices import (
    ACTIVE_STATES,
    CONTACT_EVENT,
    LOGGED_CHANNELS,
    QUEUE_ORDER,
    REFUSAL_HINTS,
    REOPENED_BY_REPLY,
    TRANSITIONS,
    Channel,
    EventKind,
    Impact,
    Priority,
    Status,
    TriageClass,
    Urgency,
    Visibility,
)
from deskwise.tickets.models import Attachment, Ticket, TimelineEvent
from deskwise.tickets.permissions import Action, require, team_ids
from deskwise.triage.engine import Triage, triage_request
from deskwise.triage.flags import LABELS, Flag, make_flag
from deskwise.triage.models import Category
from deskwise.triage.priority import priority_for
from deskwise.triage.signals import SUGGESTED_APPROACH, frustration

logger = logging.getLogger(__name__)


def service[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """One transaction and one moment per change: every row it writes shares a time."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with clock.one_moment(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


class Upload(Protocol):
    """What services need of an uploaded file (Django's UploadedFile fits)."""

    @property
    def name(self) -> str | None: ...
    @property
    def size(self) -> int | None: ...

    def chunks(self, chunk_size: int | None = ...) -> Any: ...


@dataclass(frozen=True)
class Tip:
    """A bonus tip sent with a resolution: a public knowledge base article."""

    article_id: int
    title: str
    url: str  # absolute: the requester opens it from an email
    summary: str = ""

    def as_data(self) -> dict[str, Any]:
        return {
            "article": self.article_id,
            "title": self.title,
            "url": self.url,
            "summary": self.summary,
        }


# --- helpers (private: callers use the services below) ---------------------------


def _clean(value: str | None, cleaner: Any, field: str, **kwargs: Any) -> str:
    try:
        return cleaner(value, **kwargs)
    except ValidationError as exc:
        message = exc.messages[0]
        raise InvalidInput(message, fields={field: [message]}) from None


def _check_uploads(uploads: Sequence[Upload], channel: str = "") -> None:
    limit = settings.DESKWISE_MAX_ATTACHMENT_BYTES
    # A mail may carry more files than a person uploads at once.
    most = (
        settings.DESKWISE_MAIL_MAX_ATTACHMENTS
        if channel == Channel.EMAIL
        else settings.DESKWISE_MAX_ATTACHMENTS
    )
    if len(uploads) > most:
        message = f"{len(uploads)} files were attached; at most {most} can be added at once."
        raise InvalidInput(message, fields={"attachments": [message]})
    for upload in uploads:
        size = upload.size or 0
        if size > limit:
            message = (
                f"{safe_filename(upload.name)} is {human_size(size)}; the limit is "
                f"{human_size(limit)} per file."
            )
            raise InvalidInput(message, fields={"attachments": [message]})


def _store_uploads(event: TimelineEvent, uploads: Sequence[Upload]) -> None:
    for upload in uploads:
        name = safe_filename(upload.name)
        digest = hashlib.sha256()
        size = 0
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
        attachment = Attachment(
            ticket_id=event.ticket_id,
            event=event,
            filename=name,
            content_type=guess_type(name),
            size=size,
            sha256=digest.hexdigest(),
            content_id=getattr(upload, "content_id", "")[:255],
            inline=bool(getattr(upload, "inline", False)),
            created_at=event.created_at,
        )
        if hasattr(upload, "seek"):
            upload.seek(0)
        attachment.file.save(name, upload, save=False)  # type: ignore[arg-type]
        attachment.save()


def _lock(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock so concurrent changes queue up."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _append(
    ticket: Ticket,
    *,
    kind: EventKind,
    actor: User | None = None,
    contact: Contact | None = None,
    visibility: Visibility = Visibility.PUBLIC,
    body: str = "",
    channel: str = "",
    data: dict[str, Any] | None = None,
    uploads: Sequence[Upload] = (),
) -> TimelineEvent:
    now = clock.now()
    event = TimelineEvent.objects.create(
        ticket=ticket,
        kind=kind,
        visibility=visibility,
        actor=actor,
        contact=contact,
        channel=channel,
        body_text=body,
        body_html=text_to_html(body) if body else "",
        data=data or {},
        created_at=now,
    )
    if uploads:
        _store_uploads(event, uploads)
    if actor is not None and visibility == Visibility.PUBLIC and kind in SENT_KINDS:
        for hook in REPLY_HOOKS:
            hook(event)
    ticket.updated_at = now
    if ticket.back_at is not None and actor is not None and actor.pk == ticket.owner_id:
        ticket.back_at = None  # back from deferral, and the owner has taken it up
    return event


# What an agent says to the requester: a reply, a resolution, a deferral or a decline.
SENT_KINDS = frozenset({EventKind.REPLY, EventKind.RESOLUTION, EventKind.DECISION})
# Called with each such message, in its transaction, as it is appended: the
# reply coach records what it finds in what was sent (the tickets app depends
# on none of it).
REPLY_HOOKS: list[Callable[[TimelineEvent], object]] = []


def _set_status(ticket: Ticket, to: Status, *, reason: str = "") -> dict[str, str]:
    """Move a locked ticket to ``to`` by the transition table; returns the change."""
    current = Status(ticket.status)
    if to == current:
        raise Conflict(f"{ticket.reference} is already {current.label.lower()}.")
    if to not in TRANSITIONS[current]:
        raise Conflict(
            f"{ticket.reference} cannot go from {current.label.lower()} to "
            f"{to.label.lower()}. {REFUSAL_HINTS[current]}",
            fields={"status": [f"Not allowed from {current.label.lower()}."]},
        )
    now = clock.now()
    if current in REOPENED_BY_REPLY and to == Status.OPEN:
        ticket.reopen_count += 1
        if ticket.reopen_count >= settings.DESKWISE_ESCALATE_REOPENS:
            _escalate_later(ticket, f"Reopened {ticket.reopen_count} times: it keeps coming back.")
        ticket.resolved_at = None
        ticket.closed_at = None
        ticket.resolution_confirmed = None
    if to == Status.RESOLVED:
        ticket.resolved_at = now
    if to == Status.CLOSED:
        ticket.closed_at = now
        ticket.__dict__["just_closed"] = True
    ticket.status = to
    ticket.status_changed_at = now
    change = {"from": current.value, "to": to.value}
    if reason:
        change["reason"] = reason
    return change


def _save(ticket: Ticket) -> None:
    """Save a changed ticket, with its service-level clock brought up to date
    and any escalation the change calls for made."""
    _sla(ticket)
    reason = ticket.__dict__.pop("escalate_because", None)
    if reason:
        _escalate_automatically(ticket, reason)
    ticket.save()
    if ticket.__dict__.pop("just_closed", False):
        for hook in CLOSED_HOOKS:
            hook(ticket)


# Called with each ticket just closed, in the closing transaction, after it is
# saved: other apps add theirs when they load (the closing questions do), so
# the tickets app depends on none of them.
CLOSED_HOOKS: list[Callable[[Ticket], object]] = []


def _escalate_later(ticket: Ticket, reason: str) -> None:
    """Escalate when the change being made is saved (after its own event)."""
    ticket.__dict__["escalate_because"] = reason


def _sla(ticket: Ticket) -> None:
    """Recompute the ticket's due times and record what became due: a warning
    to its owner, or a missed target (recorded, and escalated)."""
    for crossing in sla_clock.refresh(ticket):
        target = Target(crossing.target).label.lower()
        due = f"{crossing.due_at:%Y-%m-%d %H:%M %Z}".strip()
        if crossing.kind == "warning":
            _append(
                ticket,
                kind=EventKind.SLA,
                visibility=Visibility.INTERNAL,
                body=f"The {target} target is close: due {due}.",
                data={"sla": "warning", "target": crossing.target, "due_at": due},
            )
            _mail_agent(
                ticket,
                ticket.owner or _supervisor_or_none(ticket.team),
                "sla_warning",
                target=target,
                due=due,
            )
            continue
        Breach.objects.get_or_create(
            ticket=ticket,
            target=crossing.target,
            defaults={
                "due_at": crossing.due_at,
                "noticed_at": clock.now(),
                "policy_id": ticket.sla_policy_id,
                "team_id": ticket.team_id,
                "priority": ticket.priority,
            },
        )
        _append(
            ticket,
            kind=EventKind.SLA,
            visibility=Visibility.INTERNAL,
            body=f"The {target} target was missed: it was due {due}.",
            data={"sla": "breach", "target": crossing.target, "due_at": due},
        )
        if ticket.status not in sla_clock.STOPPED:
            _escalate_automatically(ticket, f"The {target} target was missed (due {due}).")


def _supervisor_or_none(team: Team) -> User | None:
    try:
        return _team_supervisor(team, exclude=None)
    except Conflict:
        return None


def _escalate_automatically(ticket: Ticket, reason: str) -> None:
    """Hand the ticket to its team's supervisor, said on the timeline; once a
    ticket is with a supervisor, it stays with them (no second escalation)."""
    supervisor = _supervisor_or_none(ticket.team)
    if supervisor is None or ticket.escalated_to_id == supervisor.pk:
        return
    ticket.escalated_to = supervisor
    ticket.escalation_level += 1
    _append(
        ticket,
        kind=EventKind.ESCALATION,
        visibility=Visibility.INTERNAL,
        body=reason,
        data={
            "reason": reason,
            "level": ticket.escalation_level,
            "to_user": _ref(supervisor),
            "automatic": True,
        },
    )
    _mail_agent(ticket, supervisor, "escalated", reason=reason, escalated_by="Deskwise")


def _ref(obj: User | Team | None) -> dict[str, Any] | None:
    """How the timeline names a person or team: kept with the event, so the
    timeline reads the same even after someone is renamed or removed."""
    if obj is None:
        return None
    name = obj.display_name if isinstance(obj, User) else obj.name
    return {"id": obj.pk, "name": name}


def _first_response(ticket: Ticket) -> None:
    """The desk has answered (the service-level clock moves on when saved)."""
    now = clock.now()
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    ticket.requester_updated_at = now


def _ticket_context(ticket: Ticket) -> dict[str, Any]:
    return {
        "reference": ticket.reference,
        "subject": ticket.subject,
        "ticket_id": ticket.pk,
        "requester_name": ticket.requester.first_name,
        "portal_path": f"/portal/requests/{ticket.pk}/",
        "desk_path": f"/desk/tickets/{ticket.pk}/",
        "status": Status(ticket.status).label,
    }


def _mail_requester(
    ticket: Ticket,
    event: TimelineEvent,
    template: str,
    *,
    copies: Sequence[Contact] | None = None,
    automatic: bool = True,
    **extra: Any,
) -> None:
    """Mail the requester, copying the participants (``copies`` when known).
    ``automatic=False`` for an agent's own words."""
    cc = (
        [c.email for c in copies]
        if copies is not None
        else list(ticket.participants.values_list("email", flat=True))
    )
    email_queue(
        template=template,
        to=[ticket.requester.email],
        cc=cc,
        context={**_ticket_context(ticket), **extra},
        ticket=ticket,
        event=event,
        automatic=automatic,
    )


def _mail_agent(ticket: Ticket, agent: User | None, template: str, **extra: Any) -> None:
    if agent is None or not agent.email or not agent.is_active:
        return
    email_queue(
        template=template,
        to=[agent.email],
        context={**_ticket_context(ticket), "agent_name": agent.display_name, **extra},
    )


def _default_team() -> Team:
    team = one(Team.objects.filter(is_default=True)) or Team.objects.order_by("pk").first()
    if team is None:
        raise Conflict("The desk has no team yet: an admin must create one first.")
    return team


def _team_supervisor(team: Team, *, exclude: User | None) -> User:
    """Who an escalation without a named target goes to: the team's supervisor,
    else any supervisor, else an admin."""
    candidates = User.objects.filter(is_active=True)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    for qs in (
        candidates.filter(role=Role.SUPERVISOR, memberships__team=team),
        candidates.filter(role=Role.SUPERVISOR),
        candidates.filter(role=Role.ADMIN),
    ):
        found = qs.order_by("pk").first()
        if found is not None:
            return found
    raise Conflict("There is no supervisor to escalate to: an admin must appoint one.")


def _check_owner(owner: User, team: Team) -> None:
    if not owner.is_agent:
        raise InvalidInput(
            f"{owner.display_name} is not an agent.", fields={"owner": ["Not an agent."]}
        )
    if not owner.is_desk_admin and not owner.memberships.filter(team=team).exists():
        raise Conflict(
            f"{owner.display_name} is not a member of {team.name}.",
            fields={"owner": [f"Not a member of {team.name}."]},
        )


def _add_participants(
    ticket: Ticket, contacts: Sequence[Contact], *, actor: User | None, contact: Contact | None
) -> None:
    known = set(ticket.participants.values_list("pk", flat=True)) | {ticket.requester_id}
    new = [c for c in dict.fromkeys(contacts) if c.pk not in known]
    if not new:
        return
    ticket.participants.add(*new)
    _append(
        ticket,
        kind=EventKind.PARTICIPANTS,
        actor=actor,
        contact=contact,
        visibility=Visibility.INTERNAL,
        data={"added": [{"id": c.pk, "email": c.email, "name": c.name} for c in new]},
    )


@dataclass(frozen=True)
class _Decided:
    """What a new ticket's triage settled on."""

    team: Team
    impact: Impact
    urgency: Urgency
    triage_class: str
    category: Category | None
    result: Triage


def _triage_at_intake(
    *,
    subject: str,
    description: str,
    requester: Contact,
    team: Team | None,
    impact: Impact | None,
    urgency: Urgency | None,
    category: Category | None,
    has_attachment: bool = False,
) -> _Decided:
    given: dict[str, str] = {}
    if impact is not None:
        given["impact"] = Impact(impact).value
    if urgency is not None:
        given["urgency"] = Urgency(urgency).value
    if team is not None:
        given["team"] = team.name
    if category is not None:
        given["category"] = category.name
    if settings.DESKWISE_TRIAGE:
        result = triage_request(
            subject=subject,
            text=description,
            given=given,
            requester_id=requester.pk,
            team_id=team.pk if team else None,
            has_attachment=has_attachment,
        )
    else:
        result = Triage(notes=["Automatic triage is switched off."])
    proposed_category = result.value("category")
    if category is None and proposed_category:
        category = Category.objects.filter(name=proposed_category, is_active=True).first()
    proposed_team = result.value("team")
    if team is None and proposed_team:
        team = Team.objects.filter(name=proposed_team).first()
    if team is None and category is not None and category.team_id:
        team = category.team
    return _Decided(
        team=team or _default_team(),
        impact=Impact(impact or result.value("impact") or Impact.PERSON),
        urgency=Urgency(urgency or result.value("urgency") or Urgency.DEGRADED),
        triage_class=result.value("triage_class") or "",
        category=category,
        result=result,
    )


def _record_triage(ticket: Ticket, decided: _Decided) -> None:
    """Say on the timeline what triage proposed and flagged, and why."""
    lines = []
    for proposal in decided.result.proposals.values():
        if proposal.source == "given":
            continue
        verb = "set to" if proposal.applied else "could be"
        name = proposal.field.replace("_", " ").capitalize()
        lines.append(f"{name} {verb} {proposal.value}: {proposal.why}")
    lines += [f"{flag['label']}: {flag['reason']}" for flag in decided.result.flags]
    lines += decided.result.notes
    if not lines:
        return
    _append(
        ticket,
        kind=EventKind.TRIAGE,
        visibility=Visibility.INTERNAL,
        body="\n".join(lines),
        data={
            "applied": {
                p.field: p.value
                for p in decided.result.proposals.values()
                if p.applied and p.source != "given"
            },
            "flags": [flag["code"] for flag in decided.result.flags],
        },
    )


# --- services ---------------------------------------------------------------------


@service
def open_ticket(
    *,
    requester: Contact,
    subject: str,
    description: str,
    channel: Channel,
    actor: User | None = None,
    team: Team | None = None,
    owner: User | None = None,
    impact: Impact | None = None,
    urgency: Urgency | None = None,
    category: Category | None = None,
    participants: Sequence[Contact] = (),
    uploads: Sequence[Upload] = (),
    event_kind: EventKind = EventKind.MESSAGE_IN,
    acknowledge: bool = True,
    extra: dict[str, Any] | None = None,
    message_id: str = "",
) -> Ticket:
    """A new request, from any channel: the ticket, its first event, triage,
    the wait estimate and the acknowledgement.

    Impact, urgency, team and category given here are what the requester or
    agent said and are kept; those left out are proposed by triage (or take the
    defaults). ``acknowledge=False`` opens it silently (mail intake does this
    for senders acknowledged many times in a row: a loop). ``extra`` is kept on
    the first event; ``message_id`` joins the mail that opened it to the
    ticket's conversation.
    """
    subject = _clean(subject, clean_line, "subject", label="Subject", max_length=SUBJECT_MAX)
    description = _clean(description, clean_body, "description", label="Description")
    channel = Channel(channel)
    _check_uploads(uploads, channel)
    if actor is not None and not actor.is_agent:
        # Requesters ask for themselves, never on someone else's behalf.
        if actor.contact_id != requester.pk:
            raise NotAllowed("You can only open requests for yourself.")
        if owner is not None:
            raise NotAllowed("Only agents can choose who works on a request.")
    decided = _triage_at_intake(
        subject=subject,
        description=description,
        requester=requester,
        team=team,
        impact=impact,
        urgency=urgency,
        category=category,
        has_attachment=bool(uploads),
    )
    team = decided.team
    if owner is not None:
        _check_owner(owner, team)
    auto_owner = None
    if owner is None:
        auto_owner = pick_agent(team)
    now = clock.now()
    priority = priority_for(impact=decided.impact, urgency=decided.urgency)
    ticket = Ticket(
        subject=subject,
        requester=requester,
        channel=channel,
        team=team,
        owner=owner or auto_owner,
        status=Status.OPEN if owner or auto_owner else Status.NEW,
        impact=decided.impact,
        urgency=decided.urgency,
        priority=priority,
        triage_class=decided.triage_class,
        category=decided.category,
        red_flags=decided.result.flags,
        frustrated=decided.result.frustrated,
        triage=decided.result.as_json(),
        due_at=now,
        created_at=now,
        updated_at=now,
        status_changed_at=now,
        requester_updated_at=now,
    )
    sla_clock.refresh(ticket)  # nothing is due yet at opening: only due times
    ticket.save(force_insert=True)
    others = [c for c in participants if c.pk != requester.pk]
    if others:
        ticket.participants.add(*others)
    logged_by_agent = actor is not None and actor.is_agent and channel in LOGGED_CHANNELS
    event = _append(
        ticket,
        kind=event_kind,
        actor=actor,
        contact=None if logged_by_agent else requester,
        body=description,
        channel=channel,
        data={"opened": True, **({"owner": _ref(owner)} if owner else {}), **(extra or {})},
        uploads=uploads,
    )
    ticket.opening_event = event
    _record_triage(ticket, decided)
    if ticket.frustrated and ticket.priority <= HIGH_PRIORITY:
        _escalate_automatically(ticket, FRUSTRATED_AND_URGENT)
        ticket.save(update_fields=["escalated_to", "escalation_level"])
    if auto_owner is not None:
        Team.objects.filter(pk=team.pk).update(last_assigned=auto_owner)
        team.last_assigned = auto_owner
        _append(
            ticket,
            kind=EventKind.ASSIGNMENT,
            visibility=Visibility.INTERNAL,
            data={"to_owner": _ref(auto_owner), "auto": team.get_auto_assign_display()},
        )
        _mail_agent(ticket, auto_owner, "assigned", assigned_by="Automatic assignment")
    estimate = estimate_for(ticket)
    if estimate is not None:
        for name, value in stored_fields(estimate).items():
            setattr(ticket, name, value)
        ticket.predicted_start_at = estimate.start
        ticket.save(update_fields=[*STORED, "predicted_start_at"])
    if message_id:
        thread_key_record(ticket=ticket, message_id=message_id)
    if not acknowledge:
        return ticket
    _mail_requester(
        ticket,
        event,
        "acknowledgement",
        copies=others,
        team_id=team.pk,
        priority=priority,
        channel=channel.label,
        owner_name=getattr(owner or auto_owner, "display_name", ""),
        wait_sentence=sentence(estimate) if estimate is not None else "",
    )
    return ticket


@service
def add_requester_message(
    *,
    ticket: Ticket,
    contact: Contact,
    body: str,
    actor: User | None = None,
    channel: Channel = Channel.PORTAL,
    uploads: Sequence[Upload] = (),
    copies: Sequence[Contact] = (),
    extra: dict[str, Any] | None = None,
    message_id: str = "",
) -> TimelineEvent:
    """The requester (or a participant) writes; waiting and finished tickets come back.

    ``copies`` are people the writer copied in (mail CC): they join the ticket
    as participants. ``extra`` is kept on the event.
    """
    body = _clean(body, clean_body, "body", label="Message")
    _check_uploads(uploads, channel)
    ticket = _lock(ticket)
    if actor is not None:
        require(actor, Action.REQUESTER_MESSAGE, ticket)
        if actor.contact_id != contact.pk:
            raise NotAllowed("You can only write as yourself.")
    elif (
        contact.pk != ticket.requester_id and not ticket.participants.filter(pk=contact.pk).exists()
    ):
        raise NotAllowed(f"{contact.email} is not a participant of {ticket.reference}.")
    change = None
    if ticket.status == Status.WAITING or ticket.status in REOPENED_BY_REPLY:
        change = _set_status(ticket, Status.OPEN, reason="The requester replied.")
    data: dict[str, Any] = {**(extra or {})}
    if change:
        data["status"] = change
    flagged = _notice_frustration(ticket, body)
    if flagged:
        data["flag"] = flagged
    event = _append(
        ticket,
        kind=EventKind.MESSAGE_IN,
        actor=actor,
        contact=contact,
        body=body,
        channel=channel,
        data=data,
        uploads=uploads,
    )
    _add_participants(ticket, copies, actor=actor, contact=contact)
    if message_id:
        thread_key_record(ticket=ticket, message_id=message_id)
    _save(ticket)
    _mail_agent(ticket, ticket.owner, "requester_replied", body=body, author=contact.display_name)
    return event


def _notice_frustration(ticket: Ticket, body: str) -> dict[str, Any] | None:
    """Each message from the requester is read for frustration; the first time
    it shows, the ticket is flagged with a suggested approach. What was seen
    is kept on the message's own event (one action, one event)."""
    if ticket.frustrated or not settings.DESKWISE_TRIAGE:
        return None
    try:
        mood = frustration(body, reopen_count=ticket.reopen_count)
    except Exception:  # advice only: a message always arrives
        logger.exception("frustration could not be read")
        return None
    if not mood.frustrated:
        return None
    flag = make_flag(Flag.FRUSTRATED, mood.reason, approach=SUGGESTED_APPROACH)
    ticket.frustrated = True
    if ticket.priority <= HIGH_PRIORITY:
        _escalate_later(ticket, FRUSTRATED_AND_URGENT)
    ticket.red_flags = [f for f in ticket.red_flags if f.get("code") != Flag.FRUSTRATED] + [flag]
    return {"code": Flag.FRUSTRATED, "set": True, "reason": mood.reason, "score": mood.score}


UNSET: Any = object()
HIGH_PRIORITY = Priority.P2  # a frustrated requester on this or higher is escalated
FRUSTRATED_AND_URGENT = "A frustrated requester on a high-priority ticket."


@service
def change_triage(
    *,
    ticket: Ticket,
    actor: User,
    reason: str,
    triage_class: str | None = UNSET,
    impact: Impact = UNSET,
    urgency: Urgency = UNSET,
    category: Category | None = UNSET,
    priority: Priority | None = UNSET,
) -> Ticket:
    """An agent corrects triage, with a reason. Priority follows the matrix
    from impact and urgency unless the agent sets it outright. Whether the
    agent overrode an automatic proposal is kept, to measure triage."""
    reason = _clean(reason, clean_body, "reason", label="Reason", max_length=2000)
    ticket = _lock(ticket)
    require(actor, Action.TRIAGE, ticket)
    proposals = (ticket.triage or {}).get("proposals", {})
    changes: dict[str, dict[str, Any]] = {}

    def note(name: str, old: Any, new: Any) -> None:
        if old == new:
            return
        proposal = proposals.get(name) or {}
        automatic = proposal.get("source") in {"rule", "model"} and proposal.get("applied")
        changes[name] = {"from": old, "to": new, "overrode": bool(automatic)}

    if triage_class is not UNSET:
        value = TriageClass(triage_class).value if triage_class else ""
        note("triage_class", ticket.triage_class, value)
        ticket.triage_class = value
    if impact is not UNSET:
        note("impact", ticket.impact, Impact(impact).value)
        ticket.impact = Impact(impact)
    if urgency is not UNSET:
        note("urgency", ticket.urgency, Urgency(urgency).value)
        ticket.urgency = Urgency(urgency)
    if category is not UNSET:
        note("category", ticket.category.name if ticket.category else None,
             category.name if category else None)  # fmt: skip
        ticket.category = category
    new_priority = (
        Priority(priority)
        if priority is not UNSET and priority is not None
        else priority_for(impact=ticket.impact, urgency=ticket.urgency)
    )
    if new_priority != ticket.priority:
        changes["priority"] = {"from": ticket.priority, "to": int(new_priority), "overrode": False}
        ticket.priority = new_priority
    if not changes:
        raise Conflict("Nothing changed: the ticket is already triaged that way.")
    _append(
        ticket,
        kind=EventKind.TRIAGE,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=reason,
        data={"changes": changes},
    )
    _save(ticket)
    return ticket


@service
def set_flag(*, ticket: Ticket, actor: User, code: str, reason: str, on: bool = True) -> Ticket:
    """An agent raises or clears a red flag, saying why."""
    reason = _clean(reason, clean_body, "reason", label="Reason", max_length=2000)
    if code not in LABELS:
        raise InvalidInput(f"There is no red flag {code!r}.", fields={"code": ["Unknown flag."]})
    ticket = _lock(ticket)
    require(actor, Action.TRIAGE, ticket)
    present = any(f.get("code") == code for f in ticket.red_flags)
    if on == present:
        state = "already" if on else "not"
        raise Conflict(f"{ticket.reference} is {state} flagged “{LABELS[code]}”.")
    if on:
        ticket.red_flags = [*ticket.red_flags, make_flag(code, reason, source=actor.display_name)]
    else:
        ticket.red_flags = [f for f in ticket.red_flags if f.get("code") != code]
    if code == Flag.FRUSTRATED:
        ticket.frustrated = on
    _append(
        ticket,
        kind=EventKind.FLAG,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=reason,
        data={"flag": code, "set": on},
    )
    _save(ticket)
    return ticket


@service
def reply(
    *,
    ticket: Ticket,
    actor: User,
    body: str,
    uploads: Sequence[Upload] = (),
    then: Status | None = None,
) -> TimelineEvent:
    """An agent answers the requester; ``then`` may set waiting on requester."""
    body = _clean(body, clean_body, "body", label="Reply")
    _check_uploads(uploads)
    ticket = _lock(ticket)
    require(actor, Action.REPLY, ticket)
    change = None
    if then is not None and Status(then) not in {Status.WAITING, Status.OPEN}:
        raise InvalidInput(
            "After a reply a ticket can be open or waiting on the requester; use resolve, "
            "defer or close for the rest.",
            fields={"then": ["Must be open or waiting_on_requester."]},
        )
    target = Status(then) if then else (Status.OPEN if ticket.status == Status.NEW else None)
    if target is not None and target != ticket.status:
        change = _set_status(ticket, target)
    _first_response(ticket)
    event = _append(
        ticket,
        kind=EventKind.REPLY,
        actor=actor,
        body=body,
        data={"status": change} if change else {},
        uploads=uploads,
    )
    _save(ticket)
    _mail_requester(
        ticket, event, "reply", automatic=False, body=body, agent_name=actor.display_name
    )
    return event


@service
def add_note(
    *,
    ticket: Ticket,
    actor: User,
    body: str,
    uploads: Sequence[Upload] = (),
    channel: Channel | None = None,
    extra: dict[str, Any] | None = None,
    message_id: str = "",
) -> TimelineEvent:
    """An internal note: for agents only, never mailed to the requester.
    (An agent's own mail to the desk about a ticket arrives as one.)"""
    body = _clean(body, clean_body, "body", label="Note")
    _check_uploads(uploads, channel or "")
    ticket = _lock(ticket)
    require(actor, Action.NOTE, ticket)
    event = _append(
        ticket,
        kind=EventKind.NOTE,
        actor=actor,
        body=body,
        visibility=Visibility.INTERNAL,
        channel=channel or "",
        data=extra,
        uploads=uploads,
    )
    if message_id:
        thread_key_record(ticket=ticket, message_id=message_id)
    ticket.save(update_fields=["updated_at"])
    return event


@service
def log_contact(
    *,
    actor: User,
    channel: Channel,
    body: str,
    ticket: Ticket | None = None,
    requester: Contact | None = None,
    subject: str = "",
    team: Team | None = None,
    impact: Impact | None = None,
    urgency: Urgency | None = None,
    take: bool = True,
    public: bool = False,
) -> Ticket:
    """A phone call, walk-up or chat: a new ticket on the requester's behalf, or an
    event on an existing one. No ticket, no help. Impact and urgency the agent
    leaves out are proposed by triage, as for any other channel."""
    channel = Channel(channel)
    if channel not in LOGGED_CHANNELS:
        raise InvalidInput(
            "Log a phone call, a walk-up or a chat.", fields={"channel": ["Not a logged channel."]}
        )
    if not actor.is_agent:
        raise NotAllowed("Only agents log calls, walk-ups and chats.")
    if ticket is None:
        if requester is None:
            raise InvalidInput("Who asked for help?", fields={"requester": ["Required."]})
        return open_ticket(
            requester=requester,
            subject=subject,
            description=body,
            channel=channel,
            actor=actor,
            team=team,
            owner=actor if take else None,
            impact=impact,
            urgency=urgency,
            event_kind=CONTACT_EVENT[channel],
        )
    body = _clean(body, clean_body, "body", label="Notes")
    ticket = _lock(ticket)
    require(actor, Action.LOG_CONTACT, ticket)
    _append(
        ticket,
        kind=CONTACT_EVENT[channel],
        actor=actor,
        body=body,
        channel=channel,
        visibility=Visibility.PUBLIC if public else Visibility.INTERNAL,
    )
    ticket.save(update_fields=["updated_at"])
    return ticket


def _check_capacity(ticket: Ticket, owner: User, *, actor: User, override: bool) -> bool:
    """Refuse to load an agent past their limit unless a supervisor overrides;
    True when the limit was overridden (kept on the timeline)."""
    if ticket.status not in ACTIVE_STATES:
        return False
    problem = over_limit(owner)
    if problem is None:
        return False
    if override and actor.is_supervisor:
        return True
    if override:
        raise NotAllowed(f"{problem} Only a supervisor can assign past the limit.")
    if owner == actor:
        raise Conflict(
            f"You have reached your limit of {owner.wip_limit} tickets in progress. Finish or "
            "hand one over first, or ask a supervisor.",
            fields={"owner": [problem]},
        )
    raise Conflict(
        f"{problem} A supervisor can assign past the limit.", fields={"owner": [problem]}
    )


@service
def take_ownership(*, ticket: Ticket, actor: User) -> Ticket:
    ticket = _lock(ticket)
    require(actor, Action.TAKE, ticket)
    if ticket.owner_id == actor.pk:
        raise Conflict(f"You already own {ticket.reference}.")
    overridden = _check_capacity(ticket, actor, actor=actor, override=actor.is_supervisor)
    return _assign(ticket, actor=actor, owner=actor, team=None, took=True, overridden=overridden)


@service
def take_next(*, actor: User) -> Ticket:
    """Take the top ticket of the queue: unassigned, in one of my teams, in
    priority and deadline order. Two agents pressing at once get two tickets."""
    if not actor.is_agent:
        raise NotAllowed("Only agents take tickets.")
    problem = over_limit(actor)
    if problem is not None and not actor.is_supervisor:
        raise Conflict(
            f"You have reached your limit of {actor.wip_limit} tickets in progress. Finish or "
            "hand one over before taking the next."
        )
    teams = sorted(team_ids(actor))
    candidates = Ticket.objects.filter(
        status__in=sorted(ACTIVE_STATES), owner__isnull=True, team_id__in=teams
    ).order_by(*QUEUE_ORDER)
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    ticket = candidates.first()
    if ticket is None:
        raise Conflict("Nothing is waiting in your teams' queues. Well done.")
    return _assign(ticket, actor=actor, owner=actor, team=None, took=True, overridden=False)


@service
def assign(
    *,
    ticket: Ticket,
    actor: User,
    owner: User | None,
    team: Team | None = None,
    override: bool = False,
) -> Ticket:
    """Give a ticket to an agent (or to nobody), optionally in another team.
    Past the agent's limit it needs a supervisor and ``override``."""
    ticket = _lock(ticket)
    require(actor, Action.ASSIGN, ticket)
    if (
        owner is not None
        and owner.pk == ticket.owner_id
        and (team is None or team.pk == ticket.team_id)
    ):
        raise Conflict(f"{ticket.reference} is already assigned to {owner.display_name}.")
    if owner is None and ticket.owner_id is None and (team is None or team.pk == ticket.team_id):
        raise Conflict(f"{ticket.reference} is already unassigned.")
    overridden = _check_capacity(ticket, owner, actor=actor, override=override) if owner else False
    return _assign(ticket, actor=actor, owner=owner, team=team, took=False, overridden=overridden)


def _assign(
    ticket: Ticket,
    *,
    actor: User,
    owner: User | None,
    team: Team | None,
    took: bool,
    overridden: bool = False,
) -> Ticket:
    new_team = team or ticket.team
    if owner is not None:
        _check_owner(owner, new_team)
    data: dict[str, Any] = {
        "from_owner": _ref(ticket.owner),
        "to_owner": _ref(owner),
        "took": took,
    }
    if overridden:
        data["past_limit"] = True
    if new_team.pk != ticket.team_id:
        data |= {"from_team": _ref(ticket.team), "to_team": _ref(new_team)}
    ticket.owner = owner
    ticket.team = new_team
    if owner is not None and ticket.status == Status.NEW:
        data["status"] = _set_status(ticket, Status.OPEN)
    _append(
        ticket, kind=EventKind.ASSIGNMENT, actor=actor, visibility=Visibility.INTERNAL, data=data
    )
    _save(ticket)
    if owner is not None and owner != actor:
        _mail_agent(ticket, owner, "assigned", assigned_by=actor.display_name)
    return ticket


@service
def escalate(
    *,
    ticket: Ticket,
    actor: User,
    reason: str,
    to_user: User | None = None,
    to_team: Team | None = None,
) -> Ticket:
    """Hand a ticket up to a supervisor, or across to another team, with a reason."""
    reason = _clean(reason, clean_body, "reason", label="Reason for escalating", max_length=2000)
    ticket = _lock(ticket)
    require(actor, Action.ESCALATE, ticket)
    if to_user is None and to_team is None:
        to_user = _team_supervisor(ticket.team, exclude=actor)
    if to_user is not None and not to_user.is_supervisor:
        raise Conflict(
            f"{to_user.display_name} is not a supervisor.",
            fields={"to_user": ["Not a supervisor."]},
        )
    if to_team is not None and to_team.pk == ticket.team_id and to_user is None:
        raise Conflict(
            f"{ticket.reference} is already with {to_team.name}.",
            fields={"to_team": ["Choose another team."]},
        )
    data: dict[str, Any] = {"reason": reason, "level": ticket.escalation_level + 1}
    if to_user is not None:
        data["to_user"] = _ref(to_user)
        ticket.escalated_to = to_user
    if to_team is not None and to_team.pk != ticket.team_id:
        data |= {"from_team": _ref(ticket.team), "to_team": _ref(to_team)}
        ticket.team = to_team
        if ticket.owner is not None and not (
            ticket.owner.is_desk_admin or ticket.owner.memberships.filter(team=to_team).exists()
        ):
            data["from_owner"] = _ref(ticket.owner)
            ticket.owner = None
    ticket.escalation_level += 1
    _append(
        ticket,
        kind=EventKind.ESCALATION,
        actor=actor,
        body=reason,
        visibility=Visibility.INTERNAL,
        data=data,
    )
    _save(ticket)
    if to_user is not None and to_user != actor:
        _mail_agent(ticket, to_user, "escalated", reason=reason, escalated_by=actor.display_name)
    return ticket


@service
def transition(*, ticket: Ticket, actor: User, to: Status, reason: str = "") -> Ticket:
    """Change status by the transition table. Resolving, closing and reopening
    have their own services, which this one hands over to."""
    to = Status(to)
    if to == Status.RESOLVED:
        return resolve(ticket=ticket, actor=actor, resolution=reason)
    if to == Status.CLOSED:
        return close(ticket=ticket, actor=actor, reason=reason)
    if to == Status.OPEN and ticket.status in REOPENED_BY_REPLY:
        return reopen(ticket=ticket, actor=actor, reason=reason)
    reason = _clean(
        reason,
        clean_body,
        "reason",
        label="Reason",
        max_length=2000,
        required=to in {Status.DEFERRED, Status.DECLINED},
    )
    ticket = _lock(ticket)
    require(actor, Action.TRANSITION, ticket)
    if to in {Status.DEFERRED, Status.DECLINED} and to in TRANSITIONS[Status(ticket.status)]:
        # Saying no has its own dialog: a reason from the list, the alternatives
        # offered, a date for a deferral, and the reply; and it is registered.
        # A conflict with how the ticket must move (409), not bad input: the
        # request itself is well formed.
        verb = "Defer" if to == Status.DEFERRED else "Decline"
        raise Conflict(
            f"Use {verb}… on the ticket (or POST /api/v1/tickets/{ticket.pk}/{verb.lower()}): "
            "it records the reason, the alternatives offered and the reply.",
            fields={"to": [f"{verb} has its own action."]},
        )
    change = _set_status(ticket, to, reason=reason)
    _append(ticket, kind=EventKind.STATUS_CHANGE, actor=actor, body=reason, data={"status": change})
    _save(ticket)
    return ticket


@service
def resolve(*, ticket: Ticket, actor: User, resolution: str, tip: Tip | None = None) -> Ticket:
    """Say what was done, and ask the requester whether it solved the problem.

    ``tip`` is a short article the agent adds as a bonus: it goes with the
    message and is kept on the event, apart from the resolution's own words."""
    resolution = _clean(resolution, clean_body, "resolution", label="Resolution")
    ticket = _lock(ticket)
    require(actor, Action.RESOLVE, ticket)
    change = _set_status(ticket, Status.RESOLVED)
    _first_response(ticket)
    data: dict[str, Any] = {"status": change}
    if tip is not None:
        data["tip"] = tip.as_data()
    event = _append(ticket, kind=EventKind.RESOLUTION, actor=actor, body=resolution, data=data)
    _save(ticket)
    _mail_requester(
        ticket,
        event,
        "resolved",
        automatic=False,
        body=resolution,
        agent_name=actor.display_name,
        tip=tip.as_data() if tip is not None else None,
        **_confirm_links(ticket),
    )
    return ticket


@service
def confirm_resolution(
    *, ticket: Ticket, contact: Contact, solved: bool, comment: str = "", actor: User | None = None
) -> Ticket:
    """The requester's answer to "Have I solved your problem?"."""
    comment = _clean(
        comment, clean_body, "comment", label="Comment", max_length=5000, required=False
    )
    ticket = _lock(ticket)
    if actor is not None:
        require(actor, Action.CONFIRM, ticket)
    if contact.pk != ticket.requester_id:
        raise NotAllowed("Only the requester can confirm the resolution.")
    if ticket.status != Status.RESOLVED:
        raise Conflict(
            f"{ticket.reference} is {Status(ticket.status).label.lower()}, not waiting for "
            "confirmation."
        )
    if solved:
        change = _set_status(ticket, Status.CLOSED, reason="The requester confirmed it is solved.")
        ticket.resolution_confirmed = True
    else:
        change = _set_status(ticket, Status.OPEN, reason="The requester says it is not solved.")
    _append(
        ticket,
        kind=EventKind.CONFIRMATION,
        actor=actor,
        contact=contact,
        body=comment,
        data={"solved": solved, "status": change},
    )
    _save(ticket)
    if not solved:
        _mail_agent(ticket, ticket.owner, "not_solved", comment=comment)
    return ticket


@service
def reopen(*, ticket: Ticket, actor: User, reason: str) -> Ticket:
    reason = _clean(reason, clean_body, "reason", label="Reason for reopening", max_length=2000)
    ticket = _lock(ticket)
    require(actor, Action.REOPEN, ticket)
    if ticket.status not in REOPENED_BY_REPLY:
        raise Conflict(
            f"{ticket.reference} is {Status(ticket.status).label.lower()}; only resolved, closed "
            "or declined tickets are reopened."
        )
    change = _set_status(ticket, Status.OPEN, reason=reason)
    _append(ticket, kind=EventKind.STATUS_CHANGE, actor=actor, body=reason, data={"status": change})
    _save(ticket)
    return ticket


@service
def close(*, ticket: Ticket, actor: User, reason: str = "") -> Ticket:
    """Close without the requester's confirmation (kept apart in reports)."""
    reason = _clean(reason, clean_body, "reason", label="Reason", max_length=2000, required=False)
    ticket = _lock(ticket)
    require(actor, Action.CLOSE, ticket)
    change = _set_status(ticket, Status.CLOSED, reason=reason)
    _append(ticket, kind=EventKind.STATUS_CHANGE, actor=actor, body=reason, data={"status": change})
    _save(ticket)
    return ticket


@service
def record_delivery_failure(
    *, ticket: Ticket, recipients: Sequence[str], reason: str, message_id: str = ""
) -> TimelineEvent:
    """Mail the desk sent did not arrive: said on the ticket, for its agents."""
    ticket = _lock(ticket)
    who = ", ".join(recipients) or "the recipient"
    body = f"Mail to {who} was not delivered. {reason}".strip()[:2000]
    event = _append(
        ticket,
        kind=EventKind.DELIVERY_FAILURE,
        visibility=Visibility.INTERNAL,
        body=body,
        data={"recipients": list(recipients), "message_id": message_id},
    )
    ticket.save(update_fields=["updated_at"])
    return event


@service
def sla_check(*, ticket_id: int) -> Ticket | None:
    """The sweep's look at one ticket: recompute its clock from what is stored
    and record what has become due (a warning, a missed target). Safe to run
    any number of times: what is recorded is not recorded again."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        return None
    _save(ticket)
    return ticket


def _confirm_links(ticket: Ticket) -> dict[str, Any]:
    """One-click answers for the mail (see ``confirmation``)."""
    from deskwise.tickets.confirmation import url_for

    return {"confirm_yes_url": url_for(ticket, "yes"), "confirm_no_url": url_for(ticket, "no")}


def _hours_words(delta: dt.timedelta) -> str:
    hours = int(delta.total_seconds() // 3600)
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return f"{hours // 24} days"


@service
def remind_silence(*, ticket_id: int) -> Ticket | None:
    """The requester has heard nothing for too long: remind the owner to send a
    short update, and show the silence on the timeline. Once per silence."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.status not in SILENT_STATES or ticket.owner_id is None:
        return None
    now = clock.now()
    since = ticket.requester_updated_at or ticket.created_at
    if now - since < silence_limit(ticket.priority):
        return None
    if ticket.silence_reminded_at is not None and ticket.silence_reminded_at >= since:
        return None
    silent_for = _hours_words(now - since)
    name = ticket.requester.display_name
    _append(
        ticket,
        kind=EventKind.SILENCE,
        visibility=Visibility.INTERNAL,
        body=f"{name} has heard nothing from us for {silent_for}.",
        data={"since": since.isoformat(), "reminded": _ref(ticket.owner)},
    )
    ticket.silence_reminded_at = now
    ticket.save(update_fields=["silence_reminded_at", "updated_at"])
    _mail_agent(ticket, ticket.owner, "silence", silent_for=silent_for)
    return ticket


def silence_limit(priority: int) -> dt.timedelta:
    hours = settings.DESKWISE_SILENCE_HOURS
    return dt.timedelta(hours=hours[min(max(int(priority), 1), len(hours)) - 1])


# A requester may be waiting for word while the ticket is with us.
SILENT_STATES = frozenset({Status.NEW, Status.OPEN})


@service
def remind_confirmation(*, ticket_id: int) -> Ticket | None:
    """A resolved ticket the requester has not confirmed: ask once more."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return None
    now = clock.now()
    if ticket.confirm_reminded_at is not None and ticket.confirm_reminded_at >= ticket.resolved_at:
        return None
    if now - ticket.resolved_at < dt.timedelta(days=settings.DESKWISE_CONFIRM_REMIND_DAYS):
        return None
    close_on = ticket.resolved_at + dt.timedelta(days=settings.DESKWISE_CONFIRM_CLOSE_DAYS)
    close_words = f"{close_on:%A} {close_on.day} {close_on:%B}"
    event = _append(
        ticket,
        kind=EventKind.REMINDER,
        visibility=Visibility.INTERNAL,
        body="Asked the requester again whether it is solved.",
        data={"reminder": "confirmation", "close_on": close_on.date().isoformat()},
    )
    ticket.confirm_reminded_at = now
    ticket.save(update_fields=["confirm_reminded_at", "updated_at"])
    _mail_requester(
        ticket, event, "confirm_reminder", close_on=close_words, **_confirm_links(ticket)
    )
    return ticket


@service
def close_unconfirmed(*, ticket_id: int) -> Ticket | None:
    """No answer to "Have I solved your problem?": closed as resolved but
    unconfirmed, which reports keep apart from confirmed resolutions."""
    ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None or ticket.status != Status.RESOLVED or ticket.resolved_at is None:
        return None
    days = settings.DESKWISE_CONFIRM_CLOSE_DAYS
    if clock.now() - ticket.resolved_at < dt.timedelta(days=days):
        return None
    reason = f"No answer from the requester in {days} days: closed as resolved, unconfirmed."
    change = _set_status(ticket, Status.CLOSED, reason=reason)
    ticket.resolution_confirmed = False
    _append(ticket, kind=EventKind.STATUS_CHANGE, body=reason, data={"status": change})
    _save(ticket)
    return ticket
