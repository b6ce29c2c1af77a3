"""Periodic jobs: one registry, fired once per period by any number of schedulers.

A job is a ``django.tasks`` task registered with ``@periodic``. The scheduler
does no work itself: for each job whose period has begun it records the slot
and enqueues the task in one transaction, so a slot is enqueued exactly once
even when several schedulers race, and workers do the work.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, close_old_connections, transaction
from django.tasks import Task
from django.utils.module_loading import autodiscover_modules

from deskwise.core import clock
from deskwise.core.models import Heartbeat, ScheduledRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Task

    def slot(self, moment: dt.datetime) -> int:
        return int(moment.timestamp() // self.every.total_seconds())


_registry: dict[str, PeriodicJob] = {}


def periodic(*, every: dt.timedelta, name: str | None = None) -> Callable[[Task], Task]:
    """Register a task to run once per ``every``. Apply above ``@task``."""
    if every.total_seconds() < 1:
        raise ValueError("a periodic job needs a period of at least one second")

    def register(task: Task) -> Task:
        job_name = name or task.module_path
        _registry[job_name] = PeriodicJob(name=job_name, every=every, task=task)
        return task

    return register


def jobs() -> list[PeriodicJob]:
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda job: job.name)


def fire_due_jobs(*, moment: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose current slot has not been enqueued yet."""
    moment = moment or clock.now()
    fired = []
    for job in jobs():
        slot = job.slot(moment)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot, enqueued_at=moment)
                result = job.task.enqueue()
                run.task_result_id = str(result.id)
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            continue  # another scheduler took this slot
        fired.append(job.name)
    return fired


def beat(*, kind: str, name: str, started_at: dt.datetime) -> None:
    now = clock.now()
    Heartbeat.objects.update_or_create(
        name=name,
        defaults={
            "kind": kind,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
        },
    )


class HeartbeatThread(threading.Thread):
    """Keeps a process's heartbeat fresh, even while its main thread is busy."""

    def __init__(self, *, kind: str, name: str, every: float = 10.0) -> None:
        super().__init__(name=f"heartbeat-{name}", daemon=True)
        self.kind = kind
        self.heartbeat_name = name
        self.every = every
        self.started_at = clock.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(kind=self.kind, name=self.heartbeat_name, started_at=self.started_at)
            except Exception:
                logger.exception("heartbeat failed; will try again")
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()


def run_scheduler(*, name: str, tick: float = 5.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    started_at = clock.now()
    logger.info("scheduler %s started with %d jobs", name, len(jobs()))
    while not stop.is_set():
        close_old_connections()
        try:
            beat(kind=Heartbeat.Kind.SCHEDULER, name=name, started_at=started_at)
            for job_name in fire_due_jobs():
                logger.info("enqueued %s", job_name)
        except Exception:
            # A database hiccup must not end the scheduler; the next tick retries.
            logger.exception("scheduler tick failed")
        stop.wait(tick)
