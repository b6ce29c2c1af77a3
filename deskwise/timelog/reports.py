"""Reports on time logged on tickets, registered with the reports app.

* ``time_by_category`` - hours by category, with the tickets that took most;
* ``time_by_requester`` - the requesters whose tickets took the most hours;
* ``reclaim`` - this week against last: hours logged by category, and the
  hours that declines, deferrals and the knowledge base kept free.

Every figure is summed in the database over bounded, grouped queries; the
range is of work dates (the day worked, in the desk's time zone), and the
tickets are those of the teams the report covers, as they are now.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet, Sum

from deskwise.kb.models import Deflection
from deskwise.outcomes.models import Decision, DecisionKind
from deskwise.outcomes.selectors import handling_hours
from deskwise.reports.base import Chart, Column, Filters, Report, Value, report
from deskwise.timelog.models import TimeEntry
from deskwise.timelog.permissions import zone

GROUP = "Time"
NO_CATEGORY = "No category"
MAX_CATEGORIES = 50
MAX_REQUESTERS = 25
TOP_TICKETS = 3
TICKET_ROWS = 1_000
"""(category, ticket) sums read to find each category's top tickets."""
CHARTED = 10
PRICING_DAYS = 90


def _hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 2)


def _per(minutes: int | None, count: int | None) -> float | None:
    return round((minutes or 0) / 60 / count, 2) if count else None


def _share(part: int | None, whole: int | None) -> float | None:
    return round((part or 0) / whole, 4) if whole else None


def _entries(filters: Filters, since: dt.date, until: dt.date) -> QuerySet[TimeEntry]:
    """Entries of the covered teams' tickets worked in the range; one agent's
    own when the report is about an agent: all of them when no team was
    chosen, so time on a ticket since moved to another team still counts."""
    qs = TimeEntry.objects.filter(work_date__gte=since, work_date__lte=until)
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
        if filters.every_team:
            return qs
    return qs.filter(ticket__team_id__in=sorted(filters.team_ids))


def _who(filters: Filters) -> str:
    return "your own time" if filters.agent_id is not None else "the time of every agent"


def _whose_tickets(filters: Filters) -> str:
    if filters.agent_id is not None and filters.every_team:
        return "any ticket, in whichever team it is now"
    return "tickets of the teams covered"


# --- hours by category ----------------------------------------------------------------


@report("time_by_category", "Time by category", audience="agent", group=GROUP)
def time_by_category(filters: Filters) -> Report:
    qs = _entries(filters, filters.since, filters.until)
    whole = qs.aggregate(
        spent=Sum("minutes"), tickets=Count("ticket_id", distinct=True), entries=Count("pk")
    )
    by_category = list(
        qs.values("ticket__category_id", "ticket__category__name")
        .annotate(spent=Sum("minutes"), tickets=Count("ticket_id", distinct=True))
        .order_by("-spent", "ticket__category__name")[:MAX_CATEGORIES]
    )
    top: dict[int | None, list[str]] = defaultdict(list)
    by_ticket = (
        qs.values("ticket__category_id", "ticket_id")
        .annotate(spent=Sum("minutes"))
        .order_by("-spent", "ticket_id")[:TICKET_ROWS]
    )
    for row in by_ticket:
        found = top[row["ticket__category_id"]]
        if len(found) < TOP_TICKETS:
            found.append(f"DW-{row['ticket_id']} ({_hours(row['spent'])} h)")
    rows: list[Sequence[Value]] = [
        (
            row["ticket__category__name"] or NO_CATEGORY,
            _hours(row["spent"]),
            _share(row["spent"], whole["spent"]),
            row["tickets"],
            _per(row["spent"], row["tickets"]),
            ", ".join(top[row["ticket__category_id"]]),
        )
        for row in by_category
    ]
    charted = rows[:CHARTED]
    return Report(
        slug="time_by_category",
        title="Time by category",
        definition=(
            f"Hours logged on tickets, by the ticket's category, from {_who(filters)} on "
            f"{_whose_tickets(filters)}, worked on a day in the range (the day the agent "
            "gave, in the desk's time zone). Hours per ticket divides a category's hours by "
            "the tickets that had time logged in the range. Top tickets are the three that "
            "took most in each category. Time never logged is not counted."
        ),
        columns=[
            Column("category", "Category", "text"),
            Column("hours", "Hours", "hours"),
            Column("share", "Share of the time", "percent"),
            Column("tickets", "Tickets"),
            Column("hours_per_ticket", "Hours per ticket", "hours"),
            Column("top_tickets", "Top tickets", "text"),
        ],
        rows=rows,
        chart=Chart(
            kind="horizontal_bar",
            title="Hours by category",
            x_labels=[str(r[0]) for r in charted],
            series=[("Hours", [float(r[1] or 0) for r in charted])],
            unit="hours",
        )
        if charted
        else None,
        figures=[
            ("Hours logged", _hours(whole["spent"]), "hours"),
            ("Tickets with time", whole["tickets"] or 0, "count"),
            ("Hours per ticket", _per(whole["spent"], whole["tickets"]), "hours"),
        ],
        notes=[f"Only the {MAX_CATEGORIES} categories that took most are listed."]
        if len(rows) == MAX_CATEGORIES
        else [],
    )


