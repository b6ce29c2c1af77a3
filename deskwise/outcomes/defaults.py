"""The reasons a new desk starts with (admins change them in the admin)."""

from __future__ import annotations

# (code, label, applies to, explanation offered to the requester)
REASONS: list[tuple[str, str, str, str]] = [
    (
        "non_urgent_queue",
        "Non-urgent while critical work is queued",
        "defer",
        "Right now the team is working on problems that stop people from working, so "
        "requests that can wait are scheduled for when there is time.",
    ),
    (
        "out_of_scope",
        "Outside our responsibilities",
        "decline",
        "This is not something the help desk looks after, so we are not the right people "
        "to do it well.",
    ),
    (
        "unsupported",
        "Unsupported software or hardware",
        "both",
        "We do not support this software or device, so we cannot fix it or keep it safe.",
    ),
    (
        "needs_approval",
        "Needs approval or purchase",
        "both",
        "This needs a manager's approval or a purchase before we can go ahead.",
    ),
    (
        "duplicate",
        "Duplicate",
        "decline",
        "We are already working on this in another request, and we will keep you posted there.",
    ),
    (
        "other_team",
        "Better handled by another team",
        "decline",
        "Another team looks after this and can help you faster than we can.",
    ),
    (
        "self_service",
        "Self-service available",
        "decline",
        "You can do this yourself in a few minutes, and the guide below shows how.",
    ),
]
