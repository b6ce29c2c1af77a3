"""Time on tickets over the API, on the same selectors and services as the
ticket page: agents read a ticket's time, log time and take entries back; to
anyone else a ticket's time does not exist (404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Router, Schema
from ninja import Status as ApiStatus
from pydantic import BeforeValidator, Field

from deskwise.accounts.models import User
from deskwise.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS, UserRef
from deskwise.core.text import OPTIONAL_LINE_PATTERN
from deskwise.tickets.api import TicketId
from deskwise.tickets.models import Ticket
from deskwise.timelog import selectors, services
from deskwise.timelog.models import MAX_MINUTES, TimeEntry, TimeSource
from deskwise.timelog.services import NOTE_MAX

router = Router(tags=["time"])

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
