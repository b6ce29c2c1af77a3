"""Saying no well: defer and decline with a reason, alternatives and a date;
deferred tickets coming back on their date; requests made to an agent
directly, outside the desk.

Each is one transaction. A decision is one timeline event on its ticket (the
reply the requester reads, with the reason and alternatives in its data) and
one row of the register.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from deskwise.accounts.models import Contact, Team, User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed
from deskwise.core.text import clean_body, clean_line
from deskwise.notifications.services import email_queue
from deskwise.outcomes.models import (
    Decision,
    DecisionKind,
    DecisionReason,
    OffChannelRequest,
    Where,
)
from deskwise.tickets import services as tickets
from deskwise.tickets.choices import Channel, EventKind, Status, Visibility
from deskwise.tickets.models import Ticket
from deskwise.tickets.permissions import Action, require

# The ticket internals a decision shares with the ticket services: the lock,
# the status rules, the timeline and the requester's mail.
_lock = tickets._lock
_append = tickets._append
_save = tickets._save
_set_status = tickets._set_status
_clean = tickets._clean
_first_response = tickets._first_response
_mail_requester = tickets._mail_requester
service = tickets.service

MAX_ALTERNATIVES = 10
LATEST_DEFERRAL = dt.timedelta(days=366)
ALTERNATIVE_KINDS = ("article", "link", "team", "contact", "text")
OPENING_KINDS = (EventKind.MESSAGE_IN, EventKind.CALL, EventKind.WALK_UP, EventKind.CHAT)
RETURN_HOUR = dt.time(8, 0)  # a deferred ticket is back before the working day starts


def _alternatives(items: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Alternatives offered, checked: a kind, words the requester reads, and for
    links and articles an http(s) address."""
    if len(items) > MAX_ALTERNATIVES:
        raise InvalidInput(
            f"Offer at most {MAX_ALTERNATIVES} alternatives.",
            fields={"alternatives": ["Too many."]},
        )
    found = []
    for n, item in enumerate(items, 1):
        kind = str(item.get("kind") or "text")
        if kind not in ALTERNATIVE_KINDS:
            raise InvalidInput(
                f"Alternative {n}: the kind must be one of {', '.join(ALTERNATIVE_KINDS)}.",
                fields={"alternatives": [f"Unknown kind {kind!r}."]},
            )
        label = _clean(item.get("label"), clean_line, "alternatives", label=f"Alternative {n}",
                       max_length=300)  # fmt: skip
        url = str(item.get("url") or "").strip()
        if url:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in {"http", "https"} or not parts.netloc or len(url) > 2000:
                raise InvalidInput(
                    f"Alternative {n}: {url[:80]!r} is not a web address (http or https).",
                    fields={"alternatives": ["Not a web address."]},
                )
        elif kind in {"link", "article"}:
            raise InvalidInput(
                f"Alternative {n} is a link without an address.",
                fields={"alternatives": ["An address is required for a link."]},
            )
        found.append({"kind": kind, "label": label, **({"url": url} if url else {})})
    return found


def alternatives_text(items: Sequence[dict[str, str]]) -> str:
    """The alternatives as the requester reads them in a reply: one per line."""
    lines = []
    for item in items:
        url = item.get("url")
        lines.append(f"- {item['label']}" + (f": {url}" if url else ""))
    return "\n".join(lines)


def _return_time(day: dt.date) -> dt.datetime:
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, RETURN_HOUR, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _check_date(kind: str, expected: dt.date | None) -> dt.date | None:
    today = clock.now().astimezone(_return_time(clock.now().date()).tzinfo).date()
    if kind == DecisionKind.DECLINE:
        if expected is not None:
            raise InvalidInput(
                "A decline has no date: we are not going to do it. Defer it to give a date.",
                fields={"expected_date": ["Only for deferrals."]},
            )
        return None
    if expected is None:
        raise InvalidInput(
            "When do you expect to have time for it? A deferral needs a date.",
            fields={"expected_date": ["Required."]},
        )
    if expected <= today:
        raise InvalidInput(
            f"{expected:%-d %B %Y} is not in the future: a deferral's date is tomorrow or later.",
            fields={"expected_date": ["Must be after today."]},
        )
    if expected > today + LATEST_DEFERRAL:
        raise InvalidInput(
            f"{expected:%-d %B %Y} is more than a year away. Decline it instead, or pick a "
            "date within a year.",
            fields={"expected_date": ["Must be within a year."]},
        )
    return expected


