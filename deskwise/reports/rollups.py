"""Counting days into the rollup tables, and reading them back with what is
not counted yet added live.

Durations are business minutes on the team's calendar (the one the service
levels use, ``sla.calendar.team_calendar``; around the clock where the
ticket's policy says so). They are kept as histograms over buckets that grow
by ``RATIO`` each, so percentiles read from them are within ``RATIO`` of the
exact figure however many tickets a range holds.

Every read here is bounded: rollup rows per day, teams and priorities; the
live part covers only days not counted yet (normally today) and events past
the watermark, or, for one agent's figures, that agent's own tickets.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models import Value as V
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import Exact

from deskwise.core import clock
from deskwise.queueing.model import WorkingCalendar
from deskwise.reports.base import Filters
from deskwise.reports.models import (
    CountedDay,
    DurationDay,
    EventDay,
    Measure,
    OpenedDay,
    TriageDay,
    Watermark,
)
from deskwise.sla.calendar import ALWAYS, team_calendar
from deskwise.sla.models import SlaPolicy
from deskwise.tickets.choices import EventKind
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.triage.measures import FIELDS as TRIAGE_FIELDS

RATIO = 1.1
BUCKETS = 140  # 1.1 ** 139 minutes is beyond a year
RECOUNT_DAYS = 14  # confirmations and reopens still change a resolved day this long
CHUNK_DAYS = 31  # days counted per query
EVENT_BATCH = 20_000
EVENTS_MARK = "events"
# Ids are handed out when a row is written, not when its transaction commits:
# an event written at 10:00:00 in a transaction that commits at 10:00:03 can
# show up after event ids above it were counted. The count stops at the first
# event younger than this, so the watermark never passes one still in flight
# (the desk's transactions last well under a second); the reports read the
# events past the watermark live, so nothing is missing meanwhile.
EVENT_SETTLE = dt.timedelta(minutes=2)


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def today() -> dt.date:
    return clock.now().astimezone(zone()).date()


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the desk's time zone."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zone())


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(zone()).date()


# --- histograms ---------------------------------------------------------------------


def bucket(minutes: float) -> int:
    """The bucket of a duration: 0 under a minute, then one per factor RATIO."""
    if minutes < 1:
        return 0
    return min(BUCKETS - 1, 1 + int(math.log(minutes) / math.log(RATIO)))


def bounds(index: int) -> tuple[float, float]:
    """The durations (minutes) a bucket holds, from low to high."""
    if index == 0:
        return 0.0, 1.0
    return RATIO ** (index - 1), RATIO**index


@dataclasses.dataclass
class Histogram:
    counts: Counter[int] = dataclasses.field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, minutes: float) -> None:
        self.counts[bucket(minutes)] += 1

    def merge(self, stored: Mapping[Any, int]) -> None:
        for index, count in stored.items():
            self.counts[int(index)] += int(count)

    def stored(self) -> dict[str, int]:
        return {str(index): count for index, count in sorted(self.counts.items()) if count}

    def percentile(self, share: float) -> float | None:
        """The duration (minutes) ``share`` of the tickets took at most,
        interpolated within its bucket (geometrically: buckets grow by RATIO)."""
        total = self.total
        if not total:
            return None
        rank = share * total
        seen = 0
        for index in sorted(self.counts):
            count = self.counts[index]
            if count and seen + count >= rank:
                low, high = bounds(index)
                part = (rank - seen) / count
                if index == 0:
                    return low + (high - low) * part
                return float(low * (high / low) ** part)
            seen += count
        return bounds(max(self.counts))[1]


@dataclasses.dataclass
class Tally:
    """What one (day, team, priority) holds for one measure."""

    tickets: int = 0
    met: int = 0
    with_target: int = 0
    reopened: int = 0
    confirmed: int = 0
    unconfirmed: int = 0
    no_answer: int = 0
    histogram: Histogram = dataclasses.field(default_factory=Histogram)

    def add(self, other: Tally) -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.histogram.merge(other.histogram.counts)


COUNTS = ("tickets", "met", "with_target", "reopened", "confirmed", "unconfirmed", "no_answer")
Key = tuple[dt.date, int, int]  # day, team id, priority


# --- business time ------------------------------------------------------------------


class Calendars:
    """Each team's business calendar, and the policies that count around the clock."""

    def __init__(self) -> None:
        self._teams: dict[int, WorkingCalendar] = {}
        self._always = set(
            SlaPolicy.objects.filter(business_hours=False).values_list("pk", flat=True)
        )

    def team(self, team_id: int) -> WorkingCalendar:
        if team_id not in self._teams:
            self._teams[team_id] = team_calendar(team_id)
        return self._teams[team_id]

    def for_ticket(self, team_id: int, policy_id: int | None) -> WorkingCalendar:
        return ALWAYS if policy_id in self._always else self.team(team_id)


