"""Impact x urgency gives priority, through the matrix admins may edit
(the ITIL-style default until they do)."""

from __future__ import annotations

from deskwise.core.memo import timed_memo
from deskwise.tickets.choices import Impact, Priority, Urgency
from deskwise.triage.defaults import MATRIX

DEFAULT_MATRIX: dict[tuple[str, str], Priority] = {
    key: Priority(value) for key, value in MATRIX.items()
}


@timed_memo(60)
def matrix() -> dict[tuple[str, str], Priority]:
    """The desk's matrix; a missing cell keeps its default."""
    from deskwise.triage.models import PriorityCell

    cells = dict(DEFAULT_MATRIX)
    for impact, urgency, priority in PriorityCell.objects.values_list(
        "impact", "urgency", "priority"
    ):
        cells[(impact, urgency)] = Priority(priority)
    return cells


def priority_for(*, impact: str, urgency: str) -> Priority:
    return matrix()[(Impact(impact).value, Urgency(urgency).value)]
