"""The requester portal: my requests, a new request, one request's story."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deskwise.accounts.models import Contact, User
from deskwise.core.errors import InvalidCursor, NotFound, ServiceError
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.feedback.selectors import open_survey_for
from deskwise.portal.forms import ConfirmForm, MessageForm, RequestForm
from deskwise.queueing.estimate import wait_words
from deskwise.tickets import selectors, services
from deskwise.tickets.choices import Channel, Impact, Urgency
from deskwise.tickets.models import Ticket

View = Callable[..., HttpResponse]


def requester_view(view: View) -> View:
    """Anyone signed in may ask for help as themselves; they need a contact to do so."""

    @functools.wraps(view)
    def wrapper(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request.user, "contact_id", None) is None:
            return render_page(request, "portal/no_contact.html", {}, status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def _contact(user: User) -> Contact:
    """The requester identity of a portal user (``requester_view`` made sure of it)."""
    if user.contact is None:
        raise NotFound("This login has no requester identity.")
    return user.contact


@require_GET
@requester_view
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    try:
        page = selectors.requester_ticket_list(user=user, cursor=request.GET.get("cursor") or None)
    except InvalidCursor:
        page = selectors.requester_ticket_list(user=user)
    return render_page(request, "portal/home.html", {"page": page}, partial="requests")


@requester_view
def new_request(request: AuthedRequest) -> HttpResponse:
    user = request.user
    # A link from the desk ("please submit a ticket") fills the form in.
    initial = {
        name: request.GET.get(name, "")[:limit]
        for name, limit in (("subject", 200), ("description", 4000))
        if request.GET.get(name)
    }
    form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            ticket = services.open_ticket(
                requester=_contact(user),
                subject=d["subject"],
                description=d["description"],
                channel=Channel.PORTAL,
                actor=user,
                impact=Impact(d["impact"]),
                urgency=Urgency(d["urgency"]),
                uploads=d["attachments"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Thank you: your request is {ticket.reference}.")
            return redirect("portal:request", pk=ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render_page(request, "portal/new.html", {"form": form}, status=status)


def _detail(request: AuthedRequest, ticket: Ticket, **forms: Any) -> dict[str, Any]:
    context: dict[str, Any] = {
        "ticket": ticket,
        "events": selectors.timeline(user=request.user, ticket=ticket, public_only=True),
        "message_form": MessageForm(),
        "confirm_form": ConfirmForm(),
        "is_requester": ticket.requester_id == request.user.contact_id,
    }
    context["wait"] = wait_words(ticket)
    context["survey"] = open_survey_for(ticket) if context["is_requester"] else None
    context.update(forms)
    return context


@require_GET
@requester_view
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    ticket = selectors.requested_ticket_get(user=request.user, pk=pk)
    return render_page(request, "portal/request.html", _detail(request, ticket))


@require_POST
@requester_view
def request_message(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    ticket = selectors.requested_ticket_get(user=user, pk=pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_requester_message(
                ticket=ticket,
                contact=_contact(user),
                actor=user,
                body=form.cleaned_data["body"],
                uploads=form.cleaned_data["attachments"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your message has been added.")
            return redirect("portal:request", pk=pk)
    ticket = selectors.requested_ticket_get(user=user, pk=pk)
    return render_page(
        request, "portal/request.html", _detail(request, ticket, message_form=form), status=422
    )


@require_POST
@requester_view
def request_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    ticket = selectors.requested_ticket_get(user=user, pk=pk)
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_resolution(
                ticket=ticket,
                contact=_contact(user),
                actor=user,
                solved=form.cleaned_data["solved"],
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            solved = form.cleaned_data["solved"]
            messages.success(
                request,
                "Thank you for confirming. We're glad it's solved."
                if solved
                else "Thank you for telling us. We've reopened your request and will be in touch.",
            )
            return redirect("portal:request", pk=pk)
    ticket = selectors.requested_ticket_get(user=user, pk=pk)
    return render_page(
        request, "portal/request.html", _detail(request, ticket, confirm_form=form), status=422
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def confirm_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """ "Have I solved your problem?" answered from the mail's link, without
    signing in. The link opens this page with the answer chosen; the answer
    counts when the button is pressed, so a mail scanner that follows links
    answers nothing."""
    from deskwise.tickets.confirmation import ticket_for

    try:
        ticket = ticket_for(token)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if request.method == "GET":
        answer = request.GET.get("answer")
        form = ConfirmForm(initial={"solved": answer if answer in ("yes", "no") else None})
        return render_page(request, "portal/confirm_link.html", {"ticket": ticket, "form": form})
    form = ConfirmForm(request.POST)
    if form.is_valid():
        solved = form.cleaned_data["solved"]
        try:
            services.confirm_resolution(
                ticket=ticket,
                contact=ticket.requester,
                solved=solved,
                comment=form.cleaned_data["comment"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            context = {"ticket": ticket, "solved": solved}
            return render_page(request, "portal/confirmed.html", context)
    context = {"ticket": ticket, "form": form}
    return render_page(request, "portal/confirm_link.html", context, status=422)