@service
def decide(
    *,
    ticket: Ticket,
    actor: User,
    kind: DecisionKind | str,
    reason: DecisionReason,
    message: str,
    explanation: str = "",
    alternatives: Sequence[dict[str, Any]] = (),
    expected_date: dt.date | None = None,
) -> Decision:
    """Defer or decline a ticket: the reply the agent wrote (from a template,
    edited), the reason, the alternatives and, for a deferral, the date."""
    kind = DecisionKind(kind)
    if not actor.is_agent:
        raise NotAllowed("Only agents defer or decline requests.")
    message = _clean(message, clean_body, "message", label="The reply")
    explanation = _clean(explanation, clean_body, "explanation", label="Explanation",
                         max_length=5000, required=False)  # fmt: skip
    if not reason.is_active or not reason.fits(kind):
        raise InvalidInput(
            f"“{reason.label}” is not a reason for a {kind.label.lower()}.",
            fields={"reason": ["Not available for this outcome."]},
        )
    offered = _alternatives(alternatives)
    expected = _check_date(kind, expected_date)
    ticket = _lock(ticket)
    require(actor, Action.DECIDE, ticket)
    target = Status.DEFERRED if kind == DecisionKind.DEFER else Status.DECLINED
    if ticket.status == target and kind == DecisionKind.DECLINE:
        raise Conflict(f"{ticket.reference} is already declined.")
    change = _set_status(ticket, target, reason=reason.label) if ticket.status != target else None
    ticket.deferred_until = _return_time(expected) if expected else None
    ticket.back_at = None
    _first_response(ticket)
    now = clock.now()
    decision_data = {
        "kind": kind.value,
        "reason": {"code": reason.code, "label": reason.label},
        "explanation": explanation,
        "alternatives": offered,
        **({"expected_date": expected.isoformat()} if expected else {}),
    }
    event = _append(
        ticket,
        kind=EventKind.DECISION,
        actor=actor,
        body=message,
        data={"decision": decision_data, **({"status": change} if change else {})},
    )
    _save(ticket)
    opening = (
        ticket.events.filter(kind__in=OPENING_KINDS)
        .order_by("id")
        .values_list("body_text", flat=True)
        .first()
    )
    decision = Decision.objects.create(
        ticket=ticket,
        kind=kind,
        reason=reason,
        explanation=explanation,
        alternatives=offered,
        expected_date=expected,
        agent=actor,
        team=ticket.team,
        category_id=ticket.category_id,
        requester_id=ticket.requester_id,
        subject=ticket.subject,
        description=(opening or "")[:10_000],
        event=event,
        created_at=now,
    )
    _mail_requester(
        ticket, event, "reply", automatic=False, body=message, agent_name=actor.display_name
    )
    return decision


@service
def return_deferred(*, ticket: Ticket) -> Ticket | None:
    """A deferred ticket whose date has come is open again, at the top of its
    owner's queue (or back in its team's queue). None when it is no longer due."""
    ticket = _lock(ticket)
    now = clock.now()
    if (
        ticket.status != Status.DEFERRED
        or ticket.deferred_until is None
        or ticket.deferred_until > now
    ):
        return None
    change = _set_status(ticket, Status.OPEN, reason="The deferral date has come.")
    ticket.back_at = now
    ticket.deferred_until = None
    _append(
        ticket,
        kind=EventKind.STATUS_CHANGE,
        visibility=Visibility.INTERNAL,
        body="Back from deferral: the date the desk gave has come.",
        data={"status": change, "back_from_deferral": True},
    )
    _save(ticket)
    tickets._mail_agent(
        ticket, ticket.owner, "requester_replied", body="The deferral date has come.",
        author="Deskwise",
    )  # fmt: skip
    return ticket


