"""Impact x urgency gives priority (ITIL-style default matrix)."""

from __future__ import annotations

from deskwise.tickets.choices import Impact, Priority, Urgency

_IMPACT_RANK = {Impact.ORGANISATION: 1, Impact.TEAM: 2, Impact.PERSON: 3}
_URGENCY_RANK = {Urgency.BLOCKED: 1, Urgency.DEGRADED: 2, Urgency.CAN_WAIT: 3}

#               blocked  degraded  can wait
# organisation    P1        P2        P3
# team            P2        P3        P4
# person          P3        P4        P4
DEFAULT_MATRIX: dict[tuple[Impact, Urgency], Priority] = {
    (impact, urgency): Priority(min(4, _IMPACT_RANK[impact] + _URGENCY_RANK[urgency] - 1))
    for impact in Impact
    for urgency in Urgency
}


def priority_for(*, impact: str, urgency: str) -> Priority:
    return DEFAULT_MATRIX[(Impact(impact), Urgency(urgency))]