def business_minutes(
    calendar: WorkingCalendar,
    start: dt.datetime,
    end: dt.datetime,
    paused: dt.timedelta = dt.timedelta(0),
) -> float:
    worked = calendar.between(start, end) - paused
    return max(0.0, worked.total_seconds() / 60)


# --- counting tickets ---------------------------------------------------------------

FIRST_FIELDS = (
    "first_response_at",
    "created_at",
    "team_id",
    "priority",
    "first_response_due_at",
    "sla_policy_id",
)
RESOLVED_FIELDS = (
    "resolved_at",
    "created_at",
    "team_id",
    "priority",
    "resolution_due_at",
    "sla_policy_id",
    "sla_paused_for",
    "reopen_count",
    "resolution_confirmed",
    "status",
)


def tally_first_responses(
    rows: Iterable[tuple[Any, ...]], calendars: Calendars
) -> dict[Key, Tally]:
    """Tickets by the day of their first response: business minutes from
    opening, and whether the answer came by its due time."""
    found: dict[Key, Tally] = defaultdict(Tally)
    for answered, created, team_id, priority, due, policy_id in rows:
        tally = found[(local_day(answered), team_id, priority)]
        tally.tickets += 1
        tally.histogram.add(
            business_minutes(calendars.for_ticket(team_id, policy_id), created, answered)
        )
        if due is not None:
            tally.with_target += 1
            tally.met += answered <= due
    return found


def _paused(value: Any) -> dt.timedelta:
    if isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(microseconds=int(value or 0))


def tally_resolutions(rows: Iterable[tuple[Any, ...]], calendars: Calendars) -> dict[Key, Tally]:
    """Tickets by the day of their (last) resolution: business minutes from
    opening less the time the service-level clock stood still (waiting on the
    requester, deferred, resolved before a reopen), the target, reopens and
    what the requester answered."""
    found: dict[Key, Tally] = defaultdict(Tally)
    for (
        resolved,
        created,
        team_id,
        priority,
        due,
        policy_id,
        paused,
        reopens,
        confirmed,
        status,
    ) in rows:
        tally = found[(local_day(resolved), team_id, priority)]
        tally.tickets += 1
        calendar = calendars.for_ticket(team_id, policy_id)
        tally.histogram.add(business_minutes(calendar, created, resolved, _paused(paused)))
        if due is not None:
            tally.with_target += 1
            tally.met += resolved <= due
        tally.reopened += reopens > 0
        if confirmed is True:
            tally.confirmed += 1
        elif confirmed is False:
            tally.unconfirmed += 1
        elif status == "closed":
            tally.no_answer += 1
    return found


def _opened(qs: QuerySet[Ticket]) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in qs.annotate(day=TruncDate("created_at", tzinfo=zone()))
        .values("day", "team_id", "channel", "triage_class", "category_id", "priority")
        .annotate(tickets=Count("pk"))
        .order_by()
    ]


def _span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return start_of(first), start_of(last + dt.timedelta(days=1))


