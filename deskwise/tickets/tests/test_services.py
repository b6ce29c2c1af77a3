from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed
from deskwise.tickets import services
from deskwise.tickets.choices import (
    TRANSITIONS,
    Channel,
    EventKind,
    Impact,
    Priority,
    Status,
    Urgency,
    Visibility,
)
from deskwise.tickets.models import Ticket, TimelineEvent

pytestmark = pytest.mark.django_db
WEDNESDAY_10 = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)


def kinds(ticket: Ticket) -> list[str]:
    return list(ticket.events.order_by("created_at", "id").values_list("kind", flat=True))


class TestOpenTicket:
    def test_creates_ticket_first_event_and_acknowledgement(self, desk, run_tasks):
        with run_tasks(), clock.frozen_at(WEDNESDAY_10):
            ticket = desk.ticket(
                subject="  VPN drops  ",
                description="It drops every 5 minutes.",
                actor=desk.requester,
                impact=Impact.TEAM,
                urgency=Urgency.BLOCKED,
            )
        ticket.refresh_from_db()
        assert ticket.reference == f"DW-{ticket.pk}"
        assert ticket.subject == "VPN drops"
        assert ticket.status == Status.NEW
        assert ticket.priority == Priority.P2
        # Four business hours (09:00-17:00 on weekdays) for a P2's first response.
        assert ticket.due_at == WEDNESDAY_10 + dt.timedelta(hours=4)
        event = ticket.events.get()
        assert event.kind == EventKind.MESSAGE_IN
        assert event.contact == desk.requester.contact
        assert event.body_html == "<p>It drops every 5 minutes.</p>"
        assert len(mail.outbox) == 1
        ack = mail.outbox[0]
        assert ack.to == [desk.requester.email]
        assert ack.subject == f"[{ticket.reference}] We have your request: VPN drops"
        assert "we do not yet have enough history" in ack.body
        assert ack.extra_headers["Message-ID"]

    def test_priority_follows_the_matrix(self, desk):
        cases = {
            (Impact.ORGANISATION, Urgency.BLOCKED): 1,
            (Impact.ORGANISATION, Urgency.CAN_WAIT): 3,
            (Impact.TEAM, Urgency.DEGRADED): 3,
            (Impact.PERSON, Urgency.BLOCKED): 3,
            (Impact.PERSON, Urgency.CAN_WAIT): 4,
        }
        for (impact, urgency), priority in cases.items():
            assert desk.ticket(impact=impact, urgency=urgency).priority == priority

    def test_goes_to_the_default_team(self, desk):
        ticket = services.open_ticket(
            requester=desk.requester.contact, subject="s", description="d", channel=Channel.EMAIL
        )
        assert ticket.team == desk.team

    @pytest.mark.parametrize(
        ("subject", "description", "field"),
        [
            ("", "text", "subject"),
            ("   ", "text", "subject"),
            ("x" * 201, "text", "subject"),
            ("bad\x00subject", "text", "subject"),
            ("line\nbreak", "text", "subject"),
            ("ok", "", "description"),
            ("ok", "nul \x00 byte", "description"),
            ("ok", "bell \x07", "description"),
            ("ok", "lone surrogate \ud800", "description"),
            ("ok", "x" * 100_001, "description"),
        ],
    )
    def test_bad_input_is_refused_with_a_message_and_nothing_saved(
        self, desk, subject, description, field
    ):
        with pytest.raises(InvalidInput) as exc:
            desk.ticket(subject=subject, description=description)
        assert field in exc.value.fields
        assert exc.value.message
        assert not Ticket.objects.exists()

    def test_requester_cannot_open_for_someone_else(self, desk):
        with pytest.raises(NotAllowed):
            desk.ticket(requester=desk.other_requester.contact, actor=desk.requester)

    def test_owner_must_be_a_member_of_the_team(self, desk):
        with pytest.raises(Conflict, match="not a member"):
            desk.ticket(owner=desk.other_agent)

    def test_logged_call_becomes_an_owned_ticket(self, desk):
        ticket = services.log_contact(
            actor=desk.agent,
            channel=Channel.PHONE,
            body="Printer jams.",
            requester=desk.requester.contact,
            subject="Printer",
        )
        assert ticket.owner == desk.agent
        assert ticket.status == Status.OPEN
        assert ticket.channel == Channel.PHONE
        event = ticket.events.get()
        assert (event.kind, event.actor, event.contact) == (EventKind.CALL, desk.agent, None)

    def test_attachments_are_stored_with_safe_names_and_hashes(self, desk):
        upload = SimpleUploadedFile("../../etc/pass\x00wd.txt", b"hello", "text/plain")
        ticket = desk.ticket(uploads=[upload])
        attachment = ticket.attachments.get()
        assert attachment.filename == "pass_wd.txt"
        assert attachment.size == 5
        assert attachment.sha256.startswith("2cf24dba")
        assert attachment.file.read() == b"hello"
        assert "pass" not in attachment.file.name

    def test_oversized_attachment_is_refused_with_the_limit(self, desk, settings):
        settings.DESKWISE_MAX_ATTACHMENT_BYTES = 10
        upload = SimpleUploadedFile("big.log", b"x" * 11)
        with pytest.raises(InvalidInput, match=r"big.log is 11 bytes; the limit is 10 bytes"):
            desk.ticket(uploads=[upload])
        assert not Ticket.objects.exists()


