"""Saying no well, and what it teaches: the register of deferrals and declines,
the reasons a desk gives, and the requests that bypassed the queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DecisionKind(models.TextChoices):
    DEFER = "defer", "Deferral"
    DECLINE = "decline", "Decline"


class DecisionReason(models.Model):
    """One reason from the desk's list (admins edit it)."""

    class AppliesTo(models.TextChoices):
        BOTH = "both", "Deferrals and declines"
        DEFER = "defer", "Deferrals only"
        DECLINE = "decline", "Declines only"

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=120)
    explanation = models.CharField(
        max_length=500,
        blank=True,
        help_text="A sentence for the requester, offered in the dialog and the reply.",
    )
    applies_to = models.CharField(max_length=8, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label

    def fits(self, kind: str) -> bool:
        return self.applies_to in {self.AppliesTo.BOTH, kind}


class Decision(models.Model):
    """One deferral or decline, as the register keeps it: what was asked, why
    it was not done (now), what was offered instead, and by whom. The request's
    words are copied so the register reads the same after the ticket changes."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=8, choices=DecisionKind.choices)
    reason = models.ForeignKey(DecisionReason, on_delete=models.PROTECT, related_name="+")
    explanation = models.TextField(blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    expected_date = models.DateField(null=True, blank=True)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "triage.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requester = models.ForeignKey("accounts.Contact", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    event = models.ForeignKey(
        "tickets.TimelineEvent", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="decision_register"),
            models.Index(fields=["team", "-created_at"], name="decision_team"),
            models.Index(fields=["reason", "-created_at"], name="decision_reason"),
            models.Index(fields=["requester", "-created_at"], name="decision_requester"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.subject}"


class Where(models.TextChoices):
    HALLWAY = "hallway", "In the hallway or at my desk"
    PHONE = "phone", "A call to my phone"
    CHAT = "chat", "A chat message to me"
    PERSONAL_EMAIL = "personal_email", "An email to me"
    OTHER = "other", "Somewhere else"


class OffChannelRequest(models.Model):
    """Help asked of an agent directly, outside the desk: logged so that it
    becomes a ticket (or an invitation to open one) and can be counted."""

    class Outcome(models.TextChoices):
        TICKET = "ticket", "Logged as a ticket"
        INVITED = "invited", "Asked to submit a ticket"

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requester = models.ForeignKey("accounts.Contact", on_delete=models.PROTECT, related_name="+")
    what = models.TextField()
    where = models.CharField(max_length=16, choices=Where.choices)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    nudged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="offchannel_recent"),
            models.Index(fields=["requester", "agent"], name="offchannel_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} asked {self.agent} directly"