def count_days(first: dt.date, last: dt.date) -> int:
    """Write the ticket rollups of the days from ``first`` to ``last`` (both
    included), replacing what was there. Four queries of tickets."""
    low, high = _span(first, last)
    calendars = Calendars()
    opened = _opened(Ticket.objects.filter(created_at__gte=low, created_at__lt=high))
    answered = tally_first_responses(
        Ticket.objects.filter(first_response_at__gte=low, first_response_at__lt=high)
        .values_list(*FIRST_FIELDS)
        .iterator(chunk_size=5000),
        calendars,
    )
    resolved = tally_resolutions(
        Ticket.objects.filter(resolved_at__gte=low, resolved_at__lt=high)
        .values_list(*RESOLVED_FIELDS)
        .iterator(chunk_size=5000),
        calendars,
    )
    triaged = tally_triage(Ticket.objects.filter(created_at__gte=low, created_at__lt=high))
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    with transaction.atomic():
        OpenedDay.objects.filter(day__gte=first, day__lte=last).delete()
        DurationDay.objects.filter(day__gte=first, day__lte=last).delete()
        OpenedDay.objects.bulk_create([OpenedDay(**row) for row in opened], batch_size=2000)
        DurationDay.objects.bulk_create(
            [
                _duration_row(key, measure, tally)
                for measure, tallies in (
                    (Measure.FIRST_RESPONSE, answered),
                    (Measure.RESOLUTION, resolved),
                )
                for key, tally in tallies.items()
            ],
            batch_size=2000,
        )
        TriageDay.objects.filter(day__gte=first, day__lte=last).delete()
        TriageDay.objects.bulk_create(
            [
                TriageDay(day=day, team_id=team_id, field=name, **dataclasses.asdict(count))
                for (day, team_id, name), count in triaged.items()
            ],
            batch_size=2000,
        )
        now = clock.now()
        CountedDay.objects.filter(day__in=days).delete()
        CountedDay.objects.bulk_create([CountedDay(day=day, counted_at=now) for day in days])
    return len(days)


def _duration_row(key: Key, measure: str, tally: Tally) -> DurationDay:
    day, team_id, priority = key
    return DurationDay(
        day=day,
        team_id=team_id,
        priority=priority,
        measure=measure,
        histogram=tally.histogram.stored(),
        **{name: getattr(tally, name) for name in COUNTS},
    )


def days_to_count(*, limit: int = 800) -> list[dt.date]:
    """Past days not counted yet, and the recent ones counted before they were
    settled (less than RECOUNT_DAYS after the day), oldest first."""
    last = today() - dt.timedelta(days=1)
    oldest = Ticket.objects.order_by("pk").values_list("created_at", flat=True).first()
    if oldest is None:
        return []
    first = max(local_day(oldest), last - dt.timedelta(days=limit - 1))
    counted = {
        day: local_day(at)
        for day, at in CountedDay.objects.filter(day__gte=first).values_list("day", "counted_at")
    }
    wanted = []
    day = first
    while day <= last:
        at = counted.get(day)
        if at is None or at < day + dt.timedelta(days=RECOUNT_DAYS):
            wanted.append(day)
        day += dt.timedelta(days=1)
    return wanted


def count_pending_days() -> int:
    """Count every day ``days_to_count`` names, CHUNK_DAYS consecutive days at a time."""
    days = days_to_count()
    done = 0
    while days:
        first = days[0]
        run = [day for day in days if (day - first).days < CHUNK_DAYS]
        # Only consecutive days share one span, so no settled day is recounted.
        end = first
        for day in run[1:]:
            if (day - end).days != 1:
                break
            end = day
        done += count_days(first, end)
        days = [day for day in days if day > end]
    return done


# --- counting triage ----------------------------------------------------------------

PRIORITY = "priority"
AUTOMATIC = ("rule", "model")
# What the ticket holds now, to compare with triage's proposal.
FINAL = {
    "triage_class": "triage_class",
    "impact": "impact",
    "urgency": "urgency",
    "category": "category__name",
    "team": "team__name",
}
TriageKey = tuple[dt.date, int, str]  # day opened, team, field


