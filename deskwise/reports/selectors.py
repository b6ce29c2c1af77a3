"""Which reports a user may see, over which teams, and running them.

The one place the reports' permissions live; the pages, the CSV export, the
dashboard, the weekly mail and the API all come through here:

- agents see the reports of audience ``agent``, about themselves (``mine``:
  ``agent_id`` set) or about their teams;
- supervisors also those of audience ``supervisor``, about their teams;
- admins every report, about every team.

A report a user may not see is not found, like one that does not exist, and
so is a team they may not see. Dates are whole days in the desk's time zone;
the last 30 days by default, never more than ``MAX_DAYS``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When

from deskwise.accounts.models import Team, User
from deskwise.core import clock
from deskwise.core.errors import InvalidInput, NotFound
from deskwise.reports import base
from deskwise.reports.base import Filters, Report, Spec
from deskwise.tickets import selectors as tickets_selectors
from deskwise.tickets.choices import ACTIVE_STATES, SlaState
from deskwise.tickets.models import Ticket
from deskwise.tickets.permissions import team_ids

DEFAULT_DAYS = 30
MAX_DAYS = 366
EARLIEST = dt.date(2000, 1, 1)

DateInput = dt.date | str | None


def today() -> dt.date:
    """Today in the desk's time zone."""
    return clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def default_range() -> tuple[dt.date, dt.date]:
    last = today()
    return last - dt.timedelta(days=DEFAULT_DAYS - 1), last


def week_range(day: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Monday of ``day``'s week (today's by default) to ``day``."""
    day = day or today()
    return day - dt.timedelta(days=day.weekday()), day


def _date(value: DateInput, *, name: str, label: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        parsed = dt.date.fromisoformat(value.strip())
    except ValueError:
        message = f"{label} is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31."
        raise InvalidInput(message, fields={name: [message]}) from None
    return parsed


def _may_see_audience(user: User, audience: str) -> bool:
    if not user.is_agent:
        return False
    if audience == "agent":
        return True
    if audience == "supervisor":
        return user.is_supervisor
    return user.is_desk_admin


def _require_agent(user: User) -> None:
    if not getattr(user, "is_agent", False):
        raise NotFound("There are no reports here.")


def visible_specs(user: User) -> list[Spec]:
    """The reports ``user`` may see, by group then title."""
    if not getattr(user, "is_agent", False):
        return []
    specs = [s for s in base.REGISTRY.values() if _may_see_audience(user, s.audience)]
    return sorted(specs, key=lambda s: (s.group.lower(), s.title.lower()))


def grouped_specs(user: User) -> list[tuple[str, list[Spec]]]:
    groups: dict[str, list[Spec]] = defaultdict(list)
    for spec in visible_specs(user):
        groups[spec.group].append(spec)
    return list(groups.items())


def may_see(user: User, slug: str) -> bool:
    spec = base.REGISTRY.get(slug)
    return spec is not None and _may_see_audience(user, spec.audience)


def spec_get(user: User, slug: str) -> Spec:
    spec = base.REGISTRY.get(slug)
    if spec is None or not _may_see_audience(user, spec.audience):
        raise NotFound(f"There is no report “{slug[:60]}”, or you may not see it.")
    return spec


def report_teams(user: User) -> list[Team]:
    """The teams whose reports ``user`` may see, for the team filter."""
    _require_agent(user)
    if user.is_desk_admin:
        return list(Team.objects.order_by("name"))
    return list(Team.objects.filter(pk__in=sorted(team_ids(user))).order_by("name"))


def allowed_team_ids(user: User) -> frozenset[int]:
    if user.is_desk_admin:
        return frozenset(Team.objects.values_list("pk", flat=True))
    return team_ids(user)


def filters_for(
    user: User,
    *,
    since: DateInput,
    until: DateInput,
    team_id: int | None = None,
    mine: bool = False,
) -> Filters:
    """The filters of a report for ``user``: the range asked for (the last 30
    days by default) and the teams asked for, narrowed to those they may see."""
    _require_agent(user)
    first = _date(since, name="since", label="The first day")
    last = _date(until, name="until", label="The last day")
    if first is None and last is None:
        first, last = default_range()
    elif first is None:
        assert last is not None
        first = last - dt.timedelta(days=DEFAULT_DAYS - 1)
    elif last is None:
        last = min(today(), first + dt.timedelta(days=DEFAULT_DAYS - 1))
        last = max(last, first)
    if first > last:
        message = f"The first day ({first:%Y-%m-%d}) is after the last ({last:%Y-%m-%d})."
        raise InvalidInput(message, fields={"since": [message]})
    if first < EARLIEST:
        message = f"Reports start on {EARLIEST:%Y-%m-%d}."
        raise InvalidInput(message, fields={"since": [message]})
    days = (last - first).days + 1
    if days > MAX_DAYS:
        message = f"A report covers at most {MAX_DAYS} days; this range has {days}."
        raise InvalidInput(message, fields={"until": [message]})
    allowed = allowed_team_ids(user)
    if team_id is not None:
        if team_id not in allowed:
            raise NotFound("There is no such team, or you may not see its reports.")
        teams = frozenset({team_id})
    else:
        teams = allowed
    return Filters(
        since=first,
        until=last,
        team_ids=teams,
        agent_id=user.pk if mine else None,
        every_team=team_id is None,
    )


def run(user: User, slug: str, filters: Filters) -> Report:
    """Build the report ``slug`` for ``user``: not found if they may not see it."""
    _require_agent(user)
    spec = spec_get(user, slug)
    allowed = allowed_team_ids(user) if not user.is_desk_admin else None
    if allowed is not None and not filters.team_ids <= allowed:
        raise NotFound("There is no such team, or you may not see its reports.")
    if filters.agent_id is not None and filters.agent_id != user.pk and not user.is_supervisor:
        raise NotFound("You may see only your own figures.")
    return spec.build(filters)


# --- the dashboard's own panels ---------------------------------------------------------

SLA_RISKS = 8
RISK_ROW = (
    "subject", "status", "priority", "due_at", "first_response_at", "sla_state", "sla_paused_at",
    "team_id",
)  # fmt: skip


def sla_risks(user: User, *, limit: int = SLA_RISKS) -> list[Ticket]:
    """My active tickets nearest their next due time: missed targets first,
    then those close to their target, then by due time; a stopped clock last."""
    _require_agent(user)
    risk = Case(
        When(sla_state=SlaState.BREACHED, then=Value(0)),
        # A stopped clock (waiting on the requester) is no risk for now.
        When(sla_paused_at__isnull=False, then=Value(3)),
        When(sla_state=SlaState.WARNING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return list(
        Ticket.objects.filter(owner_id=user.pk, status__in=sorted(ACTIVE_STATES))
        .only(*RISK_ROW)
        .annotate(risk=risk)
        .order_by("risk", "due_at", "id")[:limit]
    )


def queue_counts(user: User) -> dict[str, int]:
    _require_agent(user)
    return tickets_selectors.queue_counts(user=user)
