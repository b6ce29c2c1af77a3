"""Time on tickets over the API, on the same selectors and services as the
ticket page: agents read a ticket's time, log time, take entries back and
run their timer; to anyone else a ticket's time does not exist (404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as ApiStatus
from pydantic import BeforeValidator, Field

from deskwise.accounts.models import User
from deskwise.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS, UserRef
from deskwise.core import clock
from deskwise.core.text import OPTIONAL_LINE_PATTERN
from deskwise.tickets.api import TicketId
from deskwise.tickets.models import Ticket
from deskwise.timelog import selectors, services
from deskwise.timelog.models import MAX_MINUTES, TimeEntry, Timer, TimeSource
from deskwise.timelog.permissions import require_agent
from deskwise.timelog.services import NOTE_MAX

router = Router(tags=["time"])
timer_router = Router(tags=["time"])

EntryId = Path(..., ge=1, le=MAX_ID, description="The time entry's id.")
MAX_LISTED = 100


def _json_integer(value: object) -> object:
    """Minutes as JSON mean a number: 15 and 15.0, never true or "15"."""
    if isinstance(value, bool):
        raise ValueError("must be an integer, not a boolean")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if not isinstance(value, int):
        raise ValueError("must be an integer")
    return value


Minutes = Annotated[int, Field(ge=1, le=MAX_MINUTES), BeforeValidator(_json_integer)]


class TimeEntryOut(Schema):
    id: int
    ticket_id: int
    agent: UserRef
    minutes: int
    work_date: dt.date = Field(description="The day worked, in the desk's time zone.")
    note: str
    source: TimeSource
    started_at: dt.datetime | None = Field(description="Timer entries: when the timer started.")
    ended_at: dt.datetime | None = Field(description="Timer entries: when it stopped.")
    created_at: dt.datetime


class TicketTimeOut(Schema):
    ticket_id: int
    total_minutes: int
    my_minutes: int = Field(description="What you logged on it.")
    entries_count: int
    entries: list[TimeEntryOut] = Field(
        description=f"The latest entries, most recently logged first (at most {MAX_LISTED})."
    )


class TimeEntryIn(Schema):
    minutes: Minutes = Field(description=f"Whole minutes, 1 to {MAX_MINUTES}.")
    work_date: dt.date | None = Field(
        default=None,
        description="The day worked (desk time zone); left out: today. Not in the future, "
        f"not over {services.DAYS_BACK} days ago.",
    )
    note: str = Field(default="", max_length=NOTE_MAX, pattern=OPTIONAL_LINE_PATTERN)
    source: Literal["quick", "manual"] = Field(
        default="manual", description="Timer entries come from the timer, on the ticket page."
    )


def _entry_out(entry: TimeEntry) -> TimeEntryOut:
    return TimeEntryOut(
        id=entry.pk,
        ticket_id=entry.ticket_id,
        agent=UserRef(id=entry.agent.pk, name=entry.agent.display_name),
        minutes=entry.minutes,
        work_date=entry.work_date,
        note=entry.note,
        source=TimeSource(entry.source),
        started_at=entry.started_at,
        ended_at=entry.ended_at,
        created_at=entry.created_at,
    )


def _ticket(request: HttpRequest, ticket_id: int) -> tuple[User, Ticket]:
    return selectors.ticket_for(user=request.auth, pk=ticket_id)  # type: ignore[attr-defined]


@router.get(
    "/{ticket_id}/time", response={200: TicketTimeOut, **READ_ERRORS}, summary="A ticket's time"
)
def ticket_time(request: HttpRequest, ticket_id: int = TicketId) -> TicketTimeOut:
    """The time logged on a ticket: its total, yours, and the latest entries."""
    user, ticket = _ticket(request, ticket_id)
    totals = selectors.totals(user=user, ticket=ticket)
    return TicketTimeOut(
        ticket_id=ticket.pk,
        total_minutes=totals.minutes,
        my_minutes=totals.mine,
        entries_count=totals.entries,
        entries=[_entry_out(e) for e in selectors.entries(ticket=ticket, limit=MAX_LISTED)],
    )


@router.post("/{ticket_id}/time", response={201: TimeEntryOut, **WRITE_ERRORS}, summary="Log time")
def log_time(
    request: HttpRequest, payload: TimeEntryIn, ticket_id: int = TicketId
) -> ApiStatus[TimeEntryOut]:
    """Minutes you worked on the ticket on one day. 422 for a day in the
    future or too long ago, or more than 24 hours logged on one day."""
    user, ticket = _ticket(request, ticket_id)
    entry = services.log_time(
        ticket=ticket,
        actor=user,
        minutes=payload.minutes,
        note=payload.note,
        work_date=payload.work_date,
        source=payload.source,
    )
    entry.agent = user
    return ApiStatus(201, _entry_out(entry))


@router.delete(
    "/{ticket_id}/time/{entry_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a time entry",
)
def remove_entry(
    request: HttpRequest, ticket_id: int = TicketId, entry_id: int = EntryId
) -> ApiStatus[None]:
    """Your own entries; a supervisor removes anyone's (403 otherwise)."""
    user, ticket = _ticket(request, ticket_id)
    services.remove_entry(entry=selectors.entry_get(ticket=ticket, pk=entry_id), actor=user)
    return ApiStatus(204, None)


