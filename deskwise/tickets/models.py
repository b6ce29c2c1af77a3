from __future__ import annotations

import datetime as dt
import functools
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from deskwise.tickets.choices import (
    ACTIVE_STATES,
    Channel,
    EventKind,
    Impact,
    Priority,
    SlaState,
    Status,
    TriageClass,
    Urgency,
    Visibility,
)

_active = Q(status__in=sorted(ACTIVE_STATES))


@functools.cache
def _url_pattern(name: str) -> str:
    """A ticket URL with a hole for the id: reversed once, not once per row."""
    return reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{}")


class Ticket(models.Model):
    """One request, from arrival to the requester's confirmation."""

    subject = models.CharField(max_length=200)
    requester = models.ForeignKey(
        "accounts.Contact", on_delete=models.PROTECT, related_name="tickets"
    )
    participants = models.ManyToManyField(
        "accounts.Contact", blank=True, related_name="participating_tickets"
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="tickets")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tickets",
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)

    # Triage: what the requester told us, and what the desk made of it.
    impact = models.CharField(max_length=16, choices=Impact.choices, default=Impact.PERSON)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.DEGRADED)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.P3)
    triage_class = models.CharField(max_length=16, choices=TriageClass.choices, blank=True)
    category = models.ForeignKey(
        "triage.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    red_flags = models.JSONField(default=list, blank=True)
    frustrated = models.BooleanField(default=False)
    # What automatic triage proposed, why, and whether it was applied.
    triage = models.JSONField(default=dict, blank=True)

    # Honest wait: when work is expected to start and end (kept current), and
    # the first prediction, kept to measure how good predictions are.
    expected_start_at = models.DateTimeField(null=True, blank=True)
    expected_resolution_at = models.DateTimeField(null=True, blank=True)
    predicted_start_at = models.DateTimeField(null=True, blank=True)
    # What the estimate rests on: "history" or "target", or why there is none
    # ("overload", "horizon", "closed").
    estimate_basis = models.CharField(max_length=12, blank=True)

    # A deferred ticket comes back by itself at this time; ``back_at`` marks it
    # at the top of its owner's queue until the owner acts on it.
    deferred_until = models.DateTimeField(null=True, blank=True)
    back_at = models.DateTimeField(null=True, blank=True)

    # The next deadline: first response until there is one, then resolution.
    due_at = models.DateTimeField()
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalated_tickets",
    )
    escalation_level = models.PositiveSmallIntegerField(default=0)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    resolution_confirmed = models.BooleanField(null=True, blank=True)

    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Service levels (the sla app computes these from the rest; see sla.clock).
    sla_policy = models.ForeignKey(
        "sla.SlaPolicy", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused_for = models.DurationField(default=dt.timedelta(0))
    sla_state = models.CharField(max_length=12, choices=SlaState.choices, default=SlaState.OK)
    sla_warned_for = models.CharField(max_length=16, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    # The next moment the sweep must look at this ticket (a warning or a due time).
    sla_next_at = models.DateTimeField(null=True, blank=True)
    # The last time the requester heard from the desk (an answer, an update).
    requester_updated_at = models.DateTimeField(null=True, blank=True)
    silence_reminded_at = models.DateTimeField(null=True, blank=True)
    confirm_reminded_at = models.DateTimeField(null=True, blank=True)

    # Not a column: open_ticket leaves the first event here, so that its caller
    # does not read it back.
    opening_event: TimelineEvent

    class Meta:
        indexes = [
            # The work queue: active tickets in priority, then deadline order.
            models.Index(
                fields=["priority", "due_at", "id"], name="ticket_active_queue", condition=_active
            ),
            models.Index(
                fields=["team", "status", "priority", "due_at", "id"], name="ticket_team_queue"
            ),
            # Active tickets nobody owns yet: the "unassigned" queue and its count.
            models.Index(
                fields=["team", "priority", "due_at", "id"],
                name="ticket_unassigned",
                condition=_active & Q(owner__isnull=True),
            ),
            # Requests still waiting for a first answer: the wait estimate counts these.
            models.Index(
                fields=["team", "priority"],
                name="ticket_awaiting_answer",
                condition=_active & Q(first_response_at__isnull=True),
            ),
            models.Index(
                fields=["owner", "status", "priority", "due_at", "id"], name="ticket_owner_queue"
            ),
            models.Index(fields=["status", "priority", "due_at", "id"], name="ticket_status_queue"),
            models.Index(fields=["requester", "-id"], name="ticket_requester"),
            models.Index(fields=["escalated_to", "status"], name="ticket_escalated"),
            # Reports: answers and resolutions of a day (rollups, today's live figures).
            models.Index(fields=["first_response_at"], name="ticket_first_response"),
            models.Index(fields=["resolved_at"], name="ticket_resolved"),
            # What the service-level sweep looks at next.
            models.Index(
                fields=["sla_next_at"],
                name="ticket_sla_next",
                condition=Q(sla_next_at__isnull=False),
            ),
            # Resolved tickets waiting for the requester's confirmation, oldest first.
            models.Index(
                fields=["resolved_at"],
                name="ticket_awaiting_confirmation",
                condition=Q(status=Status.RESOLVED),
            ),
            # Active tickets whose requester may be waiting for word from us.
            models.Index(
                fields=["priority", "requester_updated_at"],
                name="ticket_silence",
                condition=_active,
            ),
            models.Index(fields=["team", "created_at"], name="ticket_team_created"),
            models.Index(
                fields=["deferred_until"],
                name="ticket_deferred_until",
                condition=Q(status="deferred"),
            ),
            models.Index(
                fields=["owner", "-back_at"], name="ticket_back", condition=Q(back_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(priority__gte=1, priority__lte=4), name="ticket_priority_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"DW-{self.pk}"

    @property
    def desk_url(self) -> str:
        return _url_pattern("tickets:detail").format(self.pk)

    @property
    def portal_url(self) -> str:
        return _url_pattern("portal:request").format(self.pk)

    @property
    def status_choice(self) -> Status:
        return Status(self.status)

    @property
    def priority_choice(self) -> Priority:
        return Priority(self.priority)


class TimelineEvent(models.Model):
    """One documented interaction or change. Append-only: never edited."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The agent (or signed-in requester) who acted; empty for the desk itself.",
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The requester or participant who wrote, when it was one of them.",
    )
    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="event_timeline")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on DW-{self.ticket_id}"

    @property
    def is_internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the uploader; the original is kept in
    # ``filename`` and given back on download.
    return f"attachments/{instance.created_at:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(TimelineEvent, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_id = models.CharField(
        max_length=255, blank=True, help_text="An email part's Content-ID, for inline images."
    )
    inline = models.BooleanField(default=False, help_text="Shown in the message body.")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.filename
