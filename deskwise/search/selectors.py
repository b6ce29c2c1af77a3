"""Search: tickets (by subject and by what their timelines say), knowledge base
articles and contacts, with each person's permissions applied inside the query.

Reads only. The index follows the tables by itself (see ``ddl``), so nothing
here, and nothing in any other app, ever writes to it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from markupsafe import Markup, escape

from deskwise.accounts.models import Contact
from deskwise.core.errors import InvalidInput
from deskwise.kb.models import Article
from deskwise.kb.models import Visibility as ArticleVisibility
from deskwise.kb.permissions import may_browse, readable, shareable
from deskwise.search import engines, terms
from deskwise.tickets.choices import EventKind, Status, Visibility
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.tickets.permissions import Action, can, visible_tickets

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from deskwise.accounts.models import User

    Person = User | AnonymousUser

Kind = Literal["tickets", "articles", "contacts"]
KINDS: tuple[Kind, ...] = ("tickets", "articles", "contacts")
MAX_LIMIT = 100
FINISHED = (Status.RESOLVED, Status.CLOSED)
# A past ticket is similar when it shares this many of the words (one shared
# word, such as "broken", makes a printer like a VPN).
SIMILAR_SHARED_WORDS = 2
STEM_CHARS = 6


@dataclass(frozen=True, kw_only=True)
class Hit:
    """One result. ``title_html`` and ``snippet_html`` are safe HTML: the text
    escaped, the matched words in ``<mark>``."""

    kind: Literal["ticket", "article", "contact"]
    id: int
    title: str
    title_html: Markup
    url: str
    snippet_html: Markup
    rank: float


@dataclass(frozen=True, kw_only=True)
class TicketHit(Hit):
    reference: str
    status: Status
    updated_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class SimilarTicket(TicketHit):
    """A finished ticket like another, and how it was resolved."""

    resolution: str  # the latest resolution's text, or "" when it has none
    resolved_at: dt.datetime | None


@dataclass(frozen=True, kw_only=True)
class ArticleHit(Hit):
    slug: str
    summary: str
    visibility: ArticleVisibility
    updated_at: dt.datetime


@dataclass(frozen=True, kw_only=True)
class ContactHit(Hit):
    email: str


@dataclass(frozen=True)
class SearchResults:
    """Each kind ranked on its own (ranks of different kinds do not compare)."""

    q: str
    kinds: tuple[Kind, ...]
    tickets: list[TicketHit] = field(default_factory=list)
    articles: list[ArticleHit] = field(default_factory=list)
    contacts: list[ContactHit] = field(default_factory=list)

    @property
    def items(self) -> list[Hit]:
        """Every hit: tickets, then articles, then contacts."""
        return [*self.tickets, *self.articles, *self.contacts]

    def __len__(self) -> int:
        return len(self.tickets) + len(self.articles) + len(self.contacts)


def _is_person(user: Person | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _is_agent(user: Person | None) -> bool:
    return _is_person(user) and bool(getattr(user, "is_agent", False))


def allowed_kinds(user: Person) -> tuple[Kind, ...]:
    """What a person may search: agents everything; requesters their tickets and
    the public articles; anyone else public articles, when the KB is public."""
    if _is_agent(user):
        return KINDS
    if _is_person(user):
        return ("tickets", "articles")
    return ("articles",) if may_browse(user) else ()


def article_url(slug: str) -> str:
    """The article's page (the knowledge base names it ``kb:article``)."""
    try:
        return reverse("kb:article", kwargs={"slug": slug})
    except NoReverseMatch:
        return f"/kb/{slug}/"


