"""The time reports' numbers on crafted data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.core import clock
from deskwise.kb.models import Article, Deflection
from deskwise.outcomes.models import Decision, DecisionReason
from deskwise.reports.base import REGISTRY, Filters
from deskwise.testing import ContactFactory
from deskwise.tickets.models import Ticket
from deskwise.timelog import reports
from deskwise.timelog.models import TimeEntry
from deskwise.timelog.tests.conftest import NOW, TODAY
from deskwise.triage.models import Category

pytestmark = pytest.mark.django_db


def log(ticket, agent, minutes, days_ago):
    TimeEntry.objects.create(
        ticket=ticket,
        agent=agent,
        minutes=minutes,
        work_date=TODAY - dt.timedelta(days=days_ago),
        created_at=NOW,
    )


@pytest.fixture
def data(desk, colleague):
    network = Category.objects.create(name="Network")
    printing = Category.objects.create(name="Printing")
    alice = ContactFactory(name="Alice Ames", email="alice@example.com")
    bob = ContactFactory(name="Bob Brown", email="bob@example.com")
    with clock.frozen_at(NOW - dt.timedelta(days=60)):
        t1 = desk.ticket(requester=alice, category=network)
        t2 = desk.ticket(requester=alice, category=network)
        t3 = desk.ticket(requester=bob, category=printing)
        t4 = desk.ticket(requester=bob, team=desk.other_team)
        t5 = desk.ticket(requester=bob, category=network)
        handled = desk.ticket(requester=bob, category=network)
    Ticket.objects.filter(pk=t4.pk).update(category=None)
    # The desk handles a network ticket in 2 hours (first response to resolution).
    start = NOW - dt.timedelta(days=10)
    Ticket.objects.filter(pk=handled.pk).update(
        first_response_at=start, resolved_at=start + dt.timedelta(hours=2), status="resolved"
    )
    log(t1, desk.agent, 120, 0)  # Wednesday, this week
    log(t1, colleague, 30, 2)  # Monday, this week
    log(t2, desk.agent, 30, 7)  # last week
    log(t3, desk.agent, 60, 1)  # Tuesday, this week
    log(t4, desk.other_agent, 90, 0)  # another team's ticket
    log(t5, desk.agent, 45, 40)  # before the range
    return {"t1": t1, "t2": t2, "t3": t3, "t4": t4, "network": network, "printing": printing}


def filters(desk, *, agent=None, teams=None, since_days=30):
    return Filters(
        since=TODAY - dt.timedelta(days=since_days),
        until=TODAY,
        team_ids=frozenset({desk.team.pk} if teams is None else teams),
        agent_id=agent.pk if agent is not None else None,
    )


def test_registered_with_their_audiences():
    assert REGISTRY["time_by_category"].audience == "agent"
    assert REGISTRY["time_by_requester"].audience == "supervisor"
    assert REGISTRY["reclaim"].audience == "agent"


def test_time_by_category(desk, data):
    t1, t2, t3 = data["t1"], data["t2"], data["t3"]
    with clock.frozen_at(NOW):
        found = reports.time_by_category(filters(desk))
    assert [c.key for c in found.columns] == [
        "category", "hours", "share", "tickets", "hours_per_ticket", "top_tickets"
    ]  # fmt: skip
    assert [list(r) for r in found.rows] == [
        ["Network", 3.0, 0.75, 2, 1.5, f"DW-{t1.pk} (2.5 h), DW-{t2.pk} (0.5 h)"],
        ["Printing", 1.0, 0.25, 1, 1.0, f"DW-{t3.pk} (1.0 h)"],
    ]
    assert found.figures[0] == ("Hours logged", 4.0, "hours")
    assert found.figures[2] == ("Hours per ticket", 1.33, "hours")
    assert found.chart is not None
    assert list(found.chart.x_labels) == ["Network", "Printing"]
    assert found.definition


def test_time_by_category_for_one_agent_other_teams_and_ranges(desk, data):
    mine = reports.time_by_category(filters(desk, agent=desk.agent))
    assert [(r[0], r[1], r[3]) for r in mine.rows] == [("Network", 2.5, 2), ("Printing", 1.0, 1)]
    # The agent's time on a ticket since moved to a team outside theirs: counted
    # when no team was chosen, left out when one was.
    Ticket.objects.filter(pk=data["t3"].pk).update(team=desk.other_team)
    mine = reports.time_by_category(filters(desk, agent=desk.agent))
    assert [r[0] for r in mine.rows] == ["Network"]
    anywhere = Filters(**{**vars(filters(desk, agent=desk.agent)), "every_team": True})
    everything = reports.time_by_category(anywhere)
    assert [(r[0], r[1]) for r in everything.rows] == [("Network", 2.5), ("Printing", 1.0)]
    assert "whichever team" in everything.definition
    assert reports.time_by_category(Filters(**{**vars(anywhere), "agent_id": None})).rows == (
        reports.time_by_category(filters(desk)).rows
    )  # the teams' time stays the teams'
    Ticket.objects.filter(pk=data["t3"].pk).update(team=desk.team)
    other = reports.time_by_category(filters(desk, teams={desk.other_team.pk}))
    assert [(r[0], r[1]) for r in other.rows] == [("No category", 1.5)]
    assert reports.time_by_category(filters(desk, teams=set())).rows == []
    longer = reports.time_by_category(filters(desk, since_days=45))
    assert longer.rows[0][:2] == ("Network", 3.75)


def test_time_by_requester(desk, data):
    found = reports.time_by_requester(filters(desk))
    assert [list(r) for r in found.rows] == [
        ["Alice Ames", "alice@example.com", 3.0, 2, 1.5, 0.75],
        ["Bob Brown", "bob@example.com", 1.0, 1, 1.0, 0.25],
    ]
    assert found.figures[1] == ("Requesters", 2, "count")
    assert found.chart is not None
    assert found.chart.kind == "horizontal_bar"


@pytest.fixture
def savings(desk, colleague, data):
    reason = DecisionReason.objects.create(code="test-capacity", label="No capacity")

    def decide(kind, category, at, agent=desk.agent):
        ticket = data["t1"]
        Decision.objects.create(
            ticket=ticket,
            kind=kind,
            reason=reason,
            agent=agent,
            team=desk.team,
            category=category,
            requester=ticket.requester,
            subject="Install a new printer",
            created_at=at,
        )

    monday = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
    last_week = dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC)
    decide("decline", data["network"], NOW)
    decide("decline", data["network"], monday, agent=colleague)
    decide("decline", data["network"], last_week)
    decide("defer", data["printing"], NOW)
    decide("decline", data["network"], last_week - dt.timedelta(days=7))  # two weeks ago
    mine = Article.objects.create(
        title="VPN", slug="vpn", body="x", owner=desk.agent, created_at=NOW, updated_at=NOW
    )
    other = Article.objects.create(
        title="Wi-Fi", slug="wifi", body="x", created_at=NOW, updated_at=NOW
    )
    Deflection.objects.create(article=mine, created_at=monday)
    Deflection.objects.create(article=other, created_at=NOW)
    Deflection.objects.create(article=other, created_at=last_week)


def test_reclaim_for_the_teams(desk, savings):
    with clock.frozen_at(NOW):
        found = reports.reclaim(filters(desk))
    rows = [list(r) for r in found.rows]
    assert rows[:2] == [
        ["Logged", "Network", None, None, 2.5, 0.5, 2.0],
        ["Logged", "Printing", None, None, 1.0, 0.0, 1.0],
    ]
    # Declines at the network handling time of 2 hours each.
    assert rows[2] == ["Saved", "Declines: kept free", 2, 1, 4.0, 2.0, 2.0]
    # The printing deferral at the team's average handling time; moved, not saved.
    assert rows[3] == ["Moved", "Deferrals: moved to a later week", 1, 0, 2.0, 0.0, 2.0]
    # A deflection at the hours logged per ticket in 90 days: 285 min / 4 tickets.
    assert rows[4][:4] == ["Saved", "Knowledge base: requests answered without a ticket", 2, 1]
    assert rows[4][4:] == [2.38, 1.19, 1.19]
    assert dict((label, value) for label, value, _ in found.figures) == {
        "Hours logged this week": 3.5,
        "Hours logged last week": 0.5,
        "Hours saved this week": 6.38,
        "Hours saved last week": 3.19,
    }
    assert found.chart is not None
    assert len(found.chart.series) == 2


def test_reclaim_for_one_agent(desk, savings):
    with clock.frozen_at(NOW):
        found = reports.reclaim(filters(desk, agent=desk.agent))
    rows = [list(r) for r in found.rows]
    assert rows[0] == ["Logged", "Network", None, None, 2.0, 0.5, 1.5]  # without the colleague's
    assert rows[2][2:6] == [1, 1, 2.0, 2.0]  # the agent's own declines
    assert rows[4][2:4] == [1, 0]  # what the agent's own article answered


def test_reports_make_a_fixed_number_of_queries(desk, savings):
    for build, most in (
        (reports.time_by_category, 3),
        (reports.time_by_requester, 2),
        (reports.reclaim, 5),
    ):
        with clock.frozen_at(NOW), CaptureQueriesContext(connection) as ctx:
            build(filters(desk))
        assert len(ctx.captured_queries) <= most, (build, len(ctx.captured_queries))