@dataclasses.dataclass
class TriageCount:
    proposed: int = 0  # automatic triage (phrase rules or the model) proposed a value
    applied: int = 0  # confident enough to be set on the ticket
    kept: int = 0  # applied, and the ticket still holds it
    suggested: int = 0  # proposed, not applied
    taken: int = 0  # not applied, and the ticket holds it anyway

    def add(self, other: TriageCount) -> None:
        for name, value in dataclasses.asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def __bool__(self) -> bool:
        return any(dataclasses.astuple(self))


TRIAGE_PARTS = tuple(f.name for f in dataclasses.fields(TriageCount))


def _proposal(name: str) -> KeyTextTransform:
    return KeyTextTransform("value", KeyTransform(name, KeyTransform("proposals", "triage")))


def tally_triage(qs: QuerySet[Ticket]) -> dict[TriageKey, TriageCount]:
    """Per day opened, team and field, what automatic triage proposed and
    whether it stood; one query. Priority is not proposed on its own: it counts
    the tickets whose impact or urgency triage applied, kept unless an agent's
    triage change moved the priority."""
    counts: dict[str, Count] = {}
    applied: dict[str, Q] = {}
    for name in TRIAGE_FIELDS:
        automatic = Q(**{f"triage__proposals__{name}__source__in": list(AUTOMATIC)})
        applied[name] = automatic & Q(**{f"triage__proposals__{name}__applied": True})
        same = Q(Exact(_proposal(name), Coalesce(F(FINAL[name]), V(""))))
        counts |= {
            f"{name}_proposed": Count("pk", filter=automatic),
            f"{name}_applied": Count("pk", filter=applied[name]),
            f"{name}_kept": Count("pk", filter=applied[name] & same),
            f"{name}_suggested": Count("pk", filter=automatic & ~applied[name]),
            f"{name}_taken": Count("pk", filter=automatic & ~applied[name] & same),
        }
    moved = TimelineEvent.objects.filter(
        ticket_id=OuterRef("pk"),
        kind=EventKind.TRIAGE,
        actor__isnull=False,
        data__changes__has_key=PRIORITY,
    )
    either = applied["impact"] | applied["urgency"]
    counts |= {
        "priority_applied": Count("pk", filter=either),
        "priority_moved": Count("pk", filter=either & Q(Exists(moved))),
    }
    found: dict[TriageKey, TriageCount] = {}
    grouped = (
        qs.annotate(day=TruncDate("created_at", tzinfo=zone()))
        .values("day", "team_id")
        .annotate(**counts)
        .order_by()
    )
    for row in cast(Iterable[dict[str, Any]], grouped):
        key = (row["day"], row["team_id"])
        for name in TRIAGE_FIELDS:
            count = TriageCount(**{part: row[f"{name}_{part}"] or 0 for part in TRIAGE_PARTS})
            if count:
                found[(*key, name)] = count
        both, moved_count = row["priority_applied"] or 0, row["priority_moved"] or 0
        if both:
            found[(*key, PRIORITY)] = TriageCount(
                proposed=both, applied=both, kept=both - moved_count
            )
    return found


# --- counting events ----------------------------------------------------------------

EventKey = tuple[dt.date, int, int, str, int, bool]  # day, team, actor, kind, level, automatic
EVENT_FIELDS = ("pk", "created_at", "ticket__team_id", "actor_id", "kind", "data")


def tally_events(
    rows: Iterable[tuple[Any, ...]], calendars: Calendars
) -> tuple[dict[EventKey, list[int]], int]:
    """Events by day, team, actor, kind (and an escalation's level and whether
    the desk escalated by itself): how many, how many outside business hours.
    Also gives the last id seen."""
    found: dict[EventKey, list[int]] = defaultdict(lambda: [0, 0])
    last = 0
    for pk, at, team_id, actor_id, kind, data in rows:
        last = max(last, pk)
        level, automatic = 0, False
        if kind == "escalation" and isinstance(data, dict):
            level = int(data.get("level") or 0)
            automatic = bool(data.get("automatic"))
        counts = found[(local_day(at), team_id, actor_id or 0, kind, level, automatic)]
        counts[0] += 1
        counts[1] += not calendars.team(team_id).is_working(at)
    return found, last


