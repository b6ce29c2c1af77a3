"""Pages: the problems with their search, a problem with its incidents and
history, writing and changing one, linking incidents, the recurring-incidents
view, and the panel on the ticket page.

Views parse input, call one selector or service, and render; who may see what
is the selectors' business.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deskwise.core.errors import InvalidCursor, ServiceError
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.problems import forms as f
from deskwise.problems import selectors, services
from deskwise.problems.models import Problem, ProblemStatus
from deskwise.problems.services import UNSET
from deskwise.tickets import selectors as tickets
from deskwise.tickets.models import Ticket
from deskwise.tickets.views import agent_required


def _flash_errors(request: AuthedRequest, form: forms.Form) -> None:
    """A small form's errors, for the page it came from."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _form_errors(form: forms.Form, exc: ServiceError) -> None:
    """A service's refusal shown on the form: by field where it names one."""
    for name, errors in exc.fields.items():
        for error in errors if name in form.fields else []:
            form.add_error(name, error)
    form.add_error(None, exc.message)


@require_GET
@agent_required
def problem_list(request: AuthedRequest) -> HttpResponse:
    form = f.SearchForm(request.GET or None)
    q, state, status = "", "", 200
    if form.is_bound:
        if form.is_valid():
            q, state = form.cleaned_data["q"], form.cleaned_data["status"]
        else:
            status = 422
    try:
        page = selectors.problem_list(
            user=request.user, q=q, status=state or None, cursor=request.GET.get("cursor") or None
        )
    except InvalidCursor:
        return redirect(f"{request.path}?{urlencode({'q': q, 'status': state})}")
    query = urlencode({"q": q, "status": state})
    context = {"form": form, "page": page, "query": query, "q": q, "state": state}
    return render_page(request, "problems/list.html", context, partial="results", status=status)


@require_GET
@agent_required
def problem_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(user=request.user, pk=pk)
    context = {
        "problem": problem,
        "incidents": selectors.problem_incidents(user=request.user, problem=problem),
        "history": selectors.problem_history(problem=problem),
        "link_form": f.LinkForm(),
        "statuses": ProblemStatus,
    }
    return render_page(request, "problems/detail.html", context)


def _ticket_from(request: AuthedRequest) -> Ticket | None:
    """The ticket a new problem starts from (``?ticket=`` or the form's field)."""
    raw = request.POST.get("ticket") or request.GET.get("ticket") or ""
    number = f.ticket_number(raw)
    if number is None:
        return None
    return tickets.ticket_get(user=request.user, pk=number)


@require_http_methods(["GET", "POST"])
@agent_required
def problem_new(request: AuthedRequest) -> HttpResponse:
    """A new problem; started from a ticket, it is prefilled and linked to it."""
    ticket = _ticket_from(request)
    initial: dict[str, Any] = {}
    if ticket is not None:
        initial = {
            "title": ticket.subject,
            "symptoms": services.symptoms_of(ticket),
            "team": ticket.team_id,
        }
    form = f.ProblemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            problem = services.problem_create(
                actor=request.user,
                title=d["title"],
                symptoms=d["symptoms"],
                root_cause=d["root_cause"],
                workaround=d["workaround"],
                permanent_fix=d["permanent_fix"],
                status=d["status"],
                team=d["team"],
                owner=d["owner"],
                incidents=[ticket] if ticket is not None else [],
            )
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{problem.reference} created.")
            return redirect("problems:detail", pk=problem.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "problem": None, "ticket": ticket}
    return render_page(request, "problems/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@agent_required
def problem_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(user=request.user, pk=pk)
    initial = {
        name: getattr(problem, name)
        for name in ("title", "symptoms", "root_cause", "workaround", "permanent_fix", "status")
    }
    initial |= {"team": problem.team_id, "owner": problem.owner_id}
    form = f.ProblemForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.problem_update(
                problem=problem,
                actor=request.user,
                title=d["title"],
                symptoms=d["symptoms"],
                root_cause=d["root_cause"],
                workaround=d["workaround"],
                permanent_fix=d["permanent_fix"],
                status=d["status"],
                team=d["team"] if d["team"] is not None else UNSET,
                owner=d["owner"],
            )
        except ServiceError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"{problem.reference} saved.")
            return redirect("problems:detail", pk=problem.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "problem": problem, "ticket": None}
    return render_page(request, "problems/form.html", context, status=status)


