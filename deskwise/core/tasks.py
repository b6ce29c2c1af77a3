"""Housekeeping jobs that keep the background machinery healthy."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from deskwise.core import clock
from deskwise.core.models import Heartbeat, ScheduledRun
from deskwise.core.schedule import periodic
from deskwise.core.worker import reap_abandoned


@periodic(every=dt.timedelta(minutes=1))
@task()
def reap_abandoned_tasks() -> int:
    return reap_abandoned(
        stale_after=dt.timedelta(seconds=settings.DESKWISE_HEARTBEAT_STALE_SECONDS)
    )


@periodic(every=dt.timedelta(hours=1))
@task()
def prune_old_records() -> dict[str, int]:
    """Delete finished task results, old schedule slots and dead heartbeats.

    Failed tasks are kept four times longer than successful ones: they are
    what an admin comes looking for.
    """
    now = clock.now()
    keep = dt.timedelta(days=settings.DESKWISE_TASK_RESULT_DAYS)
    ok, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.SUCCESSFUL, finished_at__lt=now - keep
    ).delete()
    failed, _ = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__lt=now - 4 * keep
    ).delete()
    runs, _ = ScheduledRun.objects.filter(enqueued_at__lt=now - dt.timedelta(days=7)).delete()
    beats, _ = Heartbeat.objects.filter(last_seen__lt=now - dt.timedelta(days=1)).delete()
    return {"successful": ok, "failed": failed, "scheduled_runs": runs, "heartbeats": beats}
