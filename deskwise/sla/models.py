"""Service levels: the policies (targets per priority, on business time), the
desk's own holidays, and the breaches recorded when a target is missed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from deskwise.tickets.choices import Priority

MINUTE = 60
MAX_TARGET_MINUTES = 366 * 24 * 60  # a year: anything longer is not a service level


class SlaPolicy(models.Model):
    """First-response and resolution targets for one priority, for every team
    (``team`` empty) or one team. The most specific active policy applies."""

    name = models.CharField(max_length=120)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: every team without a policy of its own.",
    )
    first_response_minutes = models.PositiveIntegerField(
        help_text="Business minutes from opening to the first reply."
    )
    resolution_minutes = models.PositiveIntegerField(
        help_text="Business minutes from opening to resolving."
    )
    business_hours = models.BooleanField(
        default=True,
        help_text="Count the team's business hours (without holidays); off: around the clock.",
    )
    warn_percent = models.PositiveSmallIntegerField(
        default=75, help_text="Warn the owner when this share of a target is used."
    )
    pause_when_waiting = models.BooleanField(
        default=True, help_text="Stop the clock while waiting on the requester."
    )
    pause_when_deferred = models.BooleanField(
        default=True, help_text="Stop the clock while deferred."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        ordering = ["priority", "team__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "team"],
                condition=models.Q(is_active=True, team__isnull=False),
                name="sla_one_team_policy",
                violation_error_message="This team already has an active policy for this priority.",
            ),
            models.UniqueConstraint(
                fields=["priority"],
                condition=models.Q(is_active=True, team__isnull=True),
                name="sla_one_desk_policy",
                violation_error_message="There is already an active policy for this priority "
                "for every team.",
            ),
            models.CheckConstraint(
                condition=models.Q(first_response_minutes__gte=1)
                & models.Q(resolution_minutes__gte=models.F("first_response_minutes"))
                & models.Q(resolution_minutes__lte=MAX_TARGET_MINUTES),
                name="sla_targets_possible",
                violation_error_message="The targets are not possible: a first response of at "
                "least a minute, and a resolution no sooner than it and within a year.",
            ),
            models.CheckConstraint(
                condition=models.Q(warn_percent__gte=1, warn_percent__lte=99),
                name="sla_warn_share",
                violation_error_message="Warn at 1 to 99 percent of a target.",
            ),
        ]

    def __str__(self) -> str:
        where = self.team.name if self.team_id and self.team else "every team"
        return f"{self.name} ({Priority(self.priority).label}, {where})"

    @property
    def first_response(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.first_response_minutes)

    @property
    def resolution(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.resolution_minutes)

    def clean(self) -> None:
        """Refuse impossible targets with a message per field."""
        errors: dict[str, str] = {}
        first, resolution = self.first_response_minutes, self.resolution_minutes
        if first is not None and first < 1:
            errors["first_response_minutes"] = "A first response needs at least one minute."
        if resolution is not None and resolution > MAX_TARGET_MINUTES:
            errors["resolution_minutes"] = "A resolution target longer than a year is no target."
        if first is not None and resolution is not None and resolution < first:
            errors["resolution_minutes"] = (
                "Resolving cannot be due before the first response: make it at least "
                f"{first} minutes."
            )
        if self.warn_percent is not None and not 1 <= self.warn_percent <= 99:
            errors["warn_percent"] = "Warn at 1 to 99 percent of a target."
        if errors:
            raise ValidationError(errors)


class Holiday(models.Model):
    """A day the desk (or one team) does not work, beyond the public holidays."""

    date = models.DateField()
    name = models.CharField(max_length=120)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: the whole desk.",
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "team"],
                condition=models.Q(team__isnull=False),
                name="sla_one_team_holiday_a_day",
            ),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(team__isnull=True), name="sla_one_holiday_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    RESOLUTION = "resolution", "Resolution"


class Breach(models.Model):
    """A target missed: kept for reports even when the ticket changes later."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    target = models.CharField(max_length=16, choices=Target.choices)
    due_at = models.DateTimeField()
    noticed_at = models.DateTimeField()
    policy = models.ForeignKey(
        SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target"], name="sla_one_breach_a_target")
        ]
        indexes = [models.Index(fields=["noticed_at"], name="sla_breach_when")]

    def __str__(self) -> str:
        return f"{Target(self.target).label} missed on DW-{self.ticket_id}"
