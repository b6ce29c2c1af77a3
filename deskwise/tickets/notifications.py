"""What ticket mails add at send time."""

from __future__ import annotations

from typing import Any

from deskwise.notifications.services import enrich_at_send_time
from deskwise.queueing.estimate import estimate_wait


@enrich_at_send_time("acknowledgement")
def wait_estimate(context: dict[str, Any]) -> dict[str, Any]:
    """The honest wait, computed when the acknowledgement leaves, not before."""
    estimate = estimate_wait(
        team_id=context["team_id"],
        priority=context["priority"],
        exclude_ticket_id=context["ticket_id"],
    )
    return {"wait_sentence": estimate.sentence}
