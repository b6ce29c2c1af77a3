"""Reads of surveys, satisfaction and follow-ups, with permissions applied.

The desk's figures are for agents: an agent sees the surveys of their teams
(and of the tickets they handled), supervisors and admins see all. Requesters
see none of it. Every read is bounded: lists page by keyset, the report is
aggregated by the database, a fixed number of queries whatever the volume.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.db.models import Avg, Count, FloatField, Q, QuerySet

from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.core.errors import NotAllowed, NotFound
from deskwise.core.pagination import Page, keyset_page
from deskwise.core.queries import one
from deskwise.feedback import links
from deskwise.feedback.models import POOR, FollowUp, FollowUpStatus, Survey
from deskwise.tickets.models import Ticket
from deskwise.tickets.permissions import team_ids

RECENT_FIRST = ("-sent_at", "-id")
FOLLOWUP_ORDER = ("-created_at", "-id")
MAX_GROUPS = 200  # rows per grouping in the report: agents, teams or categories
DEFAULT_DAYS = 30
# The report's dates are clamped here, so that no date a caller sends can
# overflow when it is turned into a moment in the desk's time zone.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(9000, 12, 31)

SurveyState = Literal["sent", "answered", "unanswered", "poor"]


# --- the requester's side (no permissions: the token is the permission) ---------------


def survey_by_token(raw: str | None) -> Survey | None:
    """The survey a link's token names, or None for anything else."""
    if raw is None or not links.plausible(raw):
        return None
    return one(Survey.objects.select_related("ticket").filter(token_hash=links.token_hash(raw)))


def open_survey_for(ticket: Ticket) -> Survey | None:
    """The ticket's survey while it waits for an answer (sent, unanswered, not
    expired), for the portal to offer a link; None otherwise."""
    return one(
        Survey.objects.filter(
            ticket_id=ticket.pk, answered_at__isnull=True, expires_at__gt=clock.now()
        )
    )


def requester_survey(*, user: User, ticket_id: int) -> Survey:
    """A signed-in requester's survey for one of their tickets; not found for
    anyone else's, as if it did not exist."""
    contact_id = getattr(user, "contact_id", None)
    survey = (
        one(
            Survey.objects.select_related("ticket").filter(
                ticket_id=ticket_id, requester_id=contact_id
            )
        )
        if contact_id is not None
        else None
    )
    if survey is None:
        raise NotFound("There are no closing questions for this request.")
    return survey


# --- the desk's side --------------------------------------------------------------------


def _require_agent(user: User) -> None:
    if not getattr(user, "is_agent", False):
        raise NotAllowed("Satisfaction is for the desk.")


def _sees_all(user: User) -> bool:
    return user.is_supervisor or user.is_desk_admin


def visible_surveys(user: User) -> QuerySet[Survey]:
    _require_agent(user)
    qs = Survey.objects.all()
    if not _sees_all(user):
        qs = qs.filter(Q(team_id__in=sorted(team_ids(user))) | Q(agent_id=user.pk))
    return qs


def visible_followups(user: User) -> QuerySet[FollowUp]:
    _require_agent(user)
    qs = FollowUp.objects.all()
    if not _sees_all(user):
        qs = qs.filter(Q(team_id__in=sorted(team_ids(user))) | Q(survey__agent_id=user.pk))
    return qs


@dataclasses.dataclass(frozen=True)
class SurveyFilters:
    state: SurveyState | None = None
    team_id: int | None = None
    agent_id: int | None = None

    def apply(self, qs: QuerySet[Survey]) -> QuerySet[Survey]:
        if self.state == "answered":
            qs = qs.filter(answered_at__isnull=False)
        elif self.state == "unanswered":
            qs = qs.filter(answered_at__isnull=True)
        elif self.state == "poor":
            qs = qs.filter(POOR)
        if self.team_id is not None:
            qs = qs.filter(team_id=self.team_id)
        if self.agent_id is not None:
            qs = qs.filter(agent_id=self.agent_id)
        return qs


SURVEY_RELATED = ("ticket", "requester", "agent", "team", "category", "followup")


def survey_page(
    *, user: User, filters: SurveyFilters | None = None, cursor: str | None = None, limit: int = 50
) -> Page[Survey]:
    qs = (filters or SurveyFilters()).apply(visible_surveys(user))
    return keyset_page(
        qs.select_related(*SURVEY_RELATED), ordering=RECENT_FIRST, cursor=cursor, limit=limit
    )


def survey_get(*, user: User, pk: int) -> Survey:
    survey = one(visible_surveys(user).select_related(*SURVEY_RELATED).filter(pk=pk))
    if survey is None:
        raise NotFound(f"There is no survey {pk}, or you may not see it.")
    return survey


FOLLOWUP_RELATED = (
    "survey", "survey__ticket", "survey__agent", "survey__requester", "team", "supervisor",
    "handled_by",
)  # fmt: skip


