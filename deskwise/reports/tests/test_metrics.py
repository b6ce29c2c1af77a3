"""The reports' figures on small crafted desks: counted live and from the
rollups, they must agree, and each figure is checked against what was done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.core import clock
from deskwise.reports import rollups
from deskwise.reports.base import REGISTRY
from deskwise.reports.models import Watermark
from deskwise.reports.tests.crafted import FRIDAY, THURSDAY, WEDNESDAY, at, build, filters, row
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, Status
from deskwise.tickets.models import TimelineEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(desk):
    """Two answered and resolved tickets in the team, one open in the other team."""
    with clock.frozen_at(at(WEDNESDAY, 10)):
        a = desk.ticket(channel=Channel.EMAIL)
    with clock.frozen_at(at(WEDNESDAY, 16)):
        b = desk.ticket(channel=Channel.PORTAL)
        desk.ticket(team=desk.other_team)
    with clock.frozen_at(at(WEDNESDAY, 11)):
        services.take_ownership(ticket=a, actor=desk.agent)
        services.reply(ticket=a, actor=desk.agent, body="Looking at it now.")
    with clock.frozen_at(at(THURSDAY, 10)):
        services.take_ownership(ticket=b, actor=desk.agent)
        services.reply(ticket=b, actor=desk.agent, body="Looking at it now.")
        services.resolve(ticket=a, actor=desk.agent, resolution="Cleared the queue.")
    with clock.frozen_at(at(THURSDAY, 12)):
        services.resolve(ticket=b, actor=desk.agent, resolution="Replaced the drum.")
    return a, b


def count_all() -> None:
    with clock.frozen_at(at(FRIDAY, 12)):
        rollups.count_pending_days()
        rollups.count_events()


def test_histogram_percentiles_are_within_the_bucket_ratio():
    h = rollups.Histogram()
    for minutes in [10, 20, 30, 40, 1000]:
        h.add(minutes)
    assert h.total == 5
    assert h.percentile(0.5) == pytest.approx(30, rel=0.1)
    assert h.percentile(0.9) == pytest.approx(1000, rel=0.1)
    assert rollups.Histogram().percentile(0.5) is None
    assert rollups.bucket(0.5) == 0
    assert rollups.bucket(10**9) == rollups.BUCKETS - 1


@pytest.mark.parametrize("counted", [False, True])
def test_first_response_in_business_hours(desk, worked, counted):
    if counted:
        count_all()
    report = build("first_response", filters(desk))
    # a: 10:00 -> 11:00 = 60 min; b: Wed 16:00 -> Thu 10:00 = 1 h + 1 h = 120 min.
    everything = row(report, "All")
    assert everything[1] == 2
    assert everything[2] * 60 == pytest.approx(60, rel=0.1)  # the median: the lower of two
    assert everything[4] * 60 == pytest.approx(120, rel=0.1)
    assert sum(r[1] for r in report.rows[:-1]) == 2


@pytest.mark.parametrize("counted", [False, True])
def test_resolution_time_and_confirmations(desk, worked, counted):
    a, _b = worked
    with clock.frozen_at(at(THURSDAY, 14)):
        services.confirm_resolution(ticket=a, contact=a.requester, solved=True)
    if counted:
        count_all()
    report = build("resolution_time", filters(desk))
    # a: Wed 10-17 (7 h) + Thu 9-10 (1 h) = 8 h; b: Wed 16-17 + Thu 9-12 = 4 h.
    everything = row(report, "All")
    assert everything[1] == 2
    assert everything[2] == pytest.approx(4, rel=0.1)
    assert everything[4] == pytest.approx(8, rel=0.1)
    confirmed = row(build("confirmations", filters(desk)), "All")
    assert confirmed[1:6] == [2, 1, 0, 0, 1]


@pytest.mark.parametrize("counted", [False, True])
def test_volume_by_channel_and_team_only(desk, worked, counted):
    if counted:
        count_all()
    report = build("volume", filters(desk))
    keys = [c.key for c in report.columns]
    wednesday = row(report, WEDNESDAY.isoformat())
    assert wednesday[keys.index("total")] == 2  # the other team's ticket is left out
    assert wednesday[keys.index("channel:email")] == 1
    assert wednesday[keys.index("channel:portal")] == 1
    assert row(report, THURSDAY.isoformat())[keys.index("total")] == 0
    both = build("volume", filters(desk, team_ids=frozenset({desk.team.pk, desk.other_team.pk})))
    assert row(both, WEDNESDAY.isoformat())[keys.index("total")] == 3


def test_backlog_by_age_and_priority(desk):
    with clock.frozen_at(at(FRIDAY, 12) - dt.timedelta(days=10)):
        old = desk.ticket()
    with clock.frozen_at(at(FRIDAY, 11)):
        desk.ticket()
        done = desk.ticket()
        services.take_ownership(ticket=done, actor=desk.agent)
        services.resolve(ticket=done, actor=desk.agent, resolution="Done.")
    report = build("backlog", filters(desk))
    line = row(report, old.priority_choice.label)
    assert line[1:] == [1, 0, 0, 1, 0, 2]  # <1 day, 1-3, 3-7, 7-30, >30, open
    mine = build("backlog", filters(desk, agent_id=desk.agent.pk))
    assert row(mine, old.priority_choice.label)[-1] == 0


def test_sla_compliance_and_breaches(desk, worked):
    count_all()
    report = build("sla", filters(desk))
    everything = row(report, "All")
    assert everything[2] == 2
    assert everything[5] == 2
    assert 0 <= everything[3] <= 1


def test_escalations_and_workload_from_rollup_and_live(desk, worked):
    a, b = worked
    with clock.frozen_at(at(THURSDAY, 20)):  # outside business hours
        services.escalate(ticket=a, actor=desk.agent, reason="Needs a supervisor.")
    count_all()
    with clock.frozen_at(at(FRIDAY, 10)):  # past the watermark: counted live
        services.add_note(ticket=b, actor=desk.agent, body="Checked the logs.")
    report = build("escalations", filters(desk))
    assert row(report, "All")[2:] == [0, 1, 1]
    assert row(report, "Service Desk")[1] == 1
    work = build("workload", filters(desk))
    mine = row(work, desk.agent.display_name)
    # replies: 2 replies + 2 resolutions; 1 note; the escalation is not work counted here.
    assert mine[4] == 4
    assert mine[5] == 1
    assert mine[1] == 0  # both tickets resolved
    assert mine[7] == 0  # all during business hours
    again = build("workload", filters(desk))
    assert row(again, desk.agent.display_name) == mine


def test_queries_do_not_grow_with_tickets(desk, worked):
    count_all()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for slug in REGISTRY:
                build(slug, filters(desk))
        return len(ctx.captured_queries)

    small = queries()
    with clock.frozen_at(at(THURSDAY, 9)):
        for _ in range(5):
            t = desk.ticket()
            services.take_ownership(ticket=t, actor=desk.agent)
            services.reply(ticket=t, actor=desk.agent, body="On it.")
    count_all()
    assert queries() == small
    assert small <= 12 * len(REGISTRY)


def test_every_report_has_a_definition_and_rows(desk, worked):
    for slug, spec in REGISTRY.items():
        report = spec.build(filters(desk))
        assert report.slug == slug
        assert len(report.definition) > 80
        assert all(len(r) == len(report.columns) for r in report.rows), slug


def test_reopened_count(desk, worked):
    a, _ = worked
    with clock.frozen_at(at(THURSDAY, 13)):
        services.reopen(ticket=a, actor=desk.agent, reason="Came back.")
    with clock.frozen_at(at(THURSDAY, 15)):
        services.resolve(ticket=a, actor=desk.agent, resolution="Fixed again.")
    a.refresh_from_db()
    assert a.status == Status.RESOLVED
    assert a.reopen_count == 1
    count_all()
    assert row(build("reopens", filters(desk)), "All")[1:] == [2, 1, 0.5]


def test_events_still_settling_are_left_for_the_next_count(desk):
    """The watermark stops before the first event younger than EVENT_SETTLE,
    so an event whose transaction commits late is never passed over; the
    reports read the uncounted ones live meanwhile."""
    with clock.frozen_at(at(WEDNESDAY, 10)):
        ticket = desk.ticket()
        services.add_note(ticket=ticket, actor=desk.agent, body="First look.")
    with clock.frozen_at(at(WEDNESDAY, 10) + dt.timedelta(minutes=1)):
        assert rollups.count_events() == 0  # all younger than two minutes
    with clock.frozen_at(at(WEDNESDAY, 11)):
        newest = TimelineEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert rollups.count_events() > 0
        assert Watermark.objects.get(name=rollups.EVENTS_MARK).last_id == newest
