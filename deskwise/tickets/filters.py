"""The ticket filters, declared once for the agent queue and the API."""

from __future__ import annotations

from typing import Literal

from django.db.models import Q, QuerySet
from django.http import QueryDict
from ninja import Schema
from pydantic import Field

from deskwise.tickets.choices import ACTIVE_STATES, Channel, Priority, Status
from deskwise.tickets.models import Ticket

QueueView = Literal["mine", "unassigned", "escalated", "all"]


class TicketFilters(Schema):
    view: QueueView = Field(
        default="all",
        description="mine: tickets I own; unassigned: my teams' tickets nobody owns; "
        "escalated: escalated tickets (the supervisors' board); all: every ticket I may see.",
    )
    status: list[Status] = Field(
        default_factory=list,
        description="Any of these statuses. Empty means the active ones "
        "(new, open, waiting_on_requester).",
    )
    team: int | None = Field(default=None, ge=1, le=2**31, description="Team id.")
    owner: str | None = Field(
        default=None,
        pattern=r"^(me|none|[1-9][0-9]{0,8})$",
        description="'me', 'none' (unassigned) or an agent's user id.",
    )
    priority: list[Priority] = Field(default_factory=list, description="Any of these priorities.")
    channel: list[Channel] = Field(default_factory=list, description="Any of these channels.")
    requester: int | None = Field(default=None, ge=1, le=2**63, description="Requester contact id.")

    @classmethod
    def from_querydict(cls, data: QueryDict) -> TicketFilters:
        """Parse the desk's query string; list fields may repeat."""
        raw: dict[str, object] = {}
        for name, field in cls.model_fields.items():
            if name not in data:
                continue
            values = [v for v in data.getlist(name) if v != ""]
            if field.annotation is not None and str(field.annotation).startswith("list"):
                raw[name] = values
            elif values:
                raw[name] = values[-1]
        return cls.model_validate(raw)

    def apply(
        self, qs: QuerySet[Ticket], *, user_id: int, team_ids: frozenset[int]
    ) -> QuerySet[Ticket]:
        statuses = self.status or sorted(ACTIVE_STATES)
        qs = qs.filter(status__in=statuses)
        if self.view == "mine":
            qs = qs.filter(owner_id=user_id)
        elif self.view == "unassigned":
            qs = qs.filter(owner__isnull=True, team_id__in=sorted(team_ids))
        elif self.view == "escalated":
            qs = qs.filter(escalation_level__gt=0)
        if self.team is not None:
            qs = qs.filter(team_id=self.team)
        if self.owner == "me":
            qs = qs.filter(owner_id=user_id)
        elif self.owner == "none":
            qs = qs.filter(owner__isnull=True)
        elif self.owner:
            qs = qs.filter(owner_id=int(self.owner))
        if self.priority:
            qs = qs.filter(priority__in=self.priority)
        if self.channel:
            qs = qs.filter(channel__in=self.channel)
        if self.requester is not None:
            qs = qs.filter(Q(requester_id=self.requester))
        return qs

    def as_query(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs, for links that keep them."""
        pairs: list[tuple[str, str]] = [("view", self.view)]
        pairs += [("status", s.value) for s in self.status]
        pairs += [("priority", str(p.value)) for p in self.priority]
        pairs += [("channel", c.value) for c in self.channel]
        for name in ("team", "owner", "requester"):
            value = getattr(self, name)
            if value is not None:
                pairs.append((name, str(value)))
        return pairs
