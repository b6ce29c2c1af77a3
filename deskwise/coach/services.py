"""The coach at work on the desk: the context a ticket gives the checks, and
the one write, a record of what the coach found in each reply that was sent.

The jargon list and the teams' switches are small tables read on every
keystroke's check; each process keeps them for a minute (``timed_memo``), and
the admin forgets them on save, so a change shows at once where it was made.
"""

from __future__ import annotations

import logging

from django.db import transaction

from deskwise.coach import checks
from deskwise.coach.checks import TRUNCATED, Context, Glossary, Note
from deskwise.coach.models import CoachRecord, JargonTerm, TeamCoachSettings
from deskwise.core.memo import timed_memo
from deskwise.tickets.choices import EventKind
from deskwise.tickets.models import Ticket, TimelineEvent

logger = logging.getLogger(__name__)

SETTINGS_SECONDS = 60


@timed_memo(SETTINGS_SECONDS)
def glossary() -> Glossary:
    """The desk's active jargon terms, compiled for lookup."""
    return Glossary(JargonTerm.objects.filter(is_active=True).values_list("term", "plain_words"))


@timed_memo(SETTINGS_SECONDS)
def team_switches() -> dict[int, frozenset[str]]:
    """The checks each team has switched off (teams with none are absent)."""
    found: dict[int, frozenset[str]] = {}
    for team_id, codes in TeamCoachSettings.objects.values_list("team_id", "disabled_checks"):
        if isinstance(codes, list):
            found[team_id] = frozenset(str(code) for code in codes if code in checks.CHECKS)
    return found


def forget() -> None:
    glossary.forget()
    team_switches.forget()


def disabled_for(team_id: int | None) -> frozenset[str]:
    if team_id is None:
        return frozenset()
    return team_switches().get(team_id, frozenset())


def requester_first_name(ticket: Ticket) -> str:
    """The name to greet: the first word of the requester's name, never a guess
    from the address ("mei.lin@" is not a name to greet)."""
    name = ticket.requester.name.split()
    return name[0] if name else ""


# What the desk's own mail puts around a message, so the agent need not: the
# resolution mail greets the requester by name and asks "Have I solved your
# problem?" with one-click answers (notifications/email/resolved.txt).
ADDED_BY_THE_MAIL: dict[str, frozenset[str]] = {
    "resolution": frozenset({"greeting", "solved_question"}),
}


def context_for(ticket: Ticket, *, purpose: str = "reply") -> Context:
    """What the checks need to know about a message on ``ticket`` that the desk
    will send: the checks for what its mail adds itself are not made."""
    purpose = purpose if purpose in checks.PURPOSES else "reply"
    return Context(
        first_name=requester_first_name(ticket),
        is_technical=ticket.requester.is_technical,
        frustrated=ticket.frustrated,
        purpose=purpose,
        disabled=disabled_for(ticket.team_id) | ADDED_BY_THE_MAIL.get(purpose, frozenset()),
        glossary=glossary(),
    )


def notes_for(ticket: Ticket, text: str, *, purpose: str = "reply") -> list[Note]:
    return checks.check(text, context=context_for(ticket, purpose=purpose))


def purpose_of(event: TimelineEvent) -> str | None:
    """What an agent's message to the requester was: a reply, a resolution, a
    deferral or a decline; None for anything else (notes, the desk's own mail)."""
    if event.actor_id is None or event.is_internal:
        return None
    if event.kind == EventKind.REPLY:
        return "reply"
    if event.kind == EventKind.RESOLUTION:
        return "resolution"
    if event.kind == EventKind.DECISION:
        decision = (event.data or {}).get("decision") or {}
        kind = decision.get("kind") if isinstance(decision, dict) else None
        return kind if kind in ("defer", "decline") else None
    return None


@transaction.atomic
def record_reply(*, event: TimelineEvent) -> CoachRecord | None:
    """Check a message an agent sent and keep what the coach found, once per
    event (running it again returns the record already made)."""
    purpose = purpose_of(event)
    if purpose is None:
        return None
    existing = CoachRecord.objects.filter(event_id=event.pk).first()
    if existing is not None:
        return existing
    ticket = event.ticket
    notes = [
        note
        for note in notes_for(ticket, event.body_text, purpose=purpose)
        if note.code != TRUNCATED
    ]
    record, _ = CoachRecord.objects.get_or_create(
        event_id=event.pk,
        defaults={
            "ticket_id": ticket.pk,
            "agent_id": event.actor_id,
            "team_id": ticket.team_id,
            "purpose": purpose,
            "created_at": event.created_at,
            "notes_count": min(len(notes), 32767),
            "codes": sorted({note.code for note in notes}),
        },
    )
    return record


def after_reply(event: TimelineEvent) -> None:
    """For the tickets app's ``REPLY_HOOKS``: record the coach's notes on a
    message just sent, in its transaction. Advice never stops a reply: if the
    record cannot be made, the reply still goes (and the failure is logged)."""
    try:
        record_reply(event=event)
    except Exception:
        logger.exception("the reply coach could not record event %s", event.pk)
