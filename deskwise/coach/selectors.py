"""The coach's measurement: notes per reply, week by week, with permissions applied.

An agent sees their own figures (nobody else's); a supervisor also sees the
teams they work in, as teams, not agent by agent; an admin sees every team.
Requesters see none of it. The figures are aggregated by the database: one
query for the agent's weeks, one for the teams', whatever the number of
replies (and one for the names of the teams), and the rows are bounded by
the weeks asked for (at most ``MAX_WEEKS``) times the teams shown (at most
``MAX_TEAMS``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from deskwise.accounts.models import Team, User
from deskwise.coach.checks import CHECKS
from deskwise.coach.models import CoachRecord
from deskwise.core import clock
from deskwise.core.errors import NotFound
from deskwise.tickets.permissions import team_ids

DEFAULT_WEEKS = 12
MAX_WEEKS = 52
MAX_TEAMS = 50


@dataclasses.dataclass(frozen=True)
class Week:
    """The replies sent in one week (from Monday), and what the coach found."""

    start: dt.date
    replies: int
    notes: int
    clean: int  # replies without any note
    by_check: dict[str, int]  # replies with a note of each check

    @property
    def notes_per_reply(self) -> float | None:
        return round(self.notes / self.replies, 2) if self.replies else None

    @property
    def clean_share(self) -> float | None:
        return round(self.clean / self.replies, 3) if self.replies else None


@dataclasses.dataclass(frozen=True)
class Series:
    """One agent's or one team's weeks, oldest first, and their sum."""

    key: int | None
    name: str
    weeks: list[Week]
    total: Week

    @property
    def top_checks(self) -> list[tuple[str, str, int]]:
        """(code, label, replies) of the checks that found most, most first."""
        ranked = sorted(self.total.by_check.items(), key=lambda item: (-item[1], item[0]))
        return [(code, CHECKS[code], count) for code, count in ranked if count]


@dataclasses.dataclass(frozen=True)
class Measurement:
    since: dt.date  # the Monday of the first week
    until: dt.date  # the last day, today
    mine: Series
    teams: list[Series]
    sees_teams: bool


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _today() -> dt.date:
    return clock.now().astimezone(_zone()).date()


def _require_agent(user: User) -> None:
    if not getattr(user, "is_agent", False):
        raise NotFound("There is nothing here for you.")


def sees_teams(user: User) -> bool:
    return user.is_supervisor


def visible_records(user: User) -> QuerySet[CoachRecord]:
    """The records whose figures ``user`` may see: their own replies, and for a
    supervisor their teams' (an admin's: every team's)."""
    _require_agent(user)
    if user.is_desk_admin:
        return CoachRecord.objects.all()
    mine = Q(agent_id=user.pk)
    if sees_teams(user):
        return CoachRecord.objects.filter(mine | Q(team_id__in=sorted(team_ids(user))))
    return CoachRecord.objects.filter(mine)


def _aggregates() -> dict[str, Count | Sum]:
    aggregates: dict[str, Count | Sum] = {
        "n_replies": Count("pk"),
        "n_notes": Sum("notes_count"),
        "n_clean": Count("pk", filter=Q(notes_count=0)),
    }
    for code in CHECKS:
        # The codes are a JSON list of distinct words: '"jargon"' is in its text
        # exactly when the list holds "jargon", on SQLite and PostgreSQL alike.
        aggregates[f"c_{code}"] = Count("pk", filter=Q(codes__icontains=f'"{code}"'))
    return aggregates


def _number(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _week(start: dt.date, row: Mapping[str, object]) -> Week:
    return Week(
        start=start,
        replies=_number(row["n_replies"]),
        notes=_number(row["n_notes"]),
        clean=_number(row["n_clean"]),
        by_check={code: _number(row[f"c_{code}"]) for code in CHECKS},
    )


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.astimezone(_zone()).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _series(
    key: int | None, name: str, rows: Sequence[Mapping[str, object]], first: dt.date, count: int
) -> Series:
    found = {}
    for row in rows:
        start = _as_date(row["week"])
        if start is not None:
            found[start] = _week(start, row)
    weeks = []
    for index in range(count):
        start = first + dt.timedelta(weeks=index)
        weeks.append(found.get(start) or Week(start, 0, 0, 0, dict.fromkeys(CHECKS, 0)))
    total = Week(
        start=first,
        replies=sum(w.replies for w in weeks),
        notes=sum(w.notes for w in weeks),
        clean=sum(w.clean for w in weeks),
        by_check={code: sum(w.by_check[code] for w in weeks) for code in CHECKS},
    )
    return Series(key=key, name=name, weeks=weeks, total=total)


def measurement(*, user: User, weeks: int = DEFAULT_WEEKS) -> Measurement:
    """Notes per reply for the last ``weeks`` weeks (this one included): the
    user's own replies, and for a supervisor each of their teams."""
    weeks = min(max(int(weeks), 1), MAX_WEEKS)
    records = visible_records(user)
    today = _today()
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    since = dt.datetime.combine(first, dt.time(), tzinfo=_zone())
    in_range = records.filter(created_at__gte=since).annotate(
        week=TruncWeek("created_at", tzinfo=_zone())
    )
    aggregates = _aggregates()
    mine_rows = list(
        in_range.filter(agent_id=user.pk)
        .order_by()
        .values("week")
        .annotate(**aggregates)
        .order_by("week")
    )
    mine = _series(user.pk, user.display_name, mine_rows, first, weeks)
    teams: list[Series] = []
    if sees_teams(user):
        shown = Team.objects.order_by("name", "pk")
        if not user.is_desk_admin:
            shown = shown.filter(pk__in=sorted(team_ids(user)))
        names = dict(shown.values_list("pk", "name")[:MAX_TEAMS])
        rows = list(
            in_range.filter(team_id__in=sorted(names))
            .order_by()
            .values("team_id", "week")
            .annotate(**aggregates)
            .order_by("team_id", "week")
        )
        by_team: dict[int, list[Mapping[str, object]]] = {}
        for row in rows:
            by_team.setdefault(_number(row["team_id"]), []).append(row)
        teams = [
            _series(team_id, name, by_team.get(team_id, []), first, weeks)
            for team_id, name in names.items()
        ]
    return Measurement(
        since=first, until=today, mine=mine, teams=teams, sees_teams=sees_teams(user)
    )
