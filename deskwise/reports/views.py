"""The reports on the desk: the list, one report (its definition, figures,
chart and table, with filters and a CSV export) and the dashboard.

The dashboard page is a frame of panels; each panel loads by itself as an
htmx partial (``hx-trigger="load"``), so a slow report holds up only its own
panel, and a panel that fails says so without taking the page down.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from deskwise.accounts.models import Team, User
from deskwise.core.errors import InvalidInput
from deskwise.core.forms import DeskForm
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.reports import charts, export, selectors
from deskwise.reports.base import Filters, Report
from deskwise.tickets.views import agent_required

logger = logging.getLogger(__name__)


class ReportFilterForm(DeskForm):
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label="Until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    mine = forms.BooleanField(label="Only my own figures", required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Every team I may see"), *((t.pk, t.name) for t in teams)]


@dataclasses.dataclass(frozen=True)
class Asked:
    """What a report page was asked for: the form, and the filters or why not."""

    form: ReportFilterForm
    filters: Filters | None


def _asked(request: AuthedRequest) -> Asked:
    user = request.user
    first, last = selectors.default_range()
    data = (
        request.GET if any(k in request.GET for k in ("since", "until", "team", "mine")) else None
    )
    form = ReportFilterForm(
        data, teams=selectors.report_teams(user), initial={"since": first, "until": last}
    )
    if data is None:
        return Asked(form, selectors.filters_for(user, since=first, until=last))
    if not form.is_valid():
        return Asked(form, None)
    d = form.cleaned_data
    try:
        filters = selectors.filters_for(
            user,
            since=d.get("since"),
            until=d.get("until"),
            team_id=d.get("team"),
            mine=bool(d.get("mine")),
        )
    except InvalidInput as exc:
        for name, messages in (exc.fields or {"__all__": [exc.message]}).items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return Asked(form, None)
    return Asked(form, filters)


def _query(filters: Filters, team_id: int | None) -> str:
    parts = [f"since={filters.since:%Y-%m-%d}", f"until={filters.until:%Y-%m-%d}"]
    if team_id is not None:
        parts.append(f"team={team_id}")
    if filters.agent_id is not None:
        parts.append("mine=on")
    return "&".join(parts)


@require_GET
@agent_required
def report_list(request: AuthedRequest) -> HttpResponse:
    context = {"groups": selectors.grouped_specs(request.user)}
    return render_page(request, "reports/list.html", context)


@require_GET
@agent_required
def report_detail(request: AuthedRequest, slug: str) -> HttpResponse:
    spec = selectors.spec_get(request.user, slug)
    asked = _asked(request)
    context: dict[str, Any] = {
        "spec": spec,
        "form": asked.form,
        "report": None,
        "fmt": charts.display_value,
    }
    if asked.filters is None:
        return render_page(request, "reports/detail.html", context, partial="report", status=422)
    report = selectors.run(request.user, slug, asked.filters)
    team = asked.form.cleaned_data.get("team") if asked.form.is_bound else None
    context.update(
        report=report,
        filters=asked.filters,
        chart=charts.render_svg(report.chart) if report.chart else None,
        export_query=_query(asked.filters, team),
    )
    return render_page(request, "reports/detail.html", context, partial="report")


@require_GET
@agent_required
def report_export(request: AuthedRequest, slug: str) -> HttpResponse:
    selectors.spec_get(request.user, slug)
    asked = _asked(request)
    if asked.filters is None:
        errors = "; ".join(str(m) for messages in asked.form.errors.values() for m in messages)
        return HttpResponse(
            f"The report could not be exported: {errors}",
            status=422,
            content_type="text/plain; charset=utf-8",
        )
    report = selectors.run(request.user, slug, asked.filters)
    return export.csv_response(report, asked.filters)


# --- the dashboard ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Panel:
    name: str
    title: str
    # A report's slug; None for the desk's own panels (queue, SLA risks).
    slug: str | None = None
    mine: bool = False
    # "week": this week so far; "month": the last 30 days.
    period: str = "month"
    rows: int = 8


MY_PANELS = (
    Panel("queue", "My queue"),
    Panel("sla_risks", "My SLA risks"),
    Panel("my_time", "My time this week", slug="time_by_category", mine=True, period="week"),
    Panel("my_satisfaction", "My satisfaction", slug="satisfaction", mine=True),
)
TEAM_PANELS = (
    Panel("backlog", "Backlog by priority and age", slug="backlog"),
    Panel("sla", "SLA compliance and breaches", slug="sla"),
    Panel("escalations", "Escalations", slug="escalations"),
    Panel("workload", "Load per agent against capacity", slug="workload", rows=12),
    Panel("satisfaction", "Satisfaction", slug="satisfaction"),
    Panel("decisions", "Deferrals and declines", slug="decisions"),
)
PANELS = {p.name: p for p in (*MY_PANELS, *TEAM_PANELS)}


def panels_for(user: User) -> tuple[list[Panel], list[Panel]]:
    """The panels ``user`` sees: their own, and their teams' (supervisors and
    admins). A report that is not registered, or that they may not see, is left out."""

    def shown(panel: Panel) -> bool:
        return panel.slug is None or selectors.may_see(user, panel.slug)

    mine = [p for p in MY_PANELS if shown(p)]
    teams = [p for p in TEAM_PANELS if shown(p)] if user.is_supervisor else []
    return mine, teams


class DashboardTeamForm(DeskForm):
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: list[Team], everyone: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.TypedChoiceField)
        every = "All teams" if everyone else "All my teams"
        field.choices = [("", every), *((t.pk, t.name) for t in teams)]


def _dashboard_team(request: AuthedRequest) -> tuple[DashboardTeamForm, Team | None]:
    """The team the supervisor's panels are narrowed to, if one was asked for;
    a team they may not see is not found, like one that does not exist."""
    user = request.user
    teams = selectors.report_teams(user)
    form = DashboardTeamForm(
        request.GET if "team" in request.GET else None,
        teams=teams,
        everyone=user.is_desk_admin,
    )
    if not form.is_bound:
        return form, None
    if not form.is_valid():
        raise Http404("There is no such team, or you may not see its reports.")
    team_id = form.cleaned_data.get("team")
    return form, next((t for t in teams if t.pk == team_id), None)


def _panel_team_id(request: AuthedRequest) -> int | None:
    """The team a team panel is narrowed to, as the dashboard's link gives it."""
    raw = request.GET.get("team", "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("There is no such team, or you may not see its reports.")
    return int(raw)


@require_GET
@agent_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    mine, teams = panels_for(request.user)
    form, team = _dashboard_team(request)
    context = {
        "my_panels": mine,
        "team_panels": teams,
        "all_teams": request.user.is_desk_admin,
        "team_form": form,
        "team": team,
        "team_query": f"?team={team.pk}" if team else "",
    }
    return render_page(request, "reports/dashboard.html", context)


def _panel_range(panel: Panel) -> tuple[dt.date, dt.date]:
    if panel.period == "week":
        return selectors.week_range()
    return selectors.default_range()


@require_GET
@agent_required
def dashboard_panel(request: AuthedRequest, name: str) -> HttpResponse:
    user = request.user
    mine, teams = panels_for(user)
    panel = next((p for p in (*mine, *teams) if p.name == name), None)
    if panel is None:
        raise Http404("There is no such panel.")
    context: dict[str, Any] = {"panel": panel, "failed": False, "fmt": charts.display_value}
    if panel.name == "queue":
        context["counts"] = selectors.queue_counts(user)
    elif panel.name == "sla_risks":
        context["risks"] = selectors.sla_risks(user)
    else:
        assert panel.slug is not None
        since, until = _panel_range(panel)
        team_id = None if panel.mine else _panel_team_id(request)
        # filters_for refuses a team one may not see (404, like a missing one).
        filters = selectors.filters_for(
            user, since=since, until=until, team_id=team_id, mine=panel.mine
        )
        report: Report | None = None
        try:
            report = selectors.run(user, panel.slug, filters)
        except Exception:
            # One report failing must not take the dashboard with it.
            logger.exception("dashboard panel %s failed", panel.name)
            context["failed"] = True
        if report is not None:
            context.update(
                report=report,
                filters=filters,
                chart=charts.render_svg(report.chart, small=True) if report.chart else None,
                query=_query(filters, team_id),
            )
    return render_page(request, "reports/panel.html", context, partial="panel")
