"""Knowledge base pages: the shelves and articles everyone reads (``/kb/``), and
the agents' pages to write and review them (``/desk/kb/``).

Views parse input, call one selector or service, and render. Who may read
what is decided by the selectors; a visitor who may not browse at all is sent
to sign in.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from deskwise.accounts.models import User
from deskwise.core import clock
from deskwise.core.errors import InvalidCursor, NotFound, ServiceError
from deskwise.core.files import is_inline_image
from deskwise.core.htmx import render_page
from deskwise.core.http import AuthedRequest
from deskwise.core.text import SUBJECT_MAX
from deskwise.kb import selectors, services
from deskwise.kb.forms import ArticleForm, SolvedForm, VoteForm
from deskwise.kb.models import Article, Visibility
from deskwise.kb.permissions import may_browse
from deskwise.tickets.views import agent_required

View = Callable[..., HttpResponseBase]
ASK_MAX = 2000  # of a description handed back to the request form in a link


def public_view(view: View) -> View:
    """Readable without signing in when the desk publishes its knowledge base
    (``DESKWISE_KB_PUBLIC``); otherwise, like every page, after signing in."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not may_browse(request.user):
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return login_not_required(wrapper)


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


# --- reading ----------------------------------------------------------------------------


@require_GET
@public_view
def article_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    q = request.GET.get("q", "").strip()[:200]
    section_slug = request.GET.get("section", "").strip()
    tag = request.GET.get("tag", "").strip()[:40]
    section = selectors.section_get(slug=section_slug) if section_slug else None
    try:
        page = selectors.article_list(
            user=user, section=section, tag=tag or None, q=q, cursor=request.GET.get("cursor")
        )
    except InvalidCursor:
        page = selectors.article_list(user=user, section=section, tag=tag or None, q=q)
    query = [("q", q), ("section", section_slug), ("tag", tag)]
    context = {
        "page": page,
        "q": q,
        "section": section,
        "tag": tag,
        "sections": [s for s in selectors.sections(user=user) if s.article_count],  # type: ignore[attr-defined]
        "tips": selectors.tips(3) if not (q or section or tag) else [],
        "next_query": urlencode(
            [(k, v) for k, v in query if v] + [("cursor", page.next_cursor or "")]
        ),
    }
    return render_page(request, "kb/list.html", context, partial="results")


def _session_key(request: HttpRequest, *, create: bool = False) -> str:
    if request.session.session_key is None and create:
        request.session.save()
    return request.session.session_key or ""


def _article_context(request: HttpRequest, article: Article, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "article": article,
        "vote": selectors.my_vote(article=article, user=user, session_key=_session_key(request)),
        "q": request.GET.get("q", "")[:200],
        "files": list(article.files.order_by("filename")),
        "is_agent": bool(user and user.is_agent),
        **extra,
    }


@require_http_methods(["GET", "POST"])
@public_view
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The article; a POST is the reader's answer to "Was this helpful?"."""
    user = _user(request)
    article = selectors.article_get(user=user, slug=slug)
    if request.method == "GET":
        services.record_view(article)
        article.views += 1
        return render_page(request, "kb/article.html", _article_context(request, article))
    form = VoteForm(request.POST)
    if not form.is_valid():
        context = _article_context(request, article, vote_error="Choose yes or no.")
        return render_page(request, "kb/article.html", context, partial="vote", status=422)
    helpful = form.cleaned_data["helpful"] == "yes"
    key = _session_key(request, create=user is None)
    services.vote(
        article=article,
        user=user,
        session_key=key,
        helpful=helpful,
        query=form.cleaned_data.get("q", ""),
    )
    article = selectors.article_get(user=user, slug=slug)
    if not request.htmx:  # type: ignore[attr-defined]
        messages.success(request, "Thank you for telling us.")
        return redirect(article.get_absolute_url())
    context = _article_context(request, article, thanked=True)
    return render_page(request, "kb/article.html", context, partial="vote")


@require_POST
@public_view
def article_solved(request: HttpRequest, slug: str) -> HttpResponse:
    """ "This solved it", pressed on a suggestion while asking for help: the
    request ends here, counted as a deflection, and no ticket is opened.

    The button submits the request form itself, so what the person wrote
    comes along: it is kept with the deflection, and offered back should
    they still want to ask."""
    user = _user(request)
    article = selectors.article_get(user=user, slug=slug)
    form = SolvedForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That request could not be read; please write it again.")
        return redirect("portal:new")
    subject, description = form.cleaned_data["subject"], form.cleaned_data["description"]
    services.solved(
        article=article,
        user=user,
        session_key=_session_key(request, create=user is None),
        query=f"{subject}\n{description}".strip(),
    )
    ask = urlencode({"subject": subject[:SUBJECT_MAX], "description": description[:ASK_MAX]})
    context = {"article": article, "ask_url": f"{reverse('portal:new')}?{ask}"}
    return render_page(request, "kb/solved.html", context)


