"""Every message of every real corpus goes through the whole pipeline (store,
parse, noise, thread, services) and ends in a decision: a ticket, an event,
"ignored, and why", or a failure an admin can read. Never an exception."""

from __future__ import annotations

import mailbox
from collections import Counter
from pathlib import Path

import pytest

from deskwise.mail.choices import InboundStatus, MailboxKind
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.services import inbound_process, inbound_store
from deskwise.testing import shared_data
from deskwise.tickets.models import Ticket

pytestmark = [pytest.mark.realdata, pytest.mark.django_db]

NOT_MAIL = {".yml", ".yaml", ".json", ".md", ".rb", ".py", ".js", ".go", ".pl", ".html"}


def corpus_files(name: str) -> list[Path]:
    root = shared_data() / "email" / name
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() not in NOT_MAIL and p.name not in {"LICENSE"}
    )


def ingest(raw: bytes, source: str, box: Mailbox) -> InboundMessage:
    stored = inbound_store(raw=raw, mailbox=box, source=source[:300])
    inbound = inbound_process(inbound_id=stored.message.pk)
    assert inbound is not None
    return inbound


@pytest.fixture
def box(desk):
    desk.team.email = "support@deskwise.test"
    desk.team.save()
    return Mailbox.objects.create(
        name="Corpus", team=desk.team, kind=MailboxKind.LMTP, address="support@deskwise.test"
    )


@pytest.mark.parametrize(
    "corpus",
    [
        "zammad",
        "chatwoot",
        "django-helpdesk",
        "freescout",
        "flanker",
        "talon",
        "github-email_reply_parser",
        "crisp-email-reply-parser",
        "discourse-email_reply_trimmer",
    ],
)
def test_every_message_ends_in_a_decision(corpus, box, capsys):
    outcomes: Counter[str] = Counter()
    crashes = []
    for path in corpus_files(corpus):
        inbound = ingest(path.read_bytes(), str(path.name), box)
        outcomes[inbound.status] += 1
        if inbound.reason.startswith("Unexpected error"):
            crashes.append(f"{path.name}: {inbound.reason[:200]}")
    with capsys.disabled():
        print(f"\n{corpus}: {dict(outcomes)}")
    assert not crashes, crashes
    assert sum(outcomes.values()) > 0


# People forwarding a bounce with a note of their own ("Forward the message."):
# requests, rightly, not bounces.
FORWARDED_BY_A_PERSON = {"maildir/bsd/lhost-sendmail-14.eml", "maildir/err/make-test-36.eml",
                         "mbox-0:35"}  # fmt: skip


def test_no_bounce_or_auto_reply_opens_a_ticket(box, capsys):
    root = shared_data() / "email" / "sisimai-set-of-emails"
    opened = []
    seen = 0
    for path in sorted((root / "maildir").rglob("*.eml")):
        if "/not/" in str(path):
            continue  # the set's own "is not a bounce" folder
        seen += 1
        inbound = ingest(path.read_bytes(), str(path.relative_to(root)), box)
        assert not inbound.reason.startswith("Unexpected error"), (path, inbound.reason)
        if inbound.ticket_id and inbound.status == InboundStatus.PROCESSED:
            opened.append(str(path.relative_to(root)))
    for path in sorted((root / "mailbox").iterdir()):
        box_file = mailbox.mbox(path, create=False)
        for key in box_file.iterkeys():
            seen += 1
            inbound = ingest(box_file.get_bytes(key), f"{path.name}:{key}", box)
            if inbound.ticket_id and inbound.status == InboundStatus.PROCESSED:
                opened.append(f"{path.name}:{key}")
    with capsys.disabled():
        print(f"\nsisimai: {seen} bounces and auto-replies, {len(opened)} opened a ticket")
    assert set(opened) == FORWARDED_BY_A_PERSON
    # make-test-36 and mbox-0:35 are one message (one Message-ID): one ticket.
    assert Ticket.objects.count() == 2