# --- the timer ----------------------------------------------------------------------


class TimerOut(Schema):
    running: bool
    ticket_id: int | None = Field(description="The ticket it runs on.")
    started_at: dt.datetime | None
    seconds: int = Field(description="How long it has run so far.")


class TimerStartedOut(Schema):
    timer: TimerOut
    stopped: TimeEntryOut | None = Field(
        description="The time logged from the timer that was running on another ticket."
    )


class TimerStoppedOut(Schema):
    entry: TimeEntryOut | None = Field(
        description="The time logged: the minutes it ran, rounded up. Null when its ticket "
        "is no longer one you may log time on."
    )


def _timer_out(timer: Timer | None) -> TimerOut:
    if timer is None:
        return TimerOut(running=False, ticket_id=None, started_at=None, seconds=0)
    seconds = max(0, int((clock.now() - timer.started_at).total_seconds()))
    return TimerOut(
        running=True, ticket_id=timer.ticket_id, started_at=timer.started_at, seconds=seconds
    )


def _entry_or_none(entry: TimeEntry | None, user: User) -> TimeEntryOut | None:
    if entry is None:
        return None
    entry.agent = user
    return _entry_out(entry)


@router.post(
    "/{ticket_id}/timer",
    response={201: TimerStartedOut, **WRITE_ERRORS},
    summary="Start your timer",
)
def start_timer(request: HttpRequest, ticket_id: int = TicketId) -> ApiStatus[TimerStartedOut]:
    """Start your timer on the ticket. One timer per agent: one running on
    another ticket is stopped first and its time logged there. 409 when it
    runs on this ticket already."""
    user, ticket = _ticket(request, ticket_id)
    timer, stopped = services.start_timer(ticket=ticket, actor=user)
    return ApiStatus(
        201, TimerStartedOut(timer=_timer_out(timer), stopped=_entry_or_none(stopped, user))
    )


@timer_router.get("", response={200: TimerOut, **READ_ERRORS}, summary="Your timer")
def my_timer(request: HttpRequest) -> TimerOut:
    """Whether your timer runs, on which ticket and for how long."""
    user = require_agent(request.auth)  # type: ignore[attr-defined]
    return _timer_out(selectors.running_timer(user=user))


@timer_router.post(
    "/stop", response={200: TimerStoppedOut, **WRITE_ERRORS}, summary="Stop your timer"
)
def stop_timer(request: HttpRequest) -> TimerStoppedOut:
    """Stop your timer and log the minutes it ran on its ticket, rounded up
    (at least one, at most a day). 409 when no timer of yours runs."""
    user = require_agent(request.auth)  # type: ignore[attr-defined]
    return TimerStoppedOut(entry=_entry_or_none(services.stop_timer(actor=user), user))
