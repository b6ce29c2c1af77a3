"""The knowledge base over the API, on the same selectors and services as the pages:
everyone reads what they may (requesters: public articles), agents write."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja import Status as ApiStatus
from pydantic import BeforeValidator, Field, StrictBool

from deskwise.accounts.models import User
from deskwise.api.schemas import MAX_ID, READ_ERRORS, WRITE_ERRORS, BodyId, UserRef
from deskwise.core.errors import NotFound
from deskwise.core.queries import one
from deskwise.core.text import (
    BODY_MAX,
    BODY_PATTERN,
    LINE_PATTERN,
    OPTIONAL_LINE_PATTERN,
    SUBJECT_MAX,
)
from deskwise.kb import selectors, services
from deskwise.kb.models import Article, Section, Visibility
from deskwise.kb.services import UNSET, Maybe

router = Router(tags=["knowledge base"])

ArticleId = Path(..., ge=1, le=MAX_ID, description="The article's id.")
TitleText = Annotated[str, Field(max_length=SUBJECT_MAX, pattern=LINE_PATTERN)]
BodyText = Annotated[str, Field(max_length=BODY_MAX, pattern=BODY_PATTERN)]
TagText = Annotated[str, Field(max_length=services.TAG_MAX, pattern=LINE_PATTERN)]
NoteText = Annotated[str, Field(max_length=services.NOTE_MAX, pattern=OPTIONAL_LINE_PATTERN)]


def _iso_date(value: object) -> object:
    """A date as JSON says it: "2031-01-31", never a number of seconds."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Use a date like 2031-01-31.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class SectionRef(Schema):
    id: int
    name: str
    slug: str


class ArticleSummaryOut(Schema):
    id: int
    slug: str
    title: str
    summary: str = Field(description="The first paragraph as plain text.")
    section: SectionRef | None
    tags: list[str]
    visibility: Visibility
    is_tip: bool
    version: int
    views: int
    helpful: int
    unhelpful: int
    url: str = Field(description="The article's page.")
    updated_at: dt.datetime


class ArticleOut(ArticleSummaryOut):
    body: str = Field(description="Markdown.")
    body_html: str = Field(description="The body rendered and sanitised.")
    review_at: dt.date | None
    owner: UserRef | None
    deflections: int
    is_archived: bool
    created_at: dt.datetime


class ArticlePage(Schema):
    items: list[ArticleSummaryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class ArticleCreateIn(Schema):
    title: TitleText
    body: BodyText = Field(description="Markdown.")
    section_id: BodyId | None = None
    tags: list[TagText] = Field(default_factory=list, max_length=services.TAGS_MAX)
    visibility: Visibility
    is_tip: StrictBool = False
    review_at: IsoDate | None = Field(default=None, description="When to check it is still right.")
    note: NoteText = Field(default="", description="A line for the article's history.")


class ArticlePatchIn(Schema):
    """Only the fields sent are changed; each change is a new version."""

    title: TitleText | None = Field(default=None, description="null or left out: unchanged.")
    body: BodyText | None = Field(default=None, description="null or left out: unchanged.")
    section_id: BodyId | None = Field(default=None, description="null: no section.")
    tags: list[TagText] | None = Field(default=None, max_length=services.TAGS_MAX)
    visibility: Visibility | None = None
    is_tip: StrictBool | None = None
    review_at: IsoDate | None = Field(default=None, description="null: no review date.")
    note: NoteText = ""


class VoteIn(Schema):
    helpful: StrictBool
    query: str = Field(
        default="",
        max_length=services.QUERY_MAX,
        description="What the reader was looking for when a suggestion or a search led "
        "them here: a yes then also counts as a deflection (the request it answered).",
    )


class VoteOut(Schema):
    article_id: int
    helpful: bool = Field(description="Your vote.")
    helpful_count: int
    unhelpful_count: int


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined]


def _section_ref(section: Section | None) -> SectionRef | None:
    return SectionRef(id=section.pk, name=section.name, slug=section.slug) if section else None


def summary_out(article: Article) -> ArticleSummaryOut:
    return ArticleSummaryOut(
        id=article.pk,
        slug=article.slug,
        title=article.title,
        summary=article.summary,
        section=_section_ref(article.section),
        tags=[str(tag) for tag in article.tags],
        visibility=Visibility(article.visibility),
        is_tip=article.is_tip,
        version=article.version,
        views=article.views,
        helpful=article.helpful,
        unhelpful=article.unhelpful,
        url=article.get_absolute_url(),
        updated_at=article.updated_at,
    )


