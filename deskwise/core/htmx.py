"""One rule for partial versus full pages.

An htmx request (not a boosted navigation) gets the named block of the page
template; everything else gets the whole page. Views never decide this
themselves.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy


def render_block(request: HttpRequest, template: str, block: str, context: dict[str, Any]) -> str:
    """One block of a Jinja2 page, with the context the whole page would get."""
    page = loader.get_template(template)
    jinja_template = page.template  # type: ignore[attr-defined]
    full = dict(context)
    full.update(request=request, csrf_input=csrf_input_lazy(request))
    full["csrf_token"] = csrf_token_lazy(request)
    for processor in page.backend.template_context_processors:  # type: ignore[attr-defined]
        full.update(processor(request))
    render = jinja_template.blocks[block]
    return "".join(render(jinja_template.new_context(full)))


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted:
        return HttpResponse(render_block(request, template, partial, context), status=status)
    return HttpResponse(loader.render_to_string(template, context, request), status=status)
