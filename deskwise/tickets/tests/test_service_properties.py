"""Property tests: any sequence of actions, by anyone, with any text, keeps a
ticket consistent. A refused action changes nothing; an accepted one appends
exactly one timeline event."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from deskwise.core.errors import ServiceError
from deskwise.tickets import services
from deskwise.tickets.choices import REOPENED_BY_REPLY, EventKind, Status
from deskwise.tickets.models import Ticket

texts = st.text(max_size=60) | st.sampled_from(["Fixed it.", "  ", "\x00", "ok\u202e", "é" * 5])


def snapshot(ticket: Ticket) -> tuple:
    ticket.refresh_from_db()
    return (
        ticket.status,
        ticket.owner_id,
        ticket.team_id,
        ticket.reopen_count,
        ticket.escalation_level,
        ticket.resolved_at,
        ticket.closed_at,
        ticket.first_response_at,
        # Each action's own event; what the desk does by itself on top of it
        # (the closing questions, service-level notes, automatic escalation)
        # is not the action's.
        sum(
            1
            for kind, data in ticket.events.values_list("kind", "data")
            if kind not in (EventKind.SURVEY, EventKind.SLA) and not (data or {}).get("automatic")
        ),
    )


@pytest.mark.django_db
def test_any_sequence_of_actions_keeps_a_ticket_consistent(desk):
    class TicketLife(RuleBasedStateMachine):
        @initialize()
        def open(self) -> None:
            self.ticket = desk.ticket()
            self.reopens = 0

        def attempt(self, action) -> None:
            before = snapshot(self.ticket)
            try:
                action()
            except ServiceError:
                assert snapshot(self.ticket) == before  # refused: nothing changed
                return
            after = snapshot(self.ticket)
            assert after[-1] == before[-1] + 1  # accepted: exactly one new event
            assert after[3] >= before[3]

        @rule(who=st.sampled_from(["agent", "other_agent", "supervisor", "requester"]), body=texts)
        def reply(self, who, body) -> None:
            self.attempt(
                lambda: services.reply(ticket=self.ticket, actor=getattr(desk, who), body=body)
            )

        @rule(who=st.sampled_from(["agent", "requester"]), body=texts)
        def note(self, who, body) -> None:
            self.attempt(
                lambda: services.add_note(ticket=self.ticket, actor=getattr(desk, who), body=body)
            )

        @rule(who=st.sampled_from(["requester", "other_requester"]), body=texts)
        def requester_writes(self, who, body) -> None:
            contact = getattr(desk, who).contact
            self.attempt(
                lambda: services.add_requester_message(
                    ticket=self.ticket, contact=contact, body=body
                )
            )

        @rule(to=st.sampled_from(Status), reason=texts)
        def transition(self, to, reason) -> None:
            self.attempt(
                lambda: services.transition(
                    ticket=self.ticket, actor=desk.agent, to=to, reason=reason
                )
            )

        @rule(solved=st.booleans())
        def confirm(self, solved) -> None:
            contact = desk.requester.contact
            self.attempt(
                lambda: services.confirm_resolution(
                    ticket=self.ticket, contact=contact, solved=solved
                )
            )

        @rule(who=st.sampled_from(["agent", "supervisor", "other_agent"]))
        def take(self, who) -> None:
            self.attempt(
                lambda: services.take_ownership(ticket=self.ticket, actor=getattr(desk, who))
            )

        @rule(to_team=st.booleans(), reason=texts)
        def escalate(self, to_team, reason) -> None:
            target = {"to_team": desk.other_team} if to_team else {"to_user": desk.supervisor}
            self.attempt(
                lambda: services.escalate(
                    ticket=self.ticket, actor=desk.agent, reason=reason, **target
                )
            )

        @invariant()
        def consistent(self) -> None:
            if not hasattr(self, "ticket"):
                return
            t = self.ticket
            t.refresh_from_db()
            assert t.status in set(Status)
            assert (t.closed_at is not None) == (t.status == Status.CLOSED)
            if t.status == Status.RESOLVED:
                assert t.resolved_at is not None
            if t.status not in REOPENED_BY_REPLY | {Status.CLOSED}:
                assert t.resolved_at is None
            if t.first_response_at is not None:
                assert t.first_response_at >= t.created_at
            assert t.due_at > t.created_at

    TicketLife.TestCase.settings = settings(
        max_examples=25,
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    TicketLife.TestCase().runTest()
