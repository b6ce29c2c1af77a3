"""The wait estimate as the database side measures it."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.core.display import humanise
from deskwise.queueing import calendars
from deskwise.queueing.estimate import (
    ahead_of,
    capacity_date,
    estimate_for,
    rates,
    refresh_team,
    wait_words,
)
from deskwise.tickets import services
from deskwise.tickets.choices import Impact, Urgency
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db

# A Wednesday morning, inside the desk's default hours (Mon-Fri 09:00-17:00).
WEDNESDAY = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_staffing():
    calendars.forget()
    yield
    calendars.forget()


def history(desk, *, tickets: int, answered_after: dt.timedelta) -> None:
    """Tickets of the last days, each answered some time after it came in."""
    for n in range(tickets):
        opened = WEDNESDAY - dt.timedelta(days=1 + n % 7, hours=n % 5)
        with clock.frozen_at(opened):
            ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        with clock.frozen_at(opened + answered_after):
            services.reply(ticket=ticket, actor=desk.agent, body="On it.")


def test_without_history_the_target_is_quoted_and_said_to_be_one(desk):
    with clock.frozen_at(WEDNESDAY):
        ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        words = wait_words(ticket)
    assert ticket.estimate_basis == "target"
    assert ticket.predicted_start_at == ticket.expected_start_at
    assert "Our target is to start on requests like yours within 24 hours" in words
    assert "not yet have enough history" in words


def test_with_history_a_forecast_from_the_queue(desk):
    history(desk, tickets=30, answered_after=dt.timedelta(minutes=40))
    with clock.frozen_at(WEDNESDAY):
        first = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        later = [desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT) for _ in range(8)]
        last = later[-1]
        measured = rates(desk.team, 4)
    assert measured.starts_per_agent_hour is not None
    assert first.estimate_basis == "history"
    assert ahead_of(last) == 8
    assert last.expected_start_at > first.expected_start_at >= WEDNESDAY
    with clock.frozen_at(WEDNESDAY):
        assert wait_words(last).startswith("We expect to start on your request")


def test_more_urgent_work_goes_ahead(desk):
    history(desk, tickets=20, answered_after=dt.timedelta(minutes=30))
    with clock.frozen_at(WEDNESDAY):
        low = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        urgent = desk.ticket(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)
    assert ahead_of(urgent) == 0
    assert ahead_of(low) == 1


def test_the_sweep_moves_estimates_but_keeps_the_first_prediction(desk):
    history(desk, tickets=20, answered_after=dt.timedelta(minutes=30))
    with clock.frozen_at(WEDNESDAY):
        waiting = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
    predicted = waiting.predicted_start_at
    with clock.frozen_at(WEDNESDAY):
        for _ in range(5):
            desk.ticket(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)
        assert refresh_team(desk.team) >= 1
    waiting.refresh_from_db()
    assert waiting.predicted_start_at == predicted
    assert waiting.expected_start_at > predicted


def test_started_tickets_have_no_estimate(desk):
    with clock.frozen_at(WEDNESDAY):
        ticket = desk.ticket()
        services.reply(ticket=ticket, actor=desk.agent, body="Hello")
        ticket.refresh_from_db()
        assert estimate_for(ticket) is None
        assert wait_words(ticket) == ""


def test_capacity_for_a_deferral(desk):
    history(desk, tickets=20, answered_after=dt.timedelta(minutes=30))
    with clock.frozen_at(WEDNESDAY):
        for _ in range(3):
            desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        when = capacity_date(desk.team, 4)
    assert when is not None
    assert when >= WEDNESDAY


def test_a_team_that_never_works_has_no_estimate_and_says_so(desk):
    desk.team.working_hours = {"mon": []}
    desk.team.save()
    desk.agent.working_hours = {"mon": []}
    desk.agent.save()
    desk.supervisor.working_hours = {"mon": []}
    desk.supervisor.save()
    with clock.frozen_at(WEDNESDAY):
        ticket = desk.ticket()
        stored = Ticket.objects.get(pk=ticket.pk)
        assert stored.expected_start_at is None
        assert stored.estimate_basis == "closed"
        assert "no working hours scheduled" in wait_words(stored)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0.2, "1 minute"),
        (45, "45 minutes"),
        (120, "2 hours"),
        (60 * 30, "30 hours"),
        (60 * 72, "3 days"),
    ],
)
def test_humanise(minutes, words):
    assert humanise(dt.timedelta(minutes=minutes)) == words
