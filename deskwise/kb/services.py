"""Every change to the knowledge base, one function each.

Each service is keyword-only and runs in one transaction at one moment. A
saved article always has its body rendered and sanitised, its summary, and
a version that records who changed what and why; pages, the API, the
importer and commands all come here, and nothing else saves an article.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.text import slugify

from deskwise.accounts.models import Contact, User
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput
from deskwise.core.files import guess_type, safe_filename
from deskwise.core.text import SUBJECT_MAX, clean_body, clean_line, scrub_body
from deskwise.kb.models import (
    Article,
    ArticleFile,
    ArticleVersion,
    Deflection,
    Section,
    Visibility,
    Vote,
)
from deskwise.kb.permissions import require_editor
from deskwise.kb.render import render_markdown, summary_of

TAG_MAX = 40
TAGS_MAX = 20
NOTE_MAX = 300
QUERY_MAX = 2000
SAME_DEFLECTION = dt.timedelta(hours=1)
SLUG_MAX = 200


def service[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """One transaction and one moment per change: every row it writes shares a time."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with clock.one_moment(), transaction.atomic():
            return func(*args, **kwargs)

    return wrapper


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET = _Unset.UNSET
type Maybe[T] = T | Literal[_Unset.UNSET]


# --- helpers (private: callers use the services below) ---------------------------


def _clean(value: str | None, cleaner: Any, field: str, **kwargs: Any) -> str:
    try:
        return cleaner(value, **kwargs)
    except ValidationError as exc:
        message = exc.messages[0]
        raise InvalidInput(message, fields={field: [message]}) from None


def clean_tags(tags: Iterable[str]) -> list[str]:
    """Tags as stored: trimmed, lower case, each once, in the order given."""
    cleaned: list[str] = []
    for raw in tags:
        tag = _clean(raw, clean_line, "tags", label="A tag", max_length=TAG_MAX, required=False)
        tag = " ".join(tag.lower().replace(",", " ").split())
        if tag and tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > TAGS_MAX:
        message = f"{len(cleaned)} tags were given; an article has at most {TAGS_MAX}."
        raise InvalidInput(message, fields={"tags": [message]})
    return cleaned


def _visibility(value: str) -> Visibility:
    try:
        return Visibility(value)
    except ValueError:
        message = f"Visibility is one of {', '.join(Visibility.values)}, not {value!r}."
        raise InvalidInput(message, fields={"visibility": [message]}) from None


def _title(value: str) -> str:
    return _clean(value, clean_line, "title", label="Title", max_length=SUBJECT_MAX)


def _body(value: str) -> str:
    return _clean(value, clean_body, "body", label="Body")


def _note(value: str) -> str:
    return _clean(
        value, clean_line, "note", label="Change note", max_length=NOTE_MAX, required=False
    )


def unique_slug(title: str, *, taken: Iterable[str] = (), exclude_pk: int | None = None) -> str:
    """A slug from ``title`` that no other article has (nor any in ``taken``):
    ``vpn``, then ``vpn-2``, ``vpn-3``..."""
    base = slugify(title)[: SLUG_MAX - 6].strip("-") or "article"
    reserved = set(taken)
    existing = Article.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    reserved.update(existing.values_list("slug", flat=True))
    if base not in reserved:
        return base
    number = 2
    while f"{base}-{number}" in reserved:
        number += 1
    return f"{base}-{number}"


def _lock(article: Article) -> Article:
    """Re-read the article under a row lock so concurrent saves queue up."""
    return Article.objects.select_for_update().get(pk=article.pk)


def _save_version(article: Article, *, actor: User | None, note: str) -> Article:
    """Render, bump the version, save, and record the version: what every save does."""
    now = clock.now()
    article.body_html = render_markdown(article.body)
    article.summary = summary_of(article.body)
    article.version += 1
    article.updated_at = now
    article.save()
    ArticleVersion.objects.create(
        article=article,
        number=article.version,
        title=article.title,
        body=article.body,
        author=actor,
        note=note,
        created_at=now,
    )
    return article


def _insert(article: Article) -> None:
    """Insert a new article; a slug taken meanwhile by someone else is a conflict."""
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        raise Conflict(
            "Another article took this address at the same moment; please save again.",
            fields={"title": ["Please save again."]},
        ) from None


# --- articles ------------------------------------------------------------------------