# --- the top time-wasters -------------------------------------------------------------


@report("time_by_requester", "Time by requester", audience="supervisor", group=GROUP)
def time_by_requester(filters: Filters) -> Report:
    qs = _entries(filters, filters.since, filters.until)
    whole = qs.aggregate(
        spent=Sum("minutes"),
        tickets=Count("ticket_id", distinct=True),
        requesters=Count("ticket__requester_id", distinct=True),
    )
    found = list(
        qs.values("ticket__requester_id", "ticket__requester__name", "ticket__requester__email")
        .annotate(spent=Sum("minutes"), tickets=Count("ticket_id", distinct=True))
        .order_by("-spent", "ticket__requester_id")[:MAX_REQUESTERS]
    )
    rows: list[Sequence[Value]] = [
        (
            row["ticket__requester__name"] or row["ticket__requester__email"],
            row["ticket__requester__email"],
            _hours(row["spent"]),
            row["tickets"],
            _per(row["spent"], row["tickets"]),
            _share(row["spent"], whole["spent"]),
        )
        for row in found
    ]
    top_minutes = sum(row["spent"] for row in found[:CHARTED])
    charted = rows[:CHARTED]
    return Report(
        slug="time_by_requester",
        title="Time by requester",
        definition=(
            "The requesters whose tickets took the most hours: the time every agent logged on "
            "their tickets (of the teams covered) on days in the range, the number of those "
            f"tickets, and hours per ticket. The {MAX_REQUESTERS} requesters with most are "
            "listed. Many hours on few tickets points at hard requests or a requester who "
            "needs training, or another channel; many tickets at a recurring cause."
        ),
        columns=[
            Column("requester", "Requester", "text"),
            Column("email", "Email", "text"),
            Column("hours", "Hours", "hours"),
            Column("tickets", "Tickets"),
            Column("hours_per_ticket", "Hours per ticket", "hours"),
            Column("share", "Share of the time", "percent"),
        ],
        rows=rows,
        chart=Chart(
            kind="horizontal_bar",
            title="Hours by requester",
            x_labels=[str(r[0]) for r in charted],
            series=[("Hours", [float(r[2] or 0) for r in charted])],
            unit="hours",
        )
        if charted
        else None,
        figures=[
            ("Hours logged", _hours(whole["spent"]), "hours"),
            ("Requesters", whole["requesters"] or 0, "count"),
            (f"Share of the top {CHARTED}", _share(top_minutes, whole["spent"]), "percent"),
        ],
    )


