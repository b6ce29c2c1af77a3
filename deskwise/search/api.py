"""Search over the API: ``GET /api/v1/search`` (``router``) and the knowledge
base's ``GET /api/v1/kb/suggest`` (``suggest_router``, mounted at ``/kb/suggest``).

The same selectors as the pages, so the same permissions: a token finds what
its user may see, and nothing else."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from deskwise.accounts.models import User
from deskwise.api.schemas import READ_ERRORS
from deskwise.kb.models import Visibility as ArticleVisibility
from deskwise.search import selectors
from deskwise.search.terms import MAX_TEXT_CHARS
from deskwise.tickets.choices import Status

router = Router(tags=["search"])
suggest_router = Router(tags=["knowledge base"])

KindName = Literal["tickets", "articles", "contacts"]
HTML_NOTE = "Safe HTML: the text escaped, the matched words in <mark>."


class SearchParams(Schema):
    q: str = Field(
        default="",
        max_length=10_000,
        description='Words to find (all of them); "a phrase", `this or that`, `-without`. '
        "Any text is a valid query; beyond 500 characters it is cut.",
    )
    kind: list[KindName] = Field(
        default_factory=list, description="Only these kinds (repeatable); all you may see if none."
    )
    status: list[Status] = Field(
        default_factory=list, description="Only tickets in these statuses (repeatable)."
    )
    limit: int = Field(default=20, ge=1, le=100, description="At most this many of each kind.")


class SearchHitOut(Schema):
    kind: Literal["ticket", "article", "contact"]
    id: int
    title: str
    title_html: str = Field(description=HTML_NOTE)
    url: str
    snippet_html: str = Field(description=HTML_NOTE)
    rank: float = Field(description="Higher is better; compare within one kind only.")
    reference: str | None = Field(default=None, description="Tickets: DW-<n>.")
    status: Status | None = Field(default=None, description="Tickets.")
    updated_at: dt.datetime | None = Field(default=None, description="Tickets and articles.")
    visibility: ArticleVisibility | None = Field(default=None, description="Articles.")
    email: str | None = Field(default=None, description="Contacts.")


class SearchOut(Schema):
    q: str = Field(description="The query as it was searched (cleaned, cut).")
    kinds: list[KindName] = Field(description="The kinds searched: those asked for that you may.")
    items: list[SearchHitOut] = Field(description="Tickets, then articles, then contacts.")


class SuggestParams(Schema):
    q: str = Field(
        default="",
        max_length=MAX_TEXT_CHARS,
        description="What the requester wrote (subject and description): any of its words "
        "may match.",
    )
    limit: int = Field(default=5, ge=1, le=20)


class ArticleSuggestionOut(Schema):
    id: int
    title: str
    url: str
    summary: str
    snippet_html: str = Field(description=HTML_NOTE)
    visibility: ArticleVisibility
    rank: float = Field(description="Higher is better.")


class ArticleSuggestions(Schema):
    items: list[ArticleSuggestionOut] = Field(description="The likeliest answer first.")


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _hit_out(hit: selectors.Hit) -> SearchHitOut:
    out = SearchHitOut.model_construct(
        kind=hit.kind,
        id=hit.id,
        title=hit.title,
        title_html=str(hit.title_html),
        url=hit.url,
        snippet_html=str(hit.snippet_html),
        rank=hit.rank,
        reference=None,
        status=None,
        updated_at=None,
        visibility=None,
        email=None,
    )
    if isinstance(hit, selectors.TicketHit):
        out.reference, out.status, out.updated_at = hit.reference, hit.status, hit.updated_at
    elif isinstance(hit, selectors.ArticleHit):
        out.visibility, out.updated_at = hit.visibility, hit.updated_at
    elif isinstance(hit, selectors.ContactHit):
        out.email = hit.email
    return out


@router.get("", response={200: SearchOut, **READ_ERRORS}, summary="Search")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    """Tickets (by subject and by what their timelines say), knowledge base
    articles and contacts, as you may see them: requesters find their own
    requests and public articles, agents also internal notes, internal
    articles and contacts. Each kind is ranked on its own, best first."""
    results = selectors.search(
        user=_user(request),
        q=params.q,
        kinds=params.kind or selectors.KINDS,
        limit=params.limit,
        status=params.status or None,
    )
    return SearchOut.model_construct(
        q=results.q, kinds=list(results.kinds), items=[_hit_out(h) for h in results.items]
    )


@suggest_router.get("", response={200: ArticleSuggestions, **READ_ERRORS}, summary="Suggest")
def suggest(request: HttpRequest, params: Query[SuggestParams]) -> ArticleSuggestions:
    """The articles most likely to answer a request, for a form that offers
    them while the requester types. Agents are offered internal articles too."""
    hits = selectors.suggest_articles(params.q, user=_user(request), limit=params.limit)
    return ArticleSuggestions.model_construct(
        items=[
            ArticleSuggestionOut.model_construct(
                id=h.id,
                title=h.title,
                url=h.url,
                summary=h.summary,
                snippet_html=str(h.snippet_html),
                visibility=h.visibility,
                rank=h.rank,
            )
            for h in hits
        ]
    )
