from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.tickets.tests.test_query_counts import grows, queries
from deskwise.timelog import services
from deskwise.timelog.models import TimeEntry, Timer, TimeSource
from deskwise.timelog.tests.conftest import NOW, TODAY

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def panel_url(ticket) -> str:
    return f"/time/tickets/{ticket.pk}/"


class TestPanel:
    def test_shows_totals_mine_and_the_latest_entries(self, desk, colleague, client_for, now):
        ticket = desk.ticket()
        services.log_time(ticket=ticket, actor=desk.agent, minutes=30, note="Called the vendor")
        services.log_time(ticket=ticket, actor=colleague, minutes=65)
        html = client_for(desk.agent).get(panel_url(ticket), **HTMX).content.decode()
        assert "<strong>1:35</strong> on this ticket in 2 entries" in html
        assert "<strong>0:30</strong> mine" in html
        assert "Called the vendor" in html
        for minutes in (5, 15, 30, 60):
            assert f'value="{minutes}">+{minutes} min' in html
        assert "Start timer" in html
        assert 'type="date" name="work_date" value="2026-11-25" max="2026-11-25"' in html
        assert html.count(">remove</button>") == 1  # only my own

    def test_a_supervisor_may_remove_every_entry(self, desk, colleague, client_for, now):
        ticket = desk.ticket()
        services.log_time(ticket=ticket, actor=desk.agent, minutes=30)
        services.log_time(ticket=ticket, actor=colleague, minutes=65)
        html = client_for(desk.supervisor).get(panel_url(ticket)).content.decode()
        assert html.count(">remove</button>") == 2

    def test_404_for_anyone_who_may_not_see_the_ticket(self, desk, client_for):
        ticket = desk.ticket()
        for user in (desk.other_agent, desk.requester):
            client = client_for(user)
            assert client.get(panel_url(ticket)).status_code == 404
            assert client.post(f"{panel_url(ticket)}quick/", {"minutes": "15"}).status_code == 404
        assert client_for(desk.agent).get("/time/tickets/999999/").status_code == 404
        assert client_for(desk.agent).get(f"/time/tickets/{2**64}/").status_code == 404
        assert client_for(None).get(panel_url(ticket)).status_code in (302, 404)
        assert not TimeEntry.objects.exists()

    def test_the_ticket_page_loads_it(self, desk, client_for):
        ticket = desk.ticket()
        html = client_for(desk.agent).get(f"/desk/tickets/{ticket.pk}/").content.decode()
        assert f'hx-get="/time/tickets/{ticket.pk}/"' in html

    def test_query_count_does_not_grow_with_entries(self, desk, colleague, client_for, now):
        ticket = desk.ticket()
        services.start_timer(ticket=desk.ticket(), actor=desk.agent)

        def add() -> None:
            for i in range(15):
                services.log_time(
                    ticket=ticket, actor=colleague if i % 2 else desk.agent, minutes=5
                )

        client = client_for(desk.agent)
        small, large = grows(lambda: queries(client, panel_url(ticket), **HTMX), add)
        assert small == large <= 8


