"""The desk's reports: each builder turns Filters into a Report and registers
itself in ``base.REGISTRY``.

Counts of tickets and events over a range come from the daily rollups
(``rollups``), with today (and anything the periodic task has not counted
yet) added live; figures about now (the backlog, open work per agent) and the
smaller registers (surveys, decisions) are aggregated by the database on
indexed columns. One agent's figures (``Filters.agent_id``) are counted live
from that agent's own tickets and events.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Avg, Case, Count, IntegerField, Q, When
from django.db.models import Value as V

from deskwise.accounts.choices import STAFF_ROLES
from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.feedback.models import POOR, Survey
from deskwise.outcomes import analysis
from deskwise.outcomes.models import Decision
from deskwise.outcomes.selectors import handling_hours
from deskwise.reports import rollups
from deskwise.reports.base import Chart, Column, Filters, Report, Value, report
from deskwise.reports.models import Measure
from deskwise.sla.models import Breach, Target
from deskwise.tickets.choices import ACTIVE_STATES, Channel, EventKind, Priority, TriageClass
from deskwise.tickets.models import Ticket
from deskwise.triage.models import Category

WEEKLY_AFTER_DAYS = 62
PERCENTILES = ((50, 0.5), (75, 0.75), (90, 0.9))
LIVE_NOTE = "Figures for today are counted live; past days come from the nightly rollup."


# --- shared pieces ------------------------------------------------------------------


def _period(filters: Filters) -> Callable[[dt.date], dt.date]:
    """Days for ranges up to 62 days, weeks (from Monday) beyond."""
    if filters.days > WEEKLY_AFTER_DAYS:
        return lambda day: day - dt.timedelta(days=day.weekday())
    return lambda day: day


def _periods(filters: Filters) -> list[dt.date]:
    of = _period(filters)
    days = (filters.since + dt.timedelta(days=i) for i in range(filters.days))
    return sorted({of(day) for day in days})


def _team_names(filters: Filters) -> dict[int, str]:
    return dict(Team.objects.filter(pk__in=sorted(filters.team_ids)).values_list("pk", "name"))


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _hours(minutes: float | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def _priority(value: int) -> str:
    return Priority(value).label


def _whose(filters: Filters) -> str:
    return " Only the agent's own tickets." if filters.agent_id is not None else ""


# --- volume -------------------------------------------------------------------------


@report("volume", "Tickets opened", group="Volume")
def volume(filters: Filters) -> Report:
    rows = rollups.opened(filters)
    of = _period(filters)
    periods = _periods(filters)
    teams = _team_names(filters)
    categories = dict(Category.objects.values_list("pk", "name"))
    by: dict[str, Counter[dt.date]] = defaultdict(Counter)
    totals: Counter[dt.date] = Counter()
    for row in rows:
        period, n = of(row["day"]), row["tickets"]
        totals[period] += n
        by[f"channel:{row['channel']}"][period] += n
        by[f"class:{row['triage_class'] or '-'}"][period] += n
        by[f"team:{row['team_id']}"][period] += n
        by[f"category:{row['category_id'] or 0}"][period] += n
    keys = (
        [f"channel:{c.value}" for c in Channel]
        + [f"class:{c.value}" for c in TriageClass]
        + ["class:-"]
        + [f"team:{pk}" for pk in sorted(teams, key=lambda pk: teams[pk])]
        + sorted(
            (k for k in by if k.startswith("category:")),
            key=lambda k: -sum(by[k].values()),
        )
    )
    keys = [k for k in keys if by.get(k)]

    def label(key: str) -> str:
        kind, _, value = key.partition(":")
        if kind == "channel":
            return f"Channel: {Channel(value).label}"
        if kind == "class":
            return f"Class: {TriageClass(value).label if value != '-' else 'not classed'}"
        if kind == "team":
            return f"Team: {teams.get(int(value), value)}"
        return f"Category: {categories.get(int(value), 'none')}"

    columns = [Column("period", "Week from" if filters.days > WEEKLY_AFTER_DAYS else "Day", "date")]
    columns += [Column("total", "Opened")] + [Column(k, label(k)) for k in keys]
    table: list[list[Value]] = [
        [period.isoformat(), totals[period], *(by[k][period] for k in keys)] for period in periods
    ]
    channels = [c for c in Channel if by.get(f"channel:{c.value}")]
    chart = Chart(
        kind="stacked_bar",
        title="Tickets opened by channel",
        x_labels=[p.isoformat() for p in periods],
        series=[(c.label, [float(by[f"channel:{c.value}"][p]) for p in periods]) for c in channels],
    )
    total = sum(totals.values())
    return Report(
        slug="volume",
        title="Tickets opened",
        definition=(
            "Tickets opened on each calendar day (each week from Monday when the range is "
            "longer than 62 days) in the desk's time zone, by the channel they came in by, "
            "their triage class, team and category. Class, team and category are as they "
            "were when the day was counted (recounted for 14 days), so a ticket moved later "
            "stays where it was. Every ticket counts, declined ones included." + _whose(filters)
        ),
        columns=columns,
        rows=table,
        chart=chart,
        figures=[
            ("Opened", total, "count"),
            ("Per day", round(total / filters.days, 1), "count"),
        ],
        notes=[LIVE_NOTE],
    )


# --- durations ----------------------------------------------------------------------


def _duration_report(filters: Filters, measure: str, slug: str, title: str, what: str) -> Report:
    tallies = rollups.durations(filters, measure)
    by_priority: dict[int, rollups.Tally] = defaultdict(rollups.Tally)
    by_period: dict[dt.date, rollups.Tally] = defaultdict(rollups.Tally)
    everything = rollups.Tally()
    of = _period(filters)
    for (day, _team, priority), tally in tallies.items():
        by_priority[priority].add(tally)
        by_period[of(day)].add(tally)
        everything.add(tally)
    columns = [Column("priority", "Priority", "text"), Column("tickets", "Tickets")]
    columns += [Column(f"p{p}", f"{p}th percentile", "hours") for p, _ in PERCENTILES]

    def line(name: str, tally: rollups.Tally) -> list[Value]:
        return [
            name,
            tally.tickets,
            *(_hours(tally.histogram.percentile(q)) for _, q in PERCENTILES),
        ]

    rows = [line(_priority(p), by_priority[p]) for p in sorted(by_priority)]
    rows.append(line("All", everything))
    periods = _periods(filters)
    chart = Chart(
        kind="line",
        title=f"{title} over time (business hours)",
        x_labels=[p.isoformat() for p in periods],
        series=[
            (
                f"{p}th percentile",
                [_hours(by_period[period].histogram.percentile(q)) for period in periods],
            )
            for p, q in PERCENTILES
        ],
        unit="hours",
    )
    return Report(
        slug=slug,
        title=title,
        definition=(
            f"{what} Business hours are the team's calendar used by the service levels "
            "(its weekly hours in its time zone, without holidays), or around the clock where "
            "the ticket's policy says so. A ticket counts on the calendar day of the event in "
            "the desk's time zone. Percentiles are read from a histogram whose buckets grow "
            "by 10%, so each is within 10% of the exact figure." + _whose(filters)
        ),
        columns=columns,
        rows=rows,
        chart=chart,
        figures=[
            ("Tickets", everything.tickets, "count"),
            ("Median", _hours(everything.histogram.percentile(0.5)), "hours"),
            ("90th percentile", _hours(everything.histogram.percentile(0.9)), "hours"),
        ],
        notes=[LIVE_NOTE],
    )


@report("first_response", "First response time", audience="agent", group="Speed")
def first_response(filters: Filters) -> Report:
    return _duration_report(
        filters,
        Measure.FIRST_RESPONSE,
        "first_response",
        "First response time",
        "Business hours from opening a ticket to the desk's first answer to the requester, "
        "for the tickets first answered in the range. Tickets not answered yet are left out.",
    )


@report("resolution_time", "Resolution time", audience="agent", group="Speed")
def resolution_time(filters: Filters) -> Report:
    return _duration_report(
        filters,
        Measure.RESOLUTION,
        "resolution_time",
        "Resolution time",
        "Business hours from opening a ticket to its resolution, less the time the "
        "service-level clock stood still (waiting on the requester, deferred, or resolved "
        "before being reopened), for the tickets resolved in the range (a reopened ticket "
        "counts at its last resolution). Tickets closed without a resolution are left out.",
    )


# --- backlog ------------------------------------------------------------------------

AGE_BUCKETS = (("<1 day", 0, 1), ("1-3 days", 1, 3), ("3-7 days", 3, 7), ("7-30 days", 7, 30))


@report("backlog", "Backlog", audience="agent", group="Work")
def backlog(filters: Filters) -> Report:
    now = clock.now()
    # Each When: younger than the bucket's upper bound; checked from the youngest.
    whens = [
        When(created_at__gt=now - dt.timedelta(days=high), then=V(i))
        for i, (_, _low, high) in enumerate(AGE_BUCKETS)
    ]
    qs = Ticket.objects.filter(
        team_id__in=sorted(filters.team_ids), status__in=sorted(ACTIVE_STATES)
    )
    if filters.agent_id is not None:
        qs = qs.filter(owner_id=filters.agent_id)
    counts = (
        qs.annotate(age=Case(*whens, default=V(len(AGE_BUCKETS)), output_field=IntegerField()))
        .values("priority", "age")
        .annotate(n=Count("pk"))
        .order_by()
    )
    grid: dict[int, Counter[int]] = defaultdict(Counter)
    for row in counts:
        grid[row["priority"]][row["age"]] += row["n"]
    labels = [name for name, _, _ in AGE_BUCKETS] + [">30 days"]
    columns = [Column("priority", "Priority", "text")]
    columns += [Column(f"age_{i}", label) for i, label in enumerate(labels)]
    columns.append(Column("total", "Open"))
    rows: list[list[Value]] = []
    for priority in Priority:
        ages = grid[priority.value]
        rows.append([priority.label, *(ages[i] for i in range(len(labels))), sum(ages.values())])
    total = sum(sum(ages.values()) for ages in grid.values())
    old = sum(ages[len(labels) - 1] + ages[len(labels) - 2] for ages in grid.values())
    return Report(
        slug="backlog",
        title="Backlog",
        definition=(
            "Tickets the desk still owes work on now (new, open, or waiting on the "
            "requester), by priority and by calendar age since they were opened. Deferred, "
            "declined, resolved and closed tickets are left out. Counted live." + _whose(filters)
        ),
        columns=columns,
        rows=rows,
        chart=Chart(
            kind="stacked_bar",
            title="Open tickets by age",
            x_labels=labels,
            series=[
                (priority.label, [float(grid[priority.value][i]) for i in range(len(labels))])
                for priority in Priority
            ],
        ),
        figures=[("Open", total, "count"), ("Older than 7 days", old, "count")],
    )


# --- service levels -----------------------------------------------------------------


@report("sla", "Service levels", audience="agent", group="Speed")
def sla(filters: Filters) -> Report:
    first = rollups.durations(filters, Measure.FIRST_RESPONSE)
    resolved = rollups.durations(filters, Measure.RESOLUTION)
    low, high = (
        rollups.start_of(filters.since),
        rollups.start_of(filters.until + dt.timedelta(days=1)),
    )
    breaches = Breach.objects.filter(
        noticed_at__gte=low, noticed_at__lt=high, team_id__in=sorted(filters.team_ids)
    )
    if filters.agent_id is not None:
        breaches = breaches.filter(ticket__owner_id=filters.agent_id)
    breach_rows = list(
        breaches.values("team_id", "priority", "target").annotate(n=Count("pk")).order_by()
    )
    teams = _team_names(filters)

    def group(index: int) -> list[list[Value]]:
        keys: set[int] = set()
        fr: dict[int, rollups.Tally] = defaultdict(rollups.Tally)
        rs: dict[int, rollups.Tally] = defaultdict(rollups.Tally)
        br: dict[tuple[int, str], int] = Counter()
        for (_day, team_id, priority), tally in first.items():
            fr[team_id if index == 1 else priority].add(tally)
            keys.add(team_id if index == 1 else priority)
        for (_day, team_id, priority), tally in resolved.items():
            rs[team_id if index == 1 else priority].add(tally)
            keys.add(team_id if index == 1 else priority)
        for row in breach_rows:
            value = row["team_id"] if index == 1 else row["priority"]
            br[(value, row["target"])] += row["n"]
            keys.add(value)
        name = (lambda k: teams.get(k, str(k))) if index == 1 else _priority
        order = sorted(keys, key=lambda k: name(k)) if index == 1 else sorted(keys)
        return [
            [
                "Team" if index == 1 else "Priority",
                name(k),
                fr[k].with_target,
                _share(fr[k].met, fr[k].with_target),
                br[(k, Target.FIRST_RESPONSE)],
                rs[k].with_target,
                _share(rs[k].met, rs[k].with_target),
                br[(k, Target.RESOLUTION)],
            ]
            for k in order
        ]

    all_fr, all_rs = rollups.Tally(), rollups.Tally()
    for tally in first.values():
        all_fr.add(tally)
    for tally in resolved.values():
        all_rs.add(tally)
    total_breaches = Counter[str]()
    for row in breach_rows:
        total_breaches[row["target"]] += row["n"]
    rows = group(2) + group(1)
    rows.append(
        [
            "All",
            "All",
            all_fr.with_target,
            _share(all_fr.met, all_fr.with_target),
            total_breaches[Target.FIRST_RESPONSE],
            all_rs.with_target,
            _share(all_rs.met, all_rs.with_target),
            total_breaches[Target.RESOLUTION],
        ]
    )
    by_priority = group(2)
    return Report(
        slug="sla",
        title="Service levels",
        definition=(
            "Compliance: of the tickets first answered (resolved) in the range that had a "
            "target, the share answered (resolved) by their due time; due times are on the "
            "team's business hours, pushed back by the time the clock stood still. Breaches: "
            "targets the service-level sweep recorded as missed in the range, answered or "
            "not. Tickets without a policy are left out of compliance." + _whose(filters)
        ),
        columns=[
            Column("group", "By", "text"),
            Column("name", "Name", "text"),
            Column("fr_tickets", "Answered"),
            Column("fr_met", "First response met", "percent"),
            Column("fr_breaches", "First response breaches"),
            Column("res_tickets", "Resolved"),
            Column("res_met", "Resolution met", "percent"),
            Column("res_breaches", "Resolution breaches"),
        ],
        rows=rows,
        chart=Chart(
            kind="bar",
            title="Share of targets met by priority",
            x_labels=[str(row[1]) for row in by_priority],
            series=[
                ("First response", [_float(row[3]) for row in by_priority]),
                ("Resolution", [_float(row[6]) for row in by_priority]),
            ],
            unit="percent",
        ),
        figures=[
            ("First response met", _share(all_fr.met, all_fr.with_target), "percent"),
            ("Resolution met", _share(all_rs.met, all_rs.with_target), "percent"),
            ("Breaches", sum(total_breaches.values()), "count"),
        ],
        notes=[LIVE_NOTE],
    )


def _float(value: Value) -> float | None:
    return float(value) if isinstance(value, int | float) else None


# --- reopens and confirmations ------------------------------------------------------


def _resolved_by_team(filters: Filters) -> tuple[dict[int, rollups.Tally], rollups.Tally]:
    by_team: dict[int, rollups.Tally] = defaultdict(rollups.Tally)
    everything = rollups.Tally()
    for (_day, team_id, _priority), tally in rollups.durations(filters, Measure.RESOLUTION).items():
        by_team[team_id].add(tally)
        everything.add(tally)
    return by_team, everything


@report("reopens", "Reopened tickets", group="Quality")
def reopens(filters: Filters) -> Report:
    by_team, everything = _resolved_by_team(filters)
    teams = _team_names(filters)
    rows: list[list[Value]] = [
        [teams.get(pk, str(pk)), t.tickets, t.reopened, _share(t.reopened, t.tickets)]
        for pk, t in sorted(by_team.items(), key=lambda item: teams.get(item[0], ""))
    ]
    rate = _share(everything.reopened, everything.tickets)
    rows.append(["All", everything.tickets, everything.reopened, rate])
    return Report(
        slug="reopens",
        title="Reopened tickets",
        definition=(
            "Of the tickets resolved in the range (counted on the day of their last "
            "resolution), those reopened at least once, by the requester's reply or an "
            "agent. A reopen later than 14 days after the resolution day is not counted."
            + _whose(filters)
        ),
        columns=[
            Column("team", "Team", "text"),
            Column("resolved", "Resolved"),
            Column("reopened", "Reopened"),
            Column("rate", "Reopen rate", "percent"),
        ],
        rows=rows,
        figures=[("Reopen rate", rate, "percent")],
        notes=[LIVE_NOTE],
    )


@report("confirmations", "Confirmed resolutions", group="Quality")
def confirmations(filters: Filters) -> Report:
    by_team, everything = _resolved_by_team(filters)
    teams = _team_names(filters)

    def line(name: str, t: rollups.Tally) -> list[Value]:
        waiting = t.tickets - t.confirmed - t.unconfirmed - t.no_answer
        return [
            name,
            t.tickets,
            t.confirmed,
            t.unconfirmed,
            t.no_answer,
            waiting,
            _share(t.confirmed, t.tickets),
        ]

    rows = [
        line(teams.get(pk, str(pk)), t)
        for pk, t in sorted(by_team.items(), key=lambda item: teams.get(item[0], ""))
    ]
    rows.append(line("All", everything))
    return Report(
        slug="confirmations",
        title="Confirmed resolutions",
        definition=(
            "Tickets resolved in the range, by what the requester said: confirmed solved, "
            "said not solved, closed without an answer (the desk closes unconfirmed "
            "resolutions after a week), or still awaiting an answer." + _whose(filters)
        ),
        columns=[
            Column("team", "Team", "text"),
            Column("resolved", "Resolved"),
            Column("confirmed", "Confirmed"),
            Column("unconfirmed", "Not solved"),
            Column("no_answer", "Closed without an answer"),
            Column("waiting", "Awaiting an answer"),
            Column("share", "Confirmed share", "percent"),
        ],
        rows=rows,
        chart=Chart(
            kind="bar",
            title="Requesters' answers",
            x_labels=["Confirmed", "Not solved", "No answer", "Awaiting"],
            series=[("Tickets", [float(v) for v in line("All", everything)[2:6] if v is not None])],
        ),
        figures=[("Confirmed", _share(everything.confirmed, everything.tickets), "percent")],
        notes=[LIVE_NOTE],
    )


# --- satisfaction -------------------------------------------------------------------


@report("satisfaction", "Satisfaction", audience="agent", group="Quality")
def satisfaction(filters: Filters) -> Report:
    low = rollups.start_of(filters.since)
    high = rollups.start_of(filters.until + dt.timedelta(days=1))
    qs = Survey.objects.filter(
        sent_at__gte=low, sent_at__lt=high, team_id__in=sorted(filters.team_ids)
    )
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
    answered = Q(answered_at__isnull=False)
    per_team: list[dict[str, Any]] = [
        dict(row)
        for row in qs.values("team_id")
        .annotate(
            n_sent=Count("pk"),
            n_answered=Count("pk", filter=answered),
            n_solved=Count("pk", filter=Q(solved=True)),
            n_unsolved=Count("pk", filter=Q(solved=False)),
            n_rated=Count("pk", filter=Q(satisfaction__isnull=False)),
            n_average=Avg("satisfaction"),
            n_poor=Count("pk", filter=POOR),
            n_comments=Count("pk", filter=answered & ~Q(better="")),
        )
        .order_by()
    ]
    ratings: dict[int, int] = {
        int(score): n
        for score, n in qs.filter(satisfaction__isnull=False)
        .values("satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("satisfaction", "n")
        if score is not None
    }
    teams = _team_names(filters)

    def line(name: str, row: Mapping[str, object]) -> list[Value]:
        def n(key: str) -> int:
            value = row[key]
            return int(value) if isinstance(value, int) else 0

        average = row["n_average"]
        return [
            name,
            n("n_sent"),
            n("n_answered"),
            _share(n("n_answered"), n("n_sent")),
            _share(n("n_solved"), n("n_solved") + n("n_unsolved")),
            round(float(average), 2) if isinstance(average, int | float) else None,
            n("n_poor"),
            n("n_comments"),
        ]

    rows = [line(teams.get(r["team_id"], ""), r) for r in per_team]
    rows.sort(key=lambda r: str(r[0]))
    total: dict[str, object] = {
        f"n_{k}": sum(int(r[f"n_{k}"]) for r in per_team)
        for k in ("sent", "answered", "solved", "unsolved", "rated", "poor", "comments")
    }
    rated = sum(ratings.values())
    total["n_average"] = sum(k * v for k, v in ratings.items()) / rated if rated else None
    everything = line("All", total)
    rows.append(everything)
    return Report(
        slug="satisfaction",
        title="Satisfaction",
        definition=(
            "The three closing questions of the surveys sent in the range (when a ticket "
            "closed): how many were answered, the share that said the problem was solved "
            "(of those who answered that question), the average satisfaction from 1 to 5, "
            "poor answers (not solved, or a satisfaction of 1 or 2) and how many said what "
            "could be done better. Questions left out are not counted. Team is the ticket's "
            "team at close." + (" Only surveys of the agent's tickets." if filters.agent_id else "")
        ),
        columns=[
            Column("team", "Team", "text"),
            Column("sent", "Sent"),
            Column("answered", "Answered"),
            Column("response_rate", "Response rate", "percent"),
            Column("solved", "Solved", "percent"),
            Column("satisfaction", "Average satisfaction (1-5)", "text"),
            Column("poor", "Poor answers"),
            Column("comments", "Suggestions"),
        ],
        rows=rows,
        chart=Chart(
            kind="bar",
            title="Satisfaction answers",
            x_labels=[str(score) for score in range(1, 6)],
            series=[("Answers", [float(ratings.get(score, 0)) for score in range(1, 6)])],
        ),
        figures=[
            ("Response rate", everything[3], "percent"),
            ("Solved", everything[4], "percent"),
            ("Average satisfaction", everything[5], "text"),
        ],
    )


# --- decisions ----------------------------------------------------------------------


@report("decisions", "Deferrals and declines", group="Saying no")
def decisions(filters: Filters) -> Report:
    low = rollups.start_of(filters.since)
    high = rollups.start_of(filters.until + dt.timedelta(days=1))
    qs = Decision.objects.filter(
        created_at__gte=low, created_at__lt=high, team_id__in=sorted(filters.team_ids)
    )
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
    groups = list(
        qs.values("reason__label", "kind", "team__name", "category__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    hours = handling_hours({g["team__name"] for g in groups if g["kind"] == "decline"})
    by_reason: dict[str, Counter[str]] = defaultdict(Counter)
    rows_by_reason: dict[str, list[analysis.Row]] = defaultdict(list)
    for g in groups:
        reason = g["reason__label"]
        by_reason[reason][g["kind"]] += g["n"]
        if g["kind"] == "decline":
            # time_saved counts rows one by one; one row stands for each decline.
            row = analysis.Row(
                id=0,
                at=low,
                kind="decline",
                reason=reason,
                category=g["category__name"] or "",
                team=g["team__name"],
                requester="",
                agent="",
                text="",
            )
            rows_by_reason[reason].extend(itertools.repeat(row, g["n"]))
    saved = {reason: analysis.time_saved(rows, hours) for reason, rows in rows_by_reason.items()}
    table: list[list[Value]] = []
    for reason in sorted(by_reason, key=lambda r: -sum(by_reason[r].values())):
        kept = saved.get(reason)
        table.append(
            [
                reason,
                by_reason[reason]["defer"],
                by_reason[reason]["decline"],
                round(kept.hours, 1) if kept else 0.0,
                kept.unpriced if kept else 0,
            ]
        )
    total_hours = round(sum(s.hours for s in saved.values()), 1)
    table.append(
        [
            "All",
            sum(r["defer"] for r in by_reason.values()),
            sum(r["decline"] for r in by_reason.values()),
            total_hours,
            sum(s.unpriced for s in saved.values()),
        ]
    )
    reasons = [str(row[0]) for row in table[:-1]]
    return Report(
        slug="decisions",
        title="Deferrals and declines",
        definition=(
            "Deferrals and declines recorded in the range, by reason. Time kept free: each "
            "decline times the team's average handling time (first response to resolution, "
            "last 90 days) in the request's category, or the team's average when the "
            "category has none; a deferral saves nothing (the work is done later), and a "
            "decline that cannot be priced is counted as unpriced, not guessed."
            + (" Only the agent's own decisions." if filters.agent_id else "")
        ),
        columns=[
            Column("reason", "Reason", "text"),
            Column("deferred", "Deferred"),
            Column("declined", "Declined"),
            Column("hours", "Time kept free", "hours"),
            Column("unpriced", "Declines not priced"),
        ],
        rows=table,
        chart=Chart(
            kind="horizontal_bar",
            title="Decisions by reason",
            x_labels=reasons,
            series=[
                ("Deferred", [_float(row[1]) for row in table[:-1]]),
                ("Declined", [_float(row[2]) for row in table[:-1]]),
            ],
        ),
        figures=[("Time kept free", total_hours, "hours")],
    )


# --- escalations --------------------------------------------------------------------


@report("escalations", "Escalations", group="Work")
def escalations(filters: Filters) -> Report:
    found = rollups.events(filters, [EventKind.ESCALATION])
    teams = _team_names(filters)
    grid: dict[tuple[int, int], Counter[bool]] = defaultdict(Counter)
    of = _period(filters)
    by_period: dict[dt.date, Counter[bool]] = defaultdict(Counter)
    for e in found:
        grid[(e.team_id, e.level)][e.automatic] += e.events
        by_period[of(e.day)][e.automatic] += e.events
    rows: list[list[Value]] = [
        [teams.get(team, str(team)), level, c[True], c[False], c[True] + c[False]]
        for (team, level), c in sorted(
            grid.items(), key=lambda i: (teams.get(i[0][0], ""), i[0][1])
        )
    ]
    automatic = sum(c[True] for c in grid.values())
    manual = sum(c[False] for c in grid.values())
    rows.append(["All", None, automatic, manual, automatic + manual])
    periods = _periods(filters)
    return Report(
        slug="escalations",
        title="Escalations",
        definition=(
            "Escalations recorded on the timeline in the range, by the ticket's team when "
            "counted and the level reached (1 for a ticket's first escalation). Automatic: "
            "the desk escalated by itself (a missed target, a red flag); manual: an agent "
            "escalated. " + LIVE_NOTE
        ),
        columns=[
            Column("team", "Team", "text"),
            Column("level", "Level"),
            Column("automatic", "Automatic"),
            Column("manual", "Manual"),
            Column("total", "Escalations"),
        ],
        rows=rows,
        chart=Chart(
            kind="stacked_bar",
            title="Escalations over time",
            x_labels=[p.isoformat() for p in periods],
            series=[
                ("Automatic", [float(by_period[p][True]) for p in periods]),
                ("Manual", [float(by_period[p][False]) for p in periods]),
            ],
        ),
        figures=[("Escalations", automatic + manual, "count"), ("Automatic", automatic, "count")],
    )


# --- workload -----------------------------------------------------------------------

SENT = (EventKind.REPLY, EventKind.RESOLUTION, EventKind.DECISION)
LOGGED = (EventKind.CALL, EventKind.WALK_UP, EventKind.CHAT)
WORK_KINDS = (*SENT, EventKind.NOTE, *LOGGED)
OUTSIDE_WARNING = 0.2  # a fifth of one's work outside hours is a burnout signal


@report("workload", "Workload", audience="agent", group="Work")
def workload(filters: Filters) -> Report:
    agents = User.objects.filter(
        is_active=True,
        role__in=sorted(STAFF_ROLES),
        memberships__team_id__in=sorted(filters.team_ids),
    ).distinct()
    if filters.agent_id is not None:
        agents = User.objects.filter(pk=filters.agent_id)
    people = {
        pk: (f"{first} {last}".strip() or username, limit)
        for pk, first, last, username, limit in agents.values_list(
            "pk", "first_name", "last_name", "username", "wip_limit"
        )
    }
    load = dict(
        Ticket.objects.filter(owner_id__in=sorted(people), status__in=sorted(ACTIVE_STATES))
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("owner_id", "n")
    )
    work: dict[int, Counter[str]] = defaultdict(Counter)
    for e in rollups.events(filters, WORK_KINDS):
        if e.actor_id in people:
            kind = "sent" if e.kind in SENT else "note" if e.kind == EventKind.NOTE else "logged"
            work[e.actor_id][kind] += e.events
            work[e.actor_id]["all"] += e.events
            work[e.actor_id]["outside"] += e.outside_hours
    rows: list[list[Value]] = []
    for pk, (name, limit) in sorted(people.items(), key=lambda item: item[1][0]):
        did = work[pk]
        outside = _share(did["outside"], did["all"])
        signals = []
        if load.get(pk, 0) > limit:
            signals.append("over the work-in-progress limit")
        if outside is not None and outside >= OUTSIDE_WARNING:
            signals.append("much work outside hours")
        rows.append(
            [
                name,
                load.get(pk, 0),
                limit,
                _share(load.get(pk, 0), limit),
                did["sent"],
                did["note"],
                did["logged"],
                did["outside"],
                outside,
                "; ".join(signals),
            ]
        )
    return Report(
        slug="workload",
        title="Workload",
        definition=(
            "Per agent of the teams: the active tickets they own now (new, open, waiting on "
            "the requester) against their work-in-progress limit, and what they did in the "
            "range: replies sent to requesters (answers, resolutions, decisions), internal "
            "notes, and calls, walk-ups and chats logged. Outside hours: of those, the ones "
            "made outside the business hours of the ticket's team. Signals: over the limit, "
            "or a fifth or more of the work outside hours. " + LIVE_NOTE
        ),
        columns=[
            Column("agent", "Agent", "text"),
            Column("open", "Open tickets owned"),
            Column("limit", "Limit"),
            Column("use", "Of the limit", "percent"),
            Column("sent", "Replies sent"),
            Column("notes", "Notes"),
            Column("logged", "Contacts logged"),
            Column("outside", "Outside hours"),
            Column("outside_share", "Share outside hours", "percent"),
            Column("signals", "Signals", "text"),
        ],
        rows=rows,
        chart=Chart(
            kind="horizontal_bar",
            title="Open tickets against the limit",
            x_labels=[str(row[0]) for row in rows],
            series=[
                ("Open", [_float(row[1]) for row in rows]),
                ("Limit", [_float(row[2]) for row in rows]),
            ],
        ),
        figures=[("Agents with signals", sum(1 for row in rows if row[-1]), "count")],
    )
