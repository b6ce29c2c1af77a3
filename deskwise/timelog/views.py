"""The time panel on the ticket page: totals, the latest entries, quick
buttons, an entry typed in and the timer. Every post re-renders the panel
(htmx) or, without JavaScript, goes back to the ticket page.

Views parse input, call one selector or service, and render; who may see what
is the selectors' business.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from deskwise.core.errors import ServiceError
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.tickets.models import Ticket
from deskwise.tickets.views import agent_required
from deskwise.timelog import selectors, services
from deskwise.timelog.forms import ManualForm, QuickForm
from deskwise.timelog.models import TimeSource, duration_text
from deskwise.timelog.selectors import QUICK_MINUTES


def _panel(
    request: AuthedRequest,
    ticket: Ticket,
    *,
    form: ManualForm | None = None,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "panel": selectors.panel(user=request.user, ticket=ticket),
        "ticket": ticket,
        "form": form or ManualForm(),
        "quick": QUICK_MINUTES,
        "duration": duration_text,
        "notice": notice,
        "error": error,
    }
    return render_page(request, "timelog/_panel.html", context, status=status)


def _done(request: AuthedRequest, ticket: Ticket, notice: str) -> HttpResponse:
    if request.htmx:
        return _panel(request, ticket, notice=notice)
    messages.success(request, notice)
    return redirect("tickets:detail", pk=ticket.pk)


def _failed(
    request: AuthedRequest, ticket: Ticket, error: str, form: ManualForm | None = None
) -> HttpResponse:
    """A refusal: shown in the panel (htmx swaps only a 200), else on the ticket page."""
    if request.htmx:
        return _panel(request, ticket, form=form, error=error)
    messages.error(request, error)
    return redirect("tickets:detail", pk=ticket.pk)


def _first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return "The time was not understood."


@require_GET
@agent_required
def for_ticket(request: AuthedRequest, pk: int) -> HttpResponse:
    """An htmx partial on the ticket page."""
    _, ticket = selectors.ticket_for(user=request.user, pk=pk)
    return _panel(request, ticket)


@require_POST
@agent_required
def quick(request: AuthedRequest, pk: int) -> HttpResponse:
    """+5, +15, +30 or +60 minutes, today."""
    _, ticket = selectors.ticket_for(user=request.user, pk=pk)
    form = QuickForm(request.POST)
    if not form.is_valid():
        return _failed(request, ticket, "Choose one of the quick amounts.")
    try:
        entry = services.log_time(
            ticket=ticket,
            actor=request.user,
            minutes=form.cleaned_data["minutes"],
            source=TimeSource.QUICK,
        )
    except ServiceError as exc:
        return _failed(request, ticket, exc.message)
    return _done(request, ticket, f"{duration_text(entry.minutes)} logged.")


@require_POST
@agent_required
def log(request: AuthedRequest, pk: int) -> HttpResponse:
    """An entry typed in: the time, the day, a note."""
    _, ticket = selectors.ticket_for(user=request.user, pk=pk)
    form = ManualForm(request.POST)
    if not form.is_valid():
        return _failed(request, ticket, _first_error(form), form)
    d = form.cleaned_data
    try:
        entry = services.log_time(
            ticket=ticket,
            actor=request.user,
            minutes=d["minutes"],
            note=d["note"],
            work_date=d["work_date"],
            source=TimeSource.MANUAL,
        )
    except ServiceError as exc:
        for name, errors in exc.fields.items():
            for error in errors if name in form.fields else []:
                form.add_error(name, error)
        return _failed(request, ticket, exc.message, form)
    return _done(request, ticket, f"{duration_text(entry.minutes)} logged.")


@require_POST
@agent_required
def timer_start(request: AuthedRequest, pk: int) -> HttpResponse:
    _, ticket = selectors.ticket_for(user=request.user, pk=pk)
    try:
        _, stopped = services.start_timer(ticket=ticket, actor=request.user)
    except ServiceError as exc:
        return _failed(request, ticket, exc.message)
    notice = "Timer started."
    if stopped is not None:
        notice = (
            f"Timer started; {duration_text(stopped.minutes)} logged on "
            f"{stopped.ticket.reference}, where it was running."
        )
    return _done(request, ticket, notice)


@require_POST
@agent_required
def timer_stop(request: AuthedRequest, pk: int) -> HttpResponse:
    _, ticket = selectors.ticket_for(user=request.user, pk=pk)
    try:
        entry = services.stop_timer(actor=request.user)
    except ServiceError as exc:
        return _failed(request, ticket, exc.message)
    if entry is None:
        return _done(request, ticket, "Timer stopped; its ticket is no longer yours to log on.")
    where = "" if entry.ticket_id == ticket.pk else f" on {entry.ticket.reference}"
    return _done(request, ticket, f"Timer stopped: {duration_text(entry.minutes)} logged{where}.")


@require_POST
@agent_required
def remove(request: AuthedRequest, pk: int, entry_pk: int) -> HttpResponse:
    _, ticket = selectors.ticket_for(user=request.user, pk=pk)
    try:
        entry = selectors.entry_get(ticket=ticket, pk=entry_pk)
        services.remove_entry(entry=entry, actor=request.user)
    except ServiceError as exc:
        return _failed(request, ticket, exc.message)
    return _done(request, ticket, f"{duration_text(entry.minutes)} removed.")
