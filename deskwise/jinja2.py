"""The template environment for Deskwise's own pages and mails.

Jinja2 renders our templates (the Django template language is kept only for
the admin): a queue or ticket page spent most of its time in template
rendering, and Jinja2 compiles templates to Python instead of interpreting
them node by node. Each app's display helpers are registered here once.
"""

from __future__ import annotations

from typing import Any

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django_htmx.jinja import django_htmx_script, htmx_script
from jinja2 import Environment, select_autoescape

from deskwise.core import display as core_display
from deskwise.tickets import display as ticket_display


def may_search(user: Any) -> bool:
    """Whether the top bar shows the search box (see ``search.selectors``)."""
    from deskwise.search.selectors import allowed_kinds

    return bool(allowed_kinds(user))


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    # HTML is escaped; the plain-text parts of mails are not.
    options["autoescape"] = select_autoescape(
        enabled_extensions=("html",), default_for_string=True, default=False
    )
    env = Environment(**options)  # noqa: S701 (autoescape is set just above)
    env.globals.update(
        url=url,
        static=static,
        htmx_script=htmx_script,
        django_htmx_script=django_htmx_script,
        may_search=may_search,
        **core_display.GLOBALS,
        **ticket_display.GLOBALS,
    )
    env.filters.update(
        date=defaultfilters.date,
        pluralize=defaultfilters.pluralize,
        truncatechars=defaultfilters.truncatechars,
        **core_display.FILTERS,
        **ticket_display.FILTERS,
    )
    return env
