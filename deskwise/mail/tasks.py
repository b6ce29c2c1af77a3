"""Background work of the email channel: process what arrived, poll mailboxes,
and pick up anything a crash left behind."""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import task

from deskwise.core import clock
from deskwise.core.schedule import periodic
from deskwise.core.worker import retrying
from deskwise.mail.choices import InboundStatus, MailboxKind
from deskwise.mail.models import InboundMessage, Mailbox

logger = logging.getLogger(__name__)


@retrying(max_attempts=8, base_delay=5)
@task(queue_name="mail")
def process_inbound(inbound_id: int) -> str:
    """Process one stored message; running it again does nothing more."""
    from deskwise.mail.services import inbound_process

    inbound = inbound_process(inbound_id=inbound_id)
    return inbound.status if inbound else "gone"


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="mail")
def poll_mailboxes() -> dict[str, str]:
    """Fetch new mail from every active IMAP and maildir mailbox."""
    from deskwise.mail.transports import poll

    report = {}
    for mailbox in Mailbox.objects.filter(
        is_active=True, kind__in=[MailboxKind.IMAP, MailboxKind.MAILDIR]
    ).select_related("team"):
        report[mailbox.name] = poll(mailbox).summary
    return report


STALE_PENDING = dt.timedelta(minutes=5)


@periodic(every=dt.timedelta(minutes=5))
@task(queue_name="mail")
def process_stale_pending() -> int:
    """Stored messages whose processing task was lost (the process died
    between storing and queueing) are processed now: stored is never lost."""
    from deskwise.mail.services import inbound_process

    cutoff = clock.now() - STALE_PENDING
    ids = list(
        InboundMessage.objects.filter(status=InboundStatus.PENDING, received_at__lt=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:500]
    )
    for inbound_id in ids:
        inbound_process(inbound_id=inbound_id)
    return len(ids)
