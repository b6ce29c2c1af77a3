"""The small crafted desk the report tests share: a week of days, a moment
on one of them, filters over the desk's team, and reading a report's rows."""

from __future__ import annotations

import datetime as dt

from deskwise.core import clock
from deskwise.reports.base import REGISTRY, Filters

WEDNESDAY = dt.date(2026, 12, 2)  # business hours: mon-fri 09:00-17:00 UTC
THURSDAY, FRIDAY = WEDNESDAY + dt.timedelta(days=1), WEDNESDAY + dt.timedelta(days=2)
H = dt.timedelta(hours=1)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def filters(desk, **kwargs) -> Filters:
    values = {"since": WEDNESDAY, "until": FRIDAY, "team_ids": frozenset({desk.team.pk})}
    return Filters(**{**values, **kwargs})


def build(slug: str, f: Filters):
    """The report as it reads on Friday at noon."""
    with clock.frozen_at(at(FRIDAY, 12)):
        return REGISTRY[slug].build(f)


def row(report, *key: str) -> list:
    """The first row that starts with ``key``."""
    return next(r for r in report.rows if tuple(r[: len(key)]) == key)


def figure(report, label: str):
    return next(value for name, value, _unit in report.figures if name == label)
