"""The weekly summary mail to supervisors."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from deskwise.core import clock
from deskwise.core.schedule import jobs
from deskwise.notifications.models import OutboundEmail
from deskwise.reports import base, weekly
from deskwise.reports.base import Column, Filters, Report, Spec

pytestmark = pytest.mark.django_db

SEEN: list[tuple[str, Filters]] = []
TZ = ZoneInfo(settings.TIME_ZONE)
# A Wednesday; last week is Monday 2 to Sunday 8 March 2026.
WEDNESDAY = dt.datetime(2026, 3, 11, 10, 0, tzinfo=TZ)


def builder(slug: str, figures):
    def build(filters: Filters) -> Report:
        SEEN.append((slug, filters))
        return Report(
            slug=slug,
            title=slug,
            definition="d",
            columns=[Column("n", "N")],
            rows=[[1]],
            figures=figures,
        )

    return build


@pytest.fixture
def reports(monkeypatch):
    SEEN.clear()
    for slug in list(base.REGISTRY):
        monkeypatch.delitem(base.REGISTRY, slug)
    monkeypatch.setitem(
        base.REGISTRY,
        "volume",
        Spec("volume", "Volume", "supervisor", builder("volume", [("Opened", 42, "count")])),
    )
    monkeypatch.setitem(
        base.REGISTRY,
        "sla",
        Spec("sla", "SLA", "agent", builder("sla", [("Met", 0.875, "percent")])),
    )


def test_last_week_is_monday_to_sunday_in_desk_time():
    assert weekly.last_week(WEDNESDAY) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))
    monday = dt.datetime(2026, 3, 9, 0, 30, tzinfo=TZ)
    assert weekly.last_week(monday) == (dt.date(2026, 3, 2), dt.date(2026, 3, 8))


def test_each_supervisor_gets_their_teams_week_once(desk, reports, run_tasks):
    with run_tasks():
        assert weekly.send_weekly_summaries(moment=WEDNESDAY) == 1
    # Only the supervisor works in a team; agents get nothing, the admin has no team.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [desk.supervisor.email]
    assert "Mon 02 Mar to Sun 08 Mar 2026" in message.subject
    assert "Opened: 42" in message.body
    assert "Met: 88%" in message.body
    assert "/desk/dashboard/" in message.body
    assert "Service levels" in message.body
    assert "Backlog" not in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert "Open the dashboard" in html
    assert "Service Desk" in html
    assert {s for s, _ in SEEN} == {"volume", "sla"}
    assert all(
        f == Filters(dt.date(2026, 3, 2), dt.date(2026, 3, 8), frozenset({desk.team.pk}))
        for _, f in SEEN
    )
    # A second run the same week (a retry, another scheduler) sends nothing.
    with run_tasks():
        assert weekly.send_weekly_summaries(moment=WEDNESDAY + dt.timedelta(hours=5)) == 0
    assert len(mail.outbox) == 1
    # Next week: a new summary.
    with run_tasks():
        assert weekly.send_weekly_summaries(moment=WEDNESDAY + dt.timedelta(days=7)) == 1
    assert OutboundEmail.objects.filter(template="weekly_summary").count() == 2


@pytest.mark.parametrize("hour", [7, 10])
def test_nothing_before_monday_morning(desk, reports, settings, hour):
    settings.DESKWISE_WEEKLY_SUMMARY_HOUR = hour
    early = dt.datetime(2026, 3, 9, hour - 1, 59, tzinfo=TZ)
    assert weekly.send_weekly_summaries(moment=early) == 0
    assert weekly.send_weekly_summaries(moment=early + dt.timedelta(minutes=1)) == 1


def test_a_failing_report_leaves_it_out(desk, reports, monkeypatch, run_tasks):
    def broken(filters: Filters) -> Report:
        raise RuntimeError("no")

    monkeypatch.setitem(base.REGISTRY, "backlog", Spec("backlog", "Backlog", "supervisor", broken))
    with run_tasks():
        assert weekly.send_weekly_summaries(moment=WEDNESDAY) == 1
    assert "Backlog" not in mail.outbox[0].body
    assert "Opened: 42" in mail.outbox[0].body


def test_the_task_is_scheduled_and_sends(desk, reports, run_tasks):
    import importlib

    # The scheduler imports each app's tasks module only: that one must bring it in.
    assert importlib.import_module("deskwise.reports.tasks").weekly is weekly
    assert "deskwise.reports.weekly.weekly_summary" in {job.name for job in jobs()}
    with clock.frozen_at(WEDNESDAY), run_tasks():
        weekly.weekly_summary.enqueue()
    assert len(mail.outbox) == 1