def _statuses(status: str | Iterable[str] | None) -> list[Status]:
    if status is None:
        return []
    values = [status] if isinstance(status, str) else list(status)
    try:
        return [Status(v) for v in values]
    except ValueError:
        raise InvalidInput(
            "Unknown ticket status.", fields={"status": [f"One of {', '.join(Status.values)}."]}
        ) from None


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def search(
    *,
    user: Person,
    q: str,
    kinds: Iterable[str] = KINDS,
    limit: int = 20,
    status: str | Iterable[str] | None = None,
) -> SearchResults:
    """What ``q`` finds among what ``user`` may see: up to ``limit`` of each kind.

    Any input is a valid query (see ``terms.parse``). ``status`` narrows tickets."""
    wanted = set(kinds)
    allowed = tuple(k for k in allowed_kinds(user) if k in wanted)
    statuses = _statuses(status)
    query = terms.parse(q)
    results = SearchResults(q=terms.clean(q), kinds=allowed)
    if query.empty:
        return results
    limit = _limit(limit)
    if "tickets" in allowed:
        scope = Ticket.objects.filter(visible_tickets(user))
        if statuses:
            scope = scope.filter(status__in=statuses)
        results.tickets.extend(_ticket_hits(user=user, query=query, scope=scope, limit=limit))
    if "articles" in allowed:
        results.articles.extend(_article_hits(user=user, query=query, limit=limit))
    if "contacts" in allowed:
        results.contacts.extend(_contact_hits(query=query, limit=limit))
    return results


def suggest_articles(text: str, *, user: Person | None = None, limit: int = 5) -> list[ArticleHit]:
    """The articles most likely to answer a request as its requester wrote it
    (while they type, or in an agent's reply and decline dialogs).

    Any of the text's content words may match; articles sharing more, and
    rarer, words rank first, titles above bodies. What ``user`` may read is
    the knowledge base's policy (``user=None`` is a visitor: public articles
    while the knowledge base is public, else none)."""
    query = terms.parse_any(text)
    if query.empty:
        return []
    return _article_hits(user=user, query=query, limit=_limit(limit))


def ticket_text(ticket: Ticket) -> str:
    """What a ticket asks, in the requester's words: its subject and first message."""
    first = (
        TimelineEvent.objects.filter(ticket=ticket, kind=EventKind.MESSAGE_IN)
        .order_by("created_at", "id")
        .values_list("body_text", flat=True)[:1]
    )
    return " ".join([ticket.subject, *first])


def articles_for_ticket(
    *, user: Person, ticket: Ticket, limit: int = 5, text: str | None = None
) -> list[ArticleHit]:
    """Articles an agent may send this ticket's requester (public ones), the
    likeliest answers first: for the reply box and the decline dialog.
    ``text`` saves reading the ticket's words again when the caller has them."""
    if not _is_agent(user) or not can(user, Action.VIEW, ticket):
        return []
    query = terms.parse_any(ticket_text(ticket) if text is None else text)
    if query.empty:
        return []
    return _article_hits(user=user, query=query, limit=_limit(limit), scope=shareable())


def tips_for_ticket(*, user: Person, ticket: Ticket, limit: int = 3) -> list[ArticleHit]:
    """Tips (short public articles admins marked as such) to offer as a bonus
    when resolving: those closest to what the ticket was about."""
    if not _is_agent(user) or not can(user, Action.VIEW, ticket):
        return []
    query = terms.parse_any(ticket_text(ticket))
    if query.empty:
        return []
    return _article_hits(
        user=user, query=query, limit=_limit(limit), scope=shareable() & Q(is_tip=True)
    )


def similar_tickets(*, user: Person, ticket: Ticket, limit: int = 5) -> list[SimilarTicket]:
    """Resolved and closed tickets like this one (by its subject and first
    message) that ``user`` may see, each with how it was resolved."""
    if not can(user, Action.VIEW, ticket):
        return []
    query = terms.parse_any(ticket_text(ticket))
    if query.empty:
        return []
    scope = (
        Ticket.objects.filter(visible_tickets(user))
        .filter(status__in=FINISHED)
        .exclude(pk=ticket.pk)
    )
    limit = _limit(limit)
    # Any one word may match, so ask for more and keep those that share two.
    found = _ticket_hits(user=user, query=query, scope=scope, limit=_limit(limit * 4))
    needed = min(SIMILAR_SHARED_WORDS, len(query.words) or SIMILAR_SHARED_WORDS)
    hits = [h for h in found if len(_shared_words(h)) >= needed][:limit]
    resolutions = TimelineEvent.objects.filter(
        ticket_id__in=[h.id for h in hits], kind=EventKind.RESOLUTION
    )
    if not _is_agent(user):
        resolutions = resolutions.filter(visibility=Visibility.PUBLIC)
    latest: dict[int, tuple[str, dt.datetime]] = {}
    for ticket_id, body, at in resolutions.order_by("ticket_id", "-created_at", "-id").values_list(
        "ticket_id", "body_text", "created_at"
    ):
        latest.setdefault(ticket_id, (body, at))
    return [
        SimilarTicket(
            **{name: getattr(h, name) for name in TicketHit.__dataclass_fields__},
            resolution=latest.get(h.id, ("", None))[0],
            resolved_at=latest.get(h.id, ("", None))[1],
        )
        for h in hits
    ]