@service
def article_create(
    *,
    actor: User,
    title: str,
    body: str,
    section: Section | None = None,
    tags: Sequence[str] = (),
    visibility: str,
    is_tip: bool = False,
    review_at: dt.date | None = None,
    note: str = "",
) -> Article:
    """A new article (version 1), at a slug made from its title."""
    require_editor(actor)
    now = clock.now()
    clean_title = _title(title)
    article = Article(
        title=clean_title,
        slug=unique_slug(clean_title),
        body=_body(body),
        section=section,
        tags=clean_tags(tags),
        visibility=_visibility(visibility),
        is_tip=bool(is_tip),
        owner=actor,
        review_at=review_at,
        version=0,
        created_at=now,
        updated_at=now,
    )
    note = _note(note) or "Created."
    _insert(article)
    return _save_version(article, actor=actor, note=note)


@service
def article_update(
    *,
    article: Article,
    actor: User,
    title: Maybe[str] = UNSET,
    body: Maybe[str] = UNSET,
    section: Maybe[Section | None] = UNSET,
    tags: Maybe[Sequence[str]] = UNSET,
    visibility: Maybe[str] = UNSET,
    is_tip: Maybe[bool] = UNSET,
    review_at: Maybe[dt.date | None] = UNSET,
    note: str = "",
) -> Article:
    """Change the fields given (the others stay), as a new version. The slug stays
    as it was, so links to the article keep working when its title changes."""
    require_editor(actor)
    article = _lock(article)
    if title is not UNSET:
        article.title = _title(title)
    if body is not UNSET:
        article.body = _body(body)
    if section is not UNSET:
        article.section = section
    if tags is not UNSET:
        article.tags = clean_tags(tags)
    if visibility is not UNSET:
        article.visibility = _visibility(visibility)
    if is_tip is not UNSET:
        article.is_tip = bool(is_tip)
    if review_at is not UNSET:
        article.review_at = review_at
    return _save_version(article, actor=actor, note=_note(note))


@service
def article_archive(*, article: Article, actor: User, archived: bool = True) -> Article:
    """Take an article off the shelves (or put it back). Its versions stay."""
    require_editor(actor)
    article = _lock(article)
    if article.is_archived == archived:
        state = "archived" if archived else "not archived"
        raise Conflict(f"{article.title} is already {state}.")
    article.is_archived = archived
    article.updated_at = clock.now()
    article.save(update_fields=["is_archived", "updated_at"])
    return article


@service
def section_get_or_create(*, actor: User | None, name: str, order: int = 100) -> Section:
    """The section called ``name``, made when it does not exist yet."""
    if actor is not None:
        require_editor(actor)
    clean_name = _clean(name, clean_line, "section", label="Section", max_length=120)
    found = Section.objects.filter(name__iexact=clean_name).first()
    if found is not None:
        return found
    base = slugify(clean_name)[:110] or "section"
    slug, number = base, 2
    while Section.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return Section.objects.create(name=clean_name, slug=slug, order=order)


def articles_rerender(*, batch: int = 200) -> int:
    """Render every body again (after the renderer or the sanitiser's rules
    changed); content is unchanged, so no version is added. Returns how many
    articles changed."""
    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(
                Article.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "body", "body_html", "summary")[:batch]
            )
            for article in rows:
                html, summary = render_markdown(article.body), summary_of(article.body)
                if (html, summary) != (article.body_html, article.summary):
                    Article.objects.filter(pk=article.pk).update(body_html=html, summary=summary)
                    changed += 1
        if not rows:
            return changed
        last = rows[-1].pk


# --- import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedFile:
    """A file a page refers to; ``placeholder`` stands for its URL in the body."""

    placeholder: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class ImportOutcome:
    article: Article
    status: Literal["created", "updated", "unchanged"]


def _store_file(article: Article, upload: ImportedFile) -> ArticleFile:
    """Store a file once: the same bytes under the same name are not copied again."""
    name = safe_filename(upload.filename)
    digest = hashlib.sha256(upload.content).hexdigest()
    existing = ArticleFile.objects.filter(article=article, sha256=digest, filename=name).first()
    if existing is not None:
        return existing
    stored = ArticleFile(
        article=article,
        filename=name,
        content_type=guess_type(name),
        size=len(upload.content),
        sha256=digest,
        created_at=clock.now(),
    )
    stored.file.save(name, ContentFile(upload.content), save=False)
    stored.save()
    return stored