def count_events(*, batch: int = EVENT_BATCH) -> int:
    """Add the events past the watermark to the rollup, a batch per
    transaction; the watermark row is locked, so two workers never count one
    event twice."""
    counted = 0
    calendars = Calendars()
    while True:
        with transaction.atomic():
            Watermark.objects.get_or_create(name=EVENTS_MARK)
            mark = Watermark.objects.select_for_update().get(name=EVENTS_MARK)
            fetched = list(
                TimelineEvent.objects.filter(pk__gt=mark.last_id)
                .order_by("pk")
                .values_list(*EVENT_FIELDS)[:batch]
            )
            settled = clock.now() - EVENT_SETTLE
            rows = []
            for row in fetched:
                if row[1] >= settled:
                    break
                rows.append(row)
            if not rows:
                return counted
            tallies, last = tally_events(rows, calendars)
            _add_events(tallies)
            mark.last_id = last
            mark.save(update_fields=["last_id"])
            counted += len(rows)
        if len(fetched) < batch or len(rows) < len(fetched):
            return counted


def _add_events(tallies: Mapping[EventKey, list[int]]) -> None:
    for (day, team_id, actor_id, kind, level, automatic), (events, outside) in tallies.items():
        where = {
            "day": day,
            "team_id": team_id,
            "actor_id": actor_id,
            "kind": kind,
            "level": level,
            "automatic": automatic,
        }
        updated = EventDay.objects.filter(**where).update(
            events=F("events") + events, outside_hours=F("outside_hours") + outside
        )
        if not updated:
            EventDay.objects.create(**where, events=events, outside_hours=outside)


# --- reading ------------------------------------------------------------------------


def _uncounted(filters: Filters) -> list[dt.date]:
    counted = set(
        CountedDay.objects.filter(day__gte=filters.since, day__lte=filters.until).values_list(
            "day", flat=True
        )
    )
    days = [filters.since + dt.timedelta(days=i) for i in range(filters.days)]
    return [day for day in days if day not in counted]


def _tickets(filters: Filters) -> QuerySet[Ticket]:
    qs = Ticket.objects.filter(team_id__in=sorted(filters.team_ids))
    if filters.agent_id is not None:
        qs = qs.filter(owner_id=filters.agent_id)
    return qs


def _in_days(field: str, days: list[dt.date]) -> Q:
    """``field`` falls on one of ``days`` (one range from the first to the last,
    then narrowed to the days themselves)."""
    low, high = _span(days[0], days[-1])
    return Q(**{f"{field}__gte": low, f"{field}__lt": high})


def opened(filters: Filters) -> list[dict[str, Any]]:
    """Tickets opened per day, team, channel, class, category and priority:
    counted days from the rollup, the rest (and one agent's tickets) live."""
    if filters.agent_id is not None:
        return _opened(_tickets(filters).filter(_in_days("created_at", _all_days(filters))))
    stored = [
        dict(row)
        for row in OpenedDay.objects.filter(
            day__gte=filters.since, day__lte=filters.until, team_id__in=sorted(filters.team_ids)
        ).values("day", "team_id", "channel", "triage_class", "category_id", "priority", "tickets")
    ]
    missing = _uncounted(filters)
    if missing:
        live = _opened(_tickets(filters).filter(_in_days("created_at", missing)))
        stored += [row for row in live if row["day"] in set(missing)]
    return stored


def _all_days(filters: Filters) -> list[dt.date]:
    return [filters.since, filters.until]


