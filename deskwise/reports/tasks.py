"""Keeping the report rollups current: past days counted (and the last
``rollups.RECOUNT_DAYS`` recounted) every hour, timeline events counted from
their watermark every five minutes. Both are idempotent: a run that did not
happen is caught up by the next one."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from deskwise.core.schedule import periodic
from deskwise.reports import (
    rollups,
    weekly,  # noqa: F401 (its weekly summary task is scheduled from here)
)


@periodic(every=dt.timedelta(hours=1))
@task()
def count_ticket_days() -> int:
    """Write the ticket rollups of the past days not counted or not settled yet."""
    return rollups.count_pending_days()


@periodic(every=dt.timedelta(minutes=5))
@task()
def count_events() -> int:
    """Add the timeline events written since the last run to the rollup."""
    return rollups.count_events()
