"""Keeping the wait estimates current as the queue moves."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from deskwise.accounts.models import Team
from deskwise.core.schedule import periodic


@periodic(every=dt.timedelta(minutes=5))
@task()
def refresh_wait_estimates() -> dict[str, int]:
    """Recompute the expected start of every waiting ticket, team by team."""
    from deskwise.queueing.estimate import refresh_team

    return {team.name: refresh_team(team) for team in Team.objects.all()}