def durations(filters: Filters, measure: str) -> dict[Key, Tally]:
    """The measure's tallies per (day, team, priority) in the range."""
    field = "first_response_at" if measure == Measure.FIRST_RESPONSE else "resolved_at"
    if filters.agent_id is not None:
        return _live_durations(_tickets(filters), measure, field, _all_days(filters))
    found: dict[Key, Tally] = defaultdict(Tally)
    for row in DurationDay.objects.filter(
        measure=measure,
        day__gte=filters.since,
        day__lte=filters.until,
        team_id__in=sorted(filters.team_ids),
    ).values("day", "team_id", "priority", "histogram", *COUNTS):
        tally = found[(row["day"], row["team_id"], row["priority"])]
        for name in COUNTS:
            setattr(tally, name, getattr(tally, name) + row[name])
        tally.histogram.merge(row["histogram"])
    missing = _uncounted(filters)
    if missing:
        live = _live_durations(_tickets(filters), measure, field, missing)
        for key, tally in live.items():
            if key[0] in set(missing):
                found[key].add(tally)
    return found


def _live_durations(
    qs: QuerySet[Ticket], measure: str, field: str, days: list[dt.date]
) -> dict[Key, Tally]:
    qs = qs.filter(_in_days(field, days))
    calendars = Calendars()
    if measure == Measure.FIRST_RESPONSE:
        return tally_first_responses(qs.values_list(*FIRST_FIELDS), calendars)
    return tally_resolutions(qs.values_list(*RESOLVED_FIELDS), calendars)


@dataclasses.dataclass(frozen=True)
class EventCount:
    day: dt.date
    team_id: int
    actor_id: int
    kind: str
    level: int
    automatic: bool
    events: int
    outside_hours: int


def events(filters: Filters, kinds: Iterable[str]) -> list[EventCount]:
    """Events of ``kinds`` in the range: the rollup, plus the events past its
    watermark live. With ``filters.agent_id``, only that agent's own events."""
    kinds = sorted(set(kinds))
    mark = Watermark.objects.filter(name=EVENTS_MARK).values_list("last_id", flat=True).first()
    stored = EventDay.objects.filter(
        kind__in=kinds,
        day__gte=filters.since,
        day__lte=filters.until,
        team_id__in=sorted(filters.team_ids),
    )
    if filters.agent_id is not None:
        stored = stored.filter(actor_id=filters.agent_id)
    found = [
        EventCount(**row)
        for row in stored.values(
            "day", "team_id", "actor_id", "kind", "level", "automatic", "events", "outside_hours"
        )
    ]
    low, high = _span(filters.since, filters.until)
    live = TimelineEvent.objects.filter(
        pk__gt=mark or 0,
        kind__in=kinds,
        created_at__gte=low,
        created_at__lt=high,
        ticket__team_id__in=sorted(filters.team_ids),
    )
    if filters.agent_id is not None:
        live = live.filter(actor_id=filters.agent_id)
    tallies, _ = tally_events(live.order_by("pk").values_list(*EVENT_FIELDS), Calendars())
    for (day, team_id, actor_id, kind, level, automatic), (count, outside) in tallies.items():
        found.append(EventCount(day, team_id, actor_id, kind, level, automatic, count, outside))
    return found


def triage(filters: Filters) -> dict[str, TriageCount]:
    """Triage's proposals per field for the tickets opened in the range:
    counted days from the rollup, the rest (and one agent's tickets) live."""
    found: dict[str, TriageCount] = defaultdict(TriageCount)
    if filters.agent_id is not None:
        live = tally_triage(_tickets(filters).filter(_in_days("created_at", _all_days(filters))))
        for (_day, _team, name), count in live.items():
            found[name].add(count)
        return found
    stored = (
        TriageDay.objects.filter(
            day__gte=filters.since, day__lte=filters.until, team_id__in=sorted(filters.team_ids)
        )
        .values("field")
        .annotate(**{part: Sum(part) for part in TRIAGE_PARTS})
        .order_by()
    )
    for row in cast(Iterable[dict[str, Any]], stored):
        found[row["field"]].add(TriageCount(**{part: row[part] or 0 for part in TRIAGE_PARTS}))
    missing = _uncounted(filters)
    if missing:
        wanted = set(missing)
        live = tally_triage(_tickets(filters).filter(_in_days("created_at", missing)))
        for (day, _team, name), count in live.items():
            if day in wanted:
                found[name].add(count)
    return found
