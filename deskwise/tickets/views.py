"""The agent desk: the queue, the ticket page, its actions, and logging a contact.

Views parse input, call one selector or service, and render. Decisions live
in services; who may see what lives in selectors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pydantic import ValidationError as PydanticError

from deskwise.accounts.services import contact_get_or_create
from deskwise.core.errors import InvalidCursor, NotFound, ServiceError
from deskwise.core.files import is_inline_image
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.responses.selectors import reply_templates
from deskwise.tickets import forms as f
from deskwise.tickets import selectors, services
from deskwise.tickets.actions import ACTIONS, COMPOSER, SIDEBAR, TicketAction, clarifying_reply_for
from deskwise.tickets.choices import Channel, Impact, Priority, Status, Urgency
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
            user=user, filters=filters, cursor=request.GET.get("cursor") or None, row_only=True
        )
    except (PydanticError, InvalidCursor):
        messages.error(request, "Some filters were not understood and were reset.")
        filters = TicketFilters()
        page = selectors.ticket_list(user=user, filters=filters, row_only=True)
    teams, agents = selectors.queue_filter_choices(user=user)
    context = {
        "filters": filters,
        "page": page,
        "next_query": urlencode([*filters.as_query(), ("cursor", page.next_cursor or "")]),
        "filter_query": urlencode(filters.as_query()),
        "counts": selectors.queue_counts(user=user),
        "back": selectors.back_from_deferral(user=user) if filters.view == "mine" else [],
        "teams": teams,
        "agents": agents,
        "statuses": Status,
        "priorities": Priority,
        "channels": Channel,
    }
    return render_page(request, "tickets/queue.html", context, partial="results")


def _ticket_context(
    request: AuthedRequest,
    ticket: Ticket,
    *,
    failed: TicketAction | None = None,
    failed_form: forms.Form | None = None,
) -> dict[str, Any]:
    """The ticket page: timeline, the composer's forms, and the sidebar's actions
    (whose forms load when opened, unless one just failed and shows its errors)."""
    # The reply form is always there; the other composer forms load when opened.
    composer = [
        (
            action,
            failed_form
            if action is failed
            else (action.make_form(ticket, user=request.user) if action.name == "reply" else None),
        )
        for action in COMPOSER
    ]
    return {
        "ticket": ticket,
        "events": selectors.timeline(user=request.user, ticket=ticket),
        "participants": list(ticket.participants.all()),
        "composer": composer,
        "sidebar": [action for action in SIDEBAR if action.applies(ticket)],
        "open_panel": failed.name if failed else None,
        "open_form": failed_form if failed and failed.sidebar else None,
        "action_errors": [e for errs in failed_form.errors.values() for e in errs]
        if failed_form is not None
        else [],
        "is_owner": ticket.owner_id == request.user.pk,
        "reply_templates": reply_templates(),
    }


def _from_template(ticket: Ticket, request: AuthedRequest, pk: int) -> str:
    """A reply started from a response template, for the agent to edit."""
    from deskwise.outcomes.views import reply_context
    from deskwise.responses.render import render
    from deskwise.responses.selectors import template_get

    return render(template_get(pk).body, reply_context(ticket, request.user)).text


def _with_article(request: AuthedRequest, pk: int) -> str:
    """The reply written so far, with a link to a public article after it."""
    from deskwise.kb.selectors import link_line, shared_article

    written = (request.GET.get("body") or "").rstrip()
    try:
        line = link_line(shared_article(pk))
    except NotFound:
        return written
    if line in written:
        return written
    return f"{written}\n\n{line}" if written else line


@require_GET
@agent_required
def ticket_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    return render_page(request, "tickets/ticket.html", _ticket_context(request, ticket))


@require_http_methods(["GET", "POST"])
@agent_required
def ticket_action(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """GET: the action's form (a panel for htmx, a page without JavaScript).
    POST: run it; then the ticket, updated in place or by redirect."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("No such action.")
    ticket = selectors.ticket_get(user=request.user, pk=pk)
    if request.method == "GET":
        form = spec.make_form(ticket, user=request.user)
        if action == "reply" and request.GET.get("prefill") == "clarify":
            form.initial["body"] = clarifying_reply_for(ticket)
        elif action == "reply" and request.GET.get("template", "").isdigit():
            form.initial["body"] = _from_template(ticket, request, int(request.GET["template"]))
        elif action == "reply" and request.GET.get("article", "").isdigit():
            form.initial["body"] = _with_article(request, int(request.GET["article"]))
        context = {"ticket": ticket, "action": spec, "form": form}
        return render_page(request, "tickets/action.html", context, partial="panel")
    form = spec.make_form(ticket, request.POST, request.FILES)
    if form.is_valid():
        try:
            message = spec.run(ticket, request.user, form.cleaned_data)
        except ServiceError as exc:
            for field, errors in exc.fields.items():
                for error in errors if field in form.fields else []:
                    form.add_error(field, error)
            form.add_error(None, exc.message)
        else:
            messages.success(request, message)
            if not request.htmx:
                return redirect("tickets:detail", pk=ticket.pk)
            ticket = selectors.ticket_get(user=request.user, pk=pk)
            return render_page(
                request, "tickets/ticket.html", _ticket_context(request, ticket), partial="ticket"
            )
    context = _ticket_context(request, ticket, failed=spec, failed_form=form)
    status = 200 if request.htmx else 422
    return render_page(request, "tickets/ticket.html", context, partial="ticket", status=status)


@require_POST
@agent_required
def next_ticket(request: AuthedRequest) -> HttpResponse:
    """Take the top ticket of my teams' queue, and open it."""
    try:
        ticket = services.take_next(actor=request.user)
    except ServiceError as exc:
        messages.info(request, exc.message)
        return redirect("tickets:queue")
    messages.success(request, f"{ticket.reference} is yours now.")
    return redirect("tickets:detail", pk=ticket.pk)


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
                impact=Impact(d["impact"]) if d["impact"] else None,
                urgency=Urgency(d["urgency"]) if d["urgency"] else None,
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
