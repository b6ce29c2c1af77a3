"""Time on tickets: what an agent spent on a ticket, on which day, and the
timer an agent has running.

An entry is a number of whole minutes on one day (the day worked, in the
desk's time zone): logged at once with a quick button, typed in, or measured
by the timer. A running timer is a row of its own, one per agent at most;
stopping it turns it into an entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

MAX_MINUTES = 24 * 60
"""The most one entry holds: a day."""


class TimeSource(models.TextChoices):
    QUICK = "quick", "Quick button"
    MANUAL = "manual", "Typed in"
    TIMER = "timer", "Timer"


class TimeEntry(models.Model):
    """Minutes an agent spent on a ticket on one day."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="time_entries"
    )
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveSmallIntegerField()
    work_date = models.DateField(help_text="The day worked, in the desk's time zone.")
    note = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=8, choices=TimeSource.choices, default=TimeSource.MANUAL)
    # What the timer measured, for timer entries.
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(fields=["ticket", "-created_at", "-id"], name="time_ticket"),
            models.Index(fields=["agent", "work_date"], name="time_agent_day"),
            models.Index(fields=["work_date"], name="time_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_MINUTES), name="time_minutes_in_a_day"
            ),
            models.CheckConstraint(
                condition=Q(source__in=TimeSource.values), name="time_source_known"
            ),
            models.CheckConstraint(
                condition=Q(started_at__isnull=True)
                | Q(ended_at__isnull=True)
                | Q(ended_at__gte=F("started_at")),
                name="time_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on DW-{self.ticket_id} ({self.work_date})"

    @property
    def hours_text(self) -> str:
        return duration_text(self.minutes)


class Timer(models.Model):
    """A timer running: an agent working on a ticket since ``started_at``.
    One per agent (the primary key is the agent)."""

    agent = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Timer on DW-{self.ticket_id} since {self.started_at:%Y-%m-%d %H:%M}"


def duration_text(minutes: int) -> str:
    """``95`` -> ``1:35``: hours and minutes, as typed into the form."""
    hours, rest = divmod(max(0, int(minutes)), 60)
    return f"{hours}:{rest:02d}"
