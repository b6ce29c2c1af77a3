"""Who may see and change time on tickets: the one policy. Time is internal:
agents who may see a ticket see its time; an entry is removed by the agent who
logged it, or by a supervisor. Also the desk's calendar day."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from django.conf import settings

from deskwise.core import clock
from deskwise.core.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deskwise.accounts.models import User
    from deskwise.timelog.models import TimeEntry


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(zone()).date()


def desk_today() -> dt.date:
    """Today in the desk's time zone."""
    return local_day(clock.now())


def require_agent(user: User | AnonymousUser | None) -> User:
    """The agent asking; to anyone else time on tickets does not exist."""
    if user is None or not user.is_authenticated or not getattr(user, "is_agent", False):
        raise NotFound("There is no such page.")
    return cast("User", user)


def may_remove(user: User, entry: TimeEntry) -> bool:
    return entry.agent_id == user.pk or user.is_supervisor