# --- reclaim your time ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Weeks:
    this_start: dt.date
    this_end: dt.date
    last_start: dt.date
    last_end: dt.date

    @classmethod
    def ending(cls, until: dt.date) -> Weeks:
        start = until - dt.timedelta(days=until.weekday())
        return cls(start, until, start - dt.timedelta(days=7), start - dt.timedelta(days=1))


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone())


def _change(this: float | None, last: float | None) -> float:
    return round((this or 0) - (last or 0), 2)


def _decisions(filters: Filters, weeks: Weeks) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Declines and deferrals of the two weeks, priced with the register's
    estimate: the team's average handling hours in the category (else the
    team's), over the last 90 days. Returns hours [this, last] and the counts
    (this, last and unpriced) per kind."""
    split = _midnight(weeks.this_start)
    qs = Decision.objects.filter(
        created_at__gte=_midnight(weeks.last_start),
        created_at__lt=_midnight(weeks.this_end + dt.timedelta(days=1)),
        team_id__in=sorted(filters.team_ids),
    )
    if filters.agent_id is not None:
        qs = qs.filter(agent_id=filters.agent_id)
    groups = list(
        qs.values("kind", "team__name", "category__name")
        .annotate(
            this=Count("pk", filter=Q(created_at__gte=split)),
            last=Count("pk", filter=Q(created_at__lt=split)),
        )
        .order_by("kind", "team__name", "category__name")[:TICKET_ROWS]
    )
    prices = handling_hours({g["team__name"] for g in groups}) if groups else {}
    hours: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    counts: dict[str, int] = defaultdict(int)
    for g in groups:
        team, category = g["team__name"], g["category__name"] or ""
        each = prices.get((team, category), prices.get((team, "")))
        counts[f"{g['kind']}_this"] += g["this"]
        counts[f"{g['kind']}_last"] += g["last"]
        if each is None:
            counts[f"{g['kind']}_unpriced"] += g["this"] + g["last"]
            continue
        hours[g["kind"]][0] += g["this"] * each
        hours[g["kind"]][1] += g["last"] * each
    return hours, counts


def _deflections(filters: Filters, weeks: Weeks) -> tuple[int, int, float | None]:
    """Requests the knowledge base answered in the two weeks (an agent's: those
    their articles answered), and the hours one saves: the time logged per
    ticket on the covered teams' tickets over the last 90 days."""
    split = _midnight(weeks.this_start)
    qs = Deflection.objects.filter(
        created_at__gte=_midnight(weeks.last_start),
        created_at__lt=_midnight(weeks.this_end + dt.timedelta(days=1)),
    )
    if filters.agent_id is not None:
        qs = qs.filter(article__owner_id=filters.agent_id)
    found = qs.aggregate(
        this=Count("pk", filter=Q(created_at__gte=split)),
        last=Count("pk", filter=Q(created_at__lt=split)),
    )
    logged = TimeEntry.objects.filter(
        work_date__gt=weeks.this_end - dt.timedelta(days=PRICING_DAYS),
        work_date__lte=weeks.this_end,
        ticket__team_id__in=sorted(filters.team_ids),
    ).aggregate(spent=Sum("minutes"), tickets=Count("ticket_id", distinct=True))
    each = _per(logged["spent"], logged["tickets"])
    return found["this"] or 0, found["last"] or 0, each


