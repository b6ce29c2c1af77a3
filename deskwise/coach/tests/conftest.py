from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deskwise.tickets import services as tickets
from deskwise.tickets.models import Ticket


@pytest.fixture
def named(desk: Any) -> Callable[..., Ticket]:
    """``named(first="Mei", technical=False, **ticket_kwargs)``: a ticket whose
    requester has a known first name."""

    def make(*, first: str = "Mei", technical: bool = False, **kwargs: Any) -> Ticket:
        contact = desk.requester.contact
        contact.name = f"{first} Lin"
        contact.is_technical = technical
        contact.save(update_fields=["name", "is_technical"])
        return desk.ticket(**kwargs)

    return make


@pytest.fixture
def frustrated(desk: Any, named: Callable[..., Ticket]) -> Ticket:
    ticket = named()
    return tickets.set_flag(
        ticket=ticket,
        actor=desk.agent,
        code="frustrated",
        reason="Third time this week, and nobody called back.",
    )
