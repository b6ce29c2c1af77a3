"""From stored bytes to tickets: threading, noise, identity, limits."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.core import mail

from deskwise.core import clock
from deskwise.mail.choices import InboundStatus, MailboxKind, Outcome
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.services import inbound_discard, inbound_retry, inbound_store
from deskwise.notifications.models import OutboundEmail, ThreadKey
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, EventKind, Status
from deskwise.tickets.models import Ticket, TimelineEvent

DESK = "help@example.org"


def message(
    *,
    sender: str = "Ann Lee <ann@example.com>",
    subject: str = "VPN drops every ten minutes",
    body: str = "Since Monday my VPN disconnects every ten minutes. I use the Windows client.",
    to: str = DESK,
    cc: str = "",
    message_id: str | None = None,
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
    html: str = "",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if cc:
        msg["Cc"] = cc
    msg["Subject"] = subject
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = message_id or make_msgid(domain="example.com")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    return msg.as_bytes()


@pytest.fixture
def mailbox(desk):
    desk.team.email = DESK
    desk.team.save()
    return Mailbox.objects.create(
        name="Service Desk", team=desk.team, kind=MailboxKind.LMTP, address=DESK
    )


@pytest.fixture
def deliver(mailbox, run_tasks):
    """Store raw mail as a transport would and run the worker."""

    def run(raw: bytes) -> InboundMessage:
        with run_tasks():
            stored = inbound_store(raw=raw, mailbox=mailbox, source="test")
        stored.message.refresh_from_db()
        return stored.message

    return run


def last_outbound_headers() -> dict[str, str]:
    sent = mail.outbox[-1]
    return {k.lower(): v for k, v in sent.extra_headers.items()} | {"subject": sent.subject}


class TestNewRequests:
    def test_a_mail_opens_a_ticket_and_is_acknowledged(self, desk, deliver):
        inbound = deliver(message())
        assert inbound.status == InboundStatus.PROCESSED
        assert inbound.outcome == Outcome.NEW_TICKET
        ticket = inbound.ticket
        assert ticket.channel == Channel.EMAIL
        assert ticket.team == desk.team
        assert ticket.requester.email == "ann@example.com"
        assert ticket.requester.name == "Ann Lee"
        assert ticket.subject == "VPN drops every ten minutes"
        first = ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert "disconnects every ten minutes" in first.body_text
        assert first.data["email"]["from"] == "ann@example.com"
        ack = mail.outbox[-1]
        assert ack.to == ["ann@example.com"]
        assert f"[DW-{ticket.pk}]" in ack.subject
        headers = last_outbound_headers()
        assert headers["auto-submitted"] == "auto-replied"
        assert headers["reply-to"] == DESK
        assert DESK in ack.from_email
        # The acknowledgement answers the requester's mail: it threads under it.
        assert headers["in-reply-to"] == f"<{inbound.message_id}>"

    def test_the_same_message_twice_is_one_ticket(self, desk, deliver):
        raw = message(message_id="<same-id@example.com>")
        first = deliver(raw)
        second = deliver(raw.replace(b"every ten", b"every 10"))
        assert first.pk == second.pk
        assert Ticket.objects.count() == 1
        assert InboundMessage.objects.count() == 1

    def test_a_message_without_message_id_is_deduplicated_by_its_bytes(self, desk, deliver):
        raw = message().replace(b"Message-ID:", b"X-Old-Message-ID:")
        assert deliver(raw).pk == deliver(raw).pk
        assert Ticket.objects.count() == 1

    def test_cc_becomes_participants_but_never_the_desk(self, desk, deliver):
        inbound = deliver(message(cc="Bo Chen <bo@example.com>, help@example.org"))
        emails = set(inbound.ticket.participants.values_list("email", flat=True))
        assert emails == {"bo@example.com"}

    def test_reply_to_is_where_we_answer_never_who_wrote(self, desk, deliver):
        raw = message(headers={"Reply-To": "attacker@evil.example"})
        inbound = deliver(raw)
        assert inbound.ticket.requester.email == "ann@example.com"

    def test_html_only_mail_is_readable_text(self, desk, deliver):
        msg = EmailMessage()
        msg["From"] = "ann@example.com"
        msg["To"] = DESK
        msg["Subject"] = "Printer"
        msg["Message-ID"] = make_msgid()
        msg.set_content(
            "<html><body><p>The printer <b>jams</b>.</p><script>alert(1)</script></body></html>",
            subtype="html",
        )
        inbound = deliver(msg.as_bytes())
        event = inbound.ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert "The printer jams" in " ".join(event.body_text.split())
        assert "alert" not in event.body_text
        assert "<script" not in inbound.html

    def test_quoted_history_is_kept_apart(self, desk, deliver):
        body = (
            "It happened again just now.\n\n"
            "On Mon, 3 Nov 2026 at 10:00, Help Desk <help@example.org> wrote:\n"
            "> Could you tell us when it last worked?\n"
        )
        inbound = deliver(message(body=body))
        event = inbound.ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert event.body_text == "It happened again just now."
        assert "last worked" in event.data["email"]["quoted"]

    def test_attachments_are_kept_and_oversized_ones_are_explained(self, desk, deliver, settings):
        settings.DESKWISE_MAX_ATTACHMENT_BYTES = 1000
        msg = EmailMessage()
        msg["From"] = "ann@example.com"
        msg["To"] = DESK
        msg["Subject"] = "Logs"
        msg["Message-ID"] = make_msgid()
        msg.set_content("Logs attached.")
        msg.add_attachment(b"small log", maintype="text", subtype="plain", filename="small.log")
        msg.add_attachment(b"x" * 5000, maintype="application", subtype="zip", filename="big.zip")
        inbound = deliver(msg.as_bytes())
        event = inbound.ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert [a.filename for a in event.attachments.all()] == ["small.log"]
        assert "big.zip" in event.data["email"]["dropped_attachments"][0]
        assert "limit" in event.data["email"]["dropped_attachments"][0]


class TestThreading:
    def test_a_reply_by_headers_joins_the_ticket(self, desk, deliver):
        ticket = deliver(message()).ticket
        ack_id = mail.outbox[-1].extra_headers["Message-ID"]
        reply = deliver(
            message(subject="Re: something else", body="Still broken.", in_reply_to=ack_id)
        )
        assert reply.outcome == Outcome.ADDED
        assert reply.ticket == ticket
        assert ticket.events.filter(kind=EventKind.MESSAGE_IN).count() == 2

    def test_references_alone_are_enough(self, desk, deliver):
        original = deliver(message(message_id="<orig@example.com>"))
        reply = deliver(message(subject="Re: VPN", references="<x@y> <orig@example.com>"))
        assert reply.ticket == original.ticket

    def test_a_reference_in_the_subject_from_the_requester_joins(self, desk, deliver):
        ticket = deliver(message()).ticket
        reply = deliver(message(subject=f"Re: [DW-{ticket.pk}] VPN", body="Any news?"))
        assert reply.ticket == ticket

    def test_a_reference_in_the_subject_from_a_stranger_opens_a_new_ticket(self, desk, deliver):
        ticket = deliver(message()).ticket
        stranger = deliver(
            message(sender="eve@evil.example", subject=f"[DW-{ticket.pk}] please add me")
        )
        assert stranger.outcome == Outcome.NEW_TICKET
        assert stranger.ticket != ticket
        assert stranger.ticket.requester.email == "eve@evil.example"
        assert not ticket.participants.filter(email="eve@evil.example").exists()
        first = stranger.ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert first.data["email"]["refers_to"] == ticket.pk

    def test_a_stranger_with_our_headers_does_not_get_onto_the_ticket(self, desk, deliver):
        ticket = deliver(message()).ticket
        ack_id = mail.outbox[-1].extra_headers["Message-ID"]
        stranger = deliver(message(sender="eve@evil.example", in_reply_to=ack_id))
        assert stranger.ticket != ticket

    def test_someone_copied_in_may_reply(self, desk, deliver):
        ticket = deliver(message(cc="bo@example.com")).ticket
        reply = deliver(message(sender="bo@example.com", subject=f"Re: [DW-{ticket.pk}]"))
        assert reply.ticket == ticket

    def test_a_reply_to_a_recently_closed_ticket_reopens_it(self, desk, deliver):
        ticket = deliver(message()).ticket
        services.close(ticket=ticket, actor=desk.agent, reason="Fixed.")
        reply = deliver(message(subject=f"Re: [DW-{ticket.pk}]", body="It is back."))
        ticket.refresh_from_db()
        assert reply.ticket == ticket
        assert ticket.status == Status.OPEN
        assert ticket.reopen_count == 1

    def test_a_reply_to_a_ticket_closed_long_ago_opens_a_linked_one(self, desk, deliver, settings):
        settings.DESKWISE_MAIL_REOPEN_DAYS = 14
        ticket = deliver(message()).ticket
        services.close(ticket=ticket, actor=desk.agent, reason="Fixed.")
        Ticket.objects.filter(pk=ticket.pk).update(closed_at=clock.now() - dt.timedelta(days=30))
        reply = deliver(message(subject=f"Re: [DW-{ticket.pk}]", body="It is back."))
        assert reply.outcome == Outcome.NEW_TICKET
        assert reply.ticket != ticket
        first = reply.ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert first.data["email"]["refers_to"] == ticket.pk
        ticket.refresh_from_db()
        assert ticket.status == Status.CLOSED

    def test_our_replies_thread_under_the_conversation(self, desk, deliver, run_tasks):
        inbound = deliver(message(message_id="<first@example.com>"))
        ticket = inbound.ticket
        with run_tasks():
            services.reply(ticket=ticket, actor=desk.agent, body="Please restart the client.")
        headers = last_outbound_headers()
        assert "auto-submitted" not in headers  # a person wrote this one
        assert headers["in-reply-to"].startswith("<")
        assert "<first@example.com>" in headers["references"]
        reply_id = headers["message-id"]
        answer = deliver(message(in_reply_to=reply_id, subject="Re: restart", body="Done."))
        assert answer.ticket == ticket
        keys = ThreadKey.objects.filter(ticket=ticket)
        assert {k.direction for k in keys} == {"sent", "received"}

    def test_an_agent_forwarding_a_mail_opens_it_for_the_original_sender(self, desk, deliver):
        body = (
            "Can you look at this one?\n\n"
            "---------- Forwarded message ---------\n"
            "From: Carl Diaz <carl@example.com>\n"
            "Date: Mon, 3 Nov 2026 at 09:12\n"
            "Subject: Outlook keeps asking for my password\n"
            "To: Agent <agent@example.com>\n\n"
            "Outlook asks for my password every hour since the update.\n"
        )
        inbound = deliver(
            message(sender=desk.agent.email, subject="Fwd: Outlook keeps asking", body=body)
        )
        ticket = inbound.ticket
        assert ticket.requester.email == "carl@example.com"
        assert "Outlook" in ticket.subject
        assert not ticket.subject.lower().startswith("fwd")
        assert mail.outbox[-1].to == ["carl@example.com"]

    def test_an_agent_mail_on_a_ticket_is_an_internal_note(self, desk, deliver):
        ticket = deliver(message()).ticket
        note = deliver(
            message(sender=desk.agent.email, subject=f"Re: [DW-{ticket.pk}]", body="Checked.")
        )
        assert note.outcome == Outcome.NOTE
        event = TimelineEvent.objects.get(pk=note.event_id)
        assert event.kind == EventKind.NOTE
        assert event.is_internal


class TestNoise:
    @pytest.mark.parametrize(
        "headers",
        [
            {"Auto-Submitted": "auto-replied"},
            {"X-Autoreply": "yes"},
            {"Precedence": "bulk"},
            {"X-Auto-Response-Suppress": "All"},
        ],
    )
    def test_automatic_mail_opens_nothing_and_is_not_answered(self, desk, deliver, headers):
        sent = len(mail.outbox)
        inbound = deliver(message(subject="Out of Office", headers=headers))
        assert inbound.status == InboundStatus.IGNORED
        assert inbound.ticket is None
        assert Ticket.objects.count() == 0
        assert len(mail.outbox) == sent

    def test_our_own_address_is_a_loop(self, desk, deliver):
        inbound = deliver(message(sender=DESK))
        assert inbound.status == InboundStatus.IGNORED
        assert Ticket.objects.count() == 0

    def test_a_loop_with_an_auto_responder_stops_after_one_acknowledgement(self, desk, deliver):
        # A careless auto-responder (no Auto-Submitted header) answers our
        # acknowledgement, which threads its answer into the ticket: no new
        # ticket, no new acknowledgement, so the loop ends at once.
        deliver(message(sender="robot@example.net", subject="Printer"))
        acks = [m for m in mail.outbox if "robot@example.net" in m.to]
        assert len(acks) == 1
        for _ in range(3):
            last = acks[-1].extra_headers["Message-ID"]
            deliver(
                message(sender="robot@example.net", subject="I got your mail", in_reply_to=last)
            )
        acks = [m for m in mail.outbox if "robot@example.net" in m.to]
        assert len(acks) == 1
        assert Ticket.objects.count() == 1

    def test_acknowledgements_per_sender_are_limited(self, desk, deliver, settings):
        settings.DESKWISE_MAIL_ACKS_PER_HOUR = 2
        for n in range(4):
            deliver(message(sender="flood@example.net", subject=f"Alert {n}"))
        assert Ticket.objects.count() == 4
        assert len([m for m in mail.outbox if "flood@example.net" in m.to]) == 2

    def test_a_bounce_of_our_mail_is_shown_on_its_ticket(self, desk, deliver):
        ticket = deliver(message()).ticket
        ack_id = mail.outbox[-1].extra_headers["Message-ID"]
        bounce = (
            "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\r\n"
            f"To: {DESK}\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "Message-ID: <bounce-1@mx.example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
            "\r\n--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.example.com\r\n\r\n"
            "Final-Recipient: rfc822; ann@example.com\r\nAction: failed\r\n"
            "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
            "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"Message-ID: {ack_id}\r\nSubject: We have your request\r\n"
            "--B--\r\n"
        ).encode()
        inbound = deliver(bounce)
        assert inbound.status == InboundStatus.IGNORED
        assert inbound.outcome == Outcome.BOUNCE
        failure = ticket.events.get(kind=EventKind.DELIVERY_FAILURE)
        assert "ann@example.com" in failure.body_text
        assert failure.is_internal
        assert OutboundEmail.objects.get(message_id=ack_id).status == OutboundEmail.Status.BOUNCED
        assert Ticket.objects.count() == 1


class TestBadInput:
    def test_garbage_is_kept_as_a_failure_for_an_admin(self, desk, deliver):
        inbound = deliver(b"\x00\xff this is not a mail at all \x00")
        assert inbound.status == InboundStatus.FAILED
        assert "sender" in inbound.reason
        assert bytes(inbound.raw) == b"\x00\xff this is not a mail at all \x00"

    def test_nul_bytes_in_the_body_are_removed(self, desk, deliver):
        inbound = deliver(message(body="Hello\x00 there, the disk is full."))
        event = inbound.ticket.events.get(kind=EventKind.MESSAGE_IN)
        assert "\x00" not in event.body_text
        assert "disk is full" in event.body_text

    def test_an_empty_body_still_opens_a_ticket(self, desk, deliver):
        inbound = deliver(message(body=""))
        assert inbound.status == InboundStatus.PROCESSED
        assert inbound.ticket.events.get(kind=EventKind.MESSAGE_IN).body_text

    def test_an_admin_retries_or_discards_a_failure(self, desk, deliver):
        inbound = deliver(b"From: \r\nSubject: nobody\r\n\r\nno sender")
        assert inbound.status == InboundStatus.FAILED
        InboundMessage.objects.filter(pk=inbound.pk).update(raw=message(sender="fixed@example.com"))
        retried = inbound_retry(inbound=inbound, actor=desk.admin)
        assert retried.status == InboundStatus.PROCESSED
        other = deliver(b"From: \r\nSubject: nobody again\r\n\r\nno sender")
        inbound_discard(inbound=other, actor=desk.admin)
        other.refresh_from_db()
        assert other.status == InboundStatus.DISCARDED
