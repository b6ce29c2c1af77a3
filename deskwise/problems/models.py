"""Problems: the root cause behind several incidents, what to do about it until
it is fixed, and the incidents (tickets) it explains.

A problem keeps no versions: every change is one ``ProblemEvent`` saying who
changed what, and when. The link of a ticket to its problem lives here, not on
the ticket, and a ticket has at most one problem.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ProblemStatus(models.TextChoices):
    INVESTIGATING = "investigating", "Investigating"
    KNOWN_ERROR = "known_error", "Known error"
    FIXED = "fixed", "Fixed"
    CLOSED = "closed", "Closed"

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]

    @property
    def meaning(self) -> str:
        return STATUS_MEANINGS[self]


STATUS_COLOURS = {
    ProblemStatus.INVESTIGATING: "amber",
    ProblemStatus.KNOWN_ERROR: "purple",
    ProblemStatus.FIXED: "green",
    ProblemStatus.CLOSED: "grey",
}
STATUS_MEANINGS = {
    ProblemStatus.INVESTIGATING: "The root cause is not known yet.",
    ProblemStatus.KNOWN_ERROR: "The root cause and a workaround are known.",
    ProblemStatus.FIXED: "A permanent fix is in place.",
    ProblemStatus.CLOSED: "Nothing more to do.",
}


@functools.cache
def _url_pattern(name: str) -> str:
    return reverse(name, kwargs={"pk": 987654321}).replace("987654321", "{}")


class Problem(models.Model):
    """One root cause, the incidents it explains, and what the desk does about it."""

    title = models.CharField(max_length=200)
    symptoms = models.TextField(help_text="What people notice: how the incidents look.")
    root_cause = models.TextField(blank=True)
    workaround = models.TextField(blank=True, help_text="What helps until it is fixed.")
    permanent_fix = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.INVESTIGATING
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    # Not a column: selectors.with_counts annotates the number of incidents.
    incident_count: int

    class Meta:
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="problem_recent"),
            models.Index(fields=["team", "-updated_at", "-id"], name="problem_team"),
            models.Index(fields=["status", "-updated_at", "-id"], name="problem_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProblemStatus.values), name="problem_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"PRB-{self.pk}"

    @property
    def desk_url(self) -> str:
        return _url_pattern("problems:detail").format(self.pk)

    @property
    def status_choice(self) -> ProblemStatus:
        return ProblemStatus(self.status)


class ProblemIncident(models.Model):
    """A ticket explained by a problem. One problem per ticket at most."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="incidents")
    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="problem_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["problem", "-linked_at", "-id"], name="problem_incidents")]

    def __str__(self) -> str:
        return f"DW-{self.ticket_id} in PRB-{self.problem_id}"


class ProblemEvent(models.Model):
    """One change to a problem: who, when, and what changed (from and to)."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        LINKED = "linked", "Incident linked"
        UNLINKED = "unlinked", "Incident unlinked"

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # created: the values it began with; changed: {field: {"from": .., "to": ..}};
    # linked and unlinked: {"ticket": {"id", "reference", "subject"}}.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["problem", "-created_at", "-id"], name="problem_history")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on PRB-{self.problem_id}"
