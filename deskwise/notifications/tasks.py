from __future__ import annotations

import logging
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string

from deskwise.core import clock
from deskwise.core.worker import PermanentFailure, policy_for
from deskwise.notifications.models import OutboundEmail, ThreadKey
from deskwise.notifications.services import enriched

logger = logging.getLogger(__name__)

# Context keys that hold secrets (sign-in links) are blanked once the message
# has left, so the outbox does not keep a working credential.
SECRET_KEYS = ("login_url", "confirm_yes_url", "confirm_no_url")


# Automatic answers to a message someone sent (RFC 3834 "auto-replied").
REPLIES_TO_MAIL = frozenset({"acknowledgement"})
# Mail to requesters and participants, which comes from the ticket's team.
TO_REQUESTERS = frozenset({"acknowledgement", "reply", "resolved", "confirm_reminder", "survey"})
# References keeps the first message and the most recent ones: enough for
# every mail client to thread, without a header that grows for ever.
REFERENCES_KEPT = 10


def _thread_headers(outbound: OutboundEmail) -> dict[str, str]:
    """In-Reply-To the latest message of the ticket's conversation before this
    one, and References to the conversation, so the requester's mail client
    shows one thread."""
    own = ThreadKey.objects.filter(outbound_id=outbound.pk).values_list("id", flat=True).first()
    keys = list(
        ThreadKey.objects.filter(ticket_id=outbound.ticket_id or 0, id__lt=own or 2**62)
        .order_by("id")
        .values_list("message_id", flat=True)
    )
    if not keys:
        return {}
    chain = keys if len(keys) <= REFERENCES_KEPT else [keys[0], *keys[-(REFERENCES_KEPT - 1) :]]
    return {
        "In-Reply-To": f"<{keys[-1]}>",
        "References": " ".join(f"<{k}>" for k in chain),
    }


def render_email(outbound: OutboundEmail) -> EmailMultiAlternatives:
    context = {**enriched(outbound.template, outbound.context), "base_url": settings.BASE_URL}
    base = f"notifications/email/{outbound.template}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())[:255]
    text = render_to_string(f"{base}.txt", context)
    html = render_to_string(f"{base}.html", context)
    headers = {"Message-ID": outbound.message_id}
    if outbound.automatic:
        # RFC 3834: automatic mail says so, and asks other automatons not to
        # answer it (Exchange honours X-Auto-Response-Suppress), so that two
        # robots cannot talk to each other for ever.
        headers["Auto-Submitted"] = (
            "auto-replied" if outbound.template in REPLIES_TO_MAIL else "auto-generated"
        )
        headers["X-Auto-Response-Suppress"] = "All"
    from_email = settings.DEFAULT_FROM_EMAIL
    if outbound.ticket_id:
        headers.update(_thread_headers(outbound))
        headers["X-Deskwise-Ticket"] = f"DW-{outbound.ticket_id}"
        team = outbound.ticket.team if outbound.ticket else None
        if team is not None and team.email and outbound.template in TO_REQUESTERS:
            from_email = formataddr((team.name, team.email))
            headers["Reply-To"] = team.email
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=outbound.to,
        cc=outbound.cc,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def _record_failure(outbound: OutboundEmail, error: str) -> None:
    """The last attempt failed: the ticket's agents see that the mail never left."""
    from deskwise.tickets.services import record_delivery_failure

    if outbound.ticket is not None:
        record_delivery_failure(
            ticket=outbound.ticket,
            recipients=[*outbound.to, *outbound.cc],
            reason=f"Sending failed after {outbound.attempts + 1} attempts ({error}).",
            message_id=outbound.message_id,
        )


@task(queue_name="mail")
def send_email(outbound_id: int) -> str:
    """Render and send one queued message; safe to run again."""
    outbound = OutboundEmail.objects.select_related("ticket__team").filter(pk=outbound_id).first()
    if outbound is None:
        raise PermanentFailure(f"outbound email {outbound_id} no longer exists")
    if outbound.status == OutboundEmail.Status.SENT:
        return "already sent"
    try:
        message = render_email(outbound)
        message.send()
    except Exception as exc:
        # Recorded for admins; raising lets the worker retry with backoff.
        error = f"{type(exc).__name__}: {exc}"[:2000]
        OutboundEmail.objects.filter(pk=outbound_id).update(
            status=OutboundEmail.Status.FAILED, attempts=F("attempts") + 1, last_error=error
        )
        if (
            outbound.ticket_id
            and outbound.attempts + 1 >= policy_for(send_email.module_path).max_attempts
        ):
            _record_failure(outbound, error)
        raise
    context = dict(outbound.context)
    for key in SECRET_KEYS:
        if key in context:
            context[key] = "(sent; not kept)"
    OutboundEmail.objects.filter(pk=outbound_id).update(
        status=OutboundEmail.Status.SENT,
        subject=message.subject,
        sent_at=clock.now(),
        attempts=F("attempts") + 1,
        last_error="",
        context=context,
    )
    return "sent"
