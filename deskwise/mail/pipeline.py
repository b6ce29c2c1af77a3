"""One stored message in, one decision out: a new ticket, an event on a
ticket, a recorded delivery failure, or "ignored, and why".

The pipeline never saves a ticket itself: it calls the ticket services, inside
the transaction ``services.inbound_process`` holds, so the change and the
message's new status commit together.

Threading, in order:
1. In-Reply-To and References against the Message-IDs the desk sent and
   received (``ThreadKey``);
2. a ticket reference in the subject (``[DW-1042]``), only when the sender is
   the requester, a participant or an agent who may see it;
3. otherwise a new ticket. A stranger never gets onto someone else's ticket,
   whatever headers they send.
A reply to a ticket closed more than DESKWISE_MAIL_REOPEN_DAYS ago opens a new
ticket that says which one it follows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

from deskwise.accounts.choices import STAFF_ROLES
from deskwise.accounts.models import Contact, Team, User
from deskwise.accounts.services import contact_get_or_create
from deskwise.core import clock
from deskwise.core.errors import InvalidInput
from deskwise.core.files import human_size, safe_filename
from deskwise.core.text import SUBJECT_MAX, clean_email, scrub_body, scrub_line
from deskwise.mail.choices import InboundStatus, Outcome
from deskwise.mail.models import InboundMessage, Mailbox
from deskwise.mail.noise import NoiseKind, detect_noise
from deskwise.mail.parse import parse_message
from deskwise.mail.parsed import Address, ParsedAttachment, ParsedMail
from deskwise.mail.quotes import split_reply
from deskwise.notifications.models import OutboundEmail, ThreadKey
from deskwise.tickets import services as tickets
from deskwise.tickets.choices import Channel, Status
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.tickets.permissions import Action, can

SUBJECT_REFERENCE = re.compile(r"\[DW-(\d{1,12})\]", re.IGNORECASE)
_REPLY_PREFIX = re.compile(
    r"^\s*((re|aw|sv|vs|antw|odp|ynt|rif|r|fw|fwd|wg|tr|rv|enc|doorst)\s*(\[\d+\])?\s*[:\uff1a]\s*)+",
    re.IGNORECASE,
)
NO_TEXT = "(The message had no text.)"
NOISE_WORDS = {
    NoiseKind.BOUNCE: "Bounce",
    NoiseKind.AUTO_REPLY: "Automatic reply",
    NoiseKind.BULK: "Bulk mail",
    NoiseKind.OTHER_REPORT: "Mail system report",
}
NO_SUBJECT = "(no subject)"


class Unprocessable(Exception):
    """The message cannot become a ticket or an event; an admin must look."""


@dataclass(frozen=True)
class Result:
    status: InboundStatus
    outcome: Outcome
    reason: str = ""
    ticket: Ticket | None = None
    event: TimelineEvent | None = None


class EmailUpload:
    """An email part in the shape the ticket services store files from."""

    def __init__(self, part: ParsedAttachment) -> None:
        self.name = part.filename
        self.size = len(part.data)
        self.content_id = part.content_id
        self.inline = part.inline
        self._data = part.data

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield self._data

    def read(self, size: int = -1) -> bytes:
        return self._data

    def seek(self, offset: int) -> None:
        pass

    def __iter__(self) -> Iterator[bytes]:
        yield self._data

    def __len__(self) -> int:
        return self.size


OWN_ADDRESSES_SECONDS = 60


def own_addresses() -> frozenset[str]:
    """Every address the desk sends from or receives at: mail from them is a loop.
    (Kept for a minute: they change when an admin adds a mailbox.)"""
    cached = cache.get("mail:own-addresses")
    if cached is None:
        cached = _own_addresses()
        cache.set("mail:own-addresses", cached, OWN_ADDRESSES_SECONDS)
    return cached


def staff_addresses() -> frozenset[str]:
    """The addresses of agents (kept for a minute): most mail is from requesters,
    and this spares them a lookup."""
    cached = cache.get("mail:staff-addresses")
    if cached is None:
        emails = User.objects.filter(is_active=True, role__in=sorted(STAFF_ROLES))
        cached = frozenset(e.lower() for e in emails.values_list("email", flat=True) if e)
        cache.set("mail:staff-addresses", cached, OWN_ADDRESSES_SECONDS)
    return cached


def _own_addresses() -> frozenset[str]:
    addresses = set(Mailbox.objects.values_list("address", flat=True))
    addresses |= set(Team.objects.exclude(email="").values_list("email", flat=True))
    from email.utils import parseaddr

    addresses.add(parseaddr(settings.DEFAULT_FROM_EMAIL)[1])
    return frozenset(a.lower() for a in addresses if a)


def _ids(*lists: Sequence[str]) -> list[str]:
    seen: dict[str, None] = {}
    for values in lists:
        for value in values:
            if value:
                seen[value.strip("<> ")[:255]] = None
    return list(seen)[:100]


class Intake:
    """The facts about one message that the decisions below share."""

    def __init__(self, inbound: InboundMessage, parsed: ParsedMail) -> None:
        self.inbound = inbound
        self.parsed = parsed
        self.mailbox = inbound.mailbox
        self.own = own_addresses()

    @cached_property
    def split(self) -> Any:
        return split_reply(self.parsed.text)

    @cached_property
    def agent(self) -> User | None:
        """The agent who wrote, when From is an agent's address."""
        email = self.parsed.sender.email
        if not email or email not in staff_addresses():
            return None
        user = User.objects.filter(email=email, is_active=True).first()
        return user if user is not None and user.is_agent else None

    def contact(self, address: Address) -> Contact | None:
        try:
            return contact_get_or_create(email=address.email, name=self._name(address))
        except InvalidInput:
            return None

    @staticmethod
    def _name(address: Address) -> str:
        name = scrub_line(address.name, max_length=120).strip("'\" ")
        return "" if "@" in name else name

    @cached_property
    def copies(self) -> list[Contact]:
        """The people the sender copied in (To and Cc), other than the desk."""
        sender = self.parsed.sender.email
        found = []
        for address in [*self.parsed.to, *self.parsed.cc][:20]:
            if not address.email or address.email in self.own or address.email == sender:
                continue
            contact = self.contact(address)
            if contact is not None:
                found.append(contact)
        return found

    @cached_property
    def team(self) -> Team | None:
        if self.mailbox is not None:
            return self.mailbox.team
        recipients = {a.lower() for a in self.inbound.envelope_to} | {
            a.email for a in [*self.parsed.to, *self.parsed.cc]
        }
        routed = Mailbox.objects.filter(address__in=recipients).select_related("team").first()
        if routed is not None:
            return routed.team
        return Team.objects.filter(email__in=recipients).first()

    def uploads(self) -> tuple[list[EmailUpload], list[str]]:
        """The attachments to keep, and a sentence for each one that was not."""
        limit = settings.DESKWISE_MAX_ATTACHMENT_BYTES
        most = settings.DESKWISE_MAIL_MAX_ATTACHMENTS
        kept: list[EmailUpload] = []
        dropped: list[str] = []
        for part in self.parsed.attachments:
            name = safe_filename(part.filename)
            if len(part.data) > limit:
                dropped.append(
                    f"{name} ({human_size(len(part.data))}) was not kept: the limit is "
                    f"{human_size(limit)} per file."
                )
            elif len(kept) >= most:
                dropped.append(f"{name} was not kept: at most {most} files are kept per mail.")
            else:
                kept.append(EmailUpload(part))
        return kept, dropped

    def event_data(self, dropped: Sequence[str] = ()) -> dict[str, Any]:
        parsed = self.parsed
        facts: dict[str, Any] = {
            "message_id": parsed.message_id,
            "inbound_id": self.inbound.pk,
            "from": parsed.sender.email,
            "to": [a.email for a in parsed.to][:20],
            "cc": [a.email for a in parsed.cc][:20],
            "subject": scrub_line(parsed.subject, max_length=SUBJECT_MAX),
        }
        if parsed.reply_to:
            facts["reply_to"] = [a.email for a in parsed.reply_to][:5]
        quoted = scrub_body(self.split.quoted, max_length=20_000)
        if quoted:
            facts["quoted"] = quoted
        signature = scrub_body(self.split.signature, max_length=2_000)
        if signature:
            facts["signature"] = signature
        if parsed.html:
            facts["has_html"] = True
        if dropped:
            facts["dropped_attachments"] = list(dropped)
        return {"email": facts}

    def body(self, text: str | None = None) -> str:
        return scrub_body(self.split.new if text is None else text) or NO_TEXT

    def subject(self) -> str:
        return scrub_line(self.parsed.subject, max_length=SUBJECT_MAX) or NO_SUBJECT


