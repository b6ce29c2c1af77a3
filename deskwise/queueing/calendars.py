"""When the desk, its teams and its agents work, read from their settings.

Hours are written as a weekly JSON object (``{"mon": [["09:00", "17:00"]],
...}``) on an agent or a team, or as a short text in DESKWISE_WORKING_HOURS
(``"mon-fri 09:00-17:00; sat 10:00-14:00"``). An agent without hours works the
team's; a team without hours works the desk's.
"""

from __future__ import annotations

import datetime as dt
import re
import time as monotonic_clock
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from deskwise.accounts.choices import STAFF_ROLES
from deskwise.accounts.models import Team, User
from deskwise.queueing.model import Staffing, WorkingCalendar

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_RANGE = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<shifts>\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}(?:\s*,\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2})*)\s*$"
)
STAFFING_SECONDS = 60


class HoursError(ValueError):
    pass


def _time(text: str) -> dt.time:
    hours, minutes = (int(part) for part in text.strip().split(":"))
    if hours == 24 and minutes == 0:
        return dt.time(0, 0)
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise HoursError(f"{text!r} is not a time of day")
    return dt.time(hours, minutes)


def parse_text(spec: str) -> dict[int, list[tuple[dt.time, dt.time]]]:
    """``"mon-fri 09:00-17:00; sat 10:00-14:00"`` as weekday -> shifts."""
    hours: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for part in filter(None, (p.strip().lower() for p in spec.split(";"))):
        found = _RANGE.match(part)
        if not found or found["first"] not in DAYS or (found["last"] or "mon") not in DAYS:
            raise HoursError(f"{part!r} is not like 'mon-fri 09:00-17:00'")
        first = DAYS.index(found["first"])
        last = DAYS.index(found["last"]) if found["last"] else first
        days = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
        shifts = [tuple(_time(t) for t in s.split("-")) for s in found["shifts"].split(",")]
        for day in days:
            hours.setdefault(day, []).extend((a, b) for a, b in shifts)
    return hours


def parse_json(value: Mapping[str, Any]) -> dict[int, list[tuple[dt.time, dt.time]]]:
    hours: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for day, shifts in value.items():
        if day.lower()[:3] not in DAYS:
            raise HoursError(f"{day!r} is not a weekday")
        for shift in shifts or []:
            start, end = shift
            hours.setdefault(DAYS.index(day.lower()[:3]), []).append((_time(start), _time(end)))
    return hours


def zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _calendar(hours: Any, tz_name: str, fallback: WorkingCalendar) -> WorkingCalendar:
    if not hours:
        return fallback if not tz_name else _with_zone(fallback, tz_name)
    try:
        parsed = parse_json(hours) if isinstance(hours, Mapping) else parse_text(str(hours))
    except (HoursError, ValueError, TypeError):
        return fallback  # bad hours never stop the desk; the admin form says what is wrong
    return WorkingCalendar(parsed, zone(tz_name))


def _with_zone(calendar: WorkingCalendar, tz_name: str) -> WorkingCalendar:
    return WorkingCalendar(parse_text(settings.DESKWISE_WORKING_HOURS), zone(tz_name))


def desk_calendar() -> WorkingCalendar:
    try:
        return WorkingCalendar(parse_text(settings.DESKWISE_WORKING_HOURS), zone(""))
    except HoursError:
        return WorkingCalendar(parse_text("mon-fri 09:00-17:00"), zone(""))


def team_calendar(team: Team) -> WorkingCalendar:
    return _calendar(team.working_hours, team.time_zone, desk_calendar())


def agent_calendar(agent: User, team: Team | None = None) -> WorkingCalendar:
    fallback = team_calendar(team) if team is not None else desk_calendar()
    return _calendar(agent.working_hours, agent.time_zone, fallback)


_staffing: dict[int, tuple[float, Staffing, WorkingCalendar]] = {}


def team_staffing(team: Team) -> tuple[Staffing, WorkingCalendar]:
    """The team's agents' calendars, and the team's own (kept a minute)."""
    cached = _staffing.get(team.pk)
    if cached is not None and cached[0] > monotonic_clock.monotonic():
        return cached[1], cached[2]
    agents = User.objects.filter(
        memberships__team=team, is_active=True, role__in=sorted(STAFF_ROLES)
    ).only("pk", "working_hours", "time_zone")
    calendar = team_calendar(team)
    calendars = [agent_calendar(agent, team) for agent in agents]
    staffing = Staffing(calendars) if calendars else Staffing.uniform(calendar, 1)
    _staffing[team.pk] = (monotonic_clock.monotonic() + STAFFING_SECONDS, staffing, calendar)
    return staffing, calendar


def forget() -> None:
    _staffing.clear()
