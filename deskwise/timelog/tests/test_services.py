from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from deskwise.tickets.choices import EventKind, Visibility
from deskwise.timelog import services
from deskwise.timelog.models import TimeEntry, Timer, TimeSource
from deskwise.timelog.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db


def time_events(ticket):
    return list(ticket.events.filter(kind=EventKind.TIME).order_by("id"))


class TestLogTime:
    def test_logs_an_entry_and_documents_it_internally(self, desk, now):
        ticket = desk.ticket()
        entry = services.log_time(ticket=ticket, actor=desk.agent, minutes=25, note="Reinstalled")
        assert (entry.minutes, entry.work_date, entry.source) == (25, TODAY, TimeSource.MANUAL)
        assert entry.agent == desk.agent
        assert entry.created_at == NOW
        (event,) = time_events(ticket)
        assert event.visibility == Visibility.INTERNAL
        assert event.actor == desk.agent
        assert event.body_text == "0:25 logged. Reinstalled"
        assert event.data == {
            "action": "logged",
            "entry": entry.pk,
            "minutes": 25,
            "work_date": TODAY.isoformat(),
            "source": "manual",
        }

    def test_an_earlier_day_is_named_on_the_timeline(self, desk, now):
        ticket = desk.ticket()
        day = TODAY - dt.timedelta(days=90)
        services.log_time(ticket=ticket, actor=desk.agent, minutes=60, work_date=day)
        assert time_events(ticket)[0].body_text == "1:00 logged on 27 Aug 2026."

    @pytest.mark.parametrize(
        ("minutes", "words"),
        [
            (0, "at least 1 minute"),
            (-5, "at least 1 minute"),
            (1441, "more than a day"),
            (10**9, "more than a day"),
            (True, "whole number"),
            (1.5, "whole number"),
            ("15", "whole number"),
        ],
    )
    def test_bad_minutes_are_refused_clearly(self, desk, now, minutes, words):
        with pytest.raises(InvalidInput, match=words) as exc:
            services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=minutes)
        assert "minutes" in exc.value.fields
        assert TimeEntry.objects.count() == 0

    def test_a_whole_day_is_the_most(self, desk, now):
        entry = services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=1440)
        assert entry.minutes == 1440

    @pytest.mark.parametrize(
        ("day", "words"),
        [
            (TODAY + dt.timedelta(days=1), "in the future"),
            (TODAY - dt.timedelta(days=91), "more than 90 days ago"),
        ],
    )
    def test_bad_days_are_refused(self, desk, now, day, words):
        with pytest.raises(Conflict, match=words) as exc:
            services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=5, work_date=day)
        assert "work_date" in exc.value.fields

    def test_nul_bytes_and_long_notes_are_refused(self, desk, now):
        ticket = desk.ticket()
        with pytest.raises(InvalidInput, match="NUL byte"):
            services.log_time(ticket=ticket, actor=desk.agent, minutes=5, note="a\x00b")
        with pytest.raises(InvalidInput, match="limit is 200"):
            services.log_time(ticket=ticket, actor=desk.agent, minutes=5, note="x" * 201)

    def test_sources(self, desk, now):
        ticket = desk.ticket()
        with pytest.raises(InvalidInput, match="made by the timer"):
            services.log_time(ticket=ticket, actor=desk.agent, minutes=5, source="timer")
        with pytest.raises(InvalidInput, match="no source"):
            services.log_time(ticket=ticket, actor=desk.agent, minutes=5, source="guess")
        entry = services.log_time(ticket=ticket, actor=desk.agent, minutes=5, source="quick")
        assert entry.source == TimeSource.QUICK

    def test_no_more_than_a_day_in_a_day(self, desk, now):
        services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=1400)
        with pytest.raises(Conflict, match="over 24 hours"):
            services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=41)
        services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=40)
        # Another agent's day is their own, and so is another day.
        services.log_time(ticket=desk.ticket(), actor=desk.supervisor, minutes=600)
        services.log_time(
            ticket=desk.ticket(), actor=desk.agent, minutes=600, work_date=TODAY - dt.timedelta(1)
        )

    def test_a_ticket_you_may_not_see_does_not_exist(self, desk, now):
        ticket = desk.ticket()
        with pytest.raises(NotFound):
            services.log_time(ticket=ticket, actor=desk.other_agent, minutes=5)
        assert time_events(ticket) == []

    def test_requesters_log_no_time(self, desk, now):
        with pytest.raises(NotAllowed):
            services.log_time(ticket=desk.ticket(), actor=desk.requester, minutes=5)

    def test_the_database_refuses_what_the_service_would(self, desk, now):
        ticket = desk.ticket()
        for minutes in (0, 1441):
            with pytest.raises(IntegrityError), transaction.atomic():
                TimeEntry.objects.create(
                    ticket=ticket,
                    agent=desk.agent,
                    minutes=minutes,
                    work_date=TODAY,
                    created_at=NOW,
                )