@report("reclaim", "Reclaim your time", audience="agent", group=GROUP)
def reclaim(filters: Filters) -> Report:
    weeks = Weeks.ending(filters.until)
    qs = _entries(filters, weeks.last_start, weeks.this_end)
    split = Q(work_date__gte=weeks.this_start)
    by_category = list(
        qs.values("ticket__category__name")
        .annotate(this=Sum("minutes", filter=split), last=Sum("minutes", filter=~split))
        .order_by("ticket__category__name")[:MAX_CATEGORIES]
    )
    by_category.sort(key=lambda r: (-(r["this"] or 0), -(r["last"] or 0)))
    rows: list[Sequence[Value]] = []
    for row in by_category:
        this, last = _hours(row["this"]), _hours(row["last"])
        name = row["ticket__category__name"] or NO_CATEGORY
        rows.append(("Logged", name, None, None, this, last, _change(this, last)))
    logged_this = sum(_hours(r["this"]) for r in by_category)
    logged_last = sum(_hours(r["last"]) for r in by_category)

    hours, counts = _decisions(filters, weeks)
    declined = [round(h, 2) for h in hours[DecisionKind.DECLINE]]
    deferred = [round(h, 2) for h in hours[DecisionKind.DEFER]]
    d_this, d_last, each = _deflections(filters, weeks)
    deflected = [round(d_this * each, 2), round(d_last * each, 2)] if each is not None else [0, 0]
    for kind, label, priced in (
        (DecisionKind.DECLINE, "Declines: kept free", declined),
        (DecisionKind.DEFER, "Deferrals: moved to a later week", deferred),
    ):
        rows.append(
            (
                "Saved" if kind == DecisionKind.DECLINE else "Moved",
                label,
                counts[f"{kind}_this"],
                counts[f"{kind}_last"],
                priced[0],
                priced[1],
                _change(priced[0], priced[1]),
            )
        )
    rows.append(
        (
            "Saved",
            "Knowledge base: requests answered without a ticket",
            d_this,
            d_last,
            deflected[0],
            deflected[1],
            _change(deflected[0], deflected[1]),
        )
    )
    saved_this = round(declined[0] + deflected[0], 2)
    saved_last = round(declined[1] + deflected[1], 2)
    notes = [
        f"This week: {weeks.this_start:%-d %b} to {weeks.this_end:%-d %b %Y} (so far); "
        f"last week: {weeks.last_start:%-d %b} to {weeks.last_end:%-d %b}. The report's start "
        "date is not used."
    ]
    unpriced = counts[f"{DecisionKind.DECLINE}_unpriced"] + counts[f"{DecisionKind.DEFER}_unpriced"]
    if unpriced:
        notes.append(
            f"{unpriced} declines or deferrals have no known handling time (nothing like them "
            "was resolved in 90 days) and are counted without hours."
        )
    if each is None and (d_this or d_last):
        notes.append("No time was logged in 90 days to price a deflection with.")
    labels = [str(r[1]) for r in rows]
    return Report(
        slug="reclaim",
        title="Reclaim your time",
        definition=(
            f"This week against last, for {_who(filters)}. Logged: hours logged on "
            f"{_whose_tickets(filters)}, by category, by the day worked. Declines: requests "
            "declined, each priced as the team's average handling time in its category over the "
            "last 90 days (first response to resolution), as the register prices them; that "
            "time is "
            "kept free. Deferrals are priced the same way, but the work is only moved to a "
            "later week, so they are not counted as saved. Knowledge base: requests an article "
            "answered before a ticket was opened (for an agent: their own articles; for teams: "
            "the whole desk's), each priced as the hours logged per ticket in the teams over "
            "the last 90 days. Estimates, not measurements."
        ),
        columns=[
            Column("kind", "Kind", "text"),
            Column("what", "What", "text"),
            Column("count_this", "Count this week"),
            Column("count_last", "Count last week"),
            Column("hours_this", "Hours this week", "hours"),
            Column("hours_last", "Hours last week", "hours"),
            Column("change", "Change", "hours"),
        ],
        rows=rows,
        chart=Chart(
            kind="bar",
            title="Hours this week and last",
            x_labels=labels,
            series=[
                ("This week", [float(r[4] or 0) for r in rows]),
                ("Last week", [float(r[5] or 0) for r in rows]),
            ],
            unit="hours",
        ),
        figures=[
            ("Hours logged this week", round(logged_this, 2), "hours"),
            ("Hours logged last week", round(logged_last, 2), "hours"),
            ("Hours saved this week", saved_this, "hours"),
            ("Hours saved last week", saved_last, "hours"),
        ],
        notes=notes,
    )
