"""The one outbound mail path: queue a templated message, a task sends it."""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from deskwise.core import clock
from deskwise.notifications.models import OutboundEmail, ThreadKey

if TYPE_CHECKING:
    from deskwise.tickets.models import Ticket, TimelineEvent

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("deskwise_mail_muted", default=False)


@contextlib.contextmanager
def muted() -> Iterator[None]:
    """Record history without mailing anyone: for importing past tickets and the demo desk."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


Enricher = Callable[[dict[str, Any]], dict[str, Any]]
_enrichers: dict[str, Enricher] = {}


def enrich_at_send_time(template: str) -> Callable[[Enricher], Enricher]:
    """Register what a template adds to its context when the message is sent:
    facts that should be as fresh as the message (a wait estimate), and that
    the change that queued it need not wait for."""

    def register(func: Enricher) -> Enricher:
        _enrichers[template] = func
        return func

    return register


def enriched(template: str, context: dict[str, Any]) -> dict[str, Any]:
    enricher = _enrichers.get(template)
    return {**context, **enricher(context)} if enricher else context


def email_queue(
    *,
    template: str,
    to: Iterable[str],
    context: Mapping[str, Any],
    cc: Iterable[str] = (),
    ticket: Ticket | None = None,
    event: TimelineEvent | None = None,
    automatic: bool = True,
) -> OutboundEmail | None:
    """Record a message to send and send it after the surrounding commit.

    ``template`` names ``notifications/email/<template>.{subject.txt,txt,html}``.
    Addresses are de-duplicated; a message with nobody to send to is not queued.
    ``automatic`` is False for words a person wrote (an agent's reply): only
    automatic mail is marked Auto-Submitted. Mail about a ticket joins its
    thread, so replies to it find the ticket.
    """
    recipients = list(dict.fromkeys(addr.strip().lower() for addr in to if addr.strip()))
    copies = [
        addr
        for addr in dict.fromkeys(a.strip().lower() for a in cc if a.strip())
        if addr not in recipients
    ]
    if not recipients or _muted.get():
        return None
    now = clock.now()
    message_id = f"{uuid.uuid4().hex}@{settings.DESKWISE_MAIL_DOMAIN}"
    outbound = OutboundEmail.objects.create(
        template=template,
        to=recipients,
        cc=copies,
        context=dict(context),
        message_id=f"<{message_id}>",
        ticket=ticket,
        event=event,
        automatic=automatic,
        created_at=now,
    )
    if ticket is not None:
        ThreadKey.objects.create(
            message_id=message_id,
            ticket=ticket,
            direction=ThreadKey.Direction.SENT,
            outbound=outbound,
            created_at=now,
        )
    from deskwise.notifications.tasks import send_email

    transaction.on_commit(lambda: send_email.enqueue(outbound.pk))
    return outbound


def thread_key_record(*, ticket: Ticket, message_id: str) -> None:
    """Remember a received Message-ID as part of a ticket's conversation, so the
    replies that quote it find the ticket and our answers thread under it."""
    message_id = message_id.strip("<> ")[:255]
    if message_id:
        # A Message-ID already known (a copy of a mail we have) keeps its ticket.
        ThreadKey.objects.bulk_create(
            [
                ThreadKey(
                    message_id=message_id,
                    ticket=ticket,
                    direction=ThreadKey.Direction.RECEIVED,
                    created_at=clock.now(),
                )
            ],
            ignore_conflicts=True,
        )
