"""What every report is made of, so that one page, one CSV export, one JSON
endpoint and one chart serve them all.

A report is built from ``Filters`` (a date range and the teams asked for,
already narrowed to what the user may see) into a ``Report``: a title, the
definition shown next to it (what is counted, how, and what it leaves out),
a table (columns and rows) and, where a picture helps, a ``Chart`` drawn from
the same numbers. Reports register themselves in ``REGISTRY`` with who may see
them; the pages, the CSV export and ``/api/v1/reports/<slug>`` read only the
registry.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Literal

# Who may see a report: every agent (their own figures, or the desk's where the
# report is about the desk as a whole), supervisors (their teams) or admins.
Audience = Literal["agent", "supervisor", "admin"]
ChartKind = Literal["line", "bar", "stacked_bar", "horizontal_bar"]
Value = int | float | str | None


@dataclasses.dataclass(frozen=True)
class Filters:
    """The range is of calendar days in the desk's time zone, both included.
    ``team_ids`` is the set of teams the report covers: never None once the
    permissions are applied (an admin asking for every team gets every id)."""

    since: dt.date
    until: dt.date
    team_ids: frozenset[int]
    # The agent a personal report is about (an agent's dashboard, "my time").
    agent_id: int | None = None
    # No team was chosen: ``team_ids`` are every team the user may see. A
    # report of one agent's own work then counts it wherever the ticket is now.
    every_team: bool = False

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    label: str
    # "count", "percent" (0..1), "hours", "minutes", "text", "date"
    unit: str = "count"


@dataclasses.dataclass(frozen=True)
class Chart:
    kind: ChartKind
    title: str
    x_labels: Sequence[str]
    # Each series: its name and one value per x label (None where there is none).
    series: Sequence[tuple[str, Sequence[float | None]]]
    unit: str = "count"


@dataclasses.dataclass(frozen=True)
class Report:
    slug: str
    title: str
    definition: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Value]]
    chart: Chart | None = None
    # Headline figures shown above the table: (label, value, unit).
    figures: Sequence[tuple[str, Value, str]] = ()
    notes: Sequence[str] = ()


@dataclasses.dataclass(frozen=True)
class Spec:
    slug: str
    title: str
    audience: Audience
    build: Callable[[Filters], Report]
    # The group it is listed under on the reports page.
    group: str = "Desk"


REGISTRY: dict[str, Spec] = {}


def report(
    slug: str, title: str, *, audience: Audience = "supervisor", group: str = "Desk"
) -> Callable[[Callable[[Filters], Report]], Callable[[Filters], Report]]:
    """Register a report builder: ``@report("volume", "Volume", audience=...)``."""

    def register(build: Callable[[Filters], Report]) -> Callable[[Filters], Report]:
        REGISTRY[slug] = Spec(slug=slug, title=title, audience=audience, build=build, group=group)
        return build

    return register
