from __future__ import annotations

from django.db import models


class OutboundEmail(models.Model):
    """One message the desk sends: the outbox and its delivery record.

    The row is written in the same transaction as the change that caused it,
    so a message is never lost between the change and the worker; the worker
    renders and sends it, and a retry never sends it twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"

    template = models.CharField(max_length=64)
    to = models.JSONField(default=list)
    cc = models.JSONField(default=list, blank=True)
    context = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="emails"
    )
    event = models.ForeignKey(
        "tickets.TimelineEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    automatic = models.BooleanField(
        default=True,
        help_text="Sent by the desk itself (acknowledgements, notices), not written by a person.",
    )
    subject = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["ticket", "id"], name="outbound_ticket"),
            models.Index(fields=["status", "created_at"], name="outbound_status"),
        ]

    def __str__(self) -> str:
        return f"{self.template} to {', '.join(self.to)}"


class ThreadKey(models.Model):
    """A Message-ID that belongs to a ticket's conversation, sent or received.

    Replies find their ticket through In-Reply-To and References by this one
    indexed table; outbound mail builds its References from it, so the
    requester's mail client threads the whole conversation.
    """

    class Direction(models.TextChoices):
        SENT = "sent", "Sent by the desk"
        RECEIVED = "received", "Received"

    message_id = models.CharField(max_length=255, unique=True, help_text="Without angle brackets.")
    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=8, choices=Direction.choices)
    outbound = models.OneToOneField(
        OutboundEmail, null=True, blank=True, on_delete=models.CASCADE, related_name="thread_key"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ticket", "id"], name="threadkey_ticket")]

    def __str__(self) -> str:
        return self.message_id
