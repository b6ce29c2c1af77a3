from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """A background process saying it is alive: one row per worker or scheduler."""

    class Kind(models.TextChoices):
        WORKER = "worker", "Worker"
        SCHEDULER = "scheduler", "Scheduler"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "-last_seen"], name="heartbeat_kind_seen")]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class ScheduledRun(models.Model):
    """Proof that a periodic job was enqueued for one period.

    The unique constraint is what makes a job fire once per period however
    many schedulers run: the second insert for the same slot fails.
    """

    job = models.CharField(max_length=100)
    slot = models.BigIntegerField(help_text="Period number: seconds since the epoch // period")
    enqueued_at = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduledrun_once")]
        indexes = [models.Index(fields=["enqueued_at"], name="scheduledrun_enqueued")]

    def __str__(self) -> str:
        return f"{self.job} #{self.slot}"
