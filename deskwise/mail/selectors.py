"""Reads of received mail, with the ticket's permissions applied: a message
belongs to its ticket, and whoever may not see the ticket may not see it."""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser

from deskwise.accounts.models import User
from deskwise.core.errors import NotFound
from deskwise.core.text import sanitise_html
from deskwise.mail.models import InboundMessage
from deskwise.tickets import selectors as tickets
from deskwise.tickets.models import Attachment
from deskwise.tickets.permissions import Action, can

_CID = re.compile(r"""(src\s*=\s*["'])cid:([^"']+)(["'])""", re.IGNORECASE)


def inbound_get(*, user: User | AnonymousUser, pk: int) -> InboundMessage:
    """A received message, for agents who may see its ticket's internal side."""
    inbound = InboundMessage.objects.filter(pk=pk).defer("raw").first()
    if inbound is None or inbound.ticket_id is None:
        raise NotFound("There is no such message, or you may not see it.")
    ticket = tickets.ticket_get(user=user, pk=inbound.ticket_id)
    if not can(user, Action.VIEW_INTERNAL, ticket):
        raise NotFound("There is no such message, or you may not see it.")
    return inbound


def original_html(inbound: InboundMessage) -> str:
    """The message's own HTML, with its inline images shown from the ticket's
    stored copies (cid: links point at the attachments)."""
    if not inbound.html or inbound.event_id is None:
        return sanitise_html(inbound.html)
    parts = {
        a.content_id: a
        for a in Attachment.objects.filter(event_id=inbound.event_id).exclude(content_id="")
    }

    def link(match: re.Match[str]) -> str:
        attachment = parts.get(match.group(2).strip("<>"))
        if attachment is None:
            return match.group(0)
        url = f"/attachments/{attachment.pk}/{attachment.filename}"
        return f"{match.group(1)}{url}{match.group(3)}"

    return sanitise_html(_CID.sub(link, inbound.html))


def raw_bytes(inbound: InboundMessage) -> bytes:
    return bytes(InboundMessage.objects.values_list("raw", flat=True).get(pk=inbound.pk))