def article_out(article: Article) -> ArticleOut:
    owner = article.owner
    return ArticleOut(
        **summary_out(article).model_dump(),
        body=article.body,
        body_html=article.body_html,
        review_at=article.review_at,
        owner=UserRef(id=owner.pk, name=owner.display_name) if owner else None,
        deflections=article.deflections,
        is_archived=article.is_archived,
        created_at=article.created_at,
    )


def _section(section_id: int | None) -> Section | None:
    if section_id is None:
        return None
    section = one(Section.objects.filter(pk=section_id))
    if section is None:
        raise NotFound(
            f"There is no section {section_id}.", fields={"section_id": ["No such section."]}
        )
    return section


def _fresh(user: User, pk: int) -> ArticleOut:
    return article_out(selectors.article_get(user=user, pk=pk))


class ArticleFilters(Schema):
    section: str = Field(
        default="", max_length=120, pattern=OPTIONAL_LINE_PATTERN, description="A section's slug."
    )
    tag: str = Field(default="", max_length=services.TAG_MAX, pattern=OPTIONAL_LINE_PATTERN)
    visibility: Literal["public", "internal", ""] = Field(
        default="", description="Requesters only ever see public articles."
    )
    q: str = Field(
        default="",
        max_length=200,
        pattern=OPTIONAL_LINE_PATTERN,
        description="Words that the title or the body contains.",
    )


@router.get("/articles", response={200: ArticlePage, **READ_ERRORS}, summary="List articles")
def list_articles(
    request: HttpRequest,
    filters: Query[ArticleFilters],
    cursor: str | None = Query(None, max_length=512),
    limit: int = Query(25, ge=1, le=100),
) -> ArticlePage:
    """The articles you may read, by title; archived articles are left out."""
    page = selectors.article_list(
        user=_user(request),
        section=filters.section or None,
        tag=filters.tag or None,
        visibility=filters.visibility or None,
        q=filters.q,
        cursor=cursor,
        limit=limit,
    )
    return ArticlePage(items=[summary_out(a) for a in page.items], next_cursor=page.next_cursor)


@router.get(
    "/articles/{article_id}", response={200: ArticleOut, **READ_ERRORS}, summary="An article"
)
def get_article(request: HttpRequest, article_id: int = ArticleId) -> ArticleOut:
    return _fresh(_user(request), article_id)


@router.post("/articles", response={201: ArticleOut, **WRITE_ERRORS}, summary="Write an article")
def create_article(request: HttpRequest, payload: ArticleCreateIn) -> ApiStatus[ArticleOut]:
    """Agents only."""
    user = _user(request)
    article = services.article_create(
        actor=user,
        title=payload.title,
        body=payload.body,
        section=_section(payload.section_id),
        tags=payload.tags,
        visibility=payload.visibility,
        is_tip=payload.is_tip,
        review_at=payload.review_at,
        note=payload.note,
    )
    return ApiStatus(201, _fresh(user, article.pk))


@router.patch(
    "/articles/{article_id}",
    response={200: ArticleOut, **WRITE_ERRORS},
    summary="Change an article",
)
def update_article(
    request: HttpRequest, payload: ArticlePatchIn, article_id: int = ArticleId
) -> ArticleOut:
    """Agents only. The fields left out stay as they are."""
    user = _user(request)
    article = selectors.article_get(user=user, pk=article_id)
    sent = payload.model_fields_set
    section: Maybe[Section | None] = _section(payload.section_id) if "section_id" in sent else UNSET
    services.article_update(
        article=article,
        actor=user,
        title=payload.title if payload.title is not None else UNSET,
        body=payload.body if payload.body is not None else UNSET,
        section=section,
        tags=payload.tags if payload.tags is not None else UNSET,
        visibility=payload.visibility if payload.visibility is not None else UNSET,
        is_tip=payload.is_tip if payload.is_tip is not None else UNSET,
        review_at=payload.review_at if "review_at" in sent else UNSET,
        note=payload.note,
    )
    return _fresh(user, article_id)


@router.post(
    "/articles/{article_id}/vote",
    response={200: VoteOut, **WRITE_ERRORS},
    summary="Was it helpful?",
)
def vote_article(request: HttpRequest, payload: VoteIn, article_id: int = ArticleId) -> VoteOut:
    """One vote per person; voting again changes it."""
    user = _user(request)
    article = selectors.article_get(user=user, pk=article_id)
    vote = services.vote(article=article, user=user, helpful=payload.helpful, query=payload.query)
    article.refresh_from_db(fields=["helpful", "unhelpful"])
    return VoteOut(
        article_id=article.pk,
        helpful=vote.helpful,
        helpful_count=article.helpful,
        unhelpful_count=article.unhelpful,
    )
