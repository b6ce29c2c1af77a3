"""Canned responses and the language bank agents reply with.

Admins write both; agents pick them in the reply composer and in the
defer/decline dialog, where ``render`` fills in the ticket's details.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from deskwise.responses.render import check


class ResponseTemplate(models.Model):
    """A reply an agent starts from rather than writing the same words again."""

    class Purpose(models.TextChoices):
        ANY = "any", "Any reply"
        DEFER = "defer", "Deferral"
        DECLINE = "decline", "Decline"
        # Sent to someone who asked an agent directly, outside the desk.
        PLEASE_SUBMIT = "please_submit", "Please submit a ticket"
        # A kind nudge to a requester who keeps going to one technician directly.
        NUDGE = "nudge", "Back to the queue"

    name = models.CharField(max_length=120, unique=True)
    purpose = models.CharField(
        max_length=16,
        choices=Purpose.choices,
        default=Purpose.ANY,
        help_text="Where agents are offered this template; 'Any reply' templates are "
        "offered everywhere.",
    )
    body = models.TextField(
        help_text="Plain text with {{ variable }} placeholders, filled in when an agent "
        "uses the template."
    )
    is_active = models.BooleanField(
        default=True, help_text="Inactive templates are kept but no longer offered."
    )
    order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers are offered first."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        messages = check(self.body)
        if messages:
            raise ValidationError({"body": messages})


class LanguagePhrase(models.Model):
    """One sentence for one step of saying no well, offered in the defer/decline
    dialog so an agent can build a kind, complete reply from good parts."""

    class Step(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", "Acknowledge the request"
        EXPLAIN = "explain", "Explain the prioritisation"
        ALTERNATIVES = "alternatives", "Offer alternatives"
        EXPECTATIONS = "expectations", "Set expectations"

    step = models.CharField(max_length=16, choices=Step.choices)
    text = models.CharField(
        max_length=500,
        help_text="One or two sentences. The same {{ variables }} as in response "
        "templates may be used.",
    )
    order = models.PositiveSmallIntegerField(
        default=100, help_text="Lower numbers are offered first."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["step", "order", "id"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.get_step_display()}: {text}"

    def clean(self) -> None:
        super().clean()
        messages = check(self.text)
        if messages:
            raise ValidationError({"text": messages})
