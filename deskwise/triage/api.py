"""Triage over the API: the categories agents choose from, and how well
triage and the wait estimates do."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from deskwise.api.schemas import ROLE_READ_ERRORS
from deskwise.core import clock
from deskwise.core.errors import NotAllowed
from deskwise.triage import measures
from deskwise.triage.models import Category

router = Router(tags=["triage"])


class CategoryOut(Schema):
    id: int
    name: str
    team_id: int | None


@router.get("", response={200: list[CategoryOut], **ROLE_READ_ERRORS}, summary="Categories")
def list_categories(request: HttpRequest) -> list[CategoryOut]:
    if not getattr(request.auth, "is_agent", False):  # type: ignore[attr-defined]
        raise NotAllowed("Categories are for agents.")
    return [
        CategoryOut.model_construct(id=c.pk, name=c.name, team_id=c.team_id)
        for c in Category.objects.filter(is_active=True).order_by("name")[:500]
    ]


measures_router = Router(tags=["triage"])


class OverrideOut(Schema):
    field: str
    applied: int = Field(description="Tickets where automatic triage applied a value.")
    changed: int = Field(description="Of those, how many an agent changed.")
    rate: float | None


class AccuracyOut(Schema):
    tickets: int = Field(description="Started tickets measured.")
    median_error_hours: float | None
    p90_error_hours: float | None
    late_share: float | None = Field(description="Share that started after the prediction.")


class MeasuresOut(Schema):
    since: dt.datetime
    until: dt.datetime
    overrides: list[OverrideOut]
    start_accuracy: AccuracyOut


@measures_router.get(
    "/measures", response={200: MeasuresOut, **ROLE_READ_ERRORS}, summary="Triage measures"
)
def triage_measures(request: HttpRequest, days: int = Query(30, ge=1, le=366)) -> MeasuresOut:
    """How often agents change automatic triage, and how far predicted starts
    were from actual ones, over the tickets opened in the last ``days``."""
    if not getattr(request.auth, "is_supervisor", False):  # type: ignore[attr-defined]
        raise NotAllowed("Triage measures are for supervisors.")
    until = clock.now()
    since = until - dt.timedelta(days=days)
    accuracy = measures.start_accuracy(since=since, until=until)
    return MeasuresOut(
        since=since,
        until=until,
        overrides=[
            OverrideOut(field=r.field, applied=r.applied, changed=r.changed, rate=r.rate)
            for r in measures.override_rates(since=since, until=until)
        ],
        start_accuracy=AccuracyOut(**asdict(accuracy)),
    )
