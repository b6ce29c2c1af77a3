"""The sweeps: service-level warnings and breaches, reminders when a requester
has heard nothing, and resolved tickets nobody confirmed.

Each recomputes from what is stored on the tickets, so a sweep that did not
run (a worker down, a lost task) is caught up by the next one; and each
ticket is handled in its own transaction, so one failure holds back no other.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import F, Q
from django.tasks import task

from deskwise.core import clock
from deskwise.core.schedule import periodic
from deskwise.tickets.choices import Priority, Status
from deskwise.tickets.models import Ticket

logger = logging.getLogger(__name__)

BATCH = 500


def _each(ids: Iterable[int], handle: Callable[..., object], what: str) -> int:
    done = 0
    for pk in ids:
        try:
            if handle(ticket_id=pk) is not None:
                done += 1
        except Exception:
            logger.exception("%s: ticket %s failed", what, pk)
    return done


def due_for_sla(now: dt.datetime, *, limit: int = BATCH) -> list[int]:
    """Tickets whose next warning or due time has come (indexed)."""
    return list(
        Ticket.objects.filter(sla_next_at__lte=now)
        .order_by("sla_next_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


@periodic(every=dt.timedelta(minutes=1))
@task()
def sla_sweep() -> int:
    """Warn owners and record missed targets as their moments come."""
    from deskwise.tickets.services import sla_check

    checked = 0
    while True:
        ids = due_for_sla(clock.now())
        checked += _each(ids, sla_check, "SLA check")
        if len(ids) < BATCH:
            return checked


def silent_tickets(now: dt.datetime, *, limit: int = BATCH) -> list[int]:
    """Owned, active tickets whose requester has heard nothing for longer than
    their priority allows, not yet reminded about this silence."""
    from deskwise.tickets.services import SILENT_STATES, silence_limit

    found: list[int] = []
    for priority in Priority:
        found += list(
            Ticket.objects.filter(
                priority=priority,
                status__in=sorted(SILENT_STATES),
                owner__isnull=False,
                requester_updated_at__lt=now - silence_limit(priority),
            )
            .filter(
                Q(silence_reminded_at__isnull=True)
                | Q(silence_reminded_at__lt=F("requester_updated_at"))
            )
            .order_by("requester_updated_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
    return found


@periodic(every=dt.timedelta(minutes=15))
@task()
def silence_sweep() -> int:
    from deskwise.tickets.services import remind_silence

    return _each(silent_tickets(clock.now()), remind_silence, "silence reminder")


def unconfirmed(now: dt.datetime, *, older_than: dt.timedelta, limit: int = BATCH) -> list[int]:
    return list(
        Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=now - older_than)
        .order_by("resolved_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


@periodic(every=dt.timedelta(hours=1))
@task()
def confirmation_sweep() -> int:
    """Ask once more after a few days; close as unconfirmed after a week."""
    from deskwise.tickets.services import close_unconfirmed, remind_confirmation

    now = clock.now()
    close_after = dt.timedelta(days=settings.DESKWISE_CONFIRM_CLOSE_DAYS)
    remind_after = dt.timedelta(days=settings.DESKWISE_CONFIRM_REMIND_DAYS)
    closed = _each(unconfirmed(now, older_than=close_after), close_unconfirmed, "unconfirmed close")
    reminded = _each(
        unconfirmed(now, older_than=remind_after), remind_confirmation, "confirmation reminder"
    )
    return closed + reminded