class TestConversation:
    def test_reply_answers_opens_and_mails_requester_and_copies(self, desk, run_tasks):
        copied = desk.other_requester.contact
        with clock.frozen_at(WEDNESDAY_10):
            ticket = desk.ticket(participants=[copied])
        with run_tasks(), clock.frozen_at(WEDNESDAY_10 + dt.timedelta(hours=1)):
            event = services.reply(ticket=ticket, actor=desk.agent, body="On my way.")
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.first_response_at == event.created_at
        # 240 business hours (30 working days) for a P4's resolution.
        assert ticket.due_at == dt.datetime(2027, 1, 13, 10, tzinfo=dt.UTC)
        assert event.data == {"status": {"from": "new", "to": "open"}}
        message = mail.outbox[-1]
        assert message.to == [desk.requester.email]
        assert message.cc == [copied.email]
        assert "On my way." in message.body
        first = ticket.emails.order_by("id").first()
        assert message.extra_headers["In-Reply-To"] == first.message_id

    def test_reply_can_wait_on_the_requester_and_their_answer_reopens(self, desk):
        ticket = desk.ticket()
        services.reply(ticket=ticket, actor=desk.agent, body="Which floor?", then=Status.WAITING)
        ticket.refresh_from_db()
        assert ticket.status == Status.WAITING
        services.add_requester_message(ticket=ticket, contact=desk.requester.contact, body="2nd")
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.reopen_count == 0

    def test_notes_are_internal_and_mail_nobody(self, desk, run_tasks):
        ticket = desk.ticket()
        mail.outbox.clear()
        with run_tasks():
            event = services.add_note(ticket=ticket, actor=desk.agent, body="Checked the logs.")
        assert event.visibility == Visibility.INTERNAL
        assert mail.outbox == []

    def test_owner_hears_when_the_requester_writes(self, desk, run_tasks):
        ticket = desk.ticket()
        services.take_ownership(ticket=ticket, actor=desk.agent)
        with run_tasks():
            services.add_requester_message(
                ticket=ticket, contact=desk.requester.contact, body="Any news?"
            )
        assert mail.outbox[-1].to == [desk.agent.email]
        assert "Any news?" in mail.outbox[-1].body

    def test_strangers_cannot_write_on_a_ticket(self, desk):
        ticket = desk.ticket()
        with pytest.raises(NotAllowed):
            services.add_requester_message(
                ticket=ticket, contact=desk.other_requester.contact, body="hi"
            )

    def test_requester_cannot_reply_or_note_as_an_agent(self, desk):
        ticket = desk.ticket()
        with pytest.raises(NotAllowed):
            services.reply(ticket=ticket, actor=desk.requester, body="x")
        with pytest.raises(NotAllowed):
            services.add_note(ticket=ticket, actor=desk.requester, body="x")

    def test_agent_outside_the_team_cannot_act(self, desk):
        ticket = desk.ticket()
        with pytest.raises(NotAllowed):
            services.reply(ticket=ticket, actor=desk.other_agent, body="x")


class TestOwnership:
    def test_take_ownership_opens_a_new_ticket(self, desk):
        ticket = services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        assert (ticket.owner, ticket.status) == (desk.agent, Status.OPEN)
        event = ticket.events.last()
        assert event.kind == EventKind.ASSIGNMENT
        assert event.data["took"] is True
        assert event.data["to_owner"] == {"id": desk.agent.pk, "name": desk.agent.display_name}
        with pytest.raises(Conflict, match="already own"):
            services.take_ownership(ticket=ticket, actor=desk.agent)

    def test_assign_to_another_team_moves_and_notifies(self, desk, run_tasks):
        ticket = desk.ticket()
        with run_tasks():
            services.assign(
                ticket=ticket, actor=desk.agent, owner=desk.other_agent, team=desk.other_team
            )
        ticket.refresh_from_db()
        assert (ticket.team, ticket.owner) == (desk.other_team, desk.other_agent)
        assert mail.outbox[-1].to == [desk.other_agent.email]

    def test_assign_refuses_non_members_and_non_agents(self, desk):
        ticket = desk.ticket()
        with pytest.raises(Conflict, match="not a member"):
            services.assign(ticket=ticket, actor=desk.agent, owner=desk.other_agent)
        with pytest.raises(InvalidInput, match="not an agent"):
            services.assign(ticket=ticket, actor=desk.agent, owner=desk.requester)

    def test_unassign(self, desk):
        ticket = services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        services.assign(ticket=ticket, actor=desk.agent, owner=None)
        ticket.refresh_from_db()
        assert ticket.owner is None
        with pytest.raises(Conflict, match="already unassigned"):
            services.assign(ticket=ticket, actor=desk.agent, owner=None)


