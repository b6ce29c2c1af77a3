"""The background worker: django-tasks-db's worker plus what a desk needs.

Added here: a heartbeat (so /healthz and the reaper know the worker is
alive), retries with exponential backoff, and a registry of per-task retry
policies. Tasks are idempotent, so running one again is always safe.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import random
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.tasks import Task, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult

from deskwise.core import clock
from deskwise.core.models import Heartbeat
from deskwise.core.schedule import HeartbeatThread

logger = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """Raised by a task when trying again cannot help (the ticket is gone...)."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_delay: float = 10.0
    max_delay: float = 3600.0

    def delay(self, attempt: int) -> dt.timedelta:
        """Exponential backoff with full jitter after the ``attempt``-th failure."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** max(0, attempt - 1))
        return dt.timedelta(seconds=ceiling / 2 + random.uniform(0, ceiling / 2))  # noqa: S311


_policies: dict[str, RetryPolicy] = {}
_NEVER_RETRY = {
    f"{PermanentFailure.__module__}.{PermanentFailure.__qualname__}",
    "django.core.exceptions.SuspiciousOperation",
    "builtins.ImportError",
    "builtins.ModuleNotFoundError",
    "builtins.KeyboardInterrupt",
    "builtins.SystemExit",
}


def retrying(
    *, max_attempts: int, base_delay: float = 10.0, max_delay: float = 3600.0
) -> Callable[[Task], Task]:
    """Give a task its own retry policy. Apply above ``@task``."""

    def register(task: Task) -> Task:
        _policies[task.module_path] = RetryPolicy(max_attempts, base_delay, max_delay)
        return task

    return register


def policy_for(task_path: str) -> RetryPolicy:
    return _policies.get(task_path) or RetryPolicy(settings.DESKWISE_TASK_MAX_ATTEMPTS)


def schedule_retry(result: DBTaskResult) -> bool:
    """Put a failed task back in the queue if its policy allows another attempt."""
    attempts = len(result.worker_ids)
    policy = policy_for(result.task_path)
    if attempts >= policy.max_attempts or result.exception_class_path in _NEVER_RETRY:
        return False
    run_after = clock.now() + policy.delay(attempts)
    updated = DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.FAILED).update(
        status=TaskResultStatus.READY, run_after=run_after, finished_at=None
    )
    if updated:
        logger.warning(
            "task %s (%s) failed on attempt %d of %d; retrying after %s",
            result.id,
            result.task_path,
            attempts,
            policy.max_attempts,
            run_after.isoformat(),
        )
    return bool(updated)


class Worker(DBWorker):
    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            schedule_retry(db_task_result)


def run_ready_tasks(*, worker_id: str, limit: int = 1000, task_path: str | None = None) -> int:
    """Run every task that is ready now, in this thread and connection, then return.

    The worker loop recycles database connections between tasks; this does
    not, so it can run inside a surrounding transaction (tests, one-off runs).
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    ready = DBTaskResult.objects.ready()
    if task_path is not None:
        ready = ready.filter(task_path=task_path)
    while ran < limit:
        result = ready.first()
        if result is None:
            break
        result.claim(worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def default_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{random.randrange(16**4):04x}"  # noqa: S311


def run_worker(
    *,
    worker_id: str,
    queues: list[str],
    interval: float = 1.0,
    batch: bool = False,
    max_tasks: int | None = None,
    heartbeat: bool = True,
) -> None:
    beat = HeartbeatThread(kind=Heartbeat.Kind.WORKER, name=worker_id) if heartbeat else None
    if beat:
        beat.start()
    worker = Worker(
        queue_names=queues,
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=not batch,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    try:
        if not batch:
            worker.configure_signals()
        worker.run()
    finally:
        if beat:
            beat.stop()


def reap_abandoned(*, stale_after: dt.timedelta) -> int:
    """Re-queue tasks left RUNNING by a worker that has stopped beating."""
    now = clock.now()
    live = set(
        Heartbeat.objects.filter(
            kind=Heartbeat.Kind.WORKER, last_seen__gte=now - stale_after
        ).values_list("name", flat=True)
    )
    reaped = 0
    candidates = DBTaskResult.objects.running().filter(started_at__lt=now - stale_after)
    for result in candidates.only("id", "worker_ids", "task_path")[:500]:
        if result.worker_ids and result.worker_ids[-1] in live:
            continue
        policy = policy_for(result.task_path)
        with transaction.atomic():
            if len(result.worker_ids) < policy.max_attempts:
                changed = DBTaskResult.objects.filter(
                    id=result.id, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.READY, run_after=now)
            else:
                changed = DBTaskResult.objects.filter(
                    id=result.id, status=TaskResultStatus.RUNNING
                ).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path="deskwise.core.worker.WorkerLost",
                    traceback=f"The worker {result.worker_ids[-1:]} stopped while running this "
                    f"task, {len(result.worker_ids)} attempts in all.",
                )
        reaped += changed
    return reaped