class TestTimer:
    def test_stop_logs_the_minutes_rounded_up(self, desk):
        ticket = desk.ticket()
        with clock.frozen_at(NOW):
            services.start_timer(ticket=ticket, actor=desk.agent)
        with clock.frozen_at(NOW + dt.timedelta(minutes=7, seconds=1)):
            entry = services.stop_timer(actor=desk.agent)
        assert entry is not None
        assert (entry.minutes, entry.source, entry.work_date) == (8, TimeSource.TIMER, TODAY)
        assert entry.started_at == NOW
        assert entry.ended_at == NOW + dt.timedelta(minutes=7, seconds=1)
        assert not Timer.objects.exists()
        assert time_events(ticket)[-1].body_text == "0:08 logged (timer)."

    def test_a_few_seconds_are_a_minute_and_a_forgotten_timer_a_day(self, desk):
        ticket = desk.ticket()
        with clock.frozen_at(NOW):
            services.start_timer(ticket=ticket, actor=desk.agent)
        with clock.frozen_at(NOW + dt.timedelta(seconds=3)):
            assert services.stop_timer(actor=desk.agent).minutes == 1
        with clock.frozen_at(NOW):
            services.start_timer(ticket=ticket, actor=desk.agent)
        with clock.frozen_at(NOW + dt.timedelta(days=3)):
            assert services.stop_timer(actor=desk.agent).minutes == 1440

    def test_starting_elsewhere_stops_and_logs_the_running_one(self, desk):
        first, second = desk.ticket(), desk.ticket()
        with clock.frozen_at(NOW):
            services.start_timer(ticket=first, actor=desk.agent)
        with clock.frozen_at(NOW + dt.timedelta(minutes=20)):
            timer, stopped = services.start_timer(ticket=second, actor=desk.agent)
        assert stopped is not None
        assert stopped.ticket_id == first.pk
        assert stopped.minutes == 20
        assert Timer.objects.get().ticket_id == second.pk == timer.ticket_id
        assert time_events(second) == []

    def test_one_timer_per_agent(self, desk, now):
        ticket = desk.ticket()
        services.start_timer(ticket=ticket, actor=desk.agent)
        with pytest.raises(Conflict, match="already"):
            services.start_timer(ticket=ticket, actor=desk.agent)
        with pytest.raises(IntegrityError), transaction.atomic():
            Timer.objects.create(agent=desk.agent, ticket=desk.ticket(), started_at=NOW)
        services.start_timer(ticket=ticket, actor=desk.supervisor)  # each their own
        assert Timer.objects.count() == 2

    def test_stop_without_a_timer_is_a_conflict(self, desk, now):
        with pytest.raises(Conflict, match="No timer"):
            services.stop_timer(actor=desk.agent)

    def test_a_ticket_that_moved_away_logs_nothing(self, desk, now):
        ticket = desk.ticket()
        services.start_timer(ticket=ticket, actor=desk.agent)
        ticket.__class__.objects.filter(pk=ticket.pk).update(team=desk.other_team)
        assert services.stop_timer(actor=desk.agent) is None
        assert not Timer.objects.exists()
        assert not TimeEntry.objects.exists()

    def test_not_on_a_ticket_you_may_not_see(self, desk, now):
        with pytest.raises(NotFound):
            services.start_timer(ticket=desk.ticket(), actor=desk.other_agent)


class TestRemove:
    def test_own_entries(self, desk, now):
        ticket = desk.ticket()
        entry = services.log_time(ticket=ticket, actor=desk.agent, minutes=15)
        services.remove_entry(entry=entry, actor=desk.agent)
        assert not TimeEntry.objects.exists()
        removed = time_events(ticket)[-1]
        assert removed.data["action"] == "removed"
        assert removed.data["minutes"] == 15
        assert removed.visibility == Visibility.INTERNAL
        assert removed.body_text == "Removed 0:15 logged for 25 Nov 2026."

    def test_not_a_colleagues_but_a_supervisor_removes_anyones(self, desk, colleague, now):
        ticket = desk.ticket()
        entry = services.log_time(ticket=ticket, actor=colleague, minutes=15)
        with pytest.raises(NotAllowed, match="your own"):
            services.remove_entry(entry=entry, actor=desk.agent)
        services.remove_entry(entry=entry, actor=desk.supervisor)
        assert not TimeEntry.objects.exists()
        assert "of " in time_events(ticket)[-1].body_text

    def test_not_on_a_ticket_you_may_not_see(self, desk, now):
        entry = services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=15)
        with pytest.raises(NotFound):
            services.remove_entry(entry=entry, actor=desk.other_agent)
        assert TimeEntry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_cannot_pass_a_day_together(desk, monkeypatch):
    """Two long entries logged at the same moment on different tickets: the
    second is checked after the first is written, so it is refused."""
    import threading
    import time

    from django.db import connection

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip("in-memory SQLite is one connection")
    checked = services._check_day_total

    def slow_check(*args, **kwargs) -> None:
        checked(*args, **kwargs)
        time.sleep(0.3)  # the other entry is checked meanwhile, unless it waits

    monkeypatch.setattr(services, "_check_day_total", slow_check)
    tickets = [desk.ticket(), desk.ticket()]
    outcomes: list[str] = []

    def log(ticket) -> None:
        try:
            services.log_time(ticket=ticket, actor=desk.agent, minutes=20 * 60)
            outcomes.append("logged")
        except Conflict:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=log, args=(t,)) for t in tickets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["logged", "refused"]
    assert TimeEntry.objects.filter(agent=desk.agent).count() == 1
