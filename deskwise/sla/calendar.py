"""Business time for service levels: a team's weekly hours in its time zone,
minus public holidays (the ``holidays`` package) and the desk's own dates."""

from __future__ import annotations

import datetime as dt
import logging
import time as monotonic_clock
from collections.abc import Iterable, Mapping

import holidays
from django.conf import settings

from deskwise.accounts.models import Team
from deskwise.core import clock
from deskwise.core.memo import timed_memo
from deskwise.queueing.calendars import HoursError, parse_json, parse_text, zone
from deskwise.queueing.model import WorkingCalendar

logger = logging.getLogger(__name__)

ALWAYS = WorkingCalendar.always()
YEARS_AROUND = (-1, 3)  # public holidays of last year to three years ahead


def public_holidays(code: str, years: Iterable[int]) -> set[dt.date]:
    """The public holidays of ``code`` ("FI", "DE-BY": country, optionally a
    region). An unknown code has none (``holiday_code_error`` says why)."""
    if not code:
        return set()
    country, _, region = code.strip().upper().partition("-")
    try:
        days = holidays.country_holidays(country, subdiv=region or None, years=list(years))
    except NotImplementedError:
        logger.warning("Unknown holiday country %r: no public holidays", code)
        return set()
    return set(days.keys())


def holiday_code_error(code: str) -> str | None:
    """Why a holiday code is not understood, or None when it is."""
    if not code.strip():
        return None
    country, _, region = code.strip().upper().partition("-")
    try:
        holidays.country_holidays(country, subdiv=region or None, years=[2026])
    except NotImplementedError as exc:
        return f"Unknown country or region {code!r}: {exc}"
    return None


@timed_memo(60)
def _own_holidays() -> dict[int | None, frozenset[dt.date]]:
    """The desk's own holidays: team id (None for the whole desk) -> dates."""
    from deskwise.sla.models import Holiday

    found: dict[int | None, set[dt.date]] = {}
    for team_id, day in Holiday.objects.values_list("team_id", "date"):
        found.setdefault(team_id, set()).add(day)
    return {team: frozenset(days) for team, days in found.items()}


_public: dict[tuple[str, int], frozenset[dt.date]] = {}


def _public_around(code: str) -> frozenset[dt.date]:
    year = clock.now().year
    key = (code, year)
    if key not in _public:
        low, high = YEARS_AROUND
        _public[key] = frozenset(public_holidays(code, range(year + low, year + high + 1)))
    return _public[key]


def holidays_for(team: Team) -> frozenset[dt.date]:
    own = _own_holidays()
    code = team.holiday_country or settings.DESKWISE_HOLIDAYS
    return _public_around(code) | own.get(None, frozenset()) | own.get(team.pk, frozenset())


def _hours(team: Team) -> Mapping[int, list[tuple[dt.time, dt.time]]]:
    try:
        if team.working_hours:
            hours = team.working_hours
            return parse_json(hours) if isinstance(hours, Mapping) else parse_text(str(hours))
        return parse_text(settings.DESKWISE_WORKING_HOURS)
    except (HoursError, ValueError, TypeError):
        return parse_text("mon-fri 09:00-17:00")


def business_calendar(team: Team) -> WorkingCalendar:
    """The team's business hours, in its time zone, without its holidays.
    A calendar without any working time would never reach a target: such a
    team counts around the clock instead."""
    calendar = WorkingCalendar(_hours(team), zone(team.time_zone), holidays_for(team))
    return calendar if calendar.works else ALWAYS


_by_team: dict[int, tuple[float, WorkingCalendar]] = {}
TEAM_SECONDS = 60


def team_calendar(team_id: int) -> WorkingCalendar:
    """``business_calendar`` of a team by id, kept a minute in this process."""
    cached = _by_team.get(team_id)
    now = monotonic_clock.monotonic()
    if cached is not None and cached[0] > now:
        return cached[1]
    team = Team.objects.only("working_hours", "time_zone", "holiday_country").get(pk=team_id)
    calendar = business_calendar(team)
    _by_team[team_id] = (now + TEAM_SECONDS, calendar)
    return calendar


def forget() -> None:
    _own_holidays.forget()
    _public.clear()
    _by_team.clear()
