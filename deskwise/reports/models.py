"""Daily rollups: counts of past days kept so that a report over a year reads
a few thousand rows instead of a million tickets.

Days are calendar days in the desk's time zone (``settings.TIME_ZONE``). The
periodic task in ``tasks`` counts each past day and recounts the last
``rollups.RECOUNT_DAYS`` (tickets still change after the day they are counted
on: a resolution is confirmed, a ticket is reopened). Timeline events are
append-only, so they are counted once, in id order, from a watermark.
Reports add what is not counted yet (today, events past the watermark) live.
"""

from __future__ import annotations

from django.db import models


class OpenedDay(models.Model):
    """Tickets opened on one day, per team, channel, class, category and priority."""

    day = models.DateField()
    team_id = models.IntegerField()
    channel = models.CharField(max_length=16)
    triage_class = models.CharField(max_length=16, blank=True)
    category_id = models.IntegerField(null=True)
    priority = models.PositiveSmallIntegerField()
    tickets = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day", "team_id"], name="rollup_opened_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.tickets} opened"


class Measure(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    RESOLUTION = "resolution", "Resolution"


class DurationDay(models.Model):
    """Tickets first answered (or resolved) on one day, per team and priority:
    how long it took in business minutes, as a histogram (bucket index -> count,
    see ``rollups.bucket``), how many met their service-level target, and for
    resolutions, reopens and the requester's confirmation."""

    day = models.DateField()
    team_id = models.IntegerField()
    priority = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=16, choices=Measure.choices)
    tickets = models.PositiveIntegerField()
    met = models.PositiveIntegerField(default=0)
    with_target = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    confirmed = models.PositiveIntegerField(default=0)
    unconfirmed = models.PositiveIntegerField(default=0)
    no_answer = models.PositiveIntegerField(default=0)
    histogram = models.JSONField(default=dict)

    class Meta:
        indexes = [models.Index(fields=["measure", "day", "team_id"], name="rollup_duration_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.tickets} {self.measure}"


class EventDay(models.Model):
    """Timeline events of one day, per team (the ticket's when counted), actor,
    kind, and for escalations level and whether the desk escalated by itself;
    ``outside_hours`` of them happened outside the team's business hours."""

    day = models.DateField()
    team_id = models.IntegerField()
    actor_id = models.IntegerField(default=0, help_text="0: the desk itself, or a requester.")
    kind = models.CharField(max_length=24)
    level = models.PositiveSmallIntegerField(default=0)
    automatic = models.BooleanField(default=False)
    events = models.PositiveIntegerField(default=0)
    outside_hours = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "day", "team_id"], name="rollup_event_kind"),
            models.Index(fields=["actor_id", "day"], name="rollup_event_actor"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "actor_id", "kind", "level", "automatic"],
                name="rollup_event_one_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.events} {self.kind}"


class TriageDay(models.Model):
    """Tickets opened on one day, per team and triage field: how often
    automatic triage proposed a value, applied it, and whether it stood (the
    ticket still had it when the day was counted, which is last done
    ``rollups.RECOUNT_DAYS`` after it). ``field`` "priority" counts tickets whose
    impact or urgency triage applied; kept where no agent's change moved it."""

    day = models.DateField()
    team_id = models.IntegerField()
    field = models.CharField(max_length=16)
    proposed = models.PositiveIntegerField(default=0)
    applied = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    suggested = models.PositiveIntegerField(default=0, help_text="Proposed, not applied.")
    taken = models.PositiveIntegerField(default=0, help_text="Not applied, chosen anyway.")

    class Meta:
        indexes = [models.Index(fields=["day", "team_id"], name="rollup_triage_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.field} kept {self.kept} of {self.applied}"


class CountedDay(models.Model):
    """A day whose ticket rollups are written, and when they were."""

    day = models.DateField(primary_key=True)
    counted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day} counted at {self.counted_at:%Y-%m-%d %H:%M}"


class Watermark(models.Model):
    """How far an append-only table has been counted: the last id counted."""

    name = models.CharField(max_length=40, primary_key=True)
    last_id = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} counted to {self.last_id}"
