"""More of the desk's reports: recurring incidents, requests that bypassed the
queue, how good the wait estimate was, and how often triage was kept.

Like ``metrics``, each builder turns Filters into a Report and registers itself
in ``base.REGISTRY``. Everything is aggregated by the database on indexed
columns (tickets by team and opening time, off-channel requests by time), and
the one read that is not an aggregate (the incidents clustered by text) is
capped at ``RECURRING_ROWS``, the newest first.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Abs, Floor, Least, Ln, Substr, TruncDate, TruncWeek

from deskwise.accounts.models import Membership
from deskwise.core import clock
from deskwise.outcomes import analysis
from deskwise.outcomes.models import OffChannelRequest, Where
from deskwise.problems import selectors as problem_selectors
from deskwise.problems.models import Problem, ProblemIncident
from deskwise.reports import rollups
from deskwise.reports.base import Chart, Column, Filters, Report, Value, report
from deskwise.reports.metrics import (
    WEEKLY_AFTER_DAYS,
    _float,
    _hours,
    _period,
    _periods,
    _priority,
    _share,
    _whose,
)
from deskwise.tickets.choices import Status
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.triage import measures

# Clustering is the one step done in Python: 2,000 incidents cluster in about a
# tenth of a second, 5,000 (the problems page's cap) in more than half of one.
RECURRING_ROWS = 2_000
CLUSTERS_SHOWN = 25
PROBLEMS_SHOWN = 25
CATEGORIES_CHARTED = 10
# The bypass report's pairs: at most this many (requester, agent) groups, the
# largest first, as outcomes.selectors.bypass_report reads them.
PAIR_ROWS = 5_000
FAVOURITE_AT = 2  # asked the same agent at least twice: a "favourite technician"
PAIRS_SHOWN = 15
AGENTS_SHOWN = 10


def _range(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    return (
        rollups.start_of(filters.since),
        rollups.start_of(filters.until + dt.timedelta(days=1)),
    )


def _opened(filters: Filters) -> QuerySet[Ticket]:
    """Tickets of the teams opened in the range (index ticket_team_created)."""
    low, high = _range(filters)
    qs = Ticket.objects.filter(
        team_id__in=sorted(filters.team_ids), created_at__gte=low, created_at__lt=high
    )
    if filters.agent_id is not None:
        qs = qs.filter(owner_id=filters.agent_id)
    return qs


def _period_of(filters: Filters, field: str) -> TruncDate | TruncWeek:
    """The day (or the week from Monday) of ``field`` in the desk's time zone."""
    if filters.days > WEEKLY_AFTER_DAYS:
        return TruncWeek(field, tzinfo=rollups.zone())
    return TruncDate(field, tzinfo=rollups.zone())


def _as_day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return rollups.local_day(value) if value.tzinfo else value.date()
    return value


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


# --- recurring incidents ------------------------------------------------------------


def _problem_label(problem: Problem | None) -> str:
    if problem is None:
        return ""
    return f"{problem.reference} {problem.title} ({problem.status_choice.label})"


