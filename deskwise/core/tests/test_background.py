from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus
from django.test import Client
from django_tasks_db.models import DBTaskResult

from deskwise.core import clock, tasks
from deskwise.core.models import Heartbeat, ScheduledRun
from deskwise.core.schedule import beat, fire_due_jobs, jobs
from deskwise.core.tests import sample_tasks
from deskwise.core.worker import reap_abandoned, run_ready_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset_calls():
    sample_tasks.CALLS.clear()


def enqueue(task, *args):
    with transaction.atomic():
        return task.enqueue(*args)


class TestScheduler:
    def test_registry_lists_the_housekeeping_jobs(self):
        names = {job.name for job in jobs()}
        assert "deskwise.core.tasks.reap_abandoned_tasks" in names
        assert "deskwise.core.tasks.prune_old_records" in names

    def test_a_job_fires_once_per_period_however_many_schedulers(self):
        # The start of an hour: the next few seconds are in the same period for every job.
        moment = clock.now().replace(minute=0, second=0, microsecond=0)
        first = fire_due_jobs(moment=moment)
        second = fire_due_jobs(moment=moment + dt.timedelta(seconds=5))  # another scheduler
        assert set(first) == {job.name for job in jobs()}
        assert second == []
        reaper = "deskwise.core.tasks.reap_abandoned_tasks"
        assert ScheduledRun.objects.filter(job=reaper).count() == 1
        later = fire_due_jobs(moment=moment + dt.timedelta(minutes=1, seconds=1))
        assert reaper in later
        assert DBTaskResult.objects.filter(task_path__endswith="reap_abandoned_tasks").count() == 2

    def test_enqueued_jobs_run(self):
        fire_due_jobs()
        assert run_ready_tasks(worker_id="w") == len(jobs())
        assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


class TestWorker:
    def test_runs_tasks_and_records_success(self):
        result = enqueue(sample_tasks.succeeds, "hello")
        run_ready_tasks(worker_id="w")
        stored = DBTaskResult.objects.get(id=result.id)
        assert stored.status == TaskResultStatus.SUCCESSFUL
        assert stored.return_value == "hello"

    def test_failures_are_retried_with_backoff_then_kept_as_failed(self):
        result = enqueue(sample_tasks.always_fails)
        run_ready_tasks(worker_id="w")
        stored = DBTaskResult.objects.get(id=result.id)
        assert stored.status == TaskResultStatus.READY  # back in the queue...
        assert stored.run_after > clock.now()  # ...after a pause
        assert "the mail server hung up" in stored.traceback
        for _ in range(2):
            DBTaskResult.objects.filter(id=result.id).update(run_after=clock.now())
            run_ready_tasks(worker_id="w")
        stored.refresh_from_db()
        assert sample_tasks.CALLS == ["fail"] * 3
        assert stored.status == TaskResultStatus.FAILED
        assert len(stored.worker_ids) == 3

    def test_permanent_failures_are_not_retried(self):
        result = enqueue(sample_tasks.gives_up)
        run_ready_tasks(worker_id="w")
        assert DBTaskResult.objects.get(id=result.id).status == TaskResultStatus.FAILED
        assert sample_tasks.CALLS == ["give up"]

    def test_reaper_requeues_tasks_of_a_dead_worker_only(self):
        stale = dt.timedelta(minutes=2)
        long_ago = clock.now() - dt.timedelta(minutes=10)
        dead = enqueue(sample_tasks.succeeds, "dead")
        alive = enqueue(sample_tasks.succeeds, "alive")
        DBTaskResult.objects.filter(id=dead.id).update(
            status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["gone"]
        )
        DBTaskResult.objects.filter(id=alive.id).update(
            status=TaskResultStatus.RUNNING, started_at=long_ago, worker_ids=["busy"]
        )
        beat(kind=Heartbeat.Kind.WORKER, name="busy", started_at=long_ago)
        assert reap_abandoned(stale_after=stale) == 1
        assert DBTaskResult.objects.get(id=dead.id).status == TaskResultStatus.READY
        assert DBTaskResult.objects.get(id=alive.id).status == TaskResultStatus.RUNNING
        run_ready_tasks(worker_id="w")
        assert sample_tasks.CALLS == ["dead"]

    def test_prune_keeps_recent_and_failed_results_longer(self):
        old = clock.now() - dt.timedelta(days=20)
        ok = enqueue(sample_tasks.succeeds, "x")
        failed = enqueue(sample_tasks.gives_up)
        run_ready_tasks(worker_id="w")
        DBTaskResult.objects.filter(id__in=[ok.id, failed.id]).update(finished_at=old)
        counts = tasks.prune_old_records.call()
        assert counts["successful"] == 1
        assert counts["failed"] == 0
        assert DBTaskResult.objects.filter(id=failed.id).exists()


class TestHealth:
    def test_unhealthy_without_heartbeats(self):
        response = Client().get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["database"]["ok"] is True
        assert body["worker"] == {"ok": False, "heartbeat_age_seconds": None}
        assert body["status"] == "unhealthy"

    def test_healthy_with_fresh_heartbeats(self):
        now = clock.now()
        beat(kind=Heartbeat.Kind.WORKER, name="w1", started_at=now)
        beat(kind=Heartbeat.Kind.SCHEDULER, name="s1", started_at=now)
        response = Client().get("/healthz")
        assert response.status_code == 200
        assert response.json()["status"] == "ok"

    def test_a_stale_worker_makes_it_unhealthy(self):
        old = clock.now() - dt.timedelta(minutes=10)
        with clock.frozen_at(old):
            beat(kind=Heartbeat.Kind.WORKER, name="w1", started_at=old)
        beat(kind=Heartbeat.Kind.SCHEDULER, name="s1", started_at=clock.now())
        response = Client().get("/healthz")
        assert response.status_code == 503
        assert response.json()["worker"]["heartbeat_age_seconds"] >= 600
