"""The three closing questions: one survey per closed ticket, and the
follow-ups a poor answer gives a supervisor.

The survey keeps who handled the ticket (the owner at close), its team and
category as they were, so satisfaction reads the same after a ticket moves.
The link's token is kept only as its SHA-256: the link itself is in the
requester's mail and nowhere else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

RATING_MIN = 1
RATING_MAX = 5
POOR_AT_MOST = 2  # a satisfaction of 1 or 2 is a poor answer


class Survey(models.Model):
    ticket = models.OneToOneField("tickets.Ticket", on_delete=models.CASCADE, related_name="survey")
    token_hash = models.CharField(max_length=64, unique=True)
    requester = models.ForeignKey("accounts.Contact", on_delete=models.PROTECT, related_name="+")
    # Copied at close, for reporting.
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who owned the ticket when it closed.",
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "triage.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The answers: each question may be left out, the survey is answered once.
    answered_at = models.DateTimeField(null=True, blank=True)
    solved = models.BooleanField(null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    better = models.TextField(blank=True, help_text="Anything we could have done better.")
    event = models.ForeignKey(
        "tickets.TimelineEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Not a column: the raw token, on the survey ``survey_send`` has just made
    # (None otherwise). It is in the requester's mail and nowhere else.
    token: str | None = None

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["-sent_at", "-id"], name="survey_recent"),
            models.Index(fields=["team", "sent_at"], name="survey_team"),
            models.Index(fields=["agent", "sent_at"], name="survey_agent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=RATING_MIN, satisfaction__lte=RATING_MAX),
                name="survey_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=False)
                | Q(solved__isnull=True, satisfaction__isnull=True, better=""),
                name="survey_answers_when_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"Closing questions for DW-{self.ticket_id}"

    @property
    def reference(self) -> str:
        return f"DW-{self.ticket_id}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_poor(self) -> bool:
        return is_poor(solved=self.solved, satisfaction=self.satisfaction)


def is_poor(*, solved: bool | None, satisfaction: int | None) -> bool:
    """A poor answer: not solved, or a satisfaction of 1 or 2."""
    return solved is False or (satisfaction is not None and satisfaction <= POOR_AT_MOST)


POOR = Q(solved=False) | Q(satisfaction__lte=POOR_AT_MOST)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class FollowUp(models.Model):
    """A poor answer, for a supervisor to look into: what they did is kept."""

    Status = FollowUpStatus

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="followup")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_followups",
        help_text="The supervisor it is for; empty when the desk had none.",
    )
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at", "-id"], name="followup_status"),
            models.Index(fields=["team", "status"], name="followup_team"),
        ]

    def __str__(self) -> str:
        return f"Follow-up {self.pk}: {self.reason}"
