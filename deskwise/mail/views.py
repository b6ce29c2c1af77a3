from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from deskwise.core.errors import NotFound
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.mail import selectors
from deskwise.mail.models import InboundMessage


def _get(request: AuthedRequest, pk: int) -> InboundMessage:
    try:
        return selectors.inbound_get(user=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
def original(request: AuthedRequest, pk: int) -> HttpResponse:
    """A received mail as its sender formatted it, inline images in place."""
    inbound = _get(request, pk)
    context = {"inbound": inbound, "html": mark_safe(selectors.original_html(inbound))}
    return render_page(request, "mail/original.html", context)


@require_GET
def raw(request: AuthedRequest, pk: int) -> HttpResponse:
    """The message exactly as it arrived, as a file to download."""
    inbound = _get(request, pk)
    data = bytes(selectors.raw_bytes(inbound))
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="message-{inbound.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
