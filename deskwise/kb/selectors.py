"""Reads of the knowledge base, with the policy applied: an article you may not
read is not found, exactly like one that does not exist."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet

from deskwise.accounts.models import User
from deskwise.core.errors import NotFound
from deskwise.core.pagination import Page, keyset_page
from deskwise.core.queries import one
from deskwise.kb.models import Article, ArticleFile, ArticleVersion, Section, Visibility, Vote
from deskwise.kb.permissions import Reader, is_agent, readable, shareable

LIST_ORDER = ("title", "id")


def _readable(user: Reader, *, include_archived: bool = False) -> QuerySet[Article]:
    if include_archived and is_agent(user):
        return Article.objects.all()
    return Article.objects.filter(readable(user))


def _tagged(qs: QuerySet[Article], tag: str) -> QuerySet[Article]:
    """Articles carrying ``tag``. SQLite has no JSON containment, so there the
    stored JSON text is matched with the tag's own JSON spelling (quotes
    included), which only a whole tag matches."""
    if connection.vendor == "postgresql":
        return qs.filter(tags__contains=[tag])
    return qs.filter(tags__icontains=json.dumps(tag))


def article_list(
    *,
    user: Reader,
    section: Section | str | None = None,
    tag: str | None = None,
    q: str = "",
    visibility: str | None = None,
    include_archived: bool = False,
    cursor: str | None = None,
    limit: int = 25,
) -> Page[Article]:
    """Articles ``user`` may read, by title, a page at a time. ``section`` is a
    section or its slug; ``q`` matches title or body (plain substring matching
    until the search app ranks results); ``include_archived`` only for agents."""
    qs = _readable(user, include_archived=include_archived).select_related("section")
    if isinstance(section, Section):
        qs = qs.filter(section=section)
    elif section:
        qs = qs.filter(section__slug=section)
    if tag:
        qs = _tagged(qs, tag.strip().lower())
    if visibility:
        qs = qs.filter(visibility=visibility)
    terms = q.split()
    for term in terms[:8]:
        qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term))
    qs = qs.defer("body", "body_html")
    return keyset_page(qs, ordering=LIST_ORDER, cursor=cursor, limit=limit)


def article_get(
    *,
    user: Reader,
    slug: str | None = None,
    pk: int | None = None,
    include_archived: bool = False,
) -> Article:
    """One article by slug or id; ``NotFound`` when it is missing or not yours to read."""
    qs = _readable(user, include_archived=include_archived).select_related("section", "owner")
    if slug is not None:
        qs = qs.filter(slug=slug)
    elif pk is not None:
        qs = qs.filter(pk=pk)
    else:
        raise ValueError("article_get needs a slug or a pk")
    article = one(qs)
    if article is None:
        raise NotFound("There is no such article, or you may not read it.")
    return article


def shared_article(pk: int) -> Article:
    """An article an agent may send a requester (see ``permissions.shareable``)."""
    article = Article.objects.filter(shareable(), pk=pk).defer("body", "body_html").first()
    if article is None:
        raise NotFound("No such public article.")
    return article


def link_line(article: Article) -> str:
    """The article as a line of a reply: its title and address, whole."""
    return f"{article.title}: {settings.BASE_URL}{article.get_absolute_url()}"


def tips(limit: int = 3) -> list[Article]:
    """Short public articles marked as tips, the most helpful first: offered to
    requesters when a ticket is resolved."""
    return list(
        Article.objects.filter(is_tip=True, is_archived=False, visibility=Visibility.PUBLIC)
        .defer("body")
        .order_by("-helpful", "title", "id")[: max(0, limit)]
    )


def sections(*, user: Reader = None) -> list[Section]:
    """Every section with ``article_count``: the articles in it ``user`` may read."""
    counts = dict(
        Article.objects.filter(readable(user), section__isnull=False)
        .values_list("section")
        .annotate(n=Count("id"))
        .values_list("section", "n")
    )
    found = list(Section.objects.order_by("order", "name"))
    for section in found:
        section.article_count = counts.get(section.pk, 0)  # type: ignore[attr-defined]
    return found


def section_get(*, slug: str) -> Section:
    section = one(Section.objects.filter(slug=slug))
    if section is None:
        raise NotFound(f"There is no section {slug!r}.")
    return section


@dataclass(frozen=True)
class HistoryEntry:
    version: ArticleVersion
    title_changed: bool
    diff: list[str]  # unified diff lines of the body against the version before


def history(*, user: Reader, article: Article) -> list[HistoryEntry]:
    """Every version, newest first, each with what changed in it. Agents only."""
    if not is_agent(user):
        raise NotFound("There is no such article, or you may not read it.")
    versions = list(
        ArticleVersion.objects.filter(article=article).select_related("author").order_by("number")
    )
    entries: list[HistoryEntry] = []
    before: ArticleVersion | None = None
    for version in versions:
        old = before.body.splitlines() if before else []
        diff = list(
            difflib.unified_diff(
                old,
                version.body.splitlines(),
                fromfile=f"version {before.number}" if before else "(new)",
                tofile=f"version {version.number}",
                lineterm="",
                n=2,
            )
        )
        entries.append(
            HistoryEntry(
                version=version,
                title_changed=before is not None and before.title != version.title,
                diff=diff,
            )
        )
        before = version
    return entries[::-1]


def file_get(*, user: Reader, pk: int) -> ArticleFile:
    """A file of an article, for those who may read the article."""
    found = one(ArticleFile.objects.filter(pk=pk, article__in=_readable(user)))
    if found is None:
        raise NotFound("There is no such file, or you may not see it.")
    return found


def my_vote(*, article: Article, user: Reader, session_key: str = "") -> Vote | None:
    """The vote this person (or, not signed in, this browser session) gave."""
    if isinstance(user, User):
        return one(Vote.objects.filter(article=article, user=user))
    if session_key:
        return one(Vote.objects.filter(article=article, user__isnull=True, session_key=session_key))
    return None
