"""Our outbound mail as a real SMTP server (aiosmtpd) receives it."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller

from deskwise.mail.choices import MailboxKind
from deskwise.mail.models import Mailbox
from deskwise.mail.services import inbound_store
from deskwise.mail.tests.processes import free_port
from deskwise.notifications.models import OutboundEmail
from deskwise.tickets import services

DESK = "help@example.org"


class Collector:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_peer(settings):
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield collector
    controller.stop()


def test_the_conversation_threads_in_the_requesters_mail_client(desk, smtp_peer, run_tasks):
    desk.team.email = DESK
    desk.team.save()
    mailbox = Mailbox.objects.create(
        name="Desk", team=desk.team, kind=MailboxKind.LMTP, address=DESK
    )
    incoming = EmailMessage()
    incoming["From"] = "Ann Lee <ann@example.com>"
    incoming["To"] = DESK
    incoming["Subject"] = "Shared drive is read-only"
    incoming["Message-ID"] = "<ann-1@example.com>"
    incoming.set_content("I cannot save to the shared drive since this morning.")
    with run_tasks():
        stored = inbound_store(raw=incoming.as_bytes(), mailbox=mailbox)
    stored.message.refresh_from_db()
    ticket = stored.message.ticket

    with run_tasks():
        services.reply(ticket=ticket, actor=desk.agent, body="I have fixed the permissions.")

    assert len(smtp_peer.messages) == 2
    ack = email.message_from_bytes(smtp_peer.messages[0][2], policy=policy.default)
    reply = email.message_from_bytes(smtp_peer.messages[1][2], policy=policy.default)
    assert smtp_peer.messages[0][1] == ["ann@example.com"]
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["X-Auto-Response-Suppress"] == "All"
    assert ack["In-Reply-To"] == "<ann-1@example.com>"
    assert ack["Reply-To"] == DESK
    assert DESK in ack["From"]
    assert f"[DW-{ticket.pk}]" in ack["Subject"]
    assert reply["Auto-Submitted"] is None
    assert reply["In-Reply-To"] == ack["Message-ID"]
    assert "<ann-1@example.com>" in reply["References"]
    assert ack["Message-ID"] in reply["References"]
    stored_ids = set(OutboundEmail.objects.values_list("message_id", flat=True))
    assert {ack["Message-ID"], reply["Message-ID"]} <= stored_ids
    body = reply.get_body(preferencelist=("plain",)).get_content()
    assert "I have fixed the permissions." in body


def test_an_answer_to_our_reply_comes_back_to_the_ticket(desk, smtp_peer, run_tasks):
    ticket = desk.ticket()
    with run_tasks():
        services.reply(ticket=ticket, actor=desk.agent, body="Could you restart?")
    sent = email.message_from_bytes(smtp_peer.messages[-1][2], policy=policy.default)
    answer = EmailMessage()
    answer["From"] = desk.requester.email
    answer["To"] = "whoever@example.org"
    answer["Subject"] = "Re: " + str(sent["Subject"])
    answer["Message-ID"] = make_msgid()
    answer["In-Reply-To"] = sent["Message-ID"]
    answer.set_content("Restarted, it works now. Thank you!")
    with run_tasks():
        stored = inbound_store(raw=answer.as_bytes())
    stored.message.refresh_from_db()
    assert stored.message.ticket == ticket


def test_mail_that_cannot_be_sent_is_shown_on_the_ticket(desk, settings, run_tasks):
    from deskwise.core.worker import policy_for
    from deskwise.notifications.tasks import send_email
    from deskwise.tickets.choices import EventKind

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    ticket = desk.ticket()
    outbound = OutboundEmail.objects.get(ticket=ticket, template="acknowledgement")
    last = policy_for(send_email.module_path).max_attempts
    OutboundEmail.objects.filter(pk=outbound.pk).update(attempts=last - 2)
    with pytest.raises(ConnectionRefusedError):
        send_email.call(outbound.pk)
    assert not ticket.events.filter(kind=EventKind.DELIVERY_FAILURE).exists()
    with pytest.raises(ConnectionRefusedError):
        send_email.call(outbound.pk)
    failure = ticket.events.get(kind=EventKind.DELIVERY_FAILURE)
    assert desk.requester.email in failure.body_text
    assert "Sending failed" in failure.body_text
