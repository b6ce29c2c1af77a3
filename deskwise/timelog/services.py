"""Time on tickets, one function per change.

Each service is keyword-only and runs in one transaction at one moment (the
ticket services' ``service``), and documents itself on the ticket's timeline
with an internal event of kind ``time``: logging, the timer logging what it
measured, and removing an entry. Agents who may work a ticket (write notes
on it) log time on it; a ticket they may not see does not exist for them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum

from deskwise.accounts.models import User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from deskwise.core.queries import one
from deskwise.core.text import clean_line
from deskwise.tickets import services as tickets
from deskwise.tickets.choices import EventKind, Visibility
from deskwise.tickets.models import Ticket
from deskwise.tickets.permissions import Action, can
from deskwise.timelog.models import MAX_MINUTES, TimeEntry, Timer, TimeSource, duration_text
from deskwise.timelog.permissions import desk_today, local_day, may_remove

service = tickets.service
_lock = tickets._lock
_append = tickets._append
_clean = tickets._clean

NOTE_MAX = 200
DAYS_BACK = 90
"""How far back time may be logged: a date older than this is a typo or a guess."""


# --- helpers (private: callers use the services below) ---------------------------


def _require_ticket(actor: User, ticket: Ticket) -> None:
    if not can(actor, Action.VIEW, ticket):
        raise NotFound(
            f"There is no ticket {ticket.reference}, or you may not see it.",
            fields={"ticket_id": ["No such ticket."]},
        )
    if not actor.is_agent or not can(actor, Action.NOTE, ticket):
        raise NotAllowed("Only the agents who work on a ticket log time on it.")


def check_minutes(value: object) -> int:
    """Whole minutes, at least one, at most a day."""
    if isinstance(value, bool) or not isinstance(value, int):
        message = "Give the time as a whole number of minutes."
        raise InvalidInput(message, fields={"minutes": [message]})
    if value < 1:
        message = "Log at least 1 minute."
        raise InvalidInput(message, fields={"minutes": [message]})
    if value > MAX_MINUTES:
        message = (
            f"{duration_text(value)} is more than a day: one entry holds at most 24:00 "
            f"({MAX_MINUTES} minutes)."
        )
        raise InvalidInput(message, fields={"minutes": [message]})
    return value


def check_work_date(value: dt.date | None) -> dt.date:
    """The day worked: today when not given; not in the future, not over
    ``DAYS_BACK`` days ago."""
    today = desk_today()
    if value is None:
        return today
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        message = "Give the day worked as a date."
        raise InvalidInput(message, fields={"work_date": [message]})
    # A well-formed date outside the window the desk takes time for today is a
    # conflict with the calendar (409), not a malformed request.
    if value > today:
        message = f"{value:%-d %b %Y} is in the future: log time for today or a day before."
        raise Conflict(message, fields={"work_date": [message]})
    if value < today - dt.timedelta(days=DAYS_BACK):
        message = (
            f"{value:%-d %b %Y} is more than {DAYS_BACK} days ago: time is logged within "
            f"{DAYS_BACK} days of the work."
        )
        raise Conflict(message, fields={"work_date": [message]})
    return value


def _source(value: TimeSource | str) -> TimeSource:
    try:
        return TimeSource(value)
    except ValueError:
        choices = ", ".join(TimeSource.values)
        message = f"There is no source {str(value)[:20]!r}: use one of {choices}."
        raise InvalidInput(message, fields={"source": [message]}) from None


def _check_day_total(actor: User, work_date: dt.date, minutes: int) -> None:
    """No one works more than a day in a day: the agent's entries of that day
    and this one together fit in 24 hours. The agent's row is locked first, so
    two entries logged at once on different tickets are checked one after the
    other."""
    list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    logged = (
        TimeEntry.objects.filter(agent=actor, work_date=work_date).aggregate(total=Sum("minutes"))[
            "total"
        ]
        or 0
    )
    if logged + minutes > MAX_MINUTES:
        message = (
            f"You have logged {duration_text(logged)} on {work_date:%-d %b %Y} already; "
            f"with {duration_text(minutes)} more it would be over 24 hours."
        )
        raise Conflict(message, fields={"minutes": [message]})


def _entry_data(entry: TimeEntry, action: str) -> dict[str, Any]:
    return {
        "action": action,
        "entry": entry.pk,
        "minutes": entry.minutes,
        "work_date": entry.work_date.isoformat(),
        "source": entry.source,
    }


def _describe(entry: TimeEntry) -> str:
    day = "" if entry.work_date == desk_today() else f" on {entry.work_date:%-d %b %Y}"
    how = " (timer)" if entry.source == TimeSource.TIMER else ""
    text = f"{duration_text(entry.minutes)} logged{day}{how}."
    return f"{text} {entry.note}" if entry.note else text


def _record(
    ticket: Ticket,
    actor: User,
    *,
    minutes: int,
    work_date: dt.date,
    note: str,
    source: TimeSource,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
) -> TimeEntry:
    entry = TimeEntry.objects.create(
        ticket=ticket,
        agent=actor,
        minutes=minutes,
        work_date=work_date,
        note=note,
        source=source,
        started_at=started_at,
        ended_at=ended_at,
        created_at=clock.now(),
    )
    _append(
        ticket,
        kind=EventKind.TIME,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=_describe(entry),
        data=_entry_data(entry, "logged"),
    )
    ticket.save(update_fields=["updated_at", "back_at"])
    return entry


def _measured(timer: Timer) -> int:
    """The timer's minutes, rounded up: a started minute counts; at least 1,
    at most a day."""
    seconds = (clock.now() - timer.started_at).total_seconds()
    return max(1, min(MAX_MINUTES, math.ceil(seconds / 60)))


def _stop(timer: Timer, actor: User) -> TimeEntry | None:
    """Log what a timer measured and remove it. When its agent may no longer
    work on the ticket (it moved to another team), nothing is logged."""
    ticket = _lock(timer.ticket)
    timer.delete()
    if not (actor.is_agent and can(actor, Action.NOTE, ticket)):
        return None
    minutes = _measured(timer)
    return _record(
        ticket,
        actor,
        minutes=minutes,
        work_date=local_day(timer.started_at),
        note="",
        source=TimeSource.TIMER,
        started_at=timer.started_at,
        ended_at=max(clock.now(), timer.started_at),
    )


def _running(actor: User) -> Timer | None:
    return one(Timer.objects.select_for_update().select_related("ticket").filter(agent=actor))


# --- services ---------------------------------------------------------------------


@service
def log_time(
    *,
    ticket: Ticket,
    actor: User,
    minutes: int,
    note: str = "",
    work_date: dt.date | None = None,
    source: TimeSource | str = TimeSource.MANUAL,
) -> TimeEntry:
    """Minutes worked on a ticket on one day (today when not given)."""
    minutes = check_minutes(minutes)
    day = check_work_date(work_date)
    chosen = _source(source)
    if chosen == TimeSource.TIMER:
        message = "Timer entries are made by the timer: start and stop it."
        raise InvalidInput(message, fields={"source": [message]})
    text = _clean(note, clean_line, "note", label="Note", max_length=NOTE_MAX, required=False)
    ticket = _lock(ticket)
    _require_ticket(actor, ticket)
    _check_day_total(actor, day, minutes)
    return _record(ticket, actor, minutes=minutes, work_date=day, note=text, source=chosen)


@service
def start_timer(*, ticket: Ticket, actor: User) -> tuple[Timer, TimeEntry | None]:
    """Start the agent's timer on a ticket. A timer running on another ticket
    is stopped first and its time logged (returned with the new timer)."""
    _require_ticket(actor, ticket)
    running = _running(actor)
    if running is not None and running.ticket_id == ticket.pk:
        raise Conflict(f"Your timer is running on {ticket.reference} already.")
    stopped = _stop(running, actor) if running is not None else None
    try:
        with transaction.atomic():
            timer = Timer.objects.create(agent=actor, ticket=ticket, started_at=clock.now())
    except IntegrityError:  # started at the same moment elsewhere
        raise Conflict("Your timer was just started elsewhere; reload to see it.") from None
    return timer, stopped


@service
def stop_timer(*, actor: User) -> TimeEntry | None:
    """Stop the agent's timer and log the minutes it ran, rounded up (at least 1).
    None when the ticket is no longer one the agent may work on."""
    running = _running(actor)
    if running is None:
        raise Conflict("No timer of yours is running.")
    return _stop(running, actor)


@service
def remove_entry(*, entry: TimeEntry, actor: User) -> None:
    """Take back an entry: one's own, or, for a supervisor, anyone's."""
    ticket = _lock(entry.ticket)
    _require_ticket(actor, ticket)
    found = one(TimeEntry.objects.select_for_update().filter(pk=entry.pk, ticket_id=ticket.pk))
    if found is None:
        raise NotFound("There is no such time entry on this ticket.")
    if not may_remove(actor, found):
        raise NotAllowed("You remove your own time entries; a supervisor removes anyone's.")
    data = _entry_data(found, "removed")
    data["agent"] = found.agent_id
    whose = "" if found.agent_id == actor.pk else f" of {found.agent.display_name}"
    body = f"Removed {duration_text(found.minutes)}{whose} logged for {found.work_date:%-d %b %Y}."
    found.delete()
    _append(
        ticket,
        kind=EventKind.TIME,
        actor=actor,
        visibility=Visibility.INTERNAL,
        body=body,
        data=data,
    )
    ticket.save(update_fields=["updated_at", "back_at"])
