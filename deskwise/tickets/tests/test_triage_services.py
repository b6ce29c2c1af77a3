"""Triage and the queue through the services: intake on every channel, agents
changing triage and flags, the next ticket, capacity and auto-assignment."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.accounts.choices import AutoAssign, Role
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed
from deskwise.testing import UserFactory
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, EventKind, Impact, Priority, Status, Urgency
from deskwise.tickets.models import Ticket
from deskwise.triage.flags import Flag

pytestmark = pytest.mark.django_db

WEDNESDAY_NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def untriaged(desk, subject: str, description: str, **kwargs) -> Ticket:
    return desk.ticket(subject=subject, description=description, impact=None, urgency=None,
                       **kwargs)  # fmt: skip


class TestIntake:
    def test_the_portal_request_is_triaged_and_the_reasons_are_on_the_timeline(self, desk):
        ticket = untriaged(desk, "Ransomware?", "A ransomware note on the whole office's screens.")
        assert ticket.triage_class == "security"
        assert ticket.impact == Impact.ORGANISATION
        assert ticket.priority == Priority.P1 or ticket.urgency != Urgency.BLOCKED
        event = ticket.events.get(kind=EventKind.TRIAGE)
        assert event.visibility == "internal"
        assert "Triage class set to security: rule “Security threat” matched “ransomware”" in (
            event.body_text
        )
        assert event.data["applied"]["triage_class"] == "security"

    def test_the_requesters_answers_beat_the_rules(self, desk):
        ticket = desk.ticket(
            subject="Everyone can't log in", description="The whole office cannot log in.",
            impact=Impact.PERSON, urgency=Urgency.CAN_WAIT,
        )  # fmt: skip
        assert (ticket.impact, ticket.urgency, ticket.priority) == (
            Impact.PERSON, Urgency.CAN_WAIT, Priority.P4,
        )  # fmt: skip

    def test_a_logged_call_is_triaged_too(self, desk):
        ticket = services.log_contact(
            actor=desk.agent,
            channel=Channel.PHONE,
            body="Caller says the server is down and everyone on the floor is stuck.",
            requester=desk.requester.contact,
            subject="Server down",
        )
        assert ticket.triage_class == "outage"
        assert ticket.urgency == Urgency.BLOCKED

    @pytest.mark.parametrize(
        "description",
        ["(The message had no text.)", "\ufffd", "🔥" * 3000, "word " * 19_000, "Ошибка 服务器"],
        ids=["no-text", "replacement-char", "emoji", "95-kb", "mixed-scripts"],
    )
    def test_strange_text_never_stops_a_request(self, desk, description):
        ticket = services.open_ticket(
            requester=desk.requester.contact,
            subject="(no subject)",
            description=description,
            channel=Channel.EMAIL,
        )
        assert ticket.pk
        assert ticket.priority in Priority.values

    def test_a_request_with_only_an_attachment_says_so(self, desk):
        ticket = untriaged(desk, "Screenshot", "(The message had no text.)")
        flag = next(f for f in ticket.red_flags if f["code"] == Flag.UNCLEAR)
        assert flag["questions"]

    def test_the_acknowledgement_carries_an_honest_wait(self, desk, mailoutbox, run_tasks):
        with clock.frozen_at(WEDNESDAY_NOON), run_tasks():
            ticket = untriaged(desk, "VPN", "The VPN drops every ten minutes since Monday.")
        assert ticket.expected_start_at is not None
        assert ticket.predicted_start_at == ticket.expected_start_at
        (ack,) = mailoutbox
        assert "we do not yet have enough history" in ack.body
        assert "start on requests like yours within 24 hours (by tomorrow afternoon)" in ack.body


class TestChangeTriage:
    def test_an_agent_corrects_with_a_reason_and_the_override_is_counted(self, desk):
        ticket = untriaged(desk, "Phishing?", "I got a phishing mail, did not click.")
        assert ticket.triage_class == "security"
        ticket = services.change_triage(
            ticket=ticket, actor=desk.agent, reason="Reported only; nothing clicked.",
            triage_class="request", urgency=Urgency.CAN_WAIT,
        )  # fmt: skip
        event = ticket.events.filter(kind=EventKind.TRIAGE).latest("id")
        assert event.body_text == "Reported only; nothing clicked."
        assert event.data["changes"]["triage_class"] == {
            "from": "security", "to": "request", "overrode": True,
        }  # fmt: skip
        assert ticket.priority == Priority.P4

    def test_priority_follows_the_matrix_unless_set(self, desk):
        ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.DEGRADED)
        ticket = services.change_triage(
            ticket=ticket, actor=desk.agent, reason="The whole team", impact=Impact.TEAM
        )
        assert ticket.priority == Priority.P3
        ticket = services.change_triage(
            ticket=ticket, actor=desk.agent, reason="CEO's demo", priority=Priority.P1
        )
        assert ticket.priority == Priority.P1
        assert ticket.events.filter(kind=EventKind.TRIAGE).count() == 2

    def test_nothing_changed_is_a_conflict_and_a_reason_is_required(self, desk):
        ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.DEGRADED)
        with pytest.raises(Conflict):
            services.change_triage(
                ticket=ticket, actor=desk.agent, reason="Same", impact=Impact.PERSON
            )
        with pytest.raises(InvalidInput):
            services.change_triage(ticket=ticket, actor=desk.agent, reason=" ", impact=Impact.TEAM)

    def test_requesters_and_other_teams_cannot(self, desk):
        ticket = desk.ticket()
        for who in (desk.requester, desk.other_agent):
            with pytest.raises(NotAllowed):
                services.change_triage(
                    ticket=ticket, actor=who, reason="Mine", impact=Impact.ORGANISATION
                )


class TestFlags:
    def test_set_and_clear_with_reasons(self, desk):
        ticket = desk.ticket()
        ticket = services.set_flag(
            ticket=ticket, actor=desk.agent, code=Flag.RESEARCH, reason="Needs a training session"
        )
        flag = ticket.red_flags[-1]
        assert (flag["code"], flag["reason"], flag["source"]) == (
            Flag.RESEARCH, "Needs a training session", desk.agent.display_name,
        )  # fmt: skip
        with pytest.raises(Conflict):
            services.set_flag(ticket=ticket, actor=desk.agent, code=Flag.RESEARCH, reason="again")
        ticket = services.set_flag(
            ticket=ticket, actor=desk.agent, code=Flag.RESEARCH, reason="Done", on=False
        )
        assert all(f["code"] != Flag.RESEARCH for f in ticket.red_flags)
        assert ticket.events.filter(kind=EventKind.FLAG).count() == 2

    def test_an_unknown_flag_is_invalid(self, desk):
        with pytest.raises(InvalidInput):
            services.set_flag(ticket=desk.ticket(), actor=desk.agent, code="nope", reason="x")

    def test_a_frustrated_reply_flags_the_ticket_once(self, desk):
        ticket = desk.ticket()
        contact = desk.requester.contact
        services.add_requester_message(ticket=ticket, contact=contact, body="Thanks, will try.")
        ticket.refresh_from_db()
        assert not ticket.frustrated
        angry = "This is the THIRD TIME I ask!!! It is STILL NOT FIXED and nobody answers."
        services.add_requester_message(ticket=ticket, contact=contact, body=angry)
        services.add_requester_message(ticket=ticket, contact=contact, body=angry)
        ticket.refresh_from_db()
        assert ticket.frustrated
        assert [f["code"] for f in ticket.red_flags].count(Flag.FRUSTRATED) == 1
        flagged = [e for e in ticket.events.filter(kind=EventKind.MESSAGE_IN) if "flag" in e.data]
        assert len(flagged) == 1
        assert flagged[0].data["flag"]["code"] == Flag.FRUSTRATED


class TestQueueAndCapacity:
    def test_next_ticket_is_the_most_important_then_the_oldest_in_my_teams(self, desk):
        with clock.frozen_at(WEDNESDAY_NOON - dt.timedelta(hours=3)):
            old_p4 = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
            old_p2 = desk.ticket(impact=Impact.TEAM, urgency=Urgency.BLOCKED)
        with clock.frozen_at(WEDNESDAY_NOON - dt.timedelta(hours=1)):
            new_p2 = desk.ticket(impact=Impact.TEAM, urgency=Urgency.BLOCKED)
            desk.ticket(team=desk.other_team, impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)
        with clock.frozen_at(WEDNESDAY_NOON):
            taken = [services.take_next(actor=desk.agent).pk for _ in range(3)]
            with pytest.raises(Conflict, match="Nothing is waiting"):
                services.take_next(actor=desk.agent)
        assert taken == [old_p2.pk, new_p2.pk, old_p4.pk]

    def test_past_the_limit_an_agent_is_stopped_and_a_supervisor_overrides(self, desk):
        desk.agent.wip_limit = 1
        desk.agent.save()
        first, second = desk.ticket(), desk.ticket()
        services.take_ownership(ticket=first, actor=desk.agent)
        with pytest.raises(Conflict, match="limit of 1"):
            services.take_ownership(ticket=second, actor=desk.agent)
        with pytest.raises(Conflict, match="limit of 1"):
            services.take_next(actor=desk.agent)
        with pytest.raises(Conflict, match="supervisor"):
            services.assign(ticket=second, actor=desk.supervisor, owner=desk.agent)
        with pytest.raises(NotAllowed):
            services.assign(ticket=second, actor=desk.agent, owner=desk.agent, override=True)
        services.assign(ticket=second, actor=desk.supervisor, owner=desk.agent, override=True)
        event = second.events.filter(kind=EventKind.ASSIGNMENT).latest("id")
        assert event.data["past_limit"] is True

    def test_finished_work_frees_capacity(self, desk):
        desk.agent.wip_limit = 1
        desk.agent.save()
        first = services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        services.resolve(ticket=first, actor=desk.agent, resolution="Replaced the cable.")
        services.take_ownership(ticket=desk.ticket(), actor=desk.agent)

    def _team_of_three(self, desk, mode: AutoAssign):
        desk.team.auto_assign = mode
        desk.team.save()
        extra = UserFactory(username="third", role=Role.AGENT, teams=[desk.team])
        return [desk.agent, desk.supervisor, extra]

    def test_round_robin_gives_tickets_in_turn(self, desk):
        agents = self._team_of_three(desk, AutoAssign.ROUND_ROBIN)
        with clock.frozen_at(WEDNESDAY_NOON):
            owners = [desk.ticket().owner for _ in range(4)]
        ordered = sorted(agents, key=lambda a: a.pk)
        assert owners == [*ordered, ordered[0]]

    def test_least_loaded_skips_the_full_and_the_off_shift(self, desk):
        agents = self._team_of_three(desk, AutoAssign.LEAST_LOADED)
        busy, full, night = agents
        night.working_hours = {"sat": [["09:00", "10:00"]]}
        night.save()
        full.wip_limit = 0
        full.save()
        with clock.frozen_at(WEDNESDAY_NOON):
            tickets = [desk.ticket() for _ in range(2)]
        assert [t.owner for t in tickets] == [busy, busy]
        assert tickets[0].status == Status.OPEN
        assert tickets[0].events.filter(kind=EventKind.ASSIGNMENT, data__auto__isnull=False)

    def test_nobody_with_capacity_leaves_it_in_the_queue(self, desk):
        agents = self._team_of_three(desk, AutoAssign.LEAST_LOADED)
        for agent in agents:
            agent.wip_limit = 0
            agent.save()
        with clock.frozen_at(WEDNESDAY_NOON):
            ticket = desk.ticket()
        assert ticket.owner is None
        assert ticket.status == Status.NEW
