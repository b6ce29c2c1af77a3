"""The reply coach over the API: any text in, the coach's notes out.

For agents (to anyone else it does not exist, as on the desk). With a
``ticket_id`` the requester, the frustration flag and the team's switches come
from that ticket, which must be one you may see; without one, say who the
reply is for in ``first_name``, ``is_technical`` and ``frustrated``.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field, StrictBool

from deskwise.accounts.models import User
from deskwise.api.schemas import READ_ERRORS, BodyId, Error
from deskwise.coach import checks, services
from deskwise.core.errors import NotFound
from deskwise.tickets import selectors as tickets

router = Router(tags=["reply coach"])

# Twice the longest reply the desk takes: anything pasted is read (its start),
# never refused for its length.
TEXT_MAX = 200_000

Purpose = Literal["reply", "resolution", "decline", "defer"]


class CheckIn(Schema):
    text: str = Field(max_length=TEXT_MAX, description="The reply as the agent wrote it.")
    purpose: Purpose = Field(
        default="reply",
        description="A resolution is also checked for “Have I solved your problem?”, a "
        "deferral for a date, a decline for an alternative.",
    )
    ticket_id: BodyId | None = Field(
        default=None, description="The ticket the reply is for: its requester and team."
    )
    first_name: str = Field(
        default="",
        max_length=200,
        description="Without a ticket: the requester's first name, for the greeting.",
    )
    is_technical: StrictBool = Field(
        default=False, description="Without a ticket: the requester reads jargon with ease."
    )
    frustrated: StrictBool = Field(
        default=False, description="Without a ticket: the requester is frustrated."
    )


class FixOut(Schema):
    start: int
    end: int
    text: str = Field(description="Put in place of text[start:end]; inserted when start = end.")
    label: str


class NoteOut(Schema):
    code: str = Field(description="The check, e.g. jargon, negative, next_step; or truncated.")
    message: str
    start: int = Field(description="Where in the text the note points (characters).")
    end: int = Field(description="Equal to start for something missing: where it belongs.")
    suggestion: str
    fix: FixOut | None = Field(description="A safe one-click fix, when there is one.")


class CheckOut(Schema):
    notes: list[NoteOut]
    checked_chars: int = Field(description="How much of the text was read.")
    truncated: bool = Field(description="Only the start of a very long text was read.")


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _note_out(note: checks.Note) -> NoteOut:
    fix = note.fix
    return NoteOut(
        code=note.code,
        message=note.message,
        start=note.start,
        end=note.end,
        suggestion=note.suggestion,
        fix=FixOut(start=fix.start, end=fix.end, text=fix.text, label=fix.label) if fix else None,
    )


@router.post(
    "",
    response={200: CheckOut, **READ_ERRORS, 400: Error},
    summary="Check a reply with the coach",
    # It writes nothing: the text is read and the notes returned.
    openapi_extra={"x-reads-only": True},
)
def check_text(request: HttpRequest, payload: CheckIn) -> CheckOut:
    """The coach's notes on a text: jargon, negative phrasing, blame, missing
    pieces (acknowledgement, empathy, next step, greeting, the closing
    question), and readability. Advice only; every text gets notes or none."""
    user = _user(request)
    if not user.is_agent:
        raise NotFound("The reply coach is for agents.")
    if payload.ticket_id is not None:
        ticket = tickets.ticket_get(user=user, pk=payload.ticket_id)
        context = services.context_for(ticket, purpose=payload.purpose)
    else:
        context = checks.Context(
            first_name=payload.first_name,
            is_technical=payload.is_technical,
            frustrated=payload.frustrated,
            purpose=payload.purpose,
            glossary=services.glossary(),
        )
    notes = checks.check(payload.text, context=context)
    return CheckOut(
        notes=[_note_out(note) for note in notes],
        checked_chars=min(len(payload.text), checks.CHECK_CHARS),
        truncated=len(payload.text) > checks.CHECK_CHARS,
    )