def _may_write(ticket: Ticket, contact: Contact, agent: User | None) -> bool:
    if agent is not None and can(agent, Action.VIEW, ticket):
        return True
    if contact.pk == ticket.requester_id:
        return True
    return ticket.participants.filter(pk=contact.pk).exists()


def _thread(intake: Intake, contact: Contact) -> tuple[Ticket | None, Ticket | None]:
    """The ticket this message continues, and (when it is too old to reopen or
    not the sender's) the ticket it refers to, for a link."""
    parsed = intake.parsed
    referred: Ticket | None = None
    ids = _ids(parsed.in_reply_to, list(reversed(parsed.references)))
    if ids:
        keys = {
            k.message_id: k
            for k in ThreadKey.objects.filter(message_id__in=ids).select_related("ticket")
        }
        for message_id in ids:
            key = keys.get(message_id)
            if key is None:
                continue
            if _may_write(key.ticket, contact, intake.agent):
                return key.ticket, None
            referred = key.ticket
            break
    match = SUBJECT_REFERENCE.search(parsed.subject)
    if match:
        ticket = Ticket.objects.filter(pk=int(match.group(1))).first()
        if ticket is not None and _may_write(ticket, contact, intake.agent):
            return ticket, None
        referred = referred or ticket
    return None, referred


