"""The coach on the desk: the notes beside the reply box (an htmx partial,
checked as the agent types), one-click fixes that hand back the reply box with
the fix applied, the approach for a frustrated requester, and the measurement.

The partials are advice: they never stop a reply and never fail. Whatever
text arrives, they answer with notes or with none.
"""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.http import HttpResponse
from django.views.decorators.http import require_GET, require_POST

from deskwise.coach import selectors, services
from deskwise.coach.checks import CHECKS, PURPOSES, TRUNCATED, Note, apply_fix
from deskwise.coach.defaults import APPROACH, PHRASE_BANK
from deskwise.core.forms import DeskForm
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.outcomes.forms import DecisionForm
from deskwise.tickets import selectors as tickets
from deskwise.tickets.forms import ReplyForm, ResolveForm
from deskwise.tickets.models import Ticket
from deskwise.tickets.views import agent_required

logger = logging.getLogger(__name__)

LABELS = {**CHECKS, TRUNCATED: "Long text"}


# The boxes the coach reads: the field's name in the POST and the form that
# draws it (the reply, the resolution, the message of a deferral or decline).
BOXES: dict[str, type[forms.Form]] = {
    "body": ReplyForm,
    "resolution": ResolveForm,
    "message": DecisionForm,
}


FORM_IDS = {"body": "reply-form", "resolution": "resolve-form", "message": "decide-form"}


def box_selector(field: str) -> str:
    """The CSS selector of the box on the page, for htmx to read and replace."""
    return f"#{FORM_IDS[field]} textarea[name='{field}']"


def _purpose(request: AuthedRequest) -> str:
    purpose = request.POST.get("purpose", "reply")
    return purpose if purpose in PURPOSES else "reply"


def _field(request: AuthedRequest) -> str:
    field = request.POST.get("field", "body")
    return field if field in BOXES else "body"


def _body(request: AuthedRequest) -> str:
    # Browsers send a textarea's line breaks as CRLF; the reply is stored with LF.
    return request.POST.get(_field(request), "").replace("\r\n", "\n")


def _notes(ticket: Ticket, body: str, purpose: str) -> list[Note] | None:
    """The notes, or None when the coach failed (logged, and shown as silence)."""
    try:
        return services.notes_for(ticket, body, purpose=purpose)
    except Exception:
        logger.exception("the reply coach failed on ticket %s", ticket.pk)
        return None


@require_POST
@agent_required
def check_reply(request: AuthedRequest, ticket_pk: int) -> HttpResponse:
    """The notes on the reply box's text (``body``), for the list beside it."""
    ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
    purpose = _purpose(request)
    notes = _notes(ticket, _body(request), purpose)
    field = _field(request)
    context: dict[str, Any] = {
        "ticket": ticket,
        "notes": notes or [],
        "failed": notes is None,
        "purpose": purpose,
        "field": field,
        "box": box_selector(field),
        "labels": LABELS,
        "empty": not _body(request).strip(),
    }
    return render_page(request, "coach/_notes.html", context)


def _reply_box(field: str, text: str) -> str:
    """The box's textarea, exactly as its form renders it (the form is not
    built whole: the resolution's and the decision's look up choices)."""
    only = type("Box", (DeskForm,), {field: BOXES[field].base_fields[field]})
    return str(only(initial={field: text})[field])


def _int(value: str | None) -> int | None:
    try:
        return int(value or "")
    except ValueError:
        return None


@require_POST
@agent_required
def fix_reply(request: AuthedRequest, ticket_pk: int) -> HttpResponse:
    """The reply box with one note's fix applied. The notes are worked out again
    from the text as it is now; the fix is applied only when the note asked
    for (``note``: its place in the list, ``code``, ``start``, ``end``) is still
    there, so a reply edited since the notes were shown is never garbled."""
    ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
    body = _body(request)
    notes = _notes(ticket, body, _purpose(request)) or []
    index = _int(request.POST.get("note"))
    wanted = (
        request.POST.get("code"),
        _int(request.POST.get("start")),
        _int(request.POST.get("end")),
    )
    fixed = body
    if index is not None and 0 <= index < len(notes):
        note = notes[index]
        if note.fix is not None and (note.code, note.start, note.end) == wanted:
            fixed = apply_fix(body, note.fix)
    response = HttpResponse(_reply_box(_field(request), fixed))
    # The notes beside the box listen for this and check the new text.
    response["HX-Trigger-After-Swap"] = "coach-recheck"
    return response


@require_GET
@agent_required
def approach(request: AuthedRequest, ticket_pk: int) -> HttpResponse:
    """The suggested approach and the phrase bank, on a ticket whose requester
    is frustrated; nothing on any other."""
    ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
    if not ticket.frustrated:
        return HttpResponse("")
    reasons = [
        flag.get("reason", "")
        for flag in ticket.red_flags
        if isinstance(flag, dict) and flag.get("code") == "frustrated"
    ]
    context = {
        "ticket": ticket,
        "reason": next((r for r in reasons if r), ""),
        "approach": APPROACH,
        "phrases": PHRASE_BANK,
    }
    return render_page(request, "coach/_approach.html", context)


@require_GET
@agent_required
def measurement(request: AuthedRequest) -> HttpResponse:
    """Notes per reply, week by week: the agent's own, and a supervisor's teams."""
    weeks = _int(request.GET.get("weeks")) or selectors.DEFAULT_WEEKS
    figures = selectors.measurement(user=request.user, weeks=weeks)
    context = {"m": figures, "labels": CHECKS, "weeks": len(figures.mine.weeks)}
    return render_page(request, "coach/measurement.html", context)
