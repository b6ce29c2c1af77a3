"""The recurring, bypass, wait-accuracy and triage-accuracy reports on small
crafted desks, each figure checked against what was done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.core import clock
from deskwise.outcomes import services as outcomes
from deskwise.outcomes.models import Where
from deskwise.problems import services as problems
from deskwise.reports import rollups
from deskwise.reports.base import REGISTRY
from deskwise.reports.models import TriageDay
from deskwise.reports.tests.crafted import (
    FRIDAY,
    THURSDAY,
    WEDNESDAY,
    H,
    at,
    build,
    figure,
    filters,
    row,
)
from deskwise.tickets import services
from deskwise.tickets.choices import Impact, Priority, Urgency
from deskwise.tickets.models import Ticket
from deskwise.triage import measures
from deskwise.triage.models import Category, TriageRule

pytestmark = pytest.mark.django_db


def rows(report, kind: str) -> list[list]:
    return [r for r in report.rows if r[0] == kind]


# --- wait accuracy ------------------------------------------------------------------


def _estimated(desk, *, opened: dt.datetime, estimate: dt.timedelta | None, answered, **kw):
    with clock.frozen_at(opened):
        ticket = desk.ticket(**kw)
    Ticket.objects.filter(pk=ticket.pk).update(
        predicted_start_at=None if estimate is None else opened + estimate,
        first_response_at=None if answered is None else opened + answered,
    )
    return ticket


def test_wait_accuracy_errors_on_time_and_late_per_priority(desk):
    opened = at(WEDNESDAY, 10)
    # Just me x degraded = P3 (the default matrix); late by 1 h, early by 2 h.
    p3 = _estimated(desk, opened=opened, estimate=H, answered=2 * H)
    _estimated(desk, opened=opened, estimate=3 * H, answered=H)
    # Organisation x blocked: a higher priority, late by 30 minutes, on Thursday.
    urgent = _estimated(
        desk,
        opened=at(THURSDAY, 9),
        estimate=H,
        answered=1.5 * H,
        impact=Impact.ORGANISATION,
        urgency=Urgency.BLOCKED,
    )
    # Left out: no estimate, not answered, another team, before the range.
    _estimated(desk, opened=opened, estimate=None, answered=H)
    _estimated(desk, opened=opened, estimate=H, answered=None)
    _estimated(desk, opened=opened, estimate=H, answered=9 * H, team=desk.other_team)
    _estimated(desk, opened=at(WEDNESDAY, 10) - 48 * H, estimate=H, answered=9 * H)
    assert urgent.priority != p3.priority
    report = build("wait_accuracy", filters(desk))
    normal = row(report, Priority(p3.priority).label)
    assert normal[1] == 2
    assert normal[2] == pytest.approx(1, rel=0.1)  # the median of 1 h and 2 h: the lower
    assert normal[3] == pytest.approx(2, rel=0.1)
    assert normal[4:] == [0.5, 0.5]
    high = row(report, Priority(urgent.priority).label)
    assert high[1] == 1
    assert high[4:] == [0.0, 1.0]
    assert high[2] == pytest.approx(0.5, rel=0.1)
    everything = row(report, "All")
    assert everything[1] == 3
    assert everything[4] == pytest.approx(0.333, abs=0.001)
    assert everything[5] == pytest.approx(0.667, abs=0.001)
    assert figure(report, "Tickets measured") == 3
    median = dict(report.chart.series)["Median"]
    assert report.chart.x_labels == [d.isoformat() for d in (WEDNESDAY, THURSDAY, FRIDAY)]
    assert median[0] == pytest.approx(1, rel=0.1)
    assert median[1] == pytest.approx(0.5, rel=0.1)
    assert median[2] is None
    # The agent's own: nobody owns them.
    assert row(build("wait_accuracy", filters(desk, agent_id=desk.agent.pk)), "All")[1] == 0


def test_wait_accuracy_under_a_minute_and_long_ranges(desk):
    opened = at(WEDNESDAY, 10)
    _estimated(desk, opened=opened, estimate=H, answered=H + dt.timedelta(seconds=20))
    _estimated(desk, opened=opened, estimate=H, answered=H + 30 * H)
    long = filters(desk, since=WEDNESDAY - dt.timedelta(days=90))
    report = build("wait_accuracy", long)
    everything = row(report, "All")
    assert everything[1] == 2
    assert everything[3] == pytest.approx(30, rel=0.1)
    assert len(report.chart.x_labels) == 14  # weeks from Monday
    monday = (WEDNESDAY - dt.timedelta(days=2)).isoformat()
    p90 = dict(report.chart.series)["90th percentile"]
    assert p90[report.chart.x_labels.index(monday)] == pytest.approx(30, rel=0.1)


# --- triage accuracy ----------------------------------------------------------------


@pytest.fixture
def rules(desk):
    printing = Category.objects.create(name="Printing")
    TriageRule.objects.create(name="jams", phrases="jams", field="triage_class", value="outage")
    TriageRule.objects.create(name="urgent", phrases="jams", field="urgency", value="blocked")
    TriageRule.objects.create(
        name="printing", phrases="print job", field="category", value="Printing", confidence=0.5
    )
    return printing


@pytest.mark.parametrize("counted", [False, True])
def test_triage_accuracy_kept_changed_and_not_applied(desk, rules, counted):
    with clock.frozen_at(at(WEDNESDAY, 10)):
        a = desk.ticket(urgency=None)
        b = desk.ticket(urgency=None)
        c = desk.ticket()  # urgency given: not a proposal
        desk.ticket(team=desk.other_team)
    with clock.frozen_at(at(THURSDAY, 10)):
        services.take_ownership(ticket=b, actor=desk.agent)
        services.change_triage(
            ticket=b, actor=desk.agent, reason="Asked for, not broken.", triage_class="request"
        )
        services.change_triage(ticket=a, actor=desk.agent, reason="Printing it is.", category=rules)
        services.change_triage(
            ticket=a, actor=desk.agent, reason="Only slow.", urgency=Urgency.DEGRADED
        )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.priority == c.priority  # back to degraded, as c was given
    if counted:
        with clock.frozen_at(at(FRIDAY, 12)):
            assert rollups.count_pending_days() >= 2
        assert TriageDay.objects.filter(day=WEDNESDAY).exists()
    report = build("triage_accuracy", filters(desk))
    # field, proposed, applied, kept, changed, accuracy, proposed not applied, chosen anyway
    assert row(report, "Class") == ["Class", 3, 3, 2, 1, 0.667, 0, 0]
    assert row(report, "Urgency") == ["Urgency", 2, 2, 1, 1, 0.5, 0, 0]
    assert row(report, "Category") == ["Category", 3, 0, 0, 0, None, 3, 1]
    assert row(report, "Impact")[1:] == [0, 0, 0, 0, None, 0, 0]
    assert row(report, "Team")[1:3] == [0, 0]  # the team was given each time
    # Urgency applied on a and b; a's urgency change moved its priority (blocked
    # ranks above degraded, as b still is).
    assert b.priority < a.priority
    assert row(report, "Priority (from impact and urgency)")[1:6] == [2, 2, 1, 1, 0.5]
    assert figure(report, "Applied proposals") == 5
    # The same tickets counted as the triage measures count them, across the desk.
    desk_wide = filters(desk, team_ids=frozenset({desk.team.pk, desk.other_team.pk}))
    with clock.frozen_at(at(FRIDAY, 12)):
        rates = {r.field: r for r in measures.override_rates(since=at(WEDNESDAY, 0),
                                                             until=at(FRIDAY, 0))}  # fmt: skip
    wide = build("triage_accuracy", desk_wide)
    assert row(wide, "Class")[2] == rates["triage_class"].applied == 4
    assert row(wide, "Class")[4] == rates["triage_class"].changed == 1
    assert row(wide, "Urgency")[4] == rates["urgency"].changed == 1
    # One agent's tickets: b only (owned by the agent), its class changed.
    mine = build("triage_accuracy", filters(desk, agent_id=desk.agent.pk))
    assert row(mine, "Class")[1:6] == [1, 1, 0, 1, 0.0]
    # A change days later shows once the day is recounted (or live).
    monday = FRIDAY + dt.timedelta(days=3)
    with clock.frozen_at(at(monday, 10)):
        services.change_triage(
            ticket=c, actor=desk.agent, reason="A request.", triage_class="request"
        )
        if counted:
            rollups.count_pending_days()
        later = REGISTRY["triage_accuracy"].build(filters(desk))
    assert row(later, "Class")[1:6] == [3, 3, 1, 2, 0.333]


# --- bypass -------------------------------------------------------------------------


def test_bypass_by_how_handled_and_favourite_technician(desk):
    me, other = desk.requester.contact, desk.other_requester.contact

    def ask(agent, requester, where, *, as_ticket, day=WEDNESDAY):
        with clock.frozen_at(at(day, 11)):
            outcomes.log_off_channel(
                actor=agent,
                requester=requester,
                what="My screen flickers",
                where=where,
                as_ticket=as_ticket,
                message="Could you send this to the desk?",
            )

    ask(desk.agent, me, Where.HALLWAY, as_ticket=True)
    ask(desk.agent, me, Where.PHONE, as_ticket=True, day=THURSDAY)
    ask(desk.agent, me, Where.CHAT, as_ticket=False, day=THURSDAY)
    ask(desk.supervisor, me, Where.HALLWAY, as_ticket=False)
    ask(desk.agent, other, Where.HALLWAY, as_ticket=False)
    ask(desk.other_agent, other, Where.PHONE, as_ticket=True)  # another team
    ask(desk.agent, me, Where.HALLWAY, as_ticket=True, day=WEDNESDAY - dt.timedelta(days=1))
    report = build("bypass", filters(desk))
    # by, name, asks, logged as a ticket, asked to submit, share
    assert row(report, "How asked", "All") == ["How asked", "All", 5, 2, 3, 1.0]
    assert row(report, "How asked", Where.HALLWAY.label)[2:] == [3, 1, 2, 0.6]
    assert row(report, "How asked", Where.PHONE.label)[2:] == [1, 1, 0, 0.2]
    assert row(report, "Agent asked", desk.agent.display_name)[2:] == [4, 2, 2, 0.8]
    assert row(report, "Agent asked", desk.supervisor.display_name)[2:] == [1, 0, 1, 0.2]
    favourites = rows(report, "Favourite technician")
    assert len(favourites) == 1
    assert favourites[0][2:] == [3, 2, 1, 0.75]
    assert desk.agent.display_name in favourites[0][1]
    # Concentration: 3 of my 4 went to the agent, the other's 1 of 1: 4 of 5.
    assert figure(report, "Concentration") == 0.8
    assert figure(report, "Favourite technician pairs") == 1
    assert dict(report.chart.series)["Logged as a ticket"] == [1.0, 1.0, 0.0]
    mine = build("bypass", filters(desk, agent_id=desk.supervisor.pk))
    assert row(mine, "How asked", "All")[2] == 1


# --- recurring ----------------------------------------------------------------------


def test_recurring_clusters_problems_and_categories(desk):
    vpn = {"subject": "VPN drops every hour", "description": "The VPN connection drops hourly."}
    with clock.frozen_at(at(WEDNESDAY, 9)):
        printers = [desk.ticket() for _ in range(3)]
        for _ in range(3):
            desk.ticket(**vpn)
        desk.ticket(subject="New starter laptop", description="A laptop for Sam on Monday.")
        desk.ticket(team=desk.other_team, **vpn)
    with clock.frozen_at(at(THURSDAY, 9)):
        problem = problems.problem_create(
            actor=desk.agent,
            title="Floor 2 printer fuser",
            symptoms="Jams after the first page.",
            incidents=printers,
        )
    report = build("recurring", filters(desk))
    clusters = rows(report, "Cluster")
    assert len(clusters) == 2
    by_label = {("printer" in r[2] or "jam" in r[2]): r for r in clusters}
    printing, drops = by_label[True], by_label[False]
    # kind, category, what, incidents, linked, problem, last seen, trend
    assert printing[3:6] == [3, 3, f"PRB-{problem.pk} Floor 2 printer fuser (Investigating)"]
    assert drops[3:6] == [3, 0, ""]
    assert drops[6] == WEDNESDAY.isoformat()
    assert rows(report, "Problem") == [
        [
            "Problem",
            "",
            "Floor 2 printer fuser",
            3,
            3,
            f"PRB-{problem.pk} Floor 2 printer fuser (Investigating)",
            "",
            "Investigating",
        ]
    ]
    assert rows(report, "Category") == [["Category", "No category", "", 7, 3, "", "", ""]]
    assert figure(report, "Incidents") == 7
    assert figure(report, "Linked to a problem") == pytest.approx(0.429, abs=0.001)
    assert figure(report, "Clusters without a problem") == 1
    assert report.chart.series == [("Linked to a problem", [3.0]), ("Not linked", [4.0])]


# --- all four -----------------------------------------------------------------------

SLUGS = ("recurring", "bypass", "wait_accuracy", "triage_accuracy")


def test_registered_for_supervisors_with_definitions_and_empty_ranges(desk):
    for slug in SLUGS:
        assert REGISTRY[slug].audience == "supervisor"
        report = build(slug, filters(desk))
        assert report.slug == slug
        assert len(report.definition) > 80
        assert all(len(r) == len(report.columns) for r in report.rows), slug
        assert report.chart is not None
        assert all(len(values) == len(report.chart.x_labels) for _, values in report.chart.series)


def test_queries_do_not_grow_with_data(desk, rules):
    def make(n: int) -> None:
        with clock.frozen_at(at(WEDNESDAY, 10)):
            for _ in range(n):
                t = desk.ticket(urgency=None)
                outcomes.log_off_channel(
                    actor=desk.agent,
                    requester=desk.requester.contact,
                    what="Quick one",
                    where=Where.HALLWAY,
                    as_ticket=False,
                    message="Please send it to the desk.",
                )
                Ticket.objects.filter(pk=t.pk).update(
                    predicted_start_at=t.created_at + H, first_response_at=t.created_at + 2 * H
                )

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            for slug in SLUGS:
                build(slug, filters(desk))
        return len(ctx.captured_queries)

    make(2)
    small = queries()
    make(6)
    assert queries() == small
    assert small <= 16