@service
def article_import(
    *,
    actor: User | None,
    source_path: str,
    title: str,
    body: str,
    visibility: str,
    section: Section | None = None,
    tags: Sequence[str] = (),
    files: Sequence[ImportedFile] = (),
    slug: str | None = None,
    note: str = "",
) -> ImportOutcome:
    """A page from an imported folder: a new article, or a new version of the one
    imported from the same ``source_path`` before (nothing when it is unchanged).
    ``slug`` is the one the importer promised other pages' links, when still free."""
    if actor is not None:
        require_editor(actor)
    source = _clean(source_path, clean_line, "source_path", label="Source", max_length=500)
    clean_title = _title(title)
    clean_body_text = _body(body)
    tags = clean_tags(tags)
    kind = _visibility(visibility)
    note = _note(note) or f"Imported from {source}."[:NOTE_MAX]
    article = Article.objects.select_for_update().filter(source_path=source).order_by("pk").first()
    created = article is None
    if article is None:
        now = clock.now()
        free = slug and not Article.objects.filter(slug=slug).exists()
        article = Article(
            title=clean_title,
            slug=slug if free and slug else unique_slug(clean_title),
            body=clean_body_text,
            section=section,
            tags=tags,
            visibility=kind,
            owner=actor,
            source_path=source,
            version=0,
            created_at=now,
            updated_at=now,
        )
        _insert(article)
    for upload in files:
        url = _store_file(article, upload).url
        clean_body_text = clean_body_text.replace(upload.placeholder, url)
    if not created and (
        article.title == clean_title
        and article.body == clean_body_text
        and article.section_id == (section.pk if section else None)
        and list(article.tags) == tags
        and article.visibility == kind
    ):
        return ImportOutcome(article=article, status="unchanged")
    article.title = clean_title
    article.body = clean_body_text
    article.section = section
    article.tags = tags
    article.visibility = kind
    _save_version(article, actor=actor, note=note)
    return ImportOutcome(article=article, status="created" if created else "updated")


# --- readers' signals ------------------------------------------------------------------


def _vote(
    *, article: Article, user: User | None, session_key: str, helpful: bool
) -> tuple[Vote, bool]:
    """The vote, and whether it newly says "helpful" (a first yes, or a no changed to yes)."""
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not session_key:
        raise InvalidInput("A vote needs a signed-in person or a browser session.")
    # The article's row lock puts concurrent votes on it in a queue.
    Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").first()
    mine = (
        Vote.objects.filter(article=article, user=user)
        if signed_in
        else Vote.objects.filter(article=article, user__isnull=True, session_key=session_key)
    )
    existing = mine.first()
    counters = Article.objects.filter(pk=article.pk)
    if existing is None:
        created = Vote.objects.create(
            article=article,
            user=user if signed_in else None,
            session_key="" if signed_in else session_key[:64],
            helpful=helpful,
            created_at=clock.now(),
        )
        field = "helpful" if helpful else "unhelpful"
        counters.update(**{field: F(field) + 1})
        return created, helpful
    if existing.helpful == helpful:
        return existing, False
    gained, lost = ("helpful", "unhelpful") if helpful else ("unhelpful", "helpful")
    counters.update(**{gained: F(gained) + 1, lost: F(lost) - 1})
    existing.helpful = helpful
    existing.created_at = clock.now()
    existing.save(update_fields=["helpful", "created_at"])
    return existing, helpful


@service
def vote(
    *,
    article: Article,
    user: User | None = None,
    session_key: str = "",
    helpful: bool,
    query: str = "",
) -> Vote:
    """ "Was this helpful?": one vote per person (or browser session when not
    signed in). Voting again changes the vote, and the counters follow.

    ``query`` is what the reader was looking for when they came from a
    suggestion or a search: a yes then also counts as a deflection."""
    cast, newly_helpful = _vote(
        article=article, user=user, session_key=session_key, helpful=helpful
    )
    if newly_helpful and query.strip():
        _deflection(article=article, user=user, query=query)
    return cast


@service
def solved(
    *, article: Article, user: User | None = None, session_key: str = "", query: str
) -> Deflection:
    """ "This solved it": the reader's request ends here, without a ticket. The
    article gets a helpful vote and a deflection; the same answer sent again
    soon after (a double click, a reload) counts once."""
    _vote(article=article, user=user, session_key=session_key, helpful=True)
    text = scrub_body(query or "", max_length=QUERY_MAX)
    contact = _contact(user)
    if contact is not None:
        earlier = (
            Deflection.objects.filter(
                article=article,
                contact=contact,
                query=text,
                created_at__gte=clock.now() - SAME_DEFLECTION,
            )
            .order_by("-created_at")
            .first()
        )
        if earlier is not None:
            return earlier
    return _deflection(article=article, user=user, query=text)


@service
def record_view(article: Article) -> None:
    """One more reading, counted in the database (no read-modify-write race)."""
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


def _contact(user: User | None) -> Contact | None:
    return user.contact if user is not None and user.is_authenticated else None


def _deflection(*, article: Article, user: User | None, query: str) -> Deflection:
    """The article answered someone's question before it became a ticket."""
    Article.objects.filter(pk=article.pk).update(deflections=F("deflections") + 1)
    return Deflection.objects.create(
        article=article,
        contact=_contact(user),
        query=scrub_body(query or "", max_length=QUERY_MAX),
        created_at=clock.now(),
    )