@require_GET
@public_view
def file_download(request: HttpRequest, pk: int, name: str = "") -> FileResponse:
    """A file of an article, for those who may read the article; only images whose
    bytes say so are shown in the page, everything else is a download."""
    stored = selectors.file_get(user=_user(request), pk=pk)
    handle = stored.file.open("rb")
    head = handle.read(16)
    handle.seek(0)
    inline = is_inline_image(stored.content_type, head)
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored.filename,
        content_type=stored.content_type if inline else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response


# --- the desk ------------------------------------------------------------------------------


@require_GET
@agent_required
def desk_list(request: AuthedRequest) -> HttpResponse:
    """Every article, internal and public; archived ones on request."""
    q = request.GET.get("q", "").strip()[:200]
    visibility = request.GET.get("visibility", "")
    visibility = visibility if visibility in Visibility.values else ""
    archived = request.GET.get("archived") == "1"
    section_slug = request.GET.get("section", "").strip()
    section = selectors.section_get(slug=section_slug) if section_slug else None
    args: dict[str, Any] = {
        "user": request.user,
        "q": q,
        "visibility": visibility or None,
        "section": section,
        "include_archived": archived,
    }
    try:
        page = selectors.article_list(**args, cursor=request.GET.get("cursor"), limit=50)
    except InvalidCursor:
        page = selectors.article_list(**args, limit=50)
    query = [("q", q), ("visibility", visibility), ("section", section_slug)]
    query += [("archived", "1")] if archived else []
    context = {
        "page": page,
        "q": q,
        "visibility": visibility,
        "archived": archived,
        "section": section,
        "sections": selectors.sections(user=request.user),
        "visibilities": Visibility,
        "today": timezone.localdate(clock.now()),
        "next_query": urlencode(
            [(k, v) for k, v in query if v] + [("cursor", page.next_cursor or "")]
        ),
    }
    return render_page(request, "kb/desk_list.html", context, partial="results")


def _save_errors(form: ArticleForm, exc: ServiceError) -> None:
    for field_name, errors in exc.fields.items():
        for error in errors if field_name in form.fields else []:
            form.add_error(field_name, error)
    if not any(name in form.fields for name in exc.fields):
        form.add_error(None, exc.message)


# What the article form edits, named as the services take them.
ARTICLE_FIELDS = ("title", "body", "section", "tags", "visibility", "is_tip", "review_at", "note")


@require_http_methods(["GET", "POST"])
@agent_required
def desk_new(request: AuthedRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            article = services.article_create(
                actor=request.user,
                **{name: d[name] for name in ARTICLE_FIELDS},
            )
        except ServiceError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, f"“{article.title}” is saved.")
            return redirect(article.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render_page(request, "kb/edit.html", {"form": form, "article": None}, status=status)


@require_http_methods(["GET", "POST"])
@agent_required
def desk_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    article = selectors.article_get(user=request.user, slug=slug, include_archived=True)
    form = ArticleForm.for_article(article, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            article = services.article_update(
                article=article,
                actor=request.user,
                **{name: d[name] for name in ARTICLE_FIELDS},
            )
        except ServiceError as exc:
            _save_errors(form, exc)
        else:
            messages.success(request, f"“{article.title}” is saved as version {article.version}.")
            if article.is_archived:
                return redirect("kb:desk_edit", slug=article.slug)
            return redirect(article.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render_page(request, "kb/edit.html", {"form": form, "article": article}, status=status)


@require_POST
@agent_required
def desk_archive(request: AuthedRequest, slug: str) -> HttpResponse:
    article = selectors.article_get(user=request.user, slug=slug, include_archived=True)
    archived = request.POST.get("archived", "1") != "0"
    try:
        services.article_archive(article=article, actor=request.user, archived=archived)
    except ServiceError as exc:
        messages.info(request, exc.message)
    else:
        verb = "archived" if archived else "back on the shelves"
        messages.success(request, f"“{article.title}” is {verb}.")
    return redirect("kb:desk_list")


@require_GET
@agent_required
def desk_history(request: AuthedRequest, slug: str) -> HttpResponse:
    article = selectors.article_get(user=request.user, slug=slug, include_archived=True)
    entries = selectors.history(user=request.user, article=article)
    return render_page(request, "kb/history.html", {"article": article, "entries": entries})
