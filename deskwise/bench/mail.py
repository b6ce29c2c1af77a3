"""Mail intake throughput: 1,000 varied messages through the whole pipeline.

Each message is stored (as a transport would), then processed in order by one
worker: parsed, checked for noise, threaded, and turned into a ticket or an
event, with acknowledgements queued. The mix is what a desk's inbox looks
like: new requests, HTML mail with an inline image, attachments, replies by
header and by subject reference, auto-replies, bounces of our own mail.
"""

from __future__ import annotations

import random
import time
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from django.db import connection
from django_tasks_db.models import DBTaskResult

from deskwise.accounts.models import Team
from deskwise.core import clock
from deskwise.core.worker import run_ready_tasks
from deskwise.mail.choices import MailboxKind
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.services import inbound_store
from deskwise.mail.tasks import process_inbound

ADDRESS = "bench-desk@example.org"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
SUBJECTS = [
    "Laptop will not start after the update",
    "Outlook asks for my password every hour",
    "Printer on floor 3 prints blank pages",
    "Need access to the finance share",
    "VPN disconnects during video calls",
    "Phone not receiving work email",
]
BODIES = [
    "Hello,\n\nsince this morning {thing}. I have restarted twice. "
    "Could you have a look?\n\nThanks,\n{name}",
    "Hi team,\n\n{thing} and I have a deadline at 3 pm. The error says 'code 0x{n:x}'.\n\n{name}",
]


def _base(rng: random.Random, n: int) -> EmailMessage:
    msg = EmailMessage()
    who = rng.randrange(300)
    msg["From"] = f"Person {who} <bench-person{who}@example.com>"
    msg["To"] = ADDRESS
    msg["Date"] = format_datetime(clock.now())
    msg["Message-ID"] = make_msgid(idstring=f"bench{n}", domain="example.com")
    msg["Subject"] = SUBJECTS[n % len(SUBJECTS)]
    return msg


def _text(rng: random.Random, n: int) -> str:
    return BODIES[n % len(BODIES)].format(
        thing=rng.choice(["the screen stays black", "nothing syncs", "it freezes"]),
        name=f"Person {n}",
        n=n,
    )


def messages(count: int, seed: int = 7) -> list[tuple[str, bytes]]:
    """(kind, raw) in arrival order; replies refer to earlier messages."""
    rng = random.Random(seed)
    sent: list[str] = []
    made: list[tuple[str, bytes]] = []
    for n in range(count):
        roll = rng.random()
        msg = _base(rng, n)
        if roll < 0.12 and sent:
            kind = "reply_by_header"
            parent = rng.choice(sent)
            msg["In-Reply-To"] = parent
            msg["References"] = parent
            msg.replace_header("Subject", "Re: " + str(msg["Subject"]))
            msg.set_content(
                "Still happening, see below.\n\nOn Monday you wrote:\n> Please retry.\n"
            )
            # the reply must come from the original sender to be accepted
            msg.replace_header("From", _sender_of(made, parent))
        elif roll < 0.2:
            kind = "html_inline_image"
            msg.set_content(_text(rng, n))
            msg.add_alternative(
                f"<p>{_text(rng, n)}</p><p><img src='cid:shot{n}@example.com'></p>", subtype="html"
            )
            html = msg.get_payload()[1]  # type: ignore[index]
            assert isinstance(html, EmailMessage)
            html.add_related(PNG, "image", "png", cid=f"<shot{n}@example.com>", filename="shot.png")
        elif roll < 0.3:
            kind = "attachment"
            msg.set_content(_text(rng, n))
            msg.add_attachment(
                rng.randbytes(20_000), maintype="application", subtype="pdf", filename="error.pdf"
            )
        elif roll < 0.35:
            kind = "auto_reply"
            msg["Auto-Submitted"] = "auto-replied"
            msg.replace_header("Subject", "Out of Office: " + str(msg["Subject"]))
            msg.set_content("I am out of the office until Monday.")
        else:
            kind = "new_request"
            msg.set_content(_text(rng, n))
        made.append((kind, msg.as_bytes()))
        if kind in {"new_request", "html_inline_image", "attachment"}:
            sent.append(str(msg["Message-ID"]))
    return made


def _sender_of(made: list[tuple[str, bytes]], message_id: str) -> str:
    needle = message_id.encode()
    for _, raw in made:
        if needle in raw[:2000]:
            head = raw.split(b"\n\n", 1)[0]
            for line in head.splitlines():
                if line.lower().startswith(b"from:"):
                    return line[5:].strip().decode()
    return "someone@example.com"


def run(count: int = 1000) -> dict[str, Any]:
    """Ingest ``count`` messages; returns messages per second and what happened."""
    team = Team.objects.filter(is_default=True).first() or Team.objects.order_by("pk").first()
    if team is None:
        team = Team.objects.create(name="Bench Desk", slug="bench-desk", is_default=True)
    mailbox, _ = Mailbox.objects.update_or_create(
        address=ADDRESS, defaults={"name": "Bench", "team": team, "kind": MailboxKind.LMTP}
    )
    InboundMessage.objects.filter(mailbox=mailbox).delete()
    # The bench's database is its own: tasks left by an earlier run go.
    DBTaskResult.objects.filter(task_path=process_inbound.module_path).delete()
    batch = messages(count)
    started = time.perf_counter()
    ids = []
    for _, raw in batch:
        ids.append(inbound_store(raw=raw, mailbox=mailbox, source="bench").message.pk)
    stored = time.perf_counter()
    # One worker runs the processing tasks the stores queued (the
    # acknowledgements they queue in turn are sending, not intake: not run).
    run_ready_tasks(worker_id="bench-mail", limit=count * 2, task_path=process_inbound.module_path)
    finished = time.perf_counter()
    outcomes: dict[str, int] = {}
    for status, outcome in InboundMessage.objects.filter(pk__in=ids).values_list(
        "status", "outcome"
    ):
        key = f"{status}:{outcome}"
        outcomes[key] = outcomes.get(key, 0) + 1
    kinds: dict[str, int] = {}
    for kind, _ in batch:
        kinds[kind] = kinds.get(kind, 0) + 1
    return {
        "database": connection.vendor,
        "messages": count,
        "messages_per_second": round(count / (finished - started), 1),
        "store_seconds": round(stored - started, 2),
        "process_seconds": round(finished - stored, 2),
        "mix": kinds,
        "outcomes": outcomes,
    }


def long_thread(size: int) -> str:
    """A reply over a long thread of nested quotes, as long threads look."""
    rng = random.Random(7)
    words = ["the", "printer", "on", "floor", "two", "jams", "after", "the", "first", "page"]

    def paragraph(prefix: str) -> list[str]:
        return [
            prefix + " ".join(rng.choice(words) for _ in range(rng.randint(8, 12)))
            for _ in range(rng.randint(2, 5))
        ]

    out = [*paragraph(""), "", "Best regards,", "Ann Lee", ""]
    depth = 0
    while sum(len(line) + 1 for line in out) < size:
        depth = depth % 6 + 1
        header = f"On Mon, 3 Mar 2025 at 10:{depth:02d}, P <p@example.com> wrote:"
        out.append("> " * (depth - 1) + header)
        for _ in range(3):
            out.extend(paragraph("> " * depth))
            out.append(">" * depth)
    return "\n".join(out)[:size]
