"""The search page (desk and portal alike) and the article suggestions that the
portal's request form asks for while someone types.

Both are open to anonymous visitors when the knowledge base is public; what
each person finds is decided by the selectors, not here.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.search import selectors, terms
from deskwise.tickets.selectors import ticket_get
from deskwise.tickets.views import agent_required

KIND_LABELS = {"tickets": "Tickets", "articles": "Articles", "contacts": "Contacts"}
SUGGESTIONS = 5
QUERY_IN_LINK = 300  # of the request, carried to the article so a "yes" there counts


@login_not_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """One page for agents (in the desk's layout) and everyone else (in the
    portal's); visitors reach it only while the knowledge base is public."""
    user = request.user
    kinds = selectors.allowed_kinds(user)
    if not kinds:
        return redirect_to_login(request.get_full_path())
    q = terms.clean(request.GET.get("q"))
    kind = request.GET.get("kind", "")
    chosen = (kind,) if kind in kinds else kinds
    results = (
        selectors.search(user=user, q=q, kinds=chosen)
        if q
        else selectors.SearchResults(q="", kinds=kinds)
    )
    agent = bool(getattr(user, "is_agent", False))
    context = {
        "base": "desk_base.html" if agent else "portal_base.html",
        "q": q,
        "kind": kind if kind in kinds else "",
        "kinds": [
            (k, "Requests" if k == "tickets" and not agent else KIND_LABELS[k]) for k in kinds
        ],
        "results": results,
    }
    return render_page(request, "search/search.html", context, partial="results")


@login_not_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """An htmx partial: links to the articles that may answer ``q`` (or the
    request form's ``subject`` and ``description``); empty when none do."""
    in_form = "q" not in request.GET  # asked by the request form, with its fields
    text = terms.clean(
        request.GET.get("q")
        or " ".join(request.GET.get(name, "") for name in ("subject", "description")),
        max_chars=terms.MAX_TEXT_CHARS,
    )
    articles = selectors.suggest_articles(text, user=request.user, limit=SUGGESTIONS)
    context = {"articles": articles, "q": text[:QUERY_IN_LINK], "in_form": in_form}
    return render_page(request, "search/_suggest.html", context)


@require_GET
@agent_required
def ticket_articles(request: AuthedRequest, pk: int) -> HttpResponse:
    """An htmx partial in the reply box: public articles that may answer this
    ticket, each insertable into the reply as a link."""
    ticket = ticket_get(user=request.user, pk=pk)
    articles = selectors.articles_for_ticket(user=request.user, ticket=ticket, limit=SUGGESTIONS)
    context = {"ticket": ticket, "articles": articles}
    return render_page(request, "search/_ticket_articles.html", context)


@require_GET
@agent_required
def ticket_similar(request: AuthedRequest, pk: int) -> HttpResponse:
    """An htmx partial on the ticket page: finished tickets like this one and
    how they were resolved."""
    ticket = ticket_get(user=request.user, pk=pk)
    similar = selectors.similar_tickets(user=request.user, ticket=ticket, limit=SUGGESTIONS)
    return render_page(request, "search/_similar.html", {"ticket": ticket, "similar": similar})