def due_deferrals(limit: int = 500) -> list[int]:
    """Deferred tickets whose date has come (the partial index answers it)."""
    return list(
        Ticket.objects.filter(status=Status.DEFERRED, deferred_until__lte=clock.now())
        .order_by("deferred_until")
        .values_list("pk", flat=True)[:limit]
    )


# --- requests that bypass the queue ---------------------------------------------------

WHERE_CHANNEL = {
    Where.HALLWAY: Channel.WALK_UP,
    Where.PHONE: Channel.PHONE,
    Where.CHAT: Channel.CHAT,
    Where.PERSONAL_EMAIL: Channel.WALK_UP,
    Where.OTHER: Channel.WALK_UP,
}


def submit_link(what: str) -> str:
    """The portal's request form, filled in with what they asked."""
    first = what.strip().splitlines()[0] if what.strip() else ""
    query = urllib.parse.urlencode({"subject": first[:150], "description": what[:4000]})
    return f"{settings.BASE_URL.rstrip('/')}/portal/new/?{query}"


@service
def log_off_channel(
    *,
    actor: User,
    requester: Contact,
    what: str,
    where: Where | str,
    as_ticket: bool,
    team: Team | None = None,
    message: str = "",
) -> OffChannelRequest:
    """Someone asked ``actor`` directly. It becomes a ticket on their behalf at
    once (``as_ticket``), or they get a friendly "please submit a ticket" with a
    link that fills in the request (``message``, written from a template)."""
    if not actor.is_agent:
        raise NotAllowed("Only agents log requests made to them directly.")
    where = Where(where)
    what = _clean(what, clean_body, "what", label="What they asked", max_length=10_000)
    now = clock.now()
    ticket = None
    if as_ticket:
        first = what.splitlines()[0]
        ticket = tickets.open_ticket(
            requester=requester,
            subject=first[:150] if len(first) <= 150 else first[:147].rstrip() + "...",
            description=what,
            channel=WHERE_CHANNEL[where],
            actor=actor,
            team=team,
            event_kind={
                Channel.WALK_UP: EventKind.WALK_UP,
                Channel.PHONE: EventKind.CALL,
                Channel.CHAT: EventKind.CHAT,
            }[WHERE_CHANNEL[where]],
            extra={"off_channel": {"where": where.value, "asked": actor.display_name}},
        )
    else:
        message = _clean(message, clean_body, "message", label="The message")
        email_queue(
            template="message",
            to=[requester.email],
            context={
                "subject": "Could you send this to the help desk?",
                "body": message,
                "agent_name": actor.display_name,
            },
            automatic=False,
        )
    return OffChannelRequest.objects.create(
        agent=actor,
        requester=requester,
        what=what,
        where=where,
        outcome=OffChannelRequest.Outcome.TICKET if ticket else OffChannelRequest.Outcome.INVITED,
        ticket=ticket,
        created_at=now,
    )


@service
def send_nudge(*, actor: User, requester: Contact, message: str) -> OffChannelRequest | None:
    """A kind nudge back to the queue for someone who keeps asking ``actor``
    directly. Only for people who did ask them directly; kept on their latest
    off-channel request so it is sent once per request."""
    if not actor.is_agent:
        raise NotAllowed("Only agents send nudges.")
    message = _clean(message, clean_body, "message", label="The message")
    latest = (
        OffChannelRequest.objects.select_for_update()
        .filter(requester=requester, agent=actor)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None:
        raise InvalidInput(
            f"{requester.email} has not asked you directly; there is nothing to nudge.",
            fields={"requester": ["No direct requests to you."]},
        )
    if latest.nudged_at is not None:
        raise Conflict(f"{requester.display_name} was already nudged after their last request.")
    latest.nudged_at = clock.now()
    latest.save(update_fields=["nudged_at"])
    email_queue(
        template="message",
        to=[requester.email],
        context={
            "subject": "Getting help faster from the help desk",
            "body": message,
            "agent_name": actor.display_name,
        },
        automatic=False,
    )
    return latest
