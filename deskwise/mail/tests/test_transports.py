"""The transports as a mail server and a mailbox see them: real processes, a
real LMTP/SMTP conversation, a real IMAP server, a worker killed mid-batch."""

from __future__ import annotations

import imaplib
import signal
import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from deskwise.mail.tests.imap_server import ImapServer
from deskwise.mail.tests.processes import (
    DeskProcesses,
    free_port,
    wait_for_port,
)

pytestmark = pytest.mark.django_db

ADDRESS = "desk@example.org"

SETUP = """
from deskwise.accounts.models import Team
from deskwise.core import clock
from deskwise.mail.models import Mailbox
from deskwise.mail.services import mailbox_set_secret
team, _ = Team.objects.get_or_create(
    slug="service-desk", defaults={"name": "Service Desk", "is_default": True, "email": ADDRESS}
)
box, _ = Mailbox.objects.update_or_create(
    address=ADDRESS, defaults=dict(name="Desk", team=team, kind=KIND, host="127.0.0.1",
    port=PORT, security="none", username=ADDRESS))
mailbox_set_secret(mailbox=box, secret=SECRET)
result = box.pk
"""

COUNTS = """
from deskwise.mail.models import InboundMessage
from deskwise.tickets.models import Ticket, TimelineEvent
from django.db.models import Count
result = {
    "inbound": InboundMessage.objects.count(),
    "statuses": dict(InboundMessage.objects.values_list("status").annotate(n=Count("id"))),
    "tickets": Ticket.objects.count(),
    "messages": TimelineEvent.objects.filter(kind="message_in").count(),
    "per_inbound": sorted(set(
        TimelineEvent.objects.filter(kind="message_in").values("data__email__inbound_id")
        .annotate(n=Count("id")).values_list("n", flat=True))),
}
"""


def setup_mailbox(desk: DeskProcesses, *, kind: str, port: int = 0, secret: str = "") -> int:
    code = f"ADDRESS={ADDRESS!r}; KIND={kind!r}; PORT={port or None!r}; SECRET={secret!r}\n" + SETUP
    return int(desk.python(code))


def counts(desk: DeskProcesses) -> dict:
    return desk.python(COUNTS)


