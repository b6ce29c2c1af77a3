"""The satisfaction and the deferrals-and-declines reports on small crafted
desks: each figure checked against the answers and decisions made."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.feedback import services as feedback
from deskwise.outcomes import services as outcomes
from deskwise.outcomes.models import DecisionReason
from deskwise.reports.tests.crafted import (
    FRIDAY,
    THURSDAY,
    WEDNESDAY,
    at,
    build,
    figure,
    filters,
    row,
)
from deskwise.tickets import services

pytestmark = pytest.mark.django_db

# --- satisfaction -------------------------------------------------------------------


@pytest.fixture
def answered(desk, monkeypatch):
    """Surveys of four tickets in the team and one in the other, answered in
    different ways; one left unanswered."""
    monkeypatch.setattr(services, "CLOSED_HOOKS", [])  # each survey is sent here

    def survey(owner, team=None, **answers):
        with clock.frozen_at(at(WEDNESDAY, 10)):
            ticket = desk.ticket(team=team) if team else desk.ticket()
            services.take_ownership(ticket=ticket, actor=owner)
            services.resolve(ticket=ticket, actor=owner, resolution="Replaced the roller.")
            services.confirm_resolution(ticket=ticket, contact=ticket.requester, solved=True)
            sent = feedback.survey_send(ticket=ticket)
        if answers:
            with clock.frozen_at(at(THURSDAY, 9)):
                feedback.survey_answer(token=sent.token, **answers)
        return sent

    survey(desk.agent, solved=True, satisfaction=5)
    survey(desk.agent, solved=False, satisfaction=2, better="Call me back sooner.")
    survey(desk.agent)
    survey(desk.supervisor, satisfaction=3)
    survey(desk.other_agent, team=desk.other_team, solved=True, satisfaction=4)


def test_satisfaction_answers_per_team_and_for_one_agent(desk, answered):
    report = build("satisfaction", filters(desk))
    # team, sent, answered, response rate, solved, average, poor, suggestions
    assert row(report, desk.team.name) == [desk.team.name, 4, 3, 0.75, 0.5, 3.33, 1, 1]
    assert row(report, "All")[1:] == [4, 3, 0.75, 0.5, 3.33, 1, 1]
    assert report.chart is not None
    assert report.chart.series[0][1] == [0.0, 1.0, 1.0, 0.0, 1.0]  # answers 1 to 5
    assert figure(report, "Response rate") == 0.75
    mine = build("satisfaction", filters(desk, agent_id=desk.agent.pk))
    assert row(mine, "All")[1:] == [3, 2, 0.667, 0.5, 3.5, 1, 1]
    both = build(
        "satisfaction", filters(desk, team_ids=frozenset({desk.team.pk, desk.other_team.pk}))
    )
    assert row(both, desk.other_team.name)[1:6] == [1, 1, 1.0, 1.0, 4.0]
    # The average of all is over the answers, not an average of the teams' averages.
    assert row(both, "All")[5] == 3.5
    assert build("satisfaction", filters(desk, since=FRIDAY)).rows[-1][1] == 0


# --- deferrals and declines ---------------------------------------------------------


def reason(code: str) -> DecisionReason:
    return DecisionReason.objects.get(code=code)


@pytest.fixture
def decided(desk):
    """In the team: a 4-hour ticket for the handling time, two declines for one
    reason and a deferral for another; a decline in the other team, which has
    no handling time to price it with."""
    with clock.frozen_at(at(WEDNESDAY, 9)):
        worked = desk.ticket()
        services.take_ownership(ticket=worked, actor=desk.agent)
        services.reply(ticket=worked, actor=desk.agent, body="Looking at it now.")
    with clock.frozen_at(at(WEDNESDAY, 13)):
        services.resolve(ticket=worked, actor=desk.agent, resolution="Replaced the drum.")

    def decide(kind: str, code: str, *, team=None, actor=None):
        ticket = desk.ticket(team=team) if team else desk.ticket()
        expected = THURSDAY + dt.timedelta(days=30) if kind == "defer" else None
        return outcomes.decide(
            ticket=ticket,
            actor=actor or desk.agent,
            kind=kind,
            reason=reason(code),
            message="Here is what we can do instead.",
            expected_date=expected,
        )

    with clock.frozen_at(at(THURSDAY, 10)):
        decide("decline", "out_of_scope")
        decide("decline", "out_of_scope", actor=desk.supervisor)
        decide("defer", "non_urgent_queue")
        decide("decline", "self_service", team=desk.other_team, actor=desk.other_agent)


def test_decisions_by_reason_with_the_time_they_kept_free(desk, decided):
    scope = reason("out_of_scope").label
    queued = reason("non_urgent_queue").label
    report = build("decisions", filters(desk))
    # reason, deferred, declined, time kept free (hours), declines not priced
    assert row(report, scope) == [scope, 0, 2, 8.0, 0]
    assert row(report, queued) == [queued, 1, 0, 0.0, 0]
    assert row(report, "All") == ["All", 1, 2, 8.0, 0]
    assert report.rows[0][0] == scope  # the most decisions first
    assert figure(report, "Time kept free") == 8.0
    mine = build("decisions", filters(desk, agent_id=desk.agent.pk))
    assert row(mine, "All") == ["All", 1, 1, 4.0, 0]
    both = build("decisions", filters(desk, team_ids=frozenset({desk.team.pk, desk.other_team.pk})))
    service = reason("self_service").label
    assert row(both, service) == [service, 0, 1, 0.0, 1]  # no handling time: not guessed
    assert row(both, "All") == ["All", 1, 3, 8.0, 1]
    assert build("decisions", filters(desk, since=FRIDAY)).rows == [["All", 0, 0, 0.0, 0]]
