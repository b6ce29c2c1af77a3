"""Defer, decline, off-channel requests and the register over the API, on the
same services and selectors as the pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as ApiStatus
from pydantic import BeforeValidator

from deskwise.api.schemas import MAX_ID, ROLE_READ_ERRORS, WRITE_ERRORS
from deskwise.core.errors import NotFound
from deskwise.core.text import (
    BODY_PATTERN,
    EMAIL_PATTERN,
    NAME_MAX,
    OPTIONAL_BODY_PATTERN,
    OPTIONAL_LINE_PATTERN,
)
from deskwise.outcomes import selectors, services
from deskwise.outcomes.models import Decision, DecisionKind, DecisionReason, Where
from deskwise.tickets import selectors as tickets
from deskwise.tickets.api import TicketId, TicketOut, _contact, _fresh, _team, _user

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)


def _iso(value: object) -> object:
    if isinstance(value, str) and not _ISO.fullmatch(value):
        raise ValueError("Use an ISO 8601 date or date-time, e.g. 2026-11-30T09:00:00Z.")
    return value


IsoDateTime = Annotated[dt.datetime, BeforeValidator(_iso)]


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """A date-time without a zone is the desk's local time; any other is read in
    UTC (PostgreSQL refuses offsets beyond 15:59, which ISO 8601 allows)."""
    if moment is None:
        return moment
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC)
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


decisions_router = Router(tags=["tickets"])
register_router = Router(tags=["declines"])
off_channel_router = Router(tags=["off-channel"])


class AlternativeIn(Schema):
    kind: Literal["article", "link", "team", "contact", "text"] = "text"
    label: str = Field(max_length=300, pattern=BODY_PATTERN)
    url: str | None = Field(default=None, max_length=2000)


class DecisionIn(Schema):
    reason: str = Field(max_length=40, description="A reason's code (GET /declines/reasons).")
    message: str = Field(
        max_length=20_000, pattern=BODY_PATTERN, description="The reply the requester reads."
    )
    explanation: str = Field(default="", max_length=5000, pattern=OPTIONAL_BODY_PATTERN)
    alternatives: list[AlternativeIn] = Field(default_factory=list, max_length=10)


class DeferIn(DecisionIn):
    expected_date: dt.date = Field(description="When the desk expects to have time for it.")


def _reason(code: str) -> DecisionReason:
    reason = DecisionReason.objects.filter(code=code).first()
    if reason is None:
        raise NotFound(f"There is no reason {code!r}.", fields={"reason": ["Unknown reason."]})
    return reason


def _decide(request: HttpRequest, ticket_id: int, kind: DecisionKind, payload: DecisionIn,
            expected: dt.date | None) -> TicketOut:  # fmt: skip
    user = _user(request)
    services.decide(
        ticket=tickets.ticket_get(user=user, pk=ticket_id),
        actor=user,
        kind=kind,
        reason=_reason(payload.reason),
        message=payload.message,
        explanation=payload.explanation,
        alternatives=[a.model_dump(exclude_none=True) for a in payload.alternatives],
        expected_date=expected,
    )
    return _fresh(request, ticket_id)


@decisions_router.post(
    "/{ticket_id}/defer", response={200: TicketOut, **WRITE_ERRORS}, summary="Defer"
)
def post_defer(request: HttpRequest, payload: DeferIn, ticket_id: int = TicketId) -> TicketOut:
    """We will do it, later: the reason, alternatives, the date, and the reply."""
    return _decide(request, ticket_id, DecisionKind.DEFER, payload, payload.expected_date)


@decisions_router.post(
    "/{ticket_id}/decline", response={200: TicketOut, **WRITE_ERRORS}, summary="Decline"
)
def post_decline(request: HttpRequest, payload: DecisionIn, ticket_id: int = TicketId) -> TicketOut:
    """We will not do it here: the reason, what they can do instead, and the reply.
    A reply from the requester reopens it for review."""
    return _decide(request, ticket_id, DecisionKind.DECLINE, payload, None)


class ReasonOut(Schema):
    code: str
    label: str
    explanation: str
    applies_to: str = Field(description="both, defer or decline")


class DecisionOut(Schema):
    id: int
    ticket_id: int
    reference: str
    kind: str = Field(description="defer or decline")
    reason: ReasonOut
    explanation: str
    alternatives: list[AlternativeIn]
    expected_date: dt.date | None
    agent_id: int
    team_id: int
    category_id: int | None
    requester_id: int
    subject: str
    description: str
    created_at: dt.datetime


class DecisionPage(Schema):
    items: list[DecisionOut]
    next_cursor: str | None


def _reason_out(r: DecisionReason) -> ReasonOut:
    return ReasonOut.model_construct(
        code=r.code, label=r.label, explanation=r.explanation, applies_to=r.applies_to
    )


def _decision_out(d: Decision) -> DecisionOut:
    return DecisionOut.model_construct(
        id=d.pk,
        ticket_id=d.ticket_id,
        reference=f"DW-{d.ticket_id}",
        kind=d.kind,
        reason=_reason_out(d.reason),
        explanation=d.explanation,
        alternatives=[AlternativeIn.model_construct(**a) for a in d.alternatives],
        expected_date=d.expected_date,
        agent_id=d.agent_id,
        team_id=d.team_id,
        category_id=d.category_id,
        requester_id=d.requester_id,
        subject=d.subject,
        description=d.description,
        created_at=d.created_at,
    )


class RegisterQuery(Schema):
    kind: Literal["defer", "decline"] | None = None
    reason: str | None = Field(default=None, max_length=40)
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    category_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    since: IsoDateTime | None = None
    until: IsoDateTime | None = None
    cursor: str | None = Field(default=None, max_length=512)
    limit: int = Field(default=50, ge=1, le=100)

    def filters(self) -> selectors.RegisterFilters:
        reason_id = None
        if self.reason:
            reason_id = _reason(self.reason).pk
        return selectors.RegisterFilters(
            kind=self.kind or "",
            reason_id=reason_id,
            team_id=self.team_id,
            category_id=self.category_id,
            since=_aware(self.since),
            until=_aware(self.until),
        )


@register_router.get("", response={200: DecisionPage, **ROLE_READ_ERRORS}, summary="The register")
def list_declines(request: HttpRequest, query: Query[RegisterQuery]) -> DecisionPage:
    """Every deferral and decline the caller may see, newest first."""
    page = selectors.register_page(
        user=_user(request), filters=query.filters(), cursor=query.cursor, limit=query.limit
    )
    return DecisionPage.model_construct(
        items=[_decision_out(d) for d in page.items], next_cursor=page.next_cursor
    )


@register_router.get(
    "/reasons", response={200: list[ReasonOut], **ROLE_READ_ERRORS}, summary="Reasons"
)
def list_reasons(request: HttpRequest) -> list[ReasonOut]:
    selectors.register_page(user=_user(request), filters=selectors.RegisterFilters(), limit=1)
    return [_reason_out(r) for r in selectors.reasons()]


class BucketOut(Schema):
    key: str
    total: int
    series: list[tuple[dt.date, int]]


class ClusterOut(Schema):
    label: str
    size: int
    member_ids: list[int]
    reasons: list[tuple[str, int]]
    categories: list[tuple[str, int]]
    trend: str
    recent: int
    earlier: int
    first_at: dt.datetime
    last_at: dt.datetime


class AnalysisOut(Schema):
    rows: int
    capped: bool = Field(description="Only the most recent decisions were analysed.")
    by_reason: list[BucketOut]
    by_category: list[BucketOut]
    by_team: list[BucketOut]
    by_requester: list[BucketOut]
    clusters: list[ClusterOut]
    hours_saved: float
    declines_priced: int
    declines_unpriced: int


class AnalysisQuery(RegisterQuery):
    period: Literal["week", "month"] = "month"


@register_router.get(
    "/analysis", response={200: AnalysisOut, **ROLE_READ_ERRORS}, summary="What declines teach"
)
def declines_analysis(request: HttpRequest, query: Query[AnalysisQuery]) -> AnalysisOut:
    """Counts by reason, category, team and requester over time; clusters of
    similar requests with their trend; the time declines kept free."""
    result = selectors.register_analysis(
        user=_user(request), filters=query.filters(), period=query.period
    )

    def buckets(items: list[Any]) -> list[BucketOut]:
        return [BucketOut(key=b.key, total=b.total, series=list(b.series)) for b in items]

    return AnalysisOut(
        rows=result.rows,
        capped=result.capped,
        by_reason=buckets(result.by_reason),
        by_category=buckets(result.by_category),
        by_team=buckets(result.by_team),
        by_requester=buckets(result.by_requester),
        clusters=[
            ClusterOut(
                label=c.label,
                size=c.size,
                member_ids=list(c.member_ids),
                reasons=list(c.reasons),
                categories=list(c.categories),
                trend=c.trend,
                recent=c.recent,
                earlier=c.earlier,
                first_at=c.first_at,
                last_at=c.last_at,
            )
            for c in result.clusters
        ],
        hours_saved=result.time_saved.hours,
        declines_priced=result.time_saved.priced,
        declines_unpriced=result.time_saved.unpriced,
    )


class OffChannelIn(Schema):
    requester_email: str = Field(max_length=254, pattern=EMAIL_PATTERN)
    requester_name: str = Field(default="", max_length=NAME_MAX, pattern=OPTIONAL_LINE_PATTERN)
    what: str = Field(max_length=10_000, pattern=BODY_PATTERN)
    where: Where
    outcome: Literal["ticket", "invite"] = "ticket"
    team_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class OffChannelOut(Schema):
    id: int
    outcome: str = Field(description="ticket, or invited (asked to submit one)")
    ticket_id: int | None
    created_at: dt.datetime


@off_channel_router.post(
    "", response={201: OffChannelOut, **WRITE_ERRORS}, summary="Someone asked me directly"
)
def post_off_channel(request: HttpRequest, payload: OffChannelIn) -> ApiStatus[OffChannelOut]:
    """Log help asked of you outside the desk: a ticket on their behalf now, or a
    friendly "please submit a ticket" mail with a link that fills it in."""
    from deskwise.outcomes.views import please_submit_text

    user = _user(request)
    requester = _contact(payload.requester_email, payload.requester_name, "requester_email")
    logged = services.log_off_channel(
        actor=user,
        requester=requester,
        what=payload.what,
        where=payload.where,
        as_ticket=payload.outcome == "ticket",
        team=_team(user, payload.team_id),
        message=please_submit_text(requester, user, payload.what)
        if payload.outcome == "invite"
        else "",
    )
    return ApiStatus(201, OffChannelOut(
        id=logged.pk, outcome=logged.outcome, ticket_id=logged.ticket_id,
        created_at=logged.created_at,
    ))  # fmt: skip
