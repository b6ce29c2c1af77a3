"""Pages: the defer/decline dialog, the register with its analysis and the
"make the case" page, and "someone asked me directly"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from deskwise.accounts.services import contact_get_or_create
from deskwise.core import clock
from deskwise.core.errors import InvalidCursor, ServiceError
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.outcomes import analysis, selectors, services
from deskwise.outcomes import forms as f
from deskwise.outcomes.models import DecisionKind, Where
from deskwise.responses import selectors as responses
from deskwise.responses.models import ResponseTemplate
from deskwise.responses.render import Rendered, render
from deskwise.search.selectors import articles_for_ticket
from deskwise.tickets import selectors as tickets
from deskwise.tickets.models import Ticket
from deskwise.tickets.views import agent_required


def _date_words(day: dt.date | None) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}" if day else ""


def reply_context(
    ticket: Ticket,
    agent: Any,
    *,
    reason: Any = None,
    explanation: str = "",
    alternatives: list[dict[str, str]] | None = None,
    expected_date: dt.date | None = None,
) -> dict[str, object]:
    """The values a template may use for this ticket and decision."""
    requester = ticket.requester
    return {
        "first_name": requester.first_name,
        "requester_name": requester.display_name,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "reason": reason.label if reason else "",
        "explanation": explanation or (reason.explanation if reason else ""),
        "alternatives": services.alternatives_text(alternatives or []),
        "expected_date": _date_words(expected_date),
        "agent_name": agent.display_name,
        "team_name": ticket.team.name,
        "portal_url": f"{settings.BASE_URL}/portal/requests/{ticket.pk}/",
    }


def _suggested_date(ticket: Ticket) -> dt.date:
    from deskwise.queueing.estimate import capacity_date

    when = capacity_date(ticket.team, ticket.priority)
    today = clock.now().date()
    if when is None or when.date() <= today:
        return today + dt.timedelta(days=7)
    return min(when.date(), today + dt.timedelta(days=365))


@require_http_methods(["GET", "POST"])
@agent_required
def decide(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in DecisionKind.values:
        raise Http404("No such outcome.")
    ticket = tickets.ticket_get(user=request.user, pk=pk)
    templates = responses.templates_for(kind)
    suggested = [a.id for a in articles_for_ticket(user=request.user, ticket=ticket, limit=4)]
    rendered: Rendered | None = None
    if request.method == "GET":
        initial: dict[str, Any] = {"template": templates[0].pk if templates else None}
        if kind == DecisionKind.DEFER:
            initial["expected_date"] = _suggested_date(ticket)
        form = f.DecisionForm(kind=kind, initial=initial, suggested=suggested)
        if templates:
            rendered = render(
                templates[0].body,
                reply_context(ticket, request.user, expected_date=initial.get("expected_date")),
            )
            form.initial["message"] = rendered.text
        status = 200
    else:
        form = f.DecisionForm(request.POST, kind=kind, suggested=suggested)
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            offered = form.offered()
            template: ResponseTemplate | None = d.get("template")
            if "preview" in request.POST or not (d.get("message") or "").strip():
                # Fill the reply from the template; the agent reads and edits it.
                context = reply_context(
                    ticket,
                    request.user,
                    reason=d["reason"],
                    explanation=d.get("explanation") or "",
                    alternatives=offered,
                    expected_date=d.get("expected_date"),
                )
                body = template.body if template else (templates[0].body if templates else "")
                rendered = render(body, context)
                data = request.POST.copy()
                data["message"] = rendered.text
                form = f.DecisionForm(data, kind=kind, suggested=suggested)
                form.is_valid()
                status = 200
            else:
                try:
                    services.decide(
                        ticket=ticket,
                        actor=request.user,
                        kind=kind,
                        reason=d["reason"],
                        message=d["message"],
                        explanation=d.get("explanation") or "",
                        alternatives=offered,
                        expected_date=d.get("expected_date"),
                    )
                except ServiceError as exc:
                    form.add_error(None, exc.message)
                else:
                    word = "Deferred" if kind == DecisionKind.DEFER else "Declined"
                    messages.success(request, f"{word}; the requester has your reply.")
                    return redirect("tickets:detail", pk=ticket.pk)
    context = {
        "ticket": ticket,
        "kind": DecisionKind(kind),
        "form": form,
        "rendered": rendered,
        "phrases": responses.phrases(),
        "reasons": selectors.reasons(kind),
    }
    return render_page(request, "outcomes/decide.html", context, status=status)


def _register_context(request: AuthedRequest) -> tuple[f.RegisterFilterForm, Any]:
    form = f.RegisterFilterForm(request.GET or None)
    return form, form.filters()


@require_GET
@agent_required
def register(request: AuthedRequest) -> HttpResponse:
    form, filters = _register_context(request)
    try:
        page = selectors.register_page(
            user=request.user, filters=filters, cursor=request.GET.get("cursor") or None
        )
    except InvalidCursor:
        return redirect(request.path)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render_page(request, "outcomes/register.html", context)


@require_GET
@agent_required
def register_export(request: AuthedRequest) -> HttpResponse:
    _, filters = _register_context(request)
    rows = selectors.register_rows(user=request.user, filters=filters)
    response: Any = StreamingHttpResponse(analysis.register_csv(rows), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="declined-requests.csv"'
    return response


@require_GET
@agent_required
def register_analysis(request: AuthedRequest) -> HttpResponse:
    form, filters = _register_context(request)
    period = "week" if request.GET.get("period") == "week" else "month"
    result = selectors.register_analysis(user=request.user, filters=filters, period=period)
    query = request.GET.copy()
    context = {"form": form, "result": result, "period": period, "query": query.urlencode()}
    return render_page(request, "outcomes/analysis.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def make_the_case(request: AuthedRequest, number: int) -> HttpResponse:
    """Cluster ``number`` of the analysis (with the same filters) as a proposal."""
    _, filters = _register_context(request)
    result = selectors.register_analysis(user=request.user, filters=filters)
    if not 1 <= number <= len(result.clusters):
        raise Http404("No such group of requests.")
    cluster = result.clusters[number - 1]
    form = f.CaseForm(
        request.POST or None,
        initial={"title": f"Fewer requests about {cluster.label}", "fix_kind": "documentation"},
    )
    markdown = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        markdown = analysis.case_markdown(
            cluster,
            result.rows_by_id,
            title=d["title"],
            fix_kind=d["fix_kind"],
            proposal=d["proposal"],
            hours_per_request=d.get("hours"),
        )
        if request.POST.get("format") == "md":
            response = HttpResponse(markdown, content_type="text/markdown; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="case-{number}.md"'
            return response
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            analysis.case_csv(cluster, result.rows_by_id), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="case-{number}.csv"'
        return response
    members = [result.rows_by_id[i] for i in cluster.member_ids if i in result.rows_by_id]
    context = {
        "cluster": cluster,
        "number": number,
        "members": members[:100],
        "form": form,
        "markdown": markdown,
        "query": request.GET.urlencode(),
    }
    return render_page(request, "outcomes/case.html", context)


@require_http_methods(["GET", "POST"])
@agent_required
def off_channel(request: AuthedRequest) -> HttpResponse:
    """Someone asked me directly: two clicks from anywhere in the desk."""
    form = f.OffChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            requester = contact_get_or_create(email=d["requester_email"], name=d["requester_name"])
            message = ""
            if d["outcome"] == "invite":
                message = please_submit_text(requester, request.user, d["what"])
            logged = services.log_off_channel(
                actor=request.user,
                requester=requester,
                what=d["what"],
                where=Where(d["where"]),
                as_ticket=d["outcome"] == "ticket",
                team=d["team"],
                message=message,
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            if logged.ticket is not None:
                messages.success(request, f"{logged.ticket.reference} logged for them.")
                return redirect("tickets:detail", pk=logged.ticket.pk)
            messages.success(request, f"{requester.email} has a link to submit it.")
            return redirect("outcomes:off_channel")
    since = clock.now() - dt.timedelta(days=90)
    report = selectors.bypass_report(user=request.user, since=since)
    nudge = next(iter(responses.templates_for("nudge")), None)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "report": report, "nudge": nudge}
    return render_page(request, "outcomes/off_channel.html", context, status=status)


def please_submit_text(requester: Any, agent: Any, what: str) -> str:
    template = next(iter(responses.templates_for("please_submit")), None)
    context = {
        "first_name": requester.first_name,
        "requester_name": requester.display_name,
        "what": what,
        "link": services.submit_link(what),
        "agent_name": agent.display_name,
        "portal_url": f"{settings.BASE_URL}/portal/",
    }
    if template is None:
        return (
            f"Hello {requester.first_name or ''},\n\nCould you send this to the help desk, so "
            f"that it does not get lost? This link fills it in for you:\n{context['link']}"
        )
    return render(template.body, context).text


@require_http_methods(["POST"])
@agent_required
def nudge(request: AuthedRequest) -> HttpResponse:
    """Send the kind nudge back to the queue to someone who asks me directly."""
    from deskwise.accounts.models import Contact

    try:
        requester = Contact.objects.get(pk=int(request.POST.get("requester", "")))
    except (ValueError, Contact.DoesNotExist):
        raise Http404("No such person.") from None
    template = next(iter(responses.templates_for("nudge")), None)
    context = {
        "first_name": requester.first_name,
        "requester_name": requester.display_name,
        "link": f"{settings.BASE_URL}/portal/new/",
        "portal_url": f"{settings.BASE_URL}/portal/",
        "agent_name": request.user.display_name,
        "team_name": ", ".join(t.name for t in request.user.teams.all()[:3]),
    }
    text = render(template.body, context).text if template else ""
    try:
        services.send_nudge(actor=request.user, requester=requester, message=text)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{requester.display_name} has your note about the queue.")
    return redirect("outcomes:off_channel")