class TestEscalation:
    def test_to_a_supervisor(self, desk, run_tasks):
        ticket = desk.ticket()
        with run_tasks():
            services.escalate(
                ticket=ticket, actor=desk.agent, reason="Needs approval.", to_user=desk.supervisor
            )
        ticket.refresh_from_db()
        assert ticket.escalated_to == desk.supervisor
        assert ticket.escalation_level == 1
        event = ticket.events.last()
        assert event.kind == EventKind.ESCALATION
        assert event.visibility == Visibility.INTERNAL
        assert mail.outbox[-1].to == [desk.supervisor.email]

    def test_without_a_target_goes_to_the_team_supervisor(self, desk):
        ticket = desk.ticket()
        services.escalate(ticket=ticket, actor=desk.agent, reason="Stuck.")
        ticket.refresh_from_db()
        assert ticket.escalated_to == desk.supervisor

    def test_to_another_team_drops_an_owner_who_is_not_a_member(self, desk):
        ticket = services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        services.escalate(
            ticket=ticket, actor=desk.agent, reason="Network.", to_team=desk.other_team
        )
        ticket.refresh_from_db()
        assert (ticket.team, ticket.owner) == (desk.other_team, None)
        assert ticket.events.last().data["from_owner"]["id"] == desk.agent.pk

    def test_needs_a_reason_and_a_target(self, desk):
        ticket = desk.ticket()
        with pytest.raises(InvalidInput):
            services.escalate(ticket=ticket, actor=desk.agent, reason="", to_user=desk.supervisor)
        with pytest.raises(Conflict, match="not a supervisor"):
            services.escalate(ticket=ticket, actor=desk.agent, reason="why", to_user=desk.agent)


class TestResolution:
    def test_resolve_asks_and_yes_closes(self, desk, run_tasks):
        ticket = desk.ticket()
        with run_tasks():
            services.resolve(ticket=ticket, actor=desk.agent, resolution="Replaced the toner.")
        ticket.refresh_from_db()
        assert ticket.status == Status.RESOLVED
        assert ticket.resolved_at is not None
        assert "Have I solved your problem?" in mail.outbox[-1].body
        services.confirm_resolution(ticket=ticket, contact=desk.requester.contact, solved=True)
        ticket.refresh_from_db()
        assert ticket.status == Status.CLOSED
        assert ticket.resolution_confirmed is True
        assert ticket.closed_at is not None
        # ... and, closed, the requester is sent the three closing questions.
        assert kinds(ticket)[-3:] == [
            EventKind.RESOLUTION,
            EventKind.CONFIRMATION,
            EventKind.SURVEY,
        ]

    def test_no_reopens_to_the_owner(self, desk, run_tasks):
        ticket = services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        services.resolve(ticket=ticket, actor=desk.agent, resolution="Done.")
        with run_tasks():
            services.confirm_resolution(
                ticket=ticket, contact=desk.requester.contact, solved=False, comment="Still jams."
            )
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.reopen_count == 1
        assert ticket.resolved_at is None
        assert mail.outbox[-1].to == [desk.agent.email]
        assert "Still jams." in mail.outbox[-1].body

    def test_only_the_requester_confirms_and_only_when_resolved(self, desk):
        ticket = desk.ticket(participants=[desk.other_requester.contact])
        with pytest.raises(Conflict, match="not waiting for confirmation"):
            services.confirm_resolution(ticket=ticket, contact=desk.requester.contact, solved=True)
        services.resolve(ticket=ticket, actor=desk.agent, resolution="Done.")
        with pytest.raises(NotAllowed):
            services.confirm_resolution(
                ticket=ticket, contact=desk.other_requester.contact, solved=True
            )

    def test_reply_to_a_closed_ticket_reopens_it(self, desk):
        ticket = desk.ticket()
        services.close(ticket=ticket, actor=desk.agent, reason="Duplicate.")
        services.add_requester_message(ticket=ticket, contact=desk.requester.contact, body="Again")
        ticket.refresh_from_db()
        assert (ticket.status, ticket.reopen_count, ticket.closed_at) == (Status.OPEN, 1, None)

    def test_reopen_needs_a_finished_ticket(self, desk):
        ticket = desk.ticket()
        with pytest.raises(Conflict, match="only resolved, closed or declined"):
            services.reopen(ticket=ticket, actor=desk.agent, reason="why")


