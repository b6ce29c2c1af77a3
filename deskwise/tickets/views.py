"""The agent desk: the queue, the ticket page, its actions, and logging a contact.

Views parse input, call one selector or service, and render. Decisions live
in services; who may see what lives in selectors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST
from pydantic import ValidationError as PydanticError

from deskwise.accounts.models import User
from deskwise.accounts.services import contact_get_or_create
from deskwise.core.errors import InvalidCursor, NotFound, ServiceError
from deskwise.core.files import is_inline_image
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.tickets import forms as f
from deskwise.tickets import selectors, services
from deskwise.tickets.choices import Channel, Priority, Status
from deskwise.tickets.filters import TicketFilters
from deskwise.tickets.models import Ticket

View = Callable[..., HttpResponse]


def agent_required(view: View) -> View:
    """The desk is for agents; to anyone else it does not exist."""

    @functools.wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_agent", False):
            raise Http404("Not found.")
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


@require_GET
@agent_required
def queue(request: AuthedRequest) -> HttpResponse:
    user = request.user
    try:
        filters = TicketFilters.from_querydict(request.GET)
        page = selectors.ticket_list(
            user=user, filters=filters, cursor=request.GET.get("cursor") or None
        )
    except (PydanticError, InvalidCursor):
        messages.error(request, "Some filters were not understood and were reset.")
        filters = TicketFilters()
        page = selectors.ticket_list(user=user, filters=filters)
    context = {
        "filters": filters,
        "page": page,
        "next_query": urlencode([*filters.as_query(), ("cursor", page.next_cursor or "")]),
        "filter_query": urlencode(filters.as_query()),
        "counts": selectors.queue_counts(user=user),
        "teams": selectors.teams_for(user=user),
        "agents": selectors.agents_for(),
        "statuses": Status,
        "priorities": Priority,
        "channels": Channel,
    }
    return render_page(request, "tickets/queue.html", context, partial="results")


def _ticket_context(request: AuthedRequest, ticket: Ticket, **forms_: forms.Form) -> dict[str, Any]:
    user = request.user
    agents = selectors.agents_for(team=ticket.team)
    context: dict[str, Any] = {
        "ticket": ticket,
        "events": selectors.timeline(user=user, ticket=ticket),
        "participants": list(ticket.participants.all()),
        "reply_form": f.ReplyForm(),
        "note_form": f.NoteForm(),
        "log_form": f.LogForm(),
        "assign_form": f.AssignForm(agents=agents, initial={"owner": ticket.owner_id}),
        "status_form": f.StatusForm(),
        "escalate_form": f.EscalateForm(),
        "resolve_form": f.ResolveForm(),
        "reopen_form": f.ReasonForm(),
        "close_form": f.OptionalReasonForm(),
        "agents": agents,
        "can_reopen": ticket.status in {Status.RESOLVED, Status.CLOSED, Status.DECLINED},
        "can_resolve": ticket.status not in {Status.RESOLVED, Status.CLOSED, Status.DECLINED},
        "can_close": ticket.status != Status.CLOSED,
        "is_owner": ticket.owner_id == user.pk,
    }
    context.update(forms_)
    return context


@require_GET
@agent_required
def ticket_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    return render_page(request, "tickets/ticket.html", _ticket_context(request, ticket))


@dataclass(frozen=True)
class TicketAction:
    """One action on the ticket page: its form, and the service call it makes."""

    form: type[forms.Form]
    form_name: str
    run: Callable[[Ticket, User, dict[str, Any]], str]


Data = dict[str, Any]


def _reply(t: Ticket, u: User, d: Data) -> str:
    then = Status(d["then"]) if d["then"] else None
    services.reply(ticket=t, actor=u, body=d["body"], uploads=d["attachments"], then=then)
    return "Reply sent."


def _note(t: Ticket, u: User, d: Data) -> str:
    services.add_note(ticket=t, actor=u, body=d["body"], uploads=d["attachments"])
    return "Note added."


def _log(t: Ticket, u: User, d: Data) -> str:
    services.log_contact(
        actor=u, channel=d["channel"], body=d["body"], ticket=t, public=d["public"]
    )
    return "Contact logged."


def _take(t: Ticket, u: User, d: Data) -> str:
    services.take_ownership(ticket=t, actor=u)
    return "It's yours now."


def _assign(t: Ticket, u: User, d: Data) -> str:
    services.assign(ticket=t, actor=u, owner=d["owner"], team=d["team"])
    return "Assignment saved."


def _status(t: Ticket, u: User, d: Data) -> str:
    services.transition(ticket=t, actor=u, to=Status(d["to"]), reason=d["reason"])
    return "Status changed."


def _escalate(t: Ticket, u: User, d: Data) -> str:
    services.escalate(
        ticket=t, actor=u, reason=d["reason"], to_user=d["to_user"], to_team=d["to_team"]
    )
    return "Escalated."


def _resolve(t: Ticket, u: User, d: Data) -> str:
    services.resolve(ticket=t, actor=u, resolution=d["resolution"])
    return "Resolved: the requester has been asked to confirm."


def _reopen(t: Ticket, u: User, d: Data) -> str:
    services.reopen(ticket=t, actor=u, reason=d["reason"])
    return "Reopened."


def _close(t: Ticket, u: User, d: Data) -> str:
    services.close(ticket=t, actor=u, reason=d["reason"])
    return "Closed."


ACTIONS: dict[str, TicketAction] = {
    "reply": TicketAction(f.ReplyForm, "reply_form", _reply),
    "note": TicketAction(f.NoteForm, "note_form", _note),
    "log": TicketAction(f.LogForm, "log_form", _log),
    "take": TicketAction(forms.Form, "take_form", _take),
    "assign": TicketAction(f.AssignForm, "assign_form", _assign),
    "status": TicketAction(f.StatusForm, "status_form", _status),
    "escalate": TicketAction(f.EscalateForm, "escalate_form", _escalate),
    "resolve": TicketAction(f.ResolveForm, "resolve_form", _resolve),
    "reopen": TicketAction(f.ReasonForm, "reopen_form", _reopen),
    "close": TicketAction(f.OptionalReasonForm, "close_form", _close),
}


@require_POST
@agent_required
def ticket_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    user = request.user
    ticket = selectors.ticket_get(user=user, pk=pk)
    kwargs: dict[str, Any] = {"data": request.POST, "files": request.FILES}
    if spec.form is f.AssignForm:
        kwargs["agents"] = selectors.agents_for(team=None)
    form = spec.form(**kwargs)
    if form.is_valid():
        try:
            message = spec.run(ticket, user, form.cleaned_data)
        except ServiceError as exc:
            for field, errors in exc.fields.items():
                if field in form.fields:
                    for error in errors:
                        form.add_error(field, error)
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            if not request.htmx:
                return redirect("tickets:detail", pk=ticket.pk)
            ticket = selectors.ticket_get(user=user, pk=pk)
            return render_page(
                request, "tickets/ticket.html", _ticket_context(request, ticket), partial="ticket"
            )
    ticket = selectors.ticket_get(user=user, pk=pk)
    context = _ticket_context(request, ticket, **{spec.form_name: form})
    context["open_panel"] = action
    context["action_errors"] = [e for errors in form.errors.values() for e in errors]
    status = 200 if request.htmx else 422
    return render_page(request, "tickets/ticket.html", context, partial="ticket", status=status)


@agent_required
def log_new(request: AuthedRequest) -> HttpResponse:
    """Log a call, walk-up or chat as a new ticket: no ticket, no help."""
    user = request.user
    form = f.NewContactTicketForm(request.POST or None, initial={"team": None})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            requester = contact_get_or_create(email=d["requester_email"], name=d["requester_name"])
            ticket = services.log_contact(
                actor=user,
                channel=Channel(d["channel"]),
                body=d["body"],
                requester=requester,
                subject=d["subject"],
                team=d["team"],
                impact=d["impact"],
                urgency=d["urgency"],
                take=d["take"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{ticket.reference} logged.")
            return redirect("tickets:detail", pk=ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render_page(request, "tickets/log.html", {"form": form}, status=status)


@require_GET
@agent_required
def contact_lookup(request: AuthedRequest) -> HttpResponse:
    """Requesters matching what the agent typed, for the log form (htmx)."""
    from deskwise.accounts.selectors import contacts_matching

    term = request.GET.get("requester_email", "").strip()
    return render_page(
        request,
        "tickets/log.html",
        {"matches": contacts_matching(term=term, limit=6), "term": term},
        partial="matches",
    )


@require_GET
def attachment_download(request: AuthedRequest, pk: int, name: str = "") -> FileResponse:
    """A file from a ticket, for those who may see the event it belongs to."""
    try:
        attachment = selectors.attachment_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    handle = attachment.file.open("rb")
    head = handle.read(16)
    handle.seek(0)
    inline = is_inline_image(attachment.content_type, head)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.filename,
        content_type=attachment.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
