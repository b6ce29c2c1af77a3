"""How tickets and their events read on a page (template globals and filters)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from deskwise.core import clock
from deskwise.core.display import humanise
from deskwise.tickets.choices import ACTIVE_STATES, MESSAGE_KINDS, EventKind, Priority, Status
from deskwise.tickets.models import Ticket, TimelineEvent

_ACTIVE = frozenset(s.value for s in ACTIVE_STATES)
_NO_DEADLINE = mark_safe('<span class="muted">—</span>')
# Badges are the same few strings on every row of every list: made once.
_STATUS_BADGES = {
    s.value: format_html('<span class="badge {}">{}</span>', s.colour, s.label) for s in Status
}
_PRIORITY_BADGES = {
    p.value: format_html('<span class="badge {}" title="{}">P{}</span>', p.colour, p.label, p.value)
    for p in Priority
}


def status_badge(status: str) -> SafeString:
    return _STATUS_BADGES[status]


def priority_badge(priority: int) -> SafeString:
    return _PRIORITY_BADGES[priority]


def due(ticket: Ticket) -> SafeString:
    """The next deadline of active work, in words: overdue in red, close to it
    in amber, and "paused" while the service-level clock is stopped."""
    if ticket.status not in _ACTIVE:
        return _NO_DEADLINE
    what = "response" if ticket.first_response_at is None else "resolution"
    if ticket.sla_paused_at is not None:
        return mark_safe(f'<span class="paused" title="The clock is stopped">{what}: paused</span>')
    delta = ticket.due_at - clock.now()
    if delta.total_seconds() < 0:
        return mark_safe(f'<span class="overdue">{what} {humanise(-delta)} overdue</span>')
    css = ' class="due-soon"' if ticket.sla_state == "warning" else ""
    return mark_safe(f"<span{css}>{what} in {humanise(delta)}</span>")


def count_label(count: int) -> str:
    """A queue count as shown: exact up to the cap, then "100+"."""
    from deskwise.tickets.selectors import COUNT_CAP

    return f"{COUNT_CAP}+" if count >= COUNT_CAP else str(count)


def is_message(event: TimelineEvent) -> bool:
    return event.kind in MESSAGE_KINDS


def _name(ref: Any) -> str:
    return ref.get("name", "someone") if isinstance(ref, dict) else "nobody"


def _status_words(change: dict[str, str]) -> str:
    return f"{Status(change['from']).label} → {Status(change['to']).label}"


def event_summary(event: TimelineEvent) -> str:
    """One line that says what a change event did."""
    data = event.data or {}
    who = event.actor.display_name if event.actor else "Deskwise"
    match event.kind:
        case EventKind.ASSIGNMENT:
            if data.get("took"):
                line = f"{who} took ownership"
            elif data.get("to_owner"):
                line = f"{who} assigned it to {_name(data['to_owner'])}"
            else:
                line = f"{who} unassigned it"
            if data.get("to_team"):
                line += f" and moved it to {_name(data['to_team'])}"
            return line
        case EventKind.ESCALATION:
            targets = [f"{_name(data[k])}" for k in ("to_user", "to_team") if data.get(k)]
            return f"{who} escalated it to {' and '.join(targets)} (level {data.get('level', 1)})"
        case EventKind.STATUS_CHANGE:
            change = data.get("status") or {}
            return f"{who} changed the status: {_status_words(change)}" if change else who
        case EventKind.PARTICIPANTS:
            added = ", ".join(p.get("name") or p.get("email", "") for p in data.get("added", []))
            who = event.contact.display_name if event.contact else who
            return f"{who} copied in {added}" if added else "Participants changed"
        case EventKind.CONFIRMATION:
            return (
                "The requester confirmed it is solved"
                if data.get("solved")
                else ("The requester says it is not solved")
            )
    return EventKind(event.kind).label


_VERBS = {
    EventKind.MESSAGE_IN: "wrote",
    EventKind.REPLY: "replied",
    EventKind.NOTE: "added an internal note",
    EventKind.CALL: "logged a phone call",
    EventKind.WALK_UP: "logged a walk-up visit",
    EventKind.CHAT: "logged a chat",
    EventKind.RESOLUTION: "resolved it",
}


def decision_verb(event: TimelineEvent) -> str:
    kind = ((event.data or {}).get("decision") or {}).get("kind")
    return "deferred it" if kind == "defer" else "declined it"


def event_verb(event: TimelineEvent) -> str:
    if event.kind == EventKind.DECISION:
        return decision_verb(event)
    verb = _VERBS.get(EventKind(event.kind), EventKind(event.kind).label.lower())
    if event.kind == EventKind.MESSAGE_IN and event.channel:
        verb += f" via {event.get_channel_display().lower()}"
    return verb


def status_note(event: TimelineEvent) -> str:
    change = (event.data or {}).get("status")
    return f"Status: {_status_words(change)}" if change else ""


def next_step(ticket: Ticket) -> str:
    """What the requester can expect now, in plain words."""
    owner = ticket.owner.first_name if ticket.owner and ticket.owner.first_name else None
    match ticket.status:
        case Status.NEW:
            return "We have your request. The next free agent in the team will pick it up."
        case Status.OPEN:
            return f"{owner or 'An agent'} is working on it. You'll hear from us here and by email."
        case Status.WAITING:
            return (
                "We need something from you to go on: please read the last message and reply below."
            )
        case Status.DEFERRED:
            return "We've scheduled this for later. The last message explains why and when."
        case Status.DECLINED:
            return (
                "We can't take this on here. The last message explains why and what you can "
                "do instead."
            )
        case Status.RESOLVED:
            return "We think this is solved. Please tell us whether it is."
        case Status.CLOSED:
            return "This request is closed. If the problem comes back, reply and we'll reopen it."
    return ""


_TRIAGE_FIELDS = (
    ("triage_class", "Class"),
    ("impact", "Who is affected"),
    ("urgency", "What can't be done"),
    ("category", "Category"),
    ("team", "Team"),
)


def triage_rows(ticket: Ticket) -> list[dict[str, Any]]:
    """What triage settled on, field by field, with where it came from."""
    proposals = (ticket.triage or {}).get("proposals", {})
    values = {
        "triage_class": ticket.get_triage_class_display() or "—",
        "impact": ticket.get_impact_display(),
        "urgency": ticket.get_urgency_display(),
        "category": ticket.category.name if ticket.category_id and ticket.category else "—",
        "team": ticket.team.name,
    }
    rows = []
    for name, label in _TRIAGE_FIELDS:
        proposal = proposals.get(name) or {}
        why = ""
        if proposal.get("source") in {"rule", "model"}:
            verb = "Set by triage" if proposal.get("applied") else "Triage suggests"
            why = f"{verb}: {proposal.get('value')} ({proposal.get('why', '')})"
        rows.append({"label": label, "value": values[name], "why": why})
    return rows


def flag_badges(ticket: Ticket) -> SafeString:
    """The red flags as small badges whose title says why."""
    parts = [
        format_html(
            '<span class="badge flag flag-{}" title="{}">{}</span>',
            f.get("code", ""),
            f.get("reason", ""),
            f.get("label", f.get("code", "")),
        )
        for f in ticket.red_flags
        if isinstance(f, dict)
    ]
    return mark_safe(" ".join(parts))


def expected_start(ticket: Ticket) -> str:
    """When work is expected to start, in words, for tickets still waiting."""
    from deskwise.queueing.estimate import start_words

    if ticket.status not in _ACTIVE or ticket.first_response_at is not None:
        return ""
    return start_words(ticket)


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def sla_rows(ticket: Ticket) -> list[tuple[str, str, str]]:
    """The ticket's service-level targets: (label, words, css class)."""
    rows = []
    targets = (
        ("First response", ticket.first_response_due_at, ticket.first_response_at,
         ticket.first_response_breached_at),
        ("Resolution", ticket.resolution_due_at, ticket.resolved_at, ticket.resolution_breached_at),
    )  # fmt: skip
    for label, due_at, done_at, breached_at in targets:
        if due_at is None:
            continue
        if done_at is not None:
            words = f"done {_when(done_at)}, " + (
                f"late (was due {_when(due_at)})" if breached_at else "on time"
            )
            css = "overdue" if breached_at else ""
        elif breached_at is not None:
            words, css = f"missed: was due {_when(due_at)}", "overdue"
        elif ticket.sla_paused_at is not None:
            words, css = f"paused (due {_when(due_at)} before the pause)", "paused"
        else:
            words = f"by {_when(due_at)}"
            css = "due-soon" if ticket.sla_state == "warning" else ""
        rows.append((label, words, css))
    return rows


GLOBALS: dict[str, Callable[..., Any]] = {
    "sla_rows": sla_rows,
    "triage_rows": triage_rows,
    "flag_badges": flag_badges,
    "expected_start": expected_start,
    "status_badge": status_badge,
    "priority_badge": priority_badge,
    "due": due,
    "event_summary": event_summary,
    "status_note": status_note,
    "next_step": next_step,
}
FILTERS: dict[str, Callable[..., Any]] = {
    "count_label": count_label,
    "is_message": is_message,
    "event_verb": event_verb,
}
