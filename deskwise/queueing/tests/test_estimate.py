from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.core.display import humanise
from deskwise.queueing.estimate import estimate_wait
from deskwise.tickets import services
from deskwise.tickets.choices import Impact, Urgency

pytestmark = pytest.mark.django_db


def answered_after(desk, minutes: int, *, days_ago: int = 1) -> None:
    opened = clock.now() - dt.timedelta(days=days_ago)
    with clock.frozen_at(opened):
        ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
    with clock.frozen_at(opened + dt.timedelta(minutes=minutes)):
        services.reply(ticket=ticket, actor=desk.agent, body="Hello")


def test_without_history_it_quotes_the_target_and_says_so(desk):
    estimate = estimate_wait(team_id=desk.team.pk, priority=4)
    assert estimate.typical is None
    assert "not yet have enough history" in estimate.sentence
    assert "24 hours" in estimate.sentence


def test_with_history_it_gives_the_median_and_the_four_in_five(desk):
    for minutes in (10, 20, 30, 40, 50, 60, 70, 80, 90, 600):
        answered_after(desk, minutes)
    answered_after(desk, 5, days_ago=40)  # too old to count
    waiting = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
    desk.ticket(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)  # P1: ahead of any P4
    estimate = estimate_wait(team_id=desk.team.pk, priority=4, exclude_ticket_id=waiting.pk)
    assert estimate.samples == 10
    assert estimate.typical == dt.timedelta(minutes=55)
    assert estimate.likely_max is not None
    assert dt.timedelta(minutes=80) < estimate.likely_max < dt.timedelta(minutes=600)
    assert estimate.ahead == 1
    assert (
        "half of the requests like yours had a first answer within 55 minutes" in estimate.sentence
    )
    assert "There is 1 request of the same or higher priority ahead of yours." in estimate.sentence


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