class TestPosts:
    def test_quick_buttons_log_today_and_re_render(self, desk, client_for, now):
        ticket = desk.ticket()
        response = client_for(desk.agent).post(
            f"{panel_url(ticket)}quick/", {"minutes": "15"}, **HTMX
        )
        assert response.status_code == 200
        assert "0:15 logged." in response.content.decode()
        entry = TimeEntry.objects.get()
        assert (entry.minutes, entry.source, entry.work_date) == (15, TimeSource.QUICK, TODAY)

    def test_only_the_quick_amounts(self, desk, client_for, now):
        ticket = desk.ticket()
        response = client_for(desk.agent).post(
            f"{panel_url(ticket)}quick/", {"minutes": "7"}, **HTMX
        )
        assert "Choose one of the quick amounts." in response.content.decode()
        assert not TimeEntry.objects.exists()

    def test_without_javascript_it_goes_back_to_the_ticket(self, desk, client_for, now):
        ticket = desk.ticket()
        response = client_for(desk.agent).post(f"{panel_url(ticket)}quick/", {"minutes": "60"})
        assert response.status_code == 302
        assert response["Location"] == f"/desk/tickets/{ticket.pk}/"

    @pytest.mark.parametrize(
        ("typed", "minutes"), [("90", 90), ("1:30", 90), ("1h30", 90), ("2h", 120), ("45m", 45)]
    )
    def test_manual_entry_in_minutes_or_hours(self, desk, client_for, now, typed, minutes):
        ticket = desk.ticket()
        day = TODAY - dt.timedelta(days=2)
        response = client_for(desk.agent).post(
            f"{panel_url(ticket)}log/",
            {"minutes": typed, "work_date": day.isoformat(), "note": "On site"},
            **HTMX,
        )
        assert response.status_code == 200
        entry = TimeEntry.objects.get()
        assert (entry.minutes, entry.work_date, entry.note) == (minutes, day, "On site")

    @pytest.mark.parametrize(
        ("data", "words"),
        [
            ({"minutes": "soon"}, "Give minutes (25) or hours and minutes (1:30)."),
            ({"minutes": "0"}, "Log at least 1 minute."),
            ({"minutes": "24:01"}, "at most a day"),
            ({"minutes": "5\x00"}, "Null characters are not allowed."),
            ({"minutes": "5", "note": "a\x00b"}, "Null characters are not allowed."),
            ({"minutes": "5", "work_date": "2026-11-26"}, "is in the future"),
            ({"minutes": "5", "work_date": "2026-08-01"}, "more than 90 days ago"),
            ({"minutes": "5", "work_date": "someday"}, "Enter a valid date."),
        ],
    )
    def test_bad_manual_input_is_shown_in_the_panel(self, desk, client_for, now, data, words):
        ticket = desk.ticket()
        response = client_for(desk.agent).post(f"{panel_url(ticket)}log/", data, **HTMX)
        assert response.status_code == 200
        assert words in response.content.decode()
        assert not TimeEntry.objects.exists()

    def test_bad_input_without_javascript_is_a_message(self, desk, client_for, now):
        ticket = desk.ticket()
        client = client_for(desk.agent)
        response = client.post(f"{panel_url(ticket)}log/", {"minutes": "0"}, follow=True)
        assert "Log at least 1 minute." in response.content.decode()

    def test_the_timer(self, desk, client_for):
        ticket = desk.ticket()
        client = client_for(desk.agent)
        with clock.frozen_at(NOW):
            html = client.post(f"{panel_url(ticket)}timer/start/", **HTMX).content.decode()
        assert "Stop timer" in html
        assert "Timer started." in html
        with clock.frozen_at(NOW + dt.timedelta(minutes=12, seconds=30)):
            html = client.get(panel_url(ticket), **HTMX).content.decode()
            assert "running 0:12 (since 10:00)" in html
            html = client.post(f"{panel_url(ticket)}timer/stop/", **HTMX).content.decode()
        assert "Timer stopped: 0:13 logged." in html
        assert "Start timer" in html
        assert TimeEntry.objects.get().minutes == 13
        with clock.frozen_at(NOW):
            html = client.post(f"{panel_url(ticket)}timer/stop/", **HTMX).content.decode()
        assert "No timer of yours is running." in html

    def test_a_timer_elsewhere_is_shown_and_moved(self, desk, client_for, now):
        first, second = desk.ticket(), desk.ticket()
        services.start_timer(ticket=first, actor=desk.agent)
        client = client_for(desk.agent)
        html = client.get(panel_url(second), **HTMX).content.decode()
        assert "Your timer runs on" in html
        assert first.reference in html
        html = client.post(f"{panel_url(second)}timer/start/", **HTMX).content.decode()
        assert f"logged on {first.reference}" in html
        assert Timer.objects.get().ticket_id == second.pk

    def test_remove(self, desk, colleague, client_for, now):
        ticket = desk.ticket()
        mine = services.log_time(ticket=ticket, actor=desk.agent, minutes=15)
        theirs = services.log_time(ticket=ticket, actor=colleague, minutes=20)
        client = client_for(desk.agent)
        html = client.post(
            f"{panel_url(ticket)}entries/{theirs.pk}/remove/", **HTMX
        ).content.decode()
        assert "You remove your own time entries" in html
        html = client.post(f"{panel_url(ticket)}entries/{mine.pk}/remove/", **HTMX).content.decode()
        assert "0:15 removed." in html
        assert list(TimeEntry.objects.values_list("pk", flat=True)) == [theirs.pk]
        other = services.log_time(ticket=desk.ticket(), actor=desk.agent, minutes=5)
        html = client.post(
            f"{panel_url(ticket)}entries/{other.pk}/remove/", **HTMX
        ).content.decode()
        assert "There is no time entry" in html
        assert client.get(f"{panel_url(ticket)}entries/{mine.pk}/remove/").status_code == 405


def test_the_ticket_page_shows_time_events_to_agents_only(desk, client_for, now):
    ticket = desk.ticket()
    services.log_time(ticket=ticket, actor=desk.agent, minutes=25, note="Swapped the toner")
    html = client_for(desk.agent).get(f"/desk/tickets/{ticket.pk}/").content.decode()
    assert "0:25 logged. Swapped the toner" in html
    portal = client_for(desk.requester).get(f"/portal/requests/{ticket.pk}/")
    assert portal.status_code == 200
    assert "Swapped the toner" not in portal.content.decode()
