"""The reports over the API: the same registry, permissions and numbers as
the pages and the CSV export.

For agents (to anyone else there are no reports): the reports you may see,
and one report as JSON — its definition, headline figures, table and chart
data — for a date range and, optionally, one of your teams or only yourself.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from deskwise.accounts.models import User
from deskwise.api.schemas import MAX_ID, READ_ERRORS
from deskwise.core.errors import NotFound
from deskwise.reports import selectors
from deskwise.reports.base import Audience, Chart, ChartKind, Report, Spec

router = Router(tags=["reports"])

Cell = int | float | str | None


class ReportRef(Schema):
    slug: str
    title: str
    group: str = Field(description="What the reports page lists it under.")
    audience: Audience = Field(
        description="agent: every agent (their own figures or their teams'); supervisor: "
        "supervisors and admins; admin: admins."
    )


class ColumnOut(Schema):
    key: str
    label: str
    unit: str = Field(description="count, percent (0..1), hours, minutes, text or date.")


class FigureOut(Schema):
    label: str
    value: Cell
    unit: str


class SeriesOut(Schema):
    name: str
    values: list[float | None] = Field(description="One per x label; null where there is none.")


class ChartOut(Schema):
    kind: ChartKind
    title: str
    x_labels: list[str]
    series: list[SeriesOut]
    unit: str


class ReportTableOut(ReportRef):
    definition: str = Field(description="What is counted, how, and what it leaves out.")
    since: dt.date
    until: dt.date = Field(description="Included.")
    team_ids: list[int] = Field(description="The teams the figures cover.")
    agent_id: int | None = Field(description="Set when the figures are only yours (mine=true).")
    columns: list[ColumnOut]
    rows: list[list[Cell]] = Field(description="One value per column.")
    figures: list[FigureOut]
    notes: list[str]
    chart: ChartOut | None


class ReportQuery(Schema):
    since: str | None = Field(
        default=None,
        max_length=32,
        description="First day, YYYY-MM-DD (desk time); default: 30 days before until.",
    )
    until: str | None = Field(
        default=None, max_length=32, description="Last day, included; default: today."
    )
    team_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="One of your teams; default: all you may see."
    )
    mine: bool = Field(default=False, description="Only your own figures.")


def _user(request: HttpRequest) -> User:
    user: User | None = getattr(request, "auth", None)
    if user is None or not user.is_agent:
        raise NotFound("There are no reports here.")
    return user


def _ref(spec: Spec) -> ReportRef:
    return ReportRef(slug=spec.slug, title=spec.title, group=spec.group, audience=spec.audience)


def _chart_out(chart: Chart | None) -> ChartOut | None:
    if chart is None:
        return None
    return ChartOut(
        kind=chart.kind,
        title=chart.title,
        x_labels=[str(label) for label in chart.x_labels],
        series=[SeriesOut(name=name, values=list(values)) for name, values in chart.series],
        unit=chart.unit,
    )


def report_out(spec: Spec, report: Report, filters: selectors.Filters) -> ReportTableOut:
    return ReportTableOut(
        slug=spec.slug,
        title=report.title or spec.title,
        group=spec.group,
        audience=spec.audience,
        definition=report.definition,
        since=filters.since,
        until=filters.until,
        team_ids=sorted(filters.team_ids),
        agent_id=filters.agent_id,
        columns=[ColumnOut(key=c.key, label=c.label, unit=c.unit) for c in report.columns],
        rows=[list(row) for row in report.rows],
        figures=[FigureOut(label=label, value=v, unit=unit) for label, v, unit in report.figures],
        notes=list(report.notes),
        chart=_chart_out(report.chart),
    )


@router.get("", response={200: list[ReportRef], **READ_ERRORS}, summary="List reports")
def report_list(request: HttpRequest) -> list[ReportRef]:
    """The reports you may see, by group then title."""
    return [_ref(spec) for spec in selectors.visible_specs(_user(request))]


@router.get("/{slug}", response={200: ReportTableOut, **READ_ERRORS}, summary="Get a report")
def report_get(request: HttpRequest, slug: str, query: Query[ReportQuery]) -> ReportTableOut:
    """One report over whole days (desk time, both included; the last 30 days
    by default, at most 366): definition, figures, table and chart data. A
    report or team you may not see is not found; a range that is not one is
    refused (422)."""
    user = _user(request)
    spec = selectors.spec_get(user, slug)
    filters = selectors.filters_for(
        user, since=query.since, until=query.until, team_id=query.team_id, mine=query.mine
    )
    report = selectors.run(user, slug, filters)
    return report_out(spec, report, filters)
