"""Reads of the register and of off-channel requests, with permissions applied.

Agents see the decisions of their teams and their own; admins see all. Every
read is bounded: the register pages by keyset, the analysis reads the most
recent ANALYSIS_ROWS decisions of the window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterator

from django.db.models import Avg, Count, F, Q, QuerySet

from deskwise.accounts.models import User
from deskwise.core.errors import NotAllowed
from deskwise.core.pagination import Page, keyset_page
from deskwise.outcomes import analysis
from deskwise.outcomes.models import Decision, DecisionKind, DecisionReason, OffChannelRequest
from deskwise.tickets.models import Ticket
from deskwise.tickets.permissions import team_ids

ANALYSIS_ROWS = 5_000
REGISTER_ORDER = ("-created_at", "-id")
EXPORT_ROWS = 50_000


@dataclasses.dataclass(frozen=True)
class RegisterFilters:
    kind: str = ""
    reason_id: int | None = None
    team_id: int | None = None
    category_id: int | None = None
    requester_id: int | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    text: str = ""

    def apply(self, qs: QuerySet[Decision]) -> QuerySet[Decision]:
        if self.kind:
            qs = qs.filter(kind=DecisionKind(self.kind))
        for name in ("reason_id", "team_id", "category_id", "requester_id"):
            value = getattr(self, name)
            if value is not None:
                qs = qs.filter(**{name: value})
        if self.since is not None:
            qs = qs.filter(created_at__gte=self.since)
        if self.until is not None:
            qs = qs.filter(created_at__lt=self.until)
        if self.text:
            qs = qs.filter(Q(subject__icontains=self.text) | Q(description__icontains=self.text))
        return qs


def _require_agent(user: User) -> None:
    if not user.is_agent:
        raise NotAllowed("The register is for the desk.")


def _visible(user: User) -> QuerySet[Decision]:
    _require_agent(user)
    qs = Decision.objects.all()
    if not user.is_desk_admin:
        qs = qs.filter(Q(team_id__in=sorted(team_ids(user))) | Q(agent=user))
    return qs


def register_page(
    *, user: User, filters: RegisterFilters, cursor: str | None = None, limit: int = 50
) -> Page[Decision]:
    qs = filters.apply(_visible(user)).select_related(
        "reason", "team", "category", "requester", "agent", "ticket"
    )
    return keyset_page(qs, ordering=REGISTER_ORDER, cursor=cursor, limit=limit)


def reasons(kind: str = "") -> list[DecisionReason]:
    found = list(DecisionReason.objects.filter(is_active=True))
    return [r for r in found if not kind or r.fits(kind)]


def _rows(qs: QuerySet[Decision], limit: int) -> Iterator[analysis.Row]:
    values = qs.order_by(*REGISTER_ORDER).values_list(
        "pk",
        "created_at",
        "kind",
        "reason__label",
        "category__name",
        "team__name",
        "requester__name",
        "requester__email",
        "agent__first_name",
        "agent__last_name",
        "agent__username",
        "subject",
        "description",
        "alternatives",
        "ticket_id",
    )[:limit]
    for (pk, at, kind, reason, category, team, name, email, first, last, username, subject,
         description, offered, ticket_id) in values.iterator(chunk_size=1000):  # fmt: skip
        yield analysis.Row(
            id=pk,
            at=at,
            kind=kind,
            reason=reason,
            category=category or "",
            team=team,
            requester=name or email,
            agent=f"{first} {last}".strip() or username,
            text=f"{subject}\n{description}",
            alternatives="; ".join(a.get("label", "") for a in offered or []),
            reference=f"DW-{ticket_id}",
        )


def register_rows(*, user: User, filters: RegisterFilters, limit: int = EXPORT_ROWS):
    """The register as analysis rows (for CSV export and analysis), newest first."""
    return _rows(filters.apply(_visible(user)), limit)


def handling_hours(team_names: set[str]) -> dict[tuple[str, str], float]:
    """The teams' average handling time (first response to resolution) per
    category over the last 90 days, in hours, for the time-saved estimate."""
    from deskwise.core import clock

    since = clock.now() - dt.timedelta(days=90)
    rows = (
        Ticket.objects.filter(
            team__name__in=sorted(team_names),
            resolved_at__gte=since,
            first_response_at__isnull=False,
        )
        .values("team__name", "category__name")
        .annotate(avg=Avg(F("resolved_at") - F("first_response_at")), n=Count("pk"))
    )
    found: dict[tuple[str, str], float] = {}
    totals: dict[str, list[float]] = {}
    for row in rows:
        avg = row["avg"]
        if avg is None:
            continue
        hours = avg.total_seconds() / 3600 if isinstance(avg, dt.timedelta) else float(avg) / 3.6e9
        found[(row["team__name"], row["category__name"] or "")] = round(hours, 2)
        totals.setdefault(row["team__name"], []).extend([hours] * row["n"])
    for team, values in totals.items():
        found.setdefault((team, ""), round(sum(values) / len(values), 2))
    return found


@dataclasses.dataclass(frozen=True)
class Analysis:
    rows: int
    capped: bool
    by_reason: list[analysis.Bucket]
    by_category: list[analysis.Bucket]
    by_team: list[analysis.Bucket]
    by_requester: list[analysis.Bucket]
    clusters: list[analysis.Cluster]
    time_saved: analysis.TimeSaved
    rows_by_id: dict[int, analysis.Row]


def register_analysis(*, user: User, filters: RegisterFilters, period: str = "month") -> Analysis:
    rows = list(_rows(filters.apply(_visible(user)), ANALYSIS_ROWS + 1))
    capped = len(rows) > ANALYSIS_ROWS
    rows = rows[:ANALYSIS_ROWS]
    hours = handling_hours({r.team for r in rows})
    return Analysis(
        rows=len(rows),
        capped=capped,
        by_reason=analysis.counts(rows, by="reason", period=period),
        by_category=analysis.counts(rows, by="category", period=period),
        by_team=analysis.counts(rows, by="team", period=period),
        by_requester=analysis.counts(rows, by="requester", period=period)[:20],
        clusters=analysis.clusters(rows),
        time_saved=analysis.time_saved(rows, hours),
        rows_by_id={r.id: r for r in rows},
    )


# --- requests that bypass the queue -----------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Bypass:
    since: dt.datetime
    total: int
    by_requester: list[tuple[str, int]]
    by_agent: list[tuple[str, int]]
    # (requester, agent, times, share of the requester's direct requests, requester id)
    pairs: list[tuple[str, str, int, float, int]]
    recent: list[OffChannelRequest]


def bypass_report(*, user: User, since: dt.datetime, top: int = 15) -> Bypass:
    """Who asks agents directly most, who is asked most, and the "favourite
    technician" pairs: a requester who goes to the same agent again and again."""
    _require_agent(user)
    qs = OffChannelRequest.objects.filter(created_at__gte=since)
    if not (user.is_supervisor or user.is_desk_admin):
        qs = qs.filter(agent=user)
    pairs = list(
        qs.values(
            "requester_id",
            "requester__name",
            "requester__email",
            "agent__first_name",
            "agent__last_name",
            "agent__username",
        )
        .annotate(n=Count("pk"))
        .order_by("-n")[:5000]
    )
    by_requester: Counter[str] = Counter()
    by_agent: Counter[str] = Counter()
    named: list[tuple[str, str, int, int]] = []
    for row in pairs:
        requester = row["requester__name"] or row["requester__email"]
        agent = f"{row['agent__first_name']} {row['agent__last_name']}".strip()
        agent = agent or row["agent__username"]
        by_requester[requester] += row["n"]
        by_agent[agent] += row["n"]
        named.append((requester, agent, row["n"], row["requester_id"]))
    concentrated = sorted(
        ((r, a, n, round(n / by_requester[r], 2), pk) for r, a, n, pk in named if n >= 2),
        key=lambda item: (-item[2], -item[3], item[0]),
    )
    recent = list(qs.select_related("requester", "agent", "ticket").order_by("-created_at")[:20])
    return Bypass(
        since=since,
        total=sum(by_requester.values()),
        by_requester=by_requester.most_common(top),
        by_agent=by_agent.most_common(top),
        pairs=concentrated[:top],
        recent=recent,
    )
