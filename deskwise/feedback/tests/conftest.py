"""Closed tickets and their surveys, made the way the desk makes them: opened,
taken, closed with the ticket services, then asked the closing questions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deskwise.feedback import services
from deskwise.feedback.models import Survey
from deskwise.tickets import services as tickets
from deskwise.tickets.models import Ticket


@pytest.fixture
def closed_ticket(desk: Any) -> Callable[..., Ticket]:
    """``closed_ticket(owner=..., confirmed=True, **ticket_kwargs)``: a ticket the
    owner took and resolved and the requester confirmed (or the owner closed)."""

    def make(*, owner: Any = None, confirmed: bool = True, **kwargs: Any) -> Ticket:
        owner = owner or desk.agent
        ticket = desk.ticket(**kwargs)
        tickets.take_ownership(ticket=ticket, actor=owner)
        if confirmed:
            tickets.resolve(ticket=ticket, actor=owner, resolution="Replaced the roller.")
            return tickets.confirm_resolution(ticket=ticket, contact=ticket.requester, solved=True)
        return tickets.close(ticket=ticket, actor=owner, reason="Fixed on the phone.")

    return make


@pytest.fixture
def surveyed(closed_ticket: Callable[..., Ticket]) -> Callable[..., Survey]:
    """A survey just sent for a new closed ticket; ``.token`` holds its raw token."""

    def make(**kwargs: Any) -> Survey:
        return services.survey_send(ticket=closed_ticket(**kwargs))

    return make


@pytest.fixture(autouse=True)
def _surveys_sent_by_hand(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests send each survey themselves (to hold its raw token); closing
    sends it by itself in the desk, which test_closing_hook covers."""
    if request.module.__name__.endswith("test_closing_hook"):
        return
    monkeypatch.setattr(tickets, "CLOSED_HOOKS", [])
