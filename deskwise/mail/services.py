"""The email channel's writes: store what arrives, process it, and the admin's
retry and discard.

Transports (IMAP, the LMTP/SMTP listener, the pipe command, maildir) only
call ``inbound_store``; everything after that is ``inbound_process``, run by
a task. Storing commits the raw bytes before anything reads them, so nothing
that was accepted can be lost; processing commits the ticket change and the
message's new state together, so nothing is applied twice.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction

from deskwise.accounts.models import User
from deskwise.core import clock
from deskwise.core.errors import Conflict, ServiceError
from deskwise.core.queries import one
from deskwise.core.secrets import seal, unseal
from deskwise.mail.choices import SETTLED_STATES, InboundStatus
from deskwise.mail.models import InboundMessage, Mailbox, MailboxSecret

logger = logging.getLogger(__name__)

_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)
_HEADER_END = re.compile(rb"\r?\n\r?\n")


class TooLarge(ServiceError):
    code = "too_large"
    status = 413


@dataclass(frozen=True)
class Stored:
    message: InboundMessage
    created: bool  # False: we already had it (same Message-ID, or same bytes)


def _header_block(raw: bytes) -> bytes:
    end = _HEADER_END.search(raw, 0, 256 * 1024)
    return raw[: end.start()] if end else raw[: 256 * 1024]


def message_id_of(raw: bytes) -> str:
    """The Message-ID, read cheaply from the header block, without brackets."""
    found = _MESSAGE_ID.search(_header_block(raw))
    if not found:
        return ""
    value = b" ".join(found.group(1).split()).decode("ascii", "replace").strip()
    inner = re.search(r"<([^<>\s]+)>", value)
    return (inner.group(1) if inner else value.strip("<>"))[:250]


def inbound_store(
    *,
    raw: bytes,
    mailbox: Mailbox | None = None,
    source: str = "",
    envelope_from: str = "",
    envelope_to: tuple[str, ...] | list[str] = (),
) -> Stored:
    """Keep a received message, byte for byte, and queue its processing.

    The same message arriving twice (two mailboxes, a redelivery, an IMAP copy
    seen again) is stored once: by its Message-ID, or by its bytes' SHA-256
    when it has none.
    """
    if len(raw) > settings.DESKWISE_MAIL_MAX_BYTES:
        raise TooLarge(
            f"The message is {len(raw) / 1048576:.1f} MB; this desk accepts mail up to "
            f"{settings.DESKWISE_MAIL_MAX_BYTES // 1048576} MB."
        )
    digest = hashlib.sha256(raw).hexdigest()
    message_id = message_id_of(raw)
    key = f"id:{message_id}" if message_id else f"sha256:{digest}"
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                mailbox=mailbox,
                raw=raw,
                size=len(raw),
                sha256=digest,
                dedupe_key=key,
                message_id=message_id,
                envelope_from=envelope_from[:254],
                envelope_to=list(envelope_to)[:50],
                source=source[:300],
                received_at=clock.now(),
            )
            _enqueue(message.pk)
    except IntegrityError:  # we have it already (or a concurrent delivery stored it)
        return Stored(InboundMessage.objects.get(dedupe_key=key), created=False)
    return Stored(message, created=True)


def _enqueue(inbound_id: int) -> None:
    from deskwise.mail.tasks import process_inbound

    transaction.on_commit(lambda: process_inbound.enqueue(inbound_id))


PROCESSED_FIELDS = [
    "status", "outcome", "reason", "ticket", "event", "processed_at", "attempts",
    "from_address", "subject", "html",
]  # fmt: skip


def inbound_process(*, inbound_id: int, retry: bool = False) -> InboundMessage | None:
    """Turn a stored message into a ticket, an event, or a recorded "ignored".

    Runs in one transaction with the message row locked: the ticket change and
    the message's new status commit together. A failure is recorded on the
    message (in its own transaction) and does not raise, so one bad message
    never stops a batch.
    """
    from deskwise.mail.pipeline import Unprocessable, handle

    try:
        with transaction.atomic():
            inbound = one(
                InboundMessage.objects.select_for_update(of=("self",))
                .select_related("mailbox", "mailbox__team")
                .filter(pk=inbound_id)
            )
            if inbound is None:
                return None
            if inbound.status in SETTLED_STATES and not retry:
                return inbound
            inbound.attempts += 1
            result = handle(inbound)
            inbound.status = result.status
            inbound.outcome = result.outcome
            inbound.reason = result.reason[:2000]
            inbound.ticket = result.ticket
            inbound.event = result.event
            inbound.processed_at = clock.now()
            inbound.save(update_fields=PROCESSED_FIELDS)  # never rewrites the raw bytes
            return inbound
    except (Unprocessable, ServiceError) as exc:
        reason = exc.message if isinstance(exc, ServiceError) else str(exc)
    except OperationalError:
        raise  # the database is away or busy: the task is retried, the message waits
    except Exception as exc:
        logger.exception("inbound message %s could not be processed", inbound_id)
        reason = f"Unexpected error: {type(exc).__name__}: {exc}"
    InboundMessage.objects.filter(pk=inbound_id).update(
        status=InboundStatus.FAILED,
        reason=reason[:2000],
        attempts=InboundMessage.objects.get(pk=inbound_id).attempts + 1,
        processed_at=clock.now(),
    )
    return InboundMessage.objects.get(pk=inbound_id)


def _require_admin(actor: User) -> None:
    if not actor.is_desk_admin:
        raise Conflict("Only admins handle unprocessed mail.")


def inbound_retry(*, inbound: InboundMessage, actor: User) -> InboundMessage | None:
    """Process a failed (or discarded) message again, now."""
    _require_admin(actor)
    if inbound.status not in {InboundStatus.FAILED, InboundStatus.DISCARDED}:
        raise Conflict("Only failed or discarded messages are retried.")
    return inbound_process(inbound_id=inbound.pk, retry=True)


@transaction.atomic
def inbound_discard(*, inbound: InboundMessage, actor: User, reason: str = "") -> None:
    """Set a failed message aside: kept, but no longer listed as needing work."""
    _require_admin(actor)
    if inbound.status != InboundStatus.FAILED:
        raise Conflict("Only failed messages are discarded.")
    InboundMessage.objects.filter(pk=inbound.pk).update(
        status=InboundStatus.DISCARDED,
        reason=(f"Discarded by {actor.display_name}. " + (reason or inbound.reason))[:2000],
    )


@transaction.atomic
def mailbox_set_secret(*, mailbox: Mailbox, secret: str) -> None:
    """Store a mailbox's password or access token, sealed."""
    MailboxSecret.objects.update_or_create(
        mailbox=mailbox, defaults={"sealed": seal(secret), "updated_at": clock.now()}
    )


def mailbox_secret(mailbox: Mailbox) -> str:
    record = MailboxSecret.objects.filter(mailbox=mailbox).first()
    return unseal(record.sealed) if record else ""
