"""The sweeps with frozen time: warnings, breaches and escalation; reminders
when a requester hears nothing; resolved tickets nobody confirms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from deskwise.core import clock
from deskwise.sla.models import Breach, Target
from deskwise.sla.tasks import confirmation_sweep, silence_sweep, sla_sweep
from deskwise.tickets import services
from deskwise.tickets.choices import EventKind, Impact, SlaState, Status, Urgency
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db

WEDNESDAY_10 = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
P2 = {"impact": Impact.TEAM, "urgency": Urgency.BLOCKED}


def sweep_at(moment: dt.datetime, run_tasks) -> int:
    with clock.frozen_at(moment), run_tasks():
        return sla_sweep.call()


def sla_events(ticket: Ticket) -> list[tuple[str, str]]:
    return [
        (e.data["sla"], e.data["target"])
        for e in ticket.events.filter(kind=EventKind.SLA).order_by("id")
    ]


@pytest.fixture
def owned(desk):
    with clock.frozen_at(WEDNESDAY_10):
        ticket = desk.ticket(**P2)
        services.take_ownership(ticket=ticket, actor=desk.agent)
    mail.outbox.clear()
    return ticket


class TestServiceLevelSweep:
    def test_warns_then_records_the_breach_and_escalates_once(self, desk, owned, run_tasks):
        assert sweep_at(WEDNESDAY_10 + 2 * H, run_tasks) == 0  # nothing due yet
        sweep_at(WEDNESDAY_10 + 3 * H, run_tasks)  # 75% of four hours
        owned.refresh_from_db()
        assert owned.sla_state == SlaState.WARNING
        assert sla_events(owned) == [("warning", "first_response")]
        assert [m.to for m in mail.outbox] == [[desk.agent.email]]
        assert "Due soon" in mail.outbox[0].subject
        assert owned.sla_next_at == WEDNESDAY_10 + 4 * H

        mail.outbox.clear()
        sweep_at(WEDNESDAY_10 + 4 * H, run_tasks)
        owned.refresh_from_db()
        assert owned.sla_state == SlaState.BREACHED
        assert owned.first_response_breached_at == WEDNESDAY_10 + 4 * H
        (breach,) = Breach.objects.all()
        assert (breach.ticket, breach.target, breach.due_at) == (
            owned,
            Target.FIRST_RESPONSE,
            WEDNESDAY_10 + 4 * H,
        )
        assert owned.escalated_to == desk.supervisor
        assert owned.escalation_level == 1
        escalation = owned.events.get(kind=EventKind.ESCALATION)
        assert escalation.data["automatic"] is True
        assert "first response target was missed" in escalation.body_text
        assert [m.to for m in mail.outbox] == [[desk.supervisor.email]]

        # Again and again: nothing is recorded twice.
        for later in (5 * H, 6 * H):
            sweep_at(WEDNESDAY_10 + later, run_tasks)
        owned.refresh_from_db()
        assert Breach.objects.count() == 1
        assert sla_events(owned) == [("warning", "first_response"), ("breach", "first_response")]
        assert owned.escalation_level == 1

    def test_a_sweep_that_did_not_run_loses_nothing(self, desk, owned, run_tasks):
        # The workers were down for a week: one sweep catches up from what is stored.
        sweep_at(WEDNESDAY_10 + dt.timedelta(days=7), run_tasks)
        owned.refresh_from_db()
        assert {b.target for b in Breach.objects.filter(ticket=owned)} == {
            Target.FIRST_RESPONSE,
            Target.RESOLUTION,
        }
        assert owned.sla_next_at is None  # nothing left to come due
        assert owned.escalation_level == 1

    def test_a_late_first_response_is_recorded_when_it_is_sent(self, desk, owned):
        with clock.frozen_at(WEDNESDAY_10 + 5 * H):  # the sweep has not run
            services.reply(ticket=owned, actor=desk.agent, body="Sorry for the wait.")
        owned.refresh_from_db()
        assert owned.first_response_breached_at is not None
        assert Breach.objects.filter(ticket=owned, target=Target.FIRST_RESPONSE).exists()

    def test_nothing_comes_due_while_the_clock_is_stopped(self, desk, owned, run_tasks):
        with clock.frozen_at(WEDNESDAY_10 + H):
            services.reply(ticket=owned, actor=desk.agent, body="Which one?", then=Status.WAITING)
        sweep_at(WEDNESDAY_10 + dt.timedelta(days=20), run_tasks)
        owned.refresh_from_db()
        assert not Breach.objects.exists()
        assert owned.sla_state == SlaState.OK

    def test_the_api_shows_the_service_level(self, desk, owned, run_tasks):
        from deskwise.tickets.tests.test_api import api

        sweep_at(WEDNESDAY_10 + 4 * H, run_tasks)
        body = api(desk.agent).get(f"/api/v1/tickets/{owned.pk}").json()
        assert body["sla"]["state"] == "breached"
        assert body["sla"]["paused"] is False
        assert body["sla"]["first_response_due_at"].startswith("2026-12-02T14:00")
        assert body["sla"]["first_response_breached_at"].startswith("2026-12-02T14:00")


class TestSilence:
    def test_the_owner_is_reminded_once_per_silence(self, desk, owned, run_tasks, settings):
        settings.DESKWISE_SILENCE_HOURS = [1, 2, 3, 4]  # P2: two hours
        with clock.frozen_at(WEDNESDAY_10 + H), run_tasks():
            assert silence_sweep.call() == 0
        with clock.frozen_at(WEDNESDAY_10 + 2 * H + dt.timedelta(minutes=1)), run_tasks():
            assert silence_sweep.call() == 1
            assert silence_sweep.call() == 0
        owned.refresh_from_db()
        silence = owned.events.get(kind=EventKind.SILENCE)
        assert "has heard nothing from us for 2 hours" in silence.body_text
        assert [m.to for m in mail.outbox] == [[desk.agent.email]]
        assert "Time for an update" in mail.outbox[0].subject
        # An update ends the silence; a new one is reminded again.
        with clock.frozen_at(WEDNESDAY_10 + 3 * H):
            services.reply(
                ticket=owned, actor=desk.agent, body="Still on it; next I swap the dock."
            )
        with clock.frozen_at(WEDNESDAY_10 + 4 * H), run_tasks():
            assert silence_sweep.call() == 0
        with clock.frozen_at(WEDNESDAY_10 + 6 * H), run_tasks():
            assert silence_sweep.call() == 1

    def test_no_owner_or_waiting_is_no_reminder(self, desk, run_tasks, settings):
        settings.DESKWISE_SILENCE_HOURS = [1, 1, 1, 1]
        with clock.frozen_at(WEDNESDAY_10):
            desk.ticket(**P2)
            waiting = desk.ticket(**P2)
            services.take_ownership(ticket=waiting, actor=desk.agent)
            services.reply(ticket=waiting, actor=desk.agent, body="Which?", then=Status.WAITING)
        with clock.frozen_at(WEDNESDAY_10 + 5 * H), run_tasks():
            assert silence_sweep.call() == 0


class TestConfirmation:
    def test_a_reminder_then_closed_as_unconfirmed(self, desk, owned, run_tasks):
        with clock.frozen_at(WEDNESDAY_10 + H):
            services.resolve(ticket=owned, actor=desk.agent, resolution="Replaced the dock.")
        mail.outbox.clear()
        with clock.frozen_at(WEDNESDAY_10 + dt.timedelta(days=2)), run_tasks():
            assert confirmation_sweep.call() == 0
        with clock.frozen_at(WEDNESDAY_10 + dt.timedelta(days=3, hours=2)), run_tasks():
            assert confirmation_sweep.call() == 1
            assert confirmation_sweep.call() == 0  # once
        (reminder,) = mail.outbox
        assert reminder.to == [desk.requester.email]
        assert "Is it solved?" in reminder.subject
        assert "we will close it on Wednesday 9 December" in reminder.body
        with clock.frozen_at(WEDNESDAY_10 + dt.timedelta(days=7, hours=2)), run_tasks():
            assert confirmation_sweep.call() == 1
        owned.refresh_from_db()
        assert owned.status == Status.CLOSED
        assert owned.resolution_confirmed is False
        closing = owned.events.filter(kind=EventKind.STATUS_CHANGE).latest("id")
        assert "closed as resolved, unconfirmed" in closing.body_text

    def test_a_confirmed_ticket_is_left_alone(self, desk, owned, run_tasks):
        with clock.frozen_at(WEDNESDAY_10 + H):
            services.resolve(ticket=owned, actor=desk.agent, resolution="Done.")
            services.confirm_resolution(ticket=owned, contact=owned.requester, solved=True)
        with clock.frozen_at(WEDNESDAY_10 + dt.timedelta(days=9)), run_tasks():
            assert confirmation_sweep.call() == 0
        owned.refresh_from_db()
        assert owned.resolution_confirmed is True


class TestAutomaticEscalation:
    def test_reopened_twice(self, desk, owned, settings):
        settings.DESKWISE_ESCALATE_REOPENS = 2
        settings.DESKWISE_TRIAGE = False  # no mood reading: only the reopening counts
        for n in range(2):
            services.resolve(ticket=owned, actor=desk.agent, resolution=f"Fix {n}")
            services.add_requester_message(
                ticket=owned, contact=owned.requester, body="Still broken"
            )
        owned.refresh_from_db()
        assert owned.reopen_count == 2
        assert owned.escalated_to == desk.supervisor
        escalation = owned.events.get(kind=EventKind.ESCALATION)
        assert "Reopened 2 times" in escalation.body_text

    def test_a_frustrated_requester_on_a_high_priority_ticket(self, desk, owned):
        services.add_requester_message(
            ticket=owned,
            contact=owned.requester,
            body="This is the THIRD time I am asking!!! Nobody answers and I am furious. "
            "This is completely unacceptable, I have lost a whole day of work.",
        )
        owned.refresh_from_db()
        assert owned.frustrated
        assert owned.escalated_to == desk.supervisor

    def test_a_frustrated_requester_on_a_low_priority_ticket_is_not_escalated(self, desk):
        ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        services.add_requester_message(
            ticket=ticket,
            contact=ticket.requester,
            body="This is the THIRD time I am asking!!! Nobody answers and I am furious. "
            "This is completely unacceptable, I have lost a whole day of work.",
        )
        ticket.refresh_from_db()
        assert ticket.frustrated
        assert ticket.escalated_to is None


class TestBoard:
    def test_supervisors_see_the_escalated_tickets(self, desk, owned, run_tasks, client_for):
        sweep_at(WEDNESDAY_10 + 4 * H, run_tasks)
        quiet = desk.ticket(subject="Not escalated")
        html = client_for(desk.supervisor).get("/desk/", {"view": "escalated"}).content.decode()
        assert owned.reference in html
        assert quiet.reference not in html
        assert 'href="/desk/?view=escalated"' in html
        agent_page = client_for(desk.agent).get("/desk/").content.decode()
        assert 'href="/desk/?view=escalated"' not in agent_page
