"""Helpers for the problem tests: categories, incidents at a given time, problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from deskwise.core import clock
from deskwise.problems import services
from deskwise.problems.models import Problem
from deskwise.tickets import services as ticket_services
from deskwise.tickets.models import Ticket
from deskwise.triage.models import Category

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def network(db: None) -> Category:
    return Category.objects.create(name="Network")


@pytest.fixture
def printing(db: None) -> Category:
    return Category.objects.create(name="Printing")


@pytest.fixture
def incident(desk: Any) -> Callable[..., Ticket]:
    """A ticket opened (and by default resolved) ``days_ago`` days before NOW."""

    def make(
        subject: str,
        description: str,
        *,
        category: Category | None = None,
        days_ago: float = 1,
        resolved: bool = True,
        team: Any = None,
    ) -> Ticket:
        with clock.frozen_at(NOW - dt.timedelta(days=days_ago)):
            ticket = desk.ticket(
                subject=subject,
                description=description,
                category=category,
                team=team or desk.team,
            )
            if resolved:
                agent = desk.agent if ticket.team_id == desk.team.pk else desk.other_agent
                ticket_services.resolve(ticket=ticket, actor=agent, resolution="Sorted it out.")
        return ticket

    return make


@pytest.fixture
def problem(desk: Any) -> Callable[..., Problem]:
    def make(**kwargs: Any) -> Problem:
        kwargs.setdefault("actor", desk.agent)
        kwargs.setdefault("title", "VPN drops when working from home")
        kwargs.setdefault("symptoms", "The VPN connection drops every few minutes at home.")
        return services.problem_create(**kwargs)

    return make


@pytest.fixture
def known_error(problem: Callable[..., Problem]) -> Callable[..., Problem]:
    def make(**kwargs: Any) -> Problem:
        kwargs.setdefault("root_cause", "The VPN concentrator drops idle sessions after 120 s.")
        kwargs.setdefault("workaround", "Turn on 'keep alive' in the VPN client settings.")
        kwargs.setdefault("status", "known_error")
        return problem(**kwargs)

    return make
