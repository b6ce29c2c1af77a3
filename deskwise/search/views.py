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
from deskwise.search import selectors, terms

KIND_LABELS = {"tickets": "Tickets", "articles": "Articles", "contacts": "Contacts"}
SUGGESTIONS = 5


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
    text = request.GET.get("q") or " ".join(
        request.GET.get(name, "") for name in ("subject", "description")
    )
    articles = selectors.suggest_articles(text, user=request.user, limit=SUGGESTIONS)
    return render_page(request, "search/_suggest.html", {"articles": articles})