@report("recurring", "Recurring incidents", group="Problems")
def recurring(filters: Filters) -> Report:
    now = clock.now()
    opened = _opened(filters).exclude(status=Status.DECLINED)
    # The categories: every incident of the range, counted by the database.
    by_category = list(
        opened.values("category_id", "category__name")
        .annotate(n=Count("pk"), linked=Count("problem_link"))
        .order_by("-n", "category__name")
    )
    incidents = sum(row["n"] for row in by_category)
    linked = sum(row["linked"] for row in by_category)
    # The problems the range's incidents are linked to.
    per_problem = list(
        ProblemIncident.objects.filter(ticket__in=opened)
        .values("problem_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "problem_id")[:PROBLEMS_SHOWN]
    )
    problems = Problem.objects.in_bulk([row["problem_id"] for row in per_problem])
    # The clusters: the newest RECURRING_ROWS incidents, read alike within a
    # category, as the problems page's recurring view reads them.
    opening = (
        TimelineEvent.objects.filter(
            ticket_id=OuterRef("pk"), kind__in=problem_selectors.OPENING_KINDS
        )
        .order_by("created_at", "id")
        .values("body_text")[:1]
    )
    fetched = list(
        opened.annotate(opening=Substr(Subquery(opening), 1, analysis.MAX_CHARS))
        .order_by("-created_at", "-id")
        .values_list(
            "pk", "created_at", "subject", "category_id", "category__name", "team__name",
            "opening", "problem_link__problem_id",
        )[: RECURRING_ROWS + 1]
    )  # fmt: skip
    capped = len(fetched) > RECURRING_ROWS
    fetched = fetched[:RECURRING_ROWS]
    min_size = max(2, problem_selectors.repeat_threshold())
    names: dict[int | None, str] = {}
    problem_of: dict[int, int | None] = {}
    members: list[problem_selectors.Member] = []
    for pk, at, subject, category_id, category, team, body, problem_id in fetched:
        names[category_id] = category or ""
        problem_of[pk] = problem_id
        members.append((pk, at, subject, category_id, category, team, body))
    found = problem_selectors.cluster_by_category(members, min_size=min_size, now=now)
    found.sort(key=lambda item: (-item[1].size, -item[1].last_at.timestamp(), item[1].label))
    cluster_problems = Counter(
        problem_of[i] for _, c in found for i in c.member_ids if problem_of[i] is not None
    )
    missing = [pk for pk in cluster_problems if pk is not None and pk not in problems]
    problems.update(Problem.objects.in_bulk(missing))
    rows: list[list[Value]] = []
    without_problem = 0
    for group, cluster in found[:CLUSTERS_SHOWN]:
        linked_to = Counter(problem_of[i] for i in cluster.member_ids)
        with_one = cluster.size - linked_to[None]
        top = max(
            ((pk, n) for pk, n in linked_to.items() if pk is not None),
            key=lambda item: (item[1], -item[0]),
            default=None,
        )
        if top is None:
            without_problem += 1
        rows.append(
            [
                "Cluster",
                names[group] or "No category",
                cluster.label,
                cluster.size,
                with_one,
                _problem_label(problems.get(top[0])) if top else "",
                rollups.local_day(cluster.last_at).isoformat(),
                cluster.trend,
            ]
        )
    without_problem += sum(
        1 for _, c in found[CLUSTERS_SHOWN:] if all(problem_of[i] is None for i in c.member_ids)
    )
    for linked_row in per_problem:
        problem = problems.get(linked_row["problem_id"])
        if problem is None:
            continue
        rows.append(
            [
                "Problem",
                "",
                problem.title,
                linked_row["n"],
                linked_row["n"],
                _problem_label(problem),
                "",
                problem.status_choice.label,
            ]
        )
    for row in by_category:
        rows.append(
            [
                "Category",
                row["category__name"] or "No category",
                "",
                row["n"],
                row["linked"],
                "",
                "",
                "",
            ]
        )
    charted = by_category[:CATEGORIES_CHARTED]
    notes = [
        "Clusters group incidents of one category whose words are alike (at least "
        f"{min_size} each); each is shown with the problem most of its linked incidents "
        "belong to."
    ]
    if capped:
        notes.append(
            f"More than {RECURRING_ROWS:,} incidents were opened in the range: the clusters "
            f"are of the newest {RECURRING_ROWS:,}; the category and problem counts are of all."
        )
    return Report(
        slug="recurring",
        title="Recurring incidents",
        definition=(
            "Incidents (tickets not declined) opened in the range in the teams: recurring "
            "clusters (incidents of one category that read alike, by the same text analysis "
            "as the problems page's recurring view, with the problem they are linked to if "
            "any), the problems the range's incidents are linked to, and every category with "
            "its incidents and how many are linked to a problem. Trend compares the later "
            "half of the period with the earlier one. Team is the ticket's team now."
            + _whose(filters)
        ),
        columns=[
            Column("kind", "Kind", "text"),
            Column("category", "Category", "text"),
            Column("what", "What", "text"),
            Column("incidents", "Incidents"),
            Column("linked", "Linked to a problem"),
            Column("problem", "Problem", "text"),
            Column("last", "Last seen", "date"),
            Column("state", "Trend or status", "text"),
        ],
        rows=rows,
        chart=Chart(
            kind="horizontal_bar",
            title="Incidents by category",
            x_labels=[row["category__name"] or "No category" for row in charted],
            series=[
                ("Linked to a problem", [float(row["linked"]) for row in charted]),
                ("Not linked", [float(row["n"] - row["linked"]) for row in charted]),
            ],
        ),
        figures=[
            ("Incidents", incidents, "count"),
            ("Linked to a problem", _share(linked, incidents), "percent"),
            ("Clusters without a problem", without_problem, "count"),
        ],
        notes=notes,
    )


# --- requests that bypassed the queue -----------------------------------------------


@report("bypass", "Requests that bypassed the queue", group="Saying no")
def bypass(filters: Filters) -> Report:
    low, high = _range(filters)
    qs = OffChannelRequest.objects.filter(created_at__gte=low, created_at__lt=high)
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
    else:
        members = Membership.objects.filter(team_id__in=sorted(filters.team_ids)).values("user_id")
        qs = qs.filter(agent_id__in=members)
    as_ticket = Q(outcome=OffChannelRequest.Outcome.TICKET)
    by_where = {
        row["where"]: row
        for row in qs.values("where")
        .annotate(n=Count("pk"), tickets=Count("pk", filter=as_ticket))
        .order_by()
    }
    pairs = list(
        qs.values(
            "requester_id",
            "requester__name",
            "requester__email",
            "agent_id",
            "agent__first_name",
            "agent__last_name",
            "agent__username",
        )
        .annotate(n=Count("pk"), tickets=Count("pk", filter=as_ticket))
        .order_by("-n", "requester_id", "agent_id")[: PAIR_ROWS + 1]
    )
    capped = len(pairs) > PAIR_ROWS
    pairs = pairs[:PAIR_ROWS]
    per_day = list(
        qs.annotate(period=_period_of(filters, "created_at"))
        .values("period", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(row["n"] for row in by_where.values())
    tickets = sum(row["tickets"] for row in by_where.values())
    by_requester: Counter[int] = Counter()
    top_of: dict[int, int] = {}
    agents: dict[int, list[Any]] = {}
    for p in pairs:
        by_requester[p["requester_id"]] += p["n"]
        top_of[p["requester_id"]] = max(top_of.get(p["requester_id"], 0), p["n"])
        name = _name(p["agent__first_name"], p["agent__last_name"], p["agent__username"])
        line = agents.setdefault(p["agent_id"], [name, 0, 0])
        line[1] += p["n"]
        line[2] += p["tickets"]
    counted = sum(by_requester.values())
    concentration = _share(sum(top_of.values()), counted)
    favourites = [p for p in pairs if p["n"] >= FAVOURITE_AT]
    rows: list[list[Value]] = []
    for where in Where:
        row = by_where.get(where.value)
        if row:
            n, t = row["n"], row["tickets"]
            rows.append(["How asked", where.label, n, t, n - t, _share(n, total)])
    rows.append(["How asked", "All", total, tickets, total - tickets, 1.0 if total else None])
    for name, n, t in sorted(agents.values(), key=lambda a: (-a[1], a[0]))[:AGENTS_SHOWN]:
        rows.append(["Agent asked", name, n, t, n - t, _share(n, total)])
    for p in favourites[:PAIRS_SHOWN]:
        requester = p["requester__name"] or p["requester__email"]
        agent = _name(p["agent__first_name"], p["agent__last_name"], p["agent__username"])
        rows.append(
            [
                "Favourite technician",
                f"{requester} → {agent}",
                p["n"],
                p["tickets"],
                p["n"] - p["tickets"],
                _share(p["n"], by_requester[p["requester_id"]]),
            ]
        )
    of = _period(filters)
    periods = _periods(filters)
    series: dict[str, Counter[dt.date]] = defaultdict(Counter)
    for day_row in per_day:
        series[day_row["outcome"]][of(_as_day(day_row["period"]))] += day_row["n"]
    notes = [
        "Share: of all direct asks for the first two groups; of the requester's own direct "
        "asks for a favourite technician."
    ]
    if capped:
        notes.append(
            f"More than {PAIR_ROWS:,} requester and agent pairs: agents, pairs and the "
            f"concentration are counted from the {PAIR_ROWS:,} largest."
        )
    return Report(
        slug="bypass",
        title="Requests that bypassed the queue",
        definition=(
            "Help asked of the teams' agents directly (in the hallway, on their phone, by "
            "chat or personal email) and logged by them in the range: how it was asked, "
            "and how it was handled (logged as a ticket at once, or the requester asked to "
            "submit one). Favourite technician: a requester who asked the same agent "
            f"directly at least {FAVOURITE_AT} times, as on the outcomes page. "
            "Concentration: the share of direct asks that went to each requester's most "
            "asked agent; 100% means every requester always goes to the same person."
            + (" Only the agent's own direct requests." if filters.agent_id else "")
        ),
        columns=[
            Column("group", "By", "text"),
            Column("name", "Name", "text"),
            Column("asks", "Direct asks"),
            Column("tickets", "Logged as a ticket"),
            Column("invited", "Asked to submit a ticket"),
            Column("share", "Share", "percent"),
        ],
        rows=rows,
        chart=Chart(
            kind="stacked_bar",
            title="Direct asks over time",
            x_labels=[p.isoformat() for p in periods],
            series=[
                (outcome.label, [float(series[outcome.value][p]) for p in periods])
                for outcome in OffChannelRequest.Outcome
            ],
        ),
        figures=[
            ("Direct asks", total, "count"),
            ("Logged as a ticket", _share(tickets, total), "percent"),
            ("Concentration", concentration, "percent"),
            ("Favourite technician pairs", len(favourites), "count"),
        ],
        notes=notes,
    )


# --- wait estimate accuracy ---------------------------------------------------------


class _SecondsBetween(Func):
    """``later - earlier`` in seconds, as a number (signed)."""

    arity = 2
    output_field = FloatField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "((julianday(%(expressions)s)) * 86400.0)"
        return self.as_sql(
            compiler,
            connection,
            template=template,
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            arg_joiner=" - ",
            **extra,
        )


def _with_error(qs: QuerySet[Ticket]) -> Any:  # the plugin cannot follow the annotations
    """Each ticket with ``bucket``: rollups.bucket of the absolute error (in
    minutes) of its estimated start, computed by the database."""
    minutes = Abs(_SecondsBetween(F("first_response_at"), F("predicted_start_at"))) / V(60.0)
    grown = Floor(Ln(F("error_minutes")) / V(math.log(rollups.RATIO))) + V(1)
    return qs.annotate(error_minutes=minutes).annotate(
        bucket=Case(
            When(error_minutes__lt=1, then=V(0)),
            default=Least(grown, V(rollups.BUCKETS - 1)),
            output_field=IntegerField(),
        )
    )


@report("wait_accuracy", "Wait estimate accuracy", group="Speed")
def wait_accuracy(filters: Filters) -> Report:
    measured = _opened(filters).filter(
        predicted_start_at__isnull=False, first_response_at__isnull=False
    )
    late = Q(first_response_at__gt=F("predicted_start_at"))
    per_priority = list(
        _with_error(measured)
        .values("priority", "bucket")
        .annotate(n=Count("pk"), n_late=Count("pk", filter=late))
        .order_by()
    )
    per_period = list(
        _with_error(measured)
        .annotate(period=_period_of(filters, "created_at"))
        .values("period", "bucket")
        .annotate(n=Count("pk"), n_late=Count("pk", filter=late))
        .order_by()
    )
    histograms: dict[int, rollups.Histogram] = defaultdict(rollups.Histogram)
    late_by: Counter[int] = Counter()
    everything = rollups.Histogram()
    for row in per_priority:
        histograms[row["priority"]].counts[int(row["bucket"])] += row["n"]
        everything.counts[int(row["bucket"])] += row["n"]
        late_by[row["priority"]] += row["n_late"]
    of = _period(filters)
    by_period: dict[dt.date, rollups.Histogram] = defaultdict(rollups.Histogram)
    late_in: Counter[dt.date] = Counter()
    for row in per_period:
        period = of(_as_day(row["period"]))
        by_period[period].counts[int(row["bucket"])] += row["n"]
        late_in[period] += row["n_late"]

    def line(name: str, h: rollups.Histogram, n_late: int) -> list[Value]:
        n = h.total
        return [
            name,
            n,
            _hours(h.percentile(0.5)),
            _hours(h.percentile(0.9)),
            _share(n - n_late, n),
            _share(n_late, n),
        ]

    rows = [line(_priority(p), histograms[p], late_by[p]) for p in sorted(histograms)]
    total_late = sum(late_by.values())
    rows.append(line("All", everything, total_late))
    periods = _periods(filters)
    return Report(
        slug="wait_accuracy",
        title="Wait estimate accuracy",
        definition=(
            "How close the wait quoted at intake was: for the tickets opened in the range "
            "that had an estimate when they arrived and have been answered since, the error "
            "is the time from the estimated start of work (the first estimate, kept on the "
            "ticket as it was quoted; the estimate shown later moves with the queue) to the "
            "first response, in calendar hours. The percentiles are of the error either way "
            "(early or late), read from a histogram whose buckets grow by 10%, so each is "
            "within 10% of the exact figure. On time: answered by the estimated time; "
            "late: after it. Tickets without an estimate (the queue was overloaded, or the "
            "wait was beyond the horizon) or not answered yet are left out." + _whose(filters)
        ),
        columns=[
            Column("priority", "Priority", "text"),
            Column("tickets", "Tickets"),
            Column("p50", "Median error", "hours"),
            Column("p90", "90th percentile error", "hours"),
            Column("on_time", "Answered by the estimate", "percent"),
            Column("late", "Late", "percent"),
        ],
        rows=rows,
        chart=Chart(
            kind="line",
            title="Error of the wait estimate over time",
            x_labels=[p.isoformat() for p in periods],
            series=[
                ("Median", [_hours(by_period[p].percentile(0.5)) for p in periods]),
                ("90th percentile", [_hours(by_period[p].percentile(0.9)) for p in periods]),
            ],
            unit="hours",
        ),
        figures=[
            ("Tickets measured", everything.total, "count"),
            ("Median error", _hours(everything.percentile(0.5)), "hours"),
            (
                "Answered by the estimate",
                _share(everything.total - total_late, everything.total),
                "percent",
            ),
        ],
    )


# --- triage accuracy ----------------------------------------------------------------

FIELD_LABELS = {
    "triage_class": "Class",
    "impact": "Impact",
    "urgency": "Urgency",
    "category": "Category",
    "team": "Team",
}


@report("triage_accuracy", "Triage accuracy", group="Quality")
def triage_accuracy(filters: Filters) -> Report:
    found = rollups.triage(filters)
    rows: list[list[Value]] = []
    for name in (*measures.FIELDS, rollups.PRIORITY):
        count = found[name]
        rows.append(
            [
                FIELD_LABELS.get(name, "Priority (from impact and urgency)"),
                count.proposed,
                count.applied,
                count.kept,
                count.applied - count.kept,
                _share(count.kept, count.applied),
                count.suggested,
                count.taken,
            ]
        )
    applied_all = sum(_int(r[2]) for r in rows[:-1])
    kept_all = sum(_int(r[3]) for r in rows[:-1])
    return Report(
        slug="triage_accuracy",
        title="Triage accuracy",
        definition=(
            "For the tickets opened in the range in the teams, per field, what automatic "
            "triage (the phrase rules or the trained model) proposed at intake and whether "
            "it stood: applied proposals (confident enough to be set on the ticket) are "
            "kept when the ticket still has that value now, changed when an agent (or a "
            "reassignment, for the team) replaced it. Accuracy: kept of applied. Proposals "
            "not applied (below the confidence threshold) are counted apart, with those the "
            "agents chose anyway. Fields the requester or agent set themselves are not "
            "proposals and are left out. Priority is not proposed on its own: it follows "
            "impact and urgency, and counts as changed when an agent's triage change moved "
            "it. Past days are counted daily and last recounted two weeks after the day: a "
            "change made later than that does not show." + _whose(filters)
        ),
        columns=[
            Column("field", "Field", "text"),
            Column("proposed", "Proposed"),
            Column("applied", "Applied"),
            Column("kept", "Kept"),
            Column("changed", "Changed"),
            Column("accuracy", "Accuracy", "percent"),
            Column("suggested", "Proposed, not applied"),
            Column("taken", "Not applied, chosen anyway"),
        ],
        rows=rows,
        chart=Chart(
            kind="bar",
            title="Applied proposals kept, by field",
            x_labels=[str(r[0]) for r in rows],
            series=[("Accuracy", [_float(r[5]) for r in rows])],
            unit="percent",
        ),
        figures=[
            ("Applied proposals", applied_all, "count"),
            ("Kept", _share(kept_all, applied_all), "percent"),
        ],
    )


def _int(value: Value) -> int:
    return value if isinstance(value, int) else 0
