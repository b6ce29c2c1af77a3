from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.tasks import task
from django.template.loader import render_to_string

from deskwise.core import clock
from deskwise.core.worker import PermanentFailure
from deskwise.notifications.models import OutboundEmail
from deskwise.notifications.services import enriched

logger = logging.getLogger(__name__)

# Context keys that hold secrets (sign-in links) are blanked once the message
# has left, so the outbox does not keep a working credential.
SECRET_KEYS = ("login_url",)


def render_email(outbound: OutboundEmail) -> EmailMultiAlternatives:
    context = {**enriched(outbound.template, outbound.context), "base_url": settings.BASE_URL}
    base = f"notifications/email/{outbound.template}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())[:255]
    text = render_to_string(f"{base}.txt", context)
    html = render_to_string(f"{base}.html", context)
    headers = {"Message-ID": outbound.message_id, "Auto-Submitted": "auto-generated"}
    if outbound.ticket_id:
        # Thread every message of a ticket under the first one we sent.
        first = (
            OutboundEmail.objects.filter(ticket_id=outbound.ticket_id, id__lt=outbound.id)
            .order_by("id")
            .values_list("message_id", flat=True)
            .first()
        )
        if first:
            headers["In-Reply-To"] = first
            headers["References"] = first
        headers["X-Deskwise-Ticket"] = f"DW-{outbound.ticket_id}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=outbound.to,
        cc=outbound.cc,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


@task(queue_name="mail")
def send_email(outbound_id: int) -> str:
    """Render and send one queued message; safe to run again."""
    outbound = OutboundEmail.objects.filter(pk=outbound_id).first()
    if outbound is None:
        raise PermanentFailure(f"outbound email {outbound_id} no longer exists")
    if outbound.status == OutboundEmail.Status.SENT:
        return "already sent"
    try:
        message = render_email(outbound)
        message.send()
    except Exception as exc:
        # Recorded for admins; raising lets the worker retry with backoff.
        OutboundEmail.objects.filter(pk=outbound_id).update(
            status=OutboundEmail.Status.FAILED,
            attempts=F("attempts") + 1,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
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