def followup_page(
    *,
    user: User,
    status: FollowUpStatus | str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[FollowUp]:
    qs = visible_followups(user)
    if status:
        qs = qs.filter(status=FollowUpStatus(status))
    return keyset_page(
        qs.select_related(*FOLLOWUP_RELATED), ordering=FOLLOWUP_ORDER, cursor=cursor, limit=limit
    )


def followup_get(*, user: User, pk: int) -> FollowUp:
    followup = one(visible_followups(user).select_related(*FOLLOWUP_RELATED).filter(pk=pk))
    if followup is None:
        raise NotFound(f"There is no follow-up {pk}, or you may not see it.")
    return followup


def report_teams(user: User) -> QuerySet[Team]:
    """The teams whose figures ``user`` may see: for the report's team filter."""
    _require_agent(user)
    if _sees_all(user):
        return Team.objects.all()
    return Team.objects.filter(pk__in=sorted(team_ids(user)))


def may_handle_followups(user: User) -> bool:
    return user.is_supervisor


# --- the report ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Figures:
    """Satisfaction for one agent, team or category (or the whole desk)."""

    key: int | None
    name: str
    sent: int
    answered: int
    rated: int
    average: float | None  # mean satisfaction of the rated answers, 1-5
    solved: int  # answered "yes, solved"
    solved_answered: int  # answered the "solved?" question at all
    poor: int

    @property
    def response_rate(self) -> float | None:
        return round(self.answered / self.sent, 3) if self.sent else None

    @property
    def solved_share(self) -> float | None:
        return round(self.solved / self.solved_answered, 3) if self.solved_answered else None


@dataclasses.dataclass(frozen=True)
class Report:
    since: dt.date
    until: dt.date  # inclusive
    total: Figures
    by_agent: list[Figures]
    by_team: list[Figures]
    by_category: list[Figures]


def _aggregates() -> dict[str, Avg | Count]:
    return {
        "n_sent": Count("pk"),
        "n_answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "n_rated": Count("satisfaction"),
        "avg_rating": Avg("satisfaction", output_field=FloatField()),
        "n_solved": Count("pk", filter=Q(solved=True)),
        "n_solved_answered": Count("solved"),
        "n_poor": Count("pk", filter=POOR),
    }


def _count(value: object) -> int:
    return int(value) if isinstance(value, int | float | Decimal) else 0


def _figures(row: Mapping[str, object], key: object, name: str) -> Figures:
    average = row["avg_rating"]
    return Figures(
        key=key if isinstance(key, int) else None,
        name=name,
        sent=_count(row["n_sent"]),
        answered=_count(row["n_answered"]),
        rated=_count(row["n_rated"]),
        average=round(float(average), 2) if isinstance(average, int | float | Decimal) else None,
        solved=_count(row["n_solved"]),
        solved_answered=_count(row["n_solved_answered"]),
        poor=_count(row["n_poor"]),
    )


def _agent_name(row: Mapping[str, object]) -> str:
    if row["agent_id"] is None:
        return "Nobody"
    full = f"{row['agent__first_name'] or ''} {row['agent__last_name'] or ''}".strip()
    return full or str(row["agent__username"] or "")


def _moment(day: dt.date) -> dt.datetime:
    from zoneinfo import ZoneInfo

    day = min(max(day, EARLIEST), LATEST)
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def default_range() -> tuple[dt.date, dt.date]:
    from zoneinfo import ZoneInfo

    today = clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today


def satisfaction_report(
    *,
    user: User,
    since: dt.date | None = None,
    until: dt.date | None = None,
    team_id: int | None = None,
) -> Report:
    """Satisfaction of the surveys sent from ``since`` to ``until`` (whole days
    in the desk's time zone, both included; the last 30 days by default), for
    the desk and by agent (who handled the ticket), team and category.
    Four aggregate queries, whatever the number of surveys."""
    first, last = default_range()
    since = min(max(since or first, EARLIEST), LATEST)
    until = min(max(until or last, EARLIEST), LATEST)
    qs = visible_surveys(user).filter(
        sent_at__gte=_moment(since), sent_at__lt=_moment(until + dt.timedelta(days=1))
    )
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    aggregates = _aggregates()
    total = _figures(qs.aggregate(**aggregates), None, "All")

    def grouped(*fields: str) -> list[dict[str, object]]:
        return list(
            qs.order_by()
            .values(*fields)
            .annotate(**aggregates)
            .order_by("-n_sent", fields[0])[:MAX_GROUPS]
        )

    by_agent = [
        _figures(row, row["agent_id"], _agent_name(row))
        for row in grouped("agent_id", "agent__first_name", "agent__last_name", "agent__username")
    ]
    by_team = [
        _figures(row, row["team_id"], str(row["team__name"]))
        for row in grouped("team_id", "team__name")
    ]
    by_category = [
        _figures(row, row["category_id"], str(row["category__name"] or "No category"))
        for row in grouped("category_id", "category__name")
    ]
    return Report(
        since=since,
        until=until,
        total=total,
        by_agent=by_agent,
        by_team=by_team,
        by_category=by_category,
    )