_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


def _shared_words(hit: Hit) -> set[str]:
    """The distinct words a hit matched, as its highlights show them (cut to
    a stem's length, so "connect" and "connecting" are one)."""
    marked = _MARKED.findall(str(hit.title_html)) + _MARKED.findall(str(hit.snippet_html))
    return {word.casefold()[:STEM_CHARS] for word in marked}


def _marked(marked: str | None, fallback: str) -> Markup:
    return terms.marked_html(marked) if marked else escape(fallback)


def _ticket_hits(
    *, user: Person, query: terms.Query, scope: QuerySet[Ticket], limit: int
) -> list[TicketHit]:
    where = engines.where(scope)
    if where is None:
        return []
    engine = engines.engine()
    rows = engine.tickets(query, where, internal=_is_agent(user), limit=limit)
    if not rows:
        return []
    ids = [ticket_id for ticket_id, _, _ in rows]
    subjects, bodies = engine.ticket_marks(
        query, ids, [event_id for _, _, event_id in rows if event_id is not None]
    )
    tickets = Ticket.objects.only("subject", "status", "updated_at").in_bulk(ids)
    agent = _is_agent(user)
    hits = []
    for ticket_id, score, event_id in rows:
        ticket = tickets.get(ticket_id)
        if ticket is None:
            continue  # deleted since the first query
        hits.append(
            TicketHit(
                kind="ticket",
                id=ticket.pk,
                title=ticket.subject,
                title_html=_marked(subjects.get(ticket_id), ticket.subject),
                url=ticket.desk_url if agent else ticket.portal_url,
                snippet_html=terms.marked_html(bodies.get(event_id)) if event_id else Markup(""),
                rank=score,
                reference=ticket.reference,
                status=Status(ticket.status),
                updated_at=ticket.updated_at,
            )
        )
    return hits


def _article_hits(
    *, user: Person | None, query: terms.Query, limit: int, scope: Q | None = None
) -> list[ArticleHit]:
    readable_here = Article.objects.filter(readable(user))
    if scope is not None:
        readable_here = readable_here.filter(scope)
    where = engines.where(readable_here)
    if where is None:
        return []
    rows = engines.engine().articles(query, where, limit=limit)
    articles = Article.objects.only("title", "slug", "summary", "visibility", "updated_at").in_bulk(
        [row[0] for row in rows]
    )
    hits = []
    for article_id, score, title, snippet in rows:
        article = articles.get(article_id)
        if article is None:
            continue
        hits.append(
            ArticleHit(
                kind="article",
                id=article.pk,
                title=article.title,
                title_html=_marked(title, article.title),
                url=article_url(article.slug),
                snippet_html=terms.marked_html(snippet),
                rank=score,
                slug=article.slug,
                summary=article.summary,
                visibility=ArticleVisibility(article.visibility),
                updated_at=article.updated_at,
            )
        )
    return hits


def _contact_hits(*, query: terms.Query, limit: int) -> list[ContactHit]:
    rows = engines.engine().contacts(query, limit=limit)
    contacts = Contact.objects.only("name", "email").in_bulk([row[0] for row in rows])
    queue = reverse("tickets:queue")
    every_status = [("view", "all"), *(("status", s.value) for s in Status)]
    hits = []
    for contact_id, score, name, email in rows:
        contact = contacts.get(contact_id)
        if contact is None:
            continue
        hits.append(
            ContactHit(
                kind="contact",
                id=contact.pk,
                title=contact.display_name,
                title_html=_marked(name if contact.name else email, contact.display_name),
                # Their requests, in every status, in the desk's queue.
                url=f"{queue}?{urlencode([*every_status, ('requester', contact.pk)])}",
                snippet_html=_marked(email, contact.email),
                rank=score,
                email=contact.email,
            )
        )
    return hits