@require_POST
@agent_required
def incident_link(request: AuthedRequest, pk: int) -> HttpResponse:
    problem = selectors.problem_get(user=request.user, pk=pk)
    form = f.LinkForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("problems:detail", pk=problem.pk)
    try:
        ticket = tickets.ticket_get(user=request.user, pk=form.cleaned_data["ticket"])
        services.incident_link(problem=problem, ticket=ticket, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{ticket.reference} linked to {problem.reference}.")
    return redirect("problems:detail", pk=problem.pk)


@require_POST
@agent_required
def incident_unlink(request: AuthedRequest, pk: int, ticket_pk: int) -> HttpResponse:
    problem = selectors.problem_get(user=request.user, pk=pk)
    try:
        ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
        services.incident_unlink(problem=problem, ticket=ticket, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{ticket.reference} unlinked from {problem.reference}.")
    return redirect("problems:detail", pk=problem.pk)


@require_GET
@agent_required
def recurring(request: AuthedRequest) -> HttpResponse:
    """Clusters of recent incidents without a problem, each a proposal."""
    found = selectors.recurring(user=request.user)
    proposals = [
        (proposal, f.ProposalForm(initial={"title": proposal.title, "incidents": _ids(proposal)}))
        for proposal in found.proposals
    ]
    context = {"recurring": found, "proposals": proposals}
    return render_page(request, "problems/recurring.html", context)


def _ids(proposal: selectors.Proposal) -> str:
    return ",".join(str(pk) for pk in proposal.ticket_ids)


@require_POST
@agent_required
def recurring_create(request: AuthedRequest) -> HttpResponse:
    """ "Create a problem from these": the proposal's incidents, linked to it."""
    form = f.ProposalForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return redirect("problems:recurring")
    d = form.cleaned_data
    try:
        incidents = selectors.incidents_for_proposal(user=request.user, ticket_ids=d["incidents"])
        proposal_text = _proposal_symptoms(incidents)
        problem = services.problem_create(
            actor=request.user, title=d["title"], symptoms=proposal_text, incidents=incidents
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("problems:recurring")
    messages.success(
        request, f"{problem.reference} created with {len(incidents)} incidents linked to it."
    )
    return redirect("problems:detail", pk=problem.pk)


def _proposal_symptoms(incidents: list[Ticket]) -> str:
    first = min(t.created_at for t in incidents)
    last = max(t.created_at for t in incidents)
    head = f"{len(incidents)} incidents from {first:%-d %b %Y} to {last:%-d %b %Y}:"
    text = "\n".join([head, *(f"- {t.reference}: {t.subject}" for t in incidents)])
    limit = services.TEXT_MAX
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the panel on the ticket page ----------------------------------------------------


@require_GET
@agent_required
def for_ticket(request: AuthedRequest, ticket_pk: int) -> HttpResponse:
    """An htmx partial on the ticket page: its problem (with the workaround), or
    the known errors that may match; and, after repeat incidents, the prompt
    for the root cause."""
    ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
    found = selectors.for_ticket(user=request.user, ticket=ticket)
    form = f.RootCauseForm(auto_id="problem-%s")  # ids apart from the ticket page's forms
    context = {"found": found, "ticket": ticket, "root_cause_form": form}
    return render_page(request, "problems/_for_ticket.html", context)


def _back_to(ticket: Ticket) -> HttpResponse:
    return redirect("tickets:detail", pk=ticket.pk)


@require_POST
@agent_required
def for_ticket_link(request: AuthedRequest, ticket_pk: int) -> HttpResponse:
    """ "Link to this problem" from the ticket page."""
    ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
    form = f.LinkProblemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the problem to link this ticket to.")
        return _back_to(ticket)
    try:
        problem: Problem = selectors.problem_get(user=request.user, pk=form.cleaned_data["problem"])
        services.incident_link(problem=problem, ticket=ticket, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{ticket.reference} linked to {problem.reference}.")
    return _back_to(ticket)


@require_POST
@agent_required
def for_ticket_root_cause(request: AuthedRequest, ticket_pk: int) -> HttpResponse:
    """The root cause of a repeat incident, from the prompt on the ticket page;
    optionally a problem made of it, with the similar incidents linked."""
    ticket = tickets.ticket_get(user=request.user, pk=ticket_pk)
    form = f.RootCauseForm(request.POST)
    if not form.is_valid():
        _flash_errors(request, form)
        return _back_to(ticket)
    d = form.cleaned_data
    also: list[Ticket] = []
    if d["create_problem"] and d["link_similar"]:
        repeats = selectors.repeat_incidents(ticket, user=request.user)
        also = list(
            Ticket.objects.filter(pk__in=[hit.id for hit in repeats], problem_link__isnull=True)
        )
    try:
        result = services.root_cause_record(
            ticket=ticket,
            actor=request.user,
            root_cause=d["root_cause"],
            create_problem=d["create_problem"],
            title=d["title"],
            workaround=d["workaround"],
            also_link=also,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back_to(ticket)
    if result.problem is not None:
        linked = len(also) + 1
        messages.success(
            request,
            f"Root cause recorded; {result.problem.reference} created with {linked} "
            f"incident{'s' if linked != 1 else ''}.",
        )
        return redirect("problems:detail", pk=result.problem.pk)
    messages.success(request, "Root cause recorded on the ticket.")
    return _back_to(ticket)
