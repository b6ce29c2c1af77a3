"""The LMTP/SMTP listener a mail server delivers to (``deskwise mail-server``).

It accepts mail for the desk's addresses only, stores each message before it
answers, and answers with what a mail server understands: 250 stored, 451
try again later (the database is away), 552 too big, 550 not our address.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.db import DatabaseError, close_old_connections

from deskwise.accounts.models import Team
from deskwise.mail.models import Mailbox
from deskwise.mail.services import TooLarge, inbound_store

logger = logging.getLogger(__name__)


def _known_address(address: str) -> bool:
    address = address.strip().lower()
    return (
        Mailbox.objects.filter(address=address, is_active=True).exists()
        or Team.objects.filter(email=address).exists()
    )


def _store(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> str:
    close_old_connections()
    mailbox = Mailbox.objects.filter(address__in=[r.lower() for r in rcpt_tos]).first()
    stored = inbound_store(
        raw=raw,
        mailbox=mailbox,
        source="smtp",
        envelope_from=mail_from or "",
        envelope_to=[r.lower() for r in rcpt_tos],
    )
    return f"250 2.0.0 Stored as message {stored.message.pk}"


class DeskHandler:
    def __init__(self, *, lmtp: bool) -> None:
        self.lmtp = lmtp

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        try:
            known = await sync_to_async(_known_address, thread_sensitive=True)(address)
        except DatabaseError:
            return "451 4.3.0 Temporary failure, please try again later"
        if not known:
            return "550 5.1.1 No such mailbox at this help desk"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        try:
            status = await sync_to_async(_store, thread_sensitive=True)(
                raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except TooLarge as exc:
            status = f"552 5.3.4 {exc.message}"
        except DatabaseError:
            logger.exception("storing a delivered message failed")
            status = "451 4.3.0 Temporary failure, please try again later"
        # LMTP answers once per recipient; the message is stored once for all.
        if self.lmtp:
            return "\r\n".join([status] * max(1, len(envelope.rcpt_tos)))
        return status