def _too_old(ticket: Ticket) -> bool:
    if ticket.status != Status.CLOSED or ticket.closed_at is None:
        return False
    return clock.now() - ticket.closed_at > dt.timedelta(days=settings.DESKWISE_MAIL_REOPEN_DAYS)


def _acknowledge(contact: Contact) -> bool:
    """Whether this sender gets an acknowledgement: not past the hourly limit."""
    since = clock.now() - dt.timedelta(hours=1)
    recent = Ticket.objects.filter(
        requester=contact, channel=Channel.EMAIL, created_at__gte=since
    ).values("pk")[: settings.DESKWISE_MAIL_ACKS_PER_HOUR]
    return len(recent) < settings.DESKWISE_MAIL_ACKS_PER_HOUR


def _bounce(intake: Intake, noise: Any) -> Result:
    ids = _ids(noise.original_message_ids)
    key = (
        ThreadKey.objects.filter(message_id__in=ids, direction=ThreadKey.Direction.SENT)
        .select_related("ticket", "outbound")
        .first()
        if ids
        else None
    )
    if key is None:
        return Result(InboundStatus.IGNORED, Outcome.NOISE, f"Bounce: {noise.reason}")
    if noise.delayed:
        # Not a failure yet: the mail server keeps trying, and says so again.
        return Result(
            InboundStatus.IGNORED,
            Outcome.NOISE,
            f"Delay notice for mail on {key.ticket.reference}: {noise.reason}",
            ticket=key.ticket,
        )
    recipients = list(noise.failed_recipients) or (key.outbound.to if key.outbound else [])
    event = tickets.record_delivery_failure(
        ticket=key.ticket, recipients=recipients, reason=noise.reason, message_id=key.message_id
    )
    if key.outbound_id:
        OutboundEmail.objects.filter(pk=key.outbound_id).update(
            status=OutboundEmail.Status.BOUNCED, last_error=noise.reason[:2000]
        )
    return Result(
        InboundStatus.IGNORED,
        Outcome.BOUNCE,
        f"Bounce of our mail on {key.ticket.reference}: {noise.reason}",
        ticket=key.ticket,
        event=event,
    )


