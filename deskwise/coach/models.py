from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower

from deskwise.coach.checks import CHECKS


class JargonTerm(models.Model):
    """A term a non-technical requester may not know, with the plain words to
    use instead. The desk starts with a curated list; admins add their own."""

    term = models.CharField(
        max_length=80,
        help_text="As it is written: acronyms in capitals match only in capitals "
        "(“AD”, not “ad”); other terms match in any case.",
    )
    plain_words = models.CharField(
        max_length=200,
        help_text="What to say instead, in the same form (a noun for a noun, "
        "“restarted” for “rebooted”): the coach can put it in the term's place.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["term"]
        constraints = [models.UniqueConstraint(Lower("term"), name="jargon_term_unique")]

    def __str__(self) -> str:
        return self.term


def _known_checks(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError("A list of check codes.")
    unknown = sorted(set(value) - set(CHECKS))
    if unknown:
        raise ValidationError(f"Unknown checks: {', '.join(unknown)}.")


class TeamCoachSettings(models.Model):
    """Which of the coach's checks a team has switched off."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="coach_settings"
    )
    disabled_checks = models.JSONField(
        default=list,
        blank=True,
        validators=[_known_checks],
        help_text="The checks the coach does not make for this team's tickets.",
    )

    class Meta:
        verbose_name = "team coach settings"
        verbose_name_plural = "team coach settings"

    def __str__(self) -> str:
        return f"Coach settings of {self.team}"


class CoachRecord(models.Model):
    """What the coach found in one reply that was sent: for the measurement."""

    event = models.OneToOneField(
        "tickets.TimelineEvent", on_delete=models.CASCADE, related_name="coach_record"
    )
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=12)
    created_at = models.DateTimeField(help_text="When the reply was sent.")
    notes_count = models.PositiveSmallIntegerField()
    codes = models.JSONField(default=list, help_text="The checks that found something.")

    class Meta:
        indexes = [
            models.Index(fields=["agent", "created_at"], name="coach_record_agent"),
            models.Index(fields=["team", "created_at"], name="coach_record_team"),
        ]

    def __str__(self) -> str:
        return f"{self.notes_count} notes on event {self.event_id}"