def mail(n: int, sender: str | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender or f"Person {n} <person{n}@example.com>"
    msg["To"] = ADDRESS
    msg["Subject"] = f"Request number {n}"
    msg["Message-ID"] = make_msgid(idstring=f"n{n}", domain="example.com")
    msg.set_content(f"Please help with problem {n}: the laptop will not start.")
    return msg.as_bytes()


def run_worker_batch(desk: DeskProcesses) -> None:
    done = desk.command("worker", "--batch", "--id", "test-batch")
    assert done.returncode == 0, done.stderr.decode()[-2000:]


class TestLmtpAndSmtp:
    def test_a_mail_server_delivers_over_lmtp(self, desk_processes):
        desk = desk_processes
        setup_mailbox(desk, kind="lmtp")
        before = counts(desk)
        port = free_port()
        server = desk.start("mail-server", "--port", str(port))
        try:
            wait_for_port(port)
            with smtplib.LMTP("127.0.0.1", port) as client:
                refused = client.sendmail(
                    "person1@example.com", [ADDRESS], mail(1001, "person1@example.com")
                )
                assert refused == {}
                with pytest.raises(smtplib.SMTPRecipientsRefused) as exc:
                    client.sendmail("x@example.com", ["nobody@elsewhere.example"], mail(1002))
                assert exc.value.recipients["nobody@elsewhere.example"][0] == 550
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
        run_worker_batch(desk)
        after = counts(desk)
        assert after["inbound"] == before["inbound"] + 1
        assert after["tickets"] == before["tickets"] + 1

    def test_smtp_mode_and_duplicates(self, desk_processes):
        desk = desk_processes
        setup_mailbox(desk, kind="lmtp")
        before = counts(desk)
        port = free_port()
        server = desk.start("mail-server", "--smtp", "--port", str(port))
        try:
            wait_for_port(port)
            raw = mail(2001)
            with smtplib.SMTP("127.0.0.1", port) as client:
                client.sendmail("person@example.com", [ADDRESS], raw)
                client.sendmail("person@example.com", [ADDRESS], raw)  # redelivered
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
        run_worker_batch(desk)
        after = counts(desk)
        assert after["inbound"] == before["inbound"] + 1
        assert after["tickets"] == before["tickets"] + 1


class TestPipe:
    def test_stores_and_exits_zero(self, desk_processes):
        desk = desk_processes
        setup_mailbox(desk, kind="lmtp")
        before = counts(desk)
        done = desk.command("ingest-mail", "--recipient", ADDRESS, stdin=mail(3001))
        assert done.returncode == 0, done.stderr
        assert b"stored" in done.stdout
        run_worker_batch(desk)
        assert counts(desk)["tickets"] == before["tickets"] + 1

    def test_empty_input_is_refused_for_good(self, desk_processes):
        done = desk_processes.command("ingest-mail", stdin=b"")
        assert done.returncode == 65

    def test_a_database_that_does_not_answer_is_a_temporary_failure(self, desk_processes, tmp_path):
        desk = DeskProcesses(url="postgres://nobody@127.0.0.1:1/none", root=tmp_path)
        done = desk.command("ingest-mail", stdin=mail(3002))
        assert done.returncode == 75, done.stderr


def _append(server: ImapServer, messages: list[bytes]) -> None:
    conn = imaplib.IMAP4(server.host, server.port)
    conn.login(server.username, server.password)
    conn.select("INBOX")
    for raw in messages:
        conn.append("INBOX", None, None, raw)
    conn.logout()


def _unseen(server: ImapServer) -> int:
    conn = imaplib.IMAP4(server.host, server.port)
    conn.login(server.username, server.password)
    conn.select("INBOX")
    _, data = conn.uid("SEARCH", "UNSEEN")
    conn.logout()
    return len(data[0].split())


POLL = "from deskwise.mail.tasks import poll_mailboxes\nresult = str(poll_mailboxes.enqueue().id)"


class TestImap:
    def test_polling_marks_only_what_is_committed(self, desk_processes, imap_server):
        desk = desk_processes
        setup_mailbox(desk, kind="imap", port=imap_server.port, secret=imap_server.password)
        before = counts(desk)
        _append(imap_server, [mail(n) for n in range(4001, 4006)])
        assert _unseen(imap_server) == 5
        desk.python(POLL)
        run_worker_batch(desk)
        after = counts(desk)
        assert after["inbound"] == before["inbound"] + 5
        assert after["tickets"] == before["tickets"] + 5
        assert _unseen(imap_server) == 0
        # Polling again finds nothing new and changes nothing.
        desk.python(POLL)
        run_worker_batch(desk)
        assert counts(desk)["tickets"] == after["tickets"]

    def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(self, desk_processes, imap_server):
        desk = desk_processes
        setup_mailbox(desk, kind="imap", port=imap_server.port, secret=imap_server.password)
        before = counts(desk)
        total = 150
        _append(imap_server, [mail(n) for n in range(5000, 5000 + total)])
        desk.python(POLL)
        worker = desk.start("worker", "--interval", "0.2", "--id", "doomed")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if desk.count("mail_inboundmessage") >= before["inbound"] + 10:
                break
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        middle = counts(desk)
        assert middle["inbound"] < before["inbound"] + total, "the kill came too late"
        # Restarted: the next poll (and the reaper) finish the batch.
        desk.python(POLL)
        worker = desk.start("worker", "--interval", "0.2", "--id", "survivor")
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                done = desk.count("tickets_ticket") >= before["tickets"] + total
                if done and _unseen(imap_server) == 0:
                    break
                desk.python(POLL)
                time.sleep(1)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        after = counts(desk)
        assert after["inbound"] == before["inbound"] + total
        assert after["tickets"] == before["tickets"] + total
        assert after["messages"] == before["messages"] + total
        assert after["per_inbound"] == [1]  # no message made two events
        assert _unseen(imap_server) == 0