def handle(inbound: InboundMessage) -> Result:
    parsed = parse_message(bytes(inbound.raw))
    inbound.from_address = parsed.sender.email[:254]
    inbound.subject = scrub_line(parsed.subject, max_length=255)
    inbound.html = parsed.html
    intake = Intake(inbound, parsed)
    noise = detect_noise(parsed.message, own_addresses=intake.own)
    if noise is not None:
        if noise.kind == NoiseKind.BOUNCE:
            return _bounce(intake, noise)
        words = NOISE_WORDS.get(noise.kind, "Automatic mail")
        return Result(InboundStatus.IGNORED, Outcome.NOISE, f"{words}: {noise.reason}")
    try:
        clean_email(parsed.sender.email)
    except ValidationError:
        raise Unprocessable(
            "The message has no usable sender address (From), so there is nobody to answer."
        ) from None
    contact = intake.contact(parsed.sender)
    if contact is None:
        raise Unprocessable(f"The sender address {parsed.sender.email!r} is not valid.")
    ticket, referred = _thread(intake, contact)
    if ticket is not None and _too_old(ticket):
        ticket, referred = None, ticket
    uploads, dropped = intake.uploads()
    extra = intake.event_data(dropped)
    if referred is not None:
        extra["email"]["refers_to"] = referred.pk

    if ticket is not None and intake.agent is not None:
        event = tickets.add_note(
            ticket=ticket,
            actor=intake.agent,
            body=intake.body(),
            uploads=uploads,
            channel=Channel.EMAIL,
            extra=extra,
            message_id=intake.parsed.message_id,
        )
        return Result(InboundStatus.PROCESSED, Outcome.NOTE, ticket=ticket, event=event)
    if ticket is not None:
        event = tickets.add_requester_message(
            ticket=ticket,
            contact=contact,
            body=intake.body(),
            channel=Channel.EMAIL,
            uploads=uploads,
            copies=intake.copies,
            extra=extra,
            message_id=intake.parsed.message_id,
        )
        return Result(InboundStatus.PROCESSED, Outcome.ADDED, ticket=ticket, event=event)
    return _new_ticket(intake, contact, uploads, extra)


def _new_ticket(
    intake: Intake, contact: Contact, uploads: list[EmailUpload], extra: dict[str, Any]
) -> Result:
    parsed = intake.parsed
    forwarded = parsed.forwarded
    requester, actor, note = contact, None, ""
    subject = intake.subject()
    description = intake.body()
    if intake.agent is not None and forwarded is not None and forwarded.sender.email:
        # An agent forwarded someone's mail: the ticket is that person's.
        original = intake.contact(forwarded.sender)
        if original is not None and forwarded.sender.email not in intake.own:
            requester, actor = original, intake.agent
            note = scrub_body(intake.split.new.split("\n\n")[0] if intake.split.new else "")
            subject = (
                scrub_line(
                    _REPLY_PREFIX.sub("", forwarded.subject or parsed.subject),
                    max_length=SUBJECT_MAX,
                )
                or NO_SUBJECT
            )
            description = intake.body(forwarded.text or parsed.text)
            extra["email"]["forwarded_by"] = intake.agent.email
    ticket = tickets.open_ticket(
        requester=requester,
        subject=subject,
        description=description,
        channel=Channel.EMAIL,
        actor=actor,
        team=intake.team,
        participants=[c for c in intake.copies if c.pk != requester.pk],
        uploads=uploads,
        acknowledge=_acknowledge(requester),
        extra=extra,
        message_id=parsed.message_id,
    )
    if actor is not None and note and note != description:
        tickets.add_note(ticket=ticket, actor=actor, body=note, channel=Channel.EMAIL)
    return Result(
        InboundStatus.PROCESSED, Outcome.NEW_TICKET, ticket=ticket, event=ticket.opening_event
    )
