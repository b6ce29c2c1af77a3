"""Links that let a requester answer "Have I solved your problem?" from the
mail with one click, without signing in.

A link names the ticket and the moment it was resolved, signed with the
desk's key: it cannot be turned into another ticket's, it stops working once
answered (the ticket is no longer resolved) or resolved again (another
moment), and it expires. Anything else, including a guess, is not found.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing

from deskwise.core.errors import NotFound
from deskwise.tickets.choices import Status
from deskwise.tickets.models import Ticket

SALT = "deskwise.tickets.confirmation"


def max_age() -> dt.timedelta:
    """A link works until the ticket would be closed as unconfirmed, and a day."""
    return dt.timedelta(days=settings.DESKWISE_CONFIRM_CLOSE_DAYS + 1)


def token_for(ticket: Ticket) -> str:
    if ticket.resolved_at is None:
        raise ValueError("only a resolved ticket is confirmed")
    stamp = int(ticket.resolved_at.timestamp() * 1_000_000)
    return signing.TimestampSigner(salt=SALT).sign_object({"t": ticket.pk, "r": stamp})


def url_for(ticket: Ticket, answer: str) -> str:
    return f"{settings.BASE_URL}/portal/confirm/{token_for(ticket)}/?answer={answer}"


def ticket_for(token: str) -> Ticket:
    """The resolved ticket a link is for; NotFound for any link that is not
    one of ours, has expired, or was for an earlier resolution."""
    missing = NotFound("This link is not valid (any more).")
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=max_age().total_seconds()
        )
        ticket_id, stamp = int(payload["t"]), int(payload["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise missing from None
    ticket = Ticket.objects.select_related("requester").filter(pk=ticket_id).first()
    if ticket is None or ticket.resolved_at is None or ticket.status != Status.RESOLVED:
        raise missing
    if int(ticket.resolved_at.timestamp() * 1_000_000) != stamp:
        raise missing
    return ticket