def _drive(ticket: Ticket, desk, to: Status) -> None:
    if to == Status.RESOLVED:
        services.resolve(ticket=ticket, actor=desk.agent, resolution="Fixed.")
    elif to == Status.CLOSED:
        services.close(ticket=ticket, actor=desk.agent)
    elif to == Status.OPEN and ticket.status in {Status.RESOLVED, Status.CLOSED, Status.DECLINED}:
        services.reopen(ticket=ticket, actor=desk.agent, reason="Back.")
    elif to in {Status.DEFERRED, Status.DECLINED}:
        from deskwise.outcomes import services as outcomes
        from deskwise.outcomes.models import DecisionReason

        kind = "defer" if to == Status.DEFERRED else "decline"
        outcomes.decide(
            ticket=ticket,
            actor=desk.agent,
            kind=kind,
            reason=DecisionReason.objects.get(code="needs_approval"),
            message="Because.",
            expected_date=(clock.now() + dt.timedelta(days=3)).date() if kind == "defer" else None,
        )
    else:
        services.transition(ticket=ticket, actor=desk.agent, to=to, reason="Because.")


def _reach(ticket: Ticket, desk, status: Status) -> None:
    """Walk a new ticket to ``status`` along allowed transitions."""
    path = {
        Status.NEW: [],
        Status.OPEN: [Status.OPEN],
        Status.WAITING: [Status.WAITING],
        Status.DEFERRED: [Status.DEFERRED],
        Status.DECLINED: [Status.DECLINED],
        Status.RESOLVED: [Status.RESOLVED],
        Status.CLOSED: [Status.CLOSED],
    }[status]
    for step in path:
        _drive(ticket, desk, step)
        ticket.refresh_from_db()


@pytest.mark.parametrize(("start", "to"), list(itertools.product(Status, Status)))
def test_transition_table_is_the_only_law(desk, start, to):
    ticket = desk.ticket()
    _reach(ticket, desk, start)
    own = ticket.events.exclude(kind=EventKind.SURVEY)  # the closing questions: their own
    before = own.count()
    if to in TRANSITIONS[start]:
        _drive(ticket, desk, to)
        ticket.refresh_from_db()
        assert ticket.status == to
        assert own.count() == before + 1
    else:
        with pytest.raises(Conflict) as exc:
            services.transition(ticket=ticket, actor=desk.agent, to=to, reason="Because.")
        ticket.refresh_from_db()
        assert ticket.status == start
        assert own.count() == before
        assert exc.value.message  # says why


def test_deferring_and_declining_go_through_their_own_dialog(desk):
    ticket = desk.ticket()
    for status, verb in ((Status.DEFERRED, "Defer"), (Status.DECLINED, "Decline")):
        with pytest.raises(Conflict, match=f"Use {verb}"):
            services.transition(ticket=ticket, actor=desk.agent, to=status, reason="Because")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_events_carry_the_service_clock(desk):
    moment = clock.now() - dt.timedelta(days=3)
    with clock.frozen_at(moment):
        ticket = desk.ticket()
    assert ticket.created_at == moment
    assert TimelineEvent.objects.get(ticket=ticket).created_at == moment


class TestClosedHooks:
    def test_each_closing_calls_the_hooks_once_after_saving(self, desk, monkeypatch):
        seen: list[tuple[int, str]] = []
        monkeypatch.setattr(
            services,
            "CLOSED_HOOKS",
            [lambda t: seen.append((t.pk, Ticket.objects.get(pk=t.pk).status))],
        )
        confirmed = desk.ticket()
        services.resolve(ticket=confirmed, actor=desk.agent, resolution="Done")
        services.confirm_resolution(ticket=confirmed, contact=confirmed.requester, solved=True)
        closed = desk.ticket()
        services.close(ticket=closed, actor=desk.agent, reason="Duplicate")
        services.reopen(ticket=closed, actor=desk.agent, reason="Not a duplicate")
        services.reply(ticket=closed, actor=desk.agent, body="Looking")
        assert seen == [(confirmed.pk, Status.CLOSED), (closed.pk, Status.CLOSED)]
