"""Pages: the closing questions for the requester (by the mail's link, without
signing in, or signed in from the portal), and the desk's satisfaction
report with the follow-ups on poor answers.

A link in the mail is a GET that only shows the form with the answer chosen:
mail scanners that open links answer nothing. The answer is the POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deskwise.core.errors import InvalidCursor, InvalidInput, NotAllowed, NotFound, ServiceError
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.feedback import selectors, services
from deskwise.feedback.forms import FollowUpDoneForm, ReportFilterForm, SurveyForm
from deskwise.feedback.models import FollowUp, Survey
from deskwise.feedback.services import AlreadyAnswered, Expired
from deskwise.tickets.choices import Channel
from deskwise.tickets.views import agent_required

# --- the requester's pages ------------------------------------------------------------


def _link_state(
    request: HttpRequest, state: str, survey: Survey | None, *, status: int, message: str = ""
) -> HttpResponse:
    """The page for a link that cannot be answered: unknown (404), answered or expired."""
    context = {"state": state, "survey": survey, "message": message}
    return render_page(request, "feedback/link_state.html", context, status=status)


def _closed(
    request: HttpRequest, survey: Survey, exc: ServiceError, *, posted: bool
) -> HttpResponse:
    if isinstance(exc, Expired):
        return _link_state(request, "expired", survey, status=410, message=exc.message)
    return _link_state(
        request, "answered", survey, status=409 if posted else 200, message=exc.message
    )


def _add_errors(form: SurveyForm, exc: ServiceError) -> None:
    named = [name for name in exc.fields if name in form.fields]
    if named:
        for name in named:
            form.add_error(name, exc.message)
    else:
        form.add_error(None, exc.message)


def _answer_page(
    request: HttpRequest,
    survey: Survey,
    *,
    token: str | None,
    done: str,
) -> HttpResponse:
    """Show the questions (GET, with the mail's choice) or take the answers (POST)."""
    try:
        services.check_open(survey)
    except (AlreadyAnswered, Expired) as exc:
        return _closed(request, survey, exc, posted=request.method == "POST")
    status = 200
    if request.method == "POST":
        form = SurveyForm(request.POST)
        status = 422
        if form.is_valid():
            d = form.cleaned_data
            signed_in: Any = None if token else request.user
            try:
                services.survey_answer(
                    token=token,
                    survey=survey,
                    actor=signed_in,
                    solved=d["solved"],
                    satisfaction=d["satisfaction"],
                    better=d["better"],
                    channel=Channel.PORTAL,
                )
            except (AlreadyAnswered, Expired) as exc:
                return _closed(request, survey, exc, posted=True)
            except InvalidInput as exc:
                _add_errors(form, exc)
            else:
                if token is None:  # signed in: back to the request, with a word of thanks
                    messages.success(request, "Thank you for answering the closing questions.")
                return redirect(done)
    else:
        form = SurveyForm(initial=SurveyForm.initial_from(request.GET))
    context = {"survey": survey, "ticket": survey.ticket, "form": form}
    return render_page(request, "feedback/answer.html", context, status=status)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: no sign-in, the token is the permission."""
    survey = selectors.survey_by_token(token)
    if survey is None:
        return _link_state(request, "unknown", None, status=404)
    return _answer_page(
        request, survey, token=token, done=reverse("feedback:thanks", kwargs={"token": token})
    )


@login_not_required
@never_cache
@require_GET
def thanks(request: HttpRequest, token: str) -> HttpResponse:
    survey = selectors.survey_by_token(token)
    if survey is None:
        return _link_state(request, "unknown", None, status=404)
    if survey.answered_at is None:
        return redirect("feedback:answer", token=token)
    return render_page(request, "feedback/thanks.html", {"survey": survey})


@never_cache
@require_http_methods(["GET", "POST"])
def answer_signed_in(request: AuthedRequest, pk: int) -> HttpResponse:
    """The same questions from the portal, for the requester signed in: their
    own requests only; anyone else's is not found."""
    try:
        survey = selectors.requester_survey(user=request.user, ticket_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return _answer_page(request, survey, token=None, done=reverse("portal:request", args=[pk]))


# --- the desk's pages -------------------------------------------------------------------


@require_GET
@agent_required
def satisfaction(request: AuthedRequest) -> HttpResponse:
    first, last = selectors.default_range()
    form = ReportFilterForm(
        request.GET or None,
        teams=selectors.report_teams(request.user),
        initial={"since": first, "until": last},
    )
    since, until, team_id = form.values()
    report = selectors.satisfaction_report(
        user=request.user, since=since, until=until, team_id=team_id
    )
    open_followups = selectors.followup_page(
        user=request.user, status=FollowUp.Status.OPEN, limit=10
    )
    context = {
        "form": form,
        "report": report,
        "followups": open_followups,
        "may_handle": selectors.may_handle_followups(request.user),
        "done_form": FollowUpDoneForm(),
    }
    return render_page(request, "feedback/satisfaction.html", context)


def _followups_context(request: AuthedRequest, **extra: Any) -> dict[str, Any]:
    status = request.GET.get("status", "open")
    status = status if status in {"open", "done", "all"} else "open"
    try:
        page = selectors.followup_page(
            user=request.user,
            status=None if status == "all" else status,
            cursor=request.GET.get("cursor") or None,
        )
    except InvalidCursor:
        page = selectors.followup_page(
            user=request.user, status=None if status == "all" else status
        )
    return {
        "page": page,
        "status": status,
        "may_handle": selectors.may_handle_followups(request.user),
        "done_form": FollowUpDoneForm(),
        "failed": None,
        **extra,
    }


@require_GET
@agent_required
def followups(request: AuthedRequest) -> HttpResponse:
    return render_page(request, "feedback/followups.html", _followups_context(request))


def _back(request: AuthedRequest) -> str:
    """Where the "done" button was pressed: the report or the follow-ups list."""
    if request.POST.get("back") == "report":
        return reverse("feedback:satisfaction")
    return reverse("feedback:followups")


@require_POST
@agent_required
def followup_done(request: AuthedRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(user=request.user, pk=pk)
    form = FollowUpDoneForm(request.POST)
    if form.is_valid():
        try:
            services.followup_done(
                followup=followup, actor=request.user, note=form.cleaned_data["note"]
            )
        except NotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(_back(request))
        except ServiceError as exc:
            form.add_error("note", exc.message)
        else:
            messages.success(request, f"The follow-up on {followup.survey.reference} is done.")
            return redirect(_back(request))
    context = _followups_context(request, done_form=form, failed=followup.pk)
    return render_page(request, "feedback/followups.html", context, status=422)
