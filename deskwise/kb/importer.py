"""Import a folder of help pages (Markdown and reStructuredText) as articles.

Two passes: the first reads every page (titles, labels) and decides each
page's slug, so that the second can rewrite links between pages to their
articles' addresses before anything is saved. Each page is saved in its own
transaction; a page that cannot be converted is reported and the others go
on. Importing the same folder again updates the articles that came from it
(matched by their path in the folder) instead of adding new ones.
"""

from __future__ import annotations

import json
import posixpath
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from deskwise.accounts.models import User
from deskwise.core.errors import ServiceError
from deskwise.kb import rst, services
from deskwise.kb.models import Article, Section, Visibility
from deskwise.kb.render import ANCHOR_PREFIX

PAGE_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".rst": "rst"}
FILES_DIR_SUFFIX = ".files"  # where the exporter puts an article's files
PLACEHOLDER = "kb-import-file-{:06d}"
EMPTY_PAGE = "*This page had no content of its own in the imported folder.*"
MAX_PAGE_BYTES = 1024 * 1024
SKIP_DIRS = {"_build", "_static", "_templates", "node_modules", "venv", ".venv"}


@dataclass
class PageResult:
    path: str
    status: str  # created, updated, unchanged or failed
    title: str = ""
    slug: str = ""
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    root: Path
    pages: list[PageResult] = field(default_factory=list)
    links_rewritten: int = 0
    files: int = 0
    seconds: float = 0.0

    def with_status(self, status: str) -> list[PageResult]:
        return [page for page in self.pages if page.status == status]

    @property
    def created(self) -> list[PageResult]:
        return self.with_status("created")

    @property
    def updated(self) -> list[PageResult]:
        return self.with_status("updated")

    @property
    def unchanged(self) -> list[PageResult]:
        return self.with_status("unchanged")

    @property
    def failed(self) -> list[PageResult]:
        return self.with_status("failed")

    def summary(self) -> str:
        return (
            f"{len(self.pages)} pages from {self.root}: {len(self.created)} imported, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed; {self.links_rewritten} links between pages, "
            f"{self.files} files; {self.seconds:.1f} s."
        )


@dataclass
class _Page:
    """One page after the first pass."""

    path: str
    kind: str
    title: str
    body: str = ""  # Markdown pages: the body as written
    meta: dict[str, object] = field(default_factory=dict)
    parsed: rst.Parsed | None = None
    slug: str = ""


# --- finding and reading pages ------------------------------------------------------


def find_pages(root: Path) -> list[Path]:
    """Every page under ``root`` in a stable order, leaving out build folders and
    the folders of files that the exporter writes beside each page."""
    found: list[Path] = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in PAGE_SUFFIXES:
            continue
        parts = path.relative_to(root).parts
        if any(part.startswith(".") or part in SKIP_DIRS for part in parts[:-1]):
            continue
        if _inside_files_dir(root, path):
            continue
        found.append(path)
    return found


def _inside_files_dir(root: Path, path: Path) -> bool:
    """Inside ``<slug>.files/`` next to a ``<slug>.md``: an exported article's files."""
    for parent in path.relative_to(root).parents:
        name = parent.name
        if not name:
            continue
        if name.endswith(FILES_DIR_SUFFIX):
            page = root / parent.parent / (name.removesuffix(FILES_DIR_SUFFIX) + ".md")
            if page.is_file():
                return True
    return False


def title_from_name(path: str) -> str:
    """A title for a page that has none: its file name (or, for an index, its folder's)."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    if stem.lower() in {"index", "readme"} and posixpath.dirname(path):
        stem = posixpath.basename(posixpath.dirname(path))
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    return (words[:1].upper() + words[1:]) if words else "Untitled"


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_H1 = re.compile(r"^#[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")


def _value(raw: str) -> object:
    raw = raw.strip()
    if raw[:1] in {'"', "["}:
        try:
            return json.loads(raw)
        except ValueError:
            pass
    return raw.strip("'\"")


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """The small front matter the exporter writes (``key: value`` lines, values as
    JSON strings or lists), and the rest of the page."""
    match = _FRONT.match(text)
    if not match:
        return {}, text
    meta: dict[str, object] = {}
    for line in match.group(1).splitlines():
        key, sep, raw = line.partition(":")
        if sep and re.fullmatch(r"[A-Za-z_][\w-]*", key.strip()):
            meta[key.strip().lower()] = _value(raw)
    return meta, text[match.end() :]


def markdown_title(body: str) -> tuple[str, str]:
    """The first ``# `` heading as the title; taken out of the body when the body
    begins with it, since the article page shows its title above the body."""
    lines = body.split("\n")
    fenced = False
    first_content = True
    for index, line in enumerate(lines):
        if re.match(r"^\s{0,3}(```|~~~)", line):
            fenced = not fenced
        if fenced:
            first_content = False
            continue
        match = _H1.match(line)
        if match:
            title = match.group(1).strip()
            if first_content:
                return title, "\n".join(lines[index + 1 :]).strip("\n")
            return title, body
        if line.strip():
            first_content = False
    return "", body


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def _first_pass(root: Path, path: Path) -> _Page:
    rel = path.relative_to(root).as_posix()
    kind = PAGE_SUFFIXES[path.suffix.lower()]
    if not path.resolve().is_relative_to(root):
        raise ServiceError("it links to a file outside the folder")
    if path.stat().st_size > MAX_PAGE_BYTES:
        raise ServiceError(f"it is larger than {MAX_PAGE_BYTES // 1024} KB")
    text = _read(path)
    if kind == "rst":
        parsed = rst.parse(text, path=rel, root=root)
        return _Page(path=rel, kind=kind, title=parsed.title or title_from_name(rel), parsed=parsed)
    meta, body = split_front_matter(text)
    if isinstance(meta.get("title"), str) and str(meta["title"]).strip():
        return _Page(path=rel, kind=kind, title=str(meta["title"]), body=body, meta=meta)
    heading, body = markdown_title(body)
    return _Page(path=rel, kind=kind, title=heading or title_from_name(rel), body=body, meta=meta)


# --- links ----------------------------------------------------------------------------


def article_url(slug: str) -> str:
    return reverse("kb:article", kwargs={"slug": slug})


class _Site:
    """What the first pass learnt about the folder: pages by name, labels, slugs."""

    def __init__(self, root: Path, pages: list[_Page]) -> None:
        self.root = root.resolve()
        self.by_name = {rst.docname(page.path): page for page in pages}
        self.labels: dict[str, tuple[_Page, str, str]] = {}
        for page in pages:
            if page.parsed is not None:
                for label, (anchor, text) in page.parsed.labels.items():
                    self.labels.setdefault(label, (page, anchor, text))

    def page(self, target: str, current: str) -> _Page | None:
        name = rst.resolve_docname(target, current=current)
        for candidate in (name, posixpath.join(name, "index") if name else "index"):
            found = self.by_name.get(candidate)
            if found is not None:
                return found
        return None

    def file(self, target: str, current: str) -> Path | None:
        target = target.split("#", 1)[0].split("?", 1)[0].strip()
        if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            return None
        if target.startswith("/"):
            candidate = self.root / target.lstrip("/")
        else:
            candidate = self.root / posixpath.dirname(current) / target
        options = [candidate]
        if candidate.name.endswith(".*"):
            stem = candidate.name[:-2]
            options = [candidate.with_name(f"{stem}.{ext}") for ext in ("png", "jpg", "gif", "svg")]
        for option in options:
            try:
                resolved = option.resolve()
            except OSError:
                continue
            if (
                resolved.is_relative_to(self.root)
                and resolved.is_file()
                and resolved.stat().st_size <= settings.DESKWISE_MAX_ATTACHMENT_BYTES
            ):
                return resolved
        return None


class _PageResolver:
    """Links and files as one page sees them; collects the files it will bring."""

    def __init__(self, site: _Site, page: _Page) -> None:
        self.site = site
        self.page_path = page.path
        self.files: dict[Path, services.ImportedFile] = {}
        self.links = 0

    def page_url(self, target: str, *, current: str) -> tuple[str, str] | None:
        found = self.site.page(target, current)
        if found is None or not found.slug:
            return None
        self.links += 1
        return article_url(found.slug), found.title

    def label_url(self, label: str) -> tuple[str, str] | None:
        found = self.site.labels.get(label)
        if found is None or not found[0].slug:
            return None
        page, anchor, text = found
        self.links += 1
        url = article_url(page.slug)
        return (f"{url}#{ANCHOR_PREFIX}{anchor}" if anchor else url), text

    def file_url(self, target: str, *, current: str) -> str | None:
        path = self.site.file(target, current)
        if path is None:
            return None
        if path.suffix.lower() in PAGE_SUFFIXES:
            return None
        if path not in self.files:
            self.files[path] = services.ImportedFile(
                placeholder=PLACEHOLDER.format(len(self.files) + 1),
                filename=path.name,
                content=path.read_bytes(),
            )
        return self.files[path].placeholder


_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_INLINE_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"
    r"\((?P<ws>\s*)(?P<url><[^<>\n]*>|[^\s()<>]+)(?P<rest>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*)\)"
)
_REF_DEF = re.compile(r"^(?P<lead> {0,3}\[[^\]]+\]:\s*)(?P<url><[^<>\n]*>|\S+)(?P<rest>.*)$")


def rewrite_markdown(
    body: str, *, page: Callable[[str], str | None], file: Callable[[str], str | None]
) -> str:
    """Relative links and images of a Markdown page pointed at the imported
    articles and files; code blocks are left alone."""

    def target(url: str, image: bool) -> str:
        bare = url[1:-1] if url.startswith("<") and url.endswith(">") else url
        if not bare or bare.startswith(("#", "/")) or re.match(r"^[a-z][a-z0-9+.-]*:", bare, re.I):
            return url
        path, hash_, anchor = bare.partition("#")
        suffix = posixpath.splitext(path)[1].lower()
        if not image and suffix in {".md", ".markdown", ".rst"}:
            found = page(path)
            if found:
                return found + (f"#{anchor}" if hash_ and anchor else "")
        found_file = file(path)
        return found_file or url

    def inline(match: re.Match[str]) -> str:
        url = target(match.group("url"), bool(match.group("bang")))
        return (
            f"{match.group('bang')}[{match.group('text')}]"
            f"({match.group('ws')}{url}{match.group('rest')})"
        )

    out: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            out.append(line)
            continue
        if fenced or line.startswith(("    ", "\t")):
            out.append(line)
            continue
        ref = _REF_DEF.match(line)
        if ref:
            line = ref.group("lead") + target(ref.group("url"), False) + ref.group("rest")
        out.append(_INLINE_LINK.sub(inline, line))
    return "\n".join(out)


# --- the import ---------------------------------------------------------------------------


def _section_for(page: _Page, site: _Site, actor: User | None) -> Section | None:
    named = page.meta.get("section")
    if isinstance(named, str) and named.strip():
        return services.section_get_or_create(actor=actor, name=named)
    if "section" in page.meta:
        return None
    folder = page.path.split("/", 1)[0] if "/" in page.path else ""
    if not folder:
        return None
    index = site.by_name.get(f"{folder}/index")
    name = index.title if index is not None else title_from_name(folder)
    return services.section_get_or_create(actor=actor, name=name[:120])


def _tags_for(page: _Page) -> list[str]:
    tags = page.meta.get("tags")
    if isinstance(tags, list):
        return [str(tag) for tag in tags]
    if isinstance(tags, str):
        return [tag for tag in tags.split(",") if tag.strip()]
    return [part for part in page.path.split("/")[1:-1] if part]


def _visibility_for(page: _Page, default: str) -> str:
    given = page.meta.get("visibility")
    return str(given) if given in Visibility.values else default


def _assign_slugs(pages: list[_Page]) -> None:
    """Each page's slug, decided before any is saved so links can name it: the
    article it was imported as before, else the slug it asks for, else one made
    from its title that nothing else has."""
    known = dict(
        Article.objects.filter(source_path__in=[p.path for p in pages])
        .order_by("-pk")
        .values_list("source_path", "slug")
    )
    taken: set[str] = set(known.values())
    for page in pages:
        if page.path in known:
            page.slug = known[page.path]
    for page in pages:
        if page.slug:
            continue
        wanted = page.meta.get("slug")
        if (
            isinstance(wanted, str)
            and re.fullmatch(r"[-a-zA-Z0-9_]{1,200}", wanted)
            and wanted not in taken
            and not Article.objects.filter(slug=wanted).exists()
        ):
            page.slug = wanted
        else:
            page.slug = services.unique_slug(page.title, taken=taken)
        taken.add(page.slug)


def _convert(page: _Page, resolver: _PageResolver) -> tuple[str, list[str]]:
    if page.parsed is not None:
        body = rst.to_markdown(page.parsed, resolver)
        return body, page.parsed.warnings

    def page_link(target: str) -> str | None:
        found = resolver.page_url(target, current=page.path)
        return found[0] if found else None

    def file_link(target: str) -> str | None:
        return resolver.file_url(target, current=page.path)

    return rewrite_markdown(page.body, page=page_link, file=file_link), []


def import_folder(
    path: Path, *, actor: User | None = None, visibility: str = Visibility.PUBLIC
) -> ImportReport:
    """Import every ``.md`` and ``.rst`` page under ``path``; see the module's docstring.
    ``visibility`` applies to pages that do not say their own (in front matter)."""
    started = time.monotonic()
    root = Path(path).resolve()
    report = ImportReport(root=root)
    if not root.is_dir():
        raise ServiceError(f"{path} is not a folder.")
    if visibility not in Visibility.values:
        raise ServiceError(f"Visibility is one of {', '.join(Visibility.values)}.")
    pages: list[_Page] = []
    for file in find_pages(root):
        rel = file.relative_to(root).as_posix()
        try:
            pages.append(_first_pass(root, file))
        except Exception as exc:  # one unreadable page must not stop the others
            report.pages.append(PageResult(path=rel, status="failed", reason=_reason(exc)))
    _assign_slugs(pages)
    site = _Site(root, pages)
    for page in pages:
        result = PageResult(path=page.path, status="failed", title=page.title, slug=page.slug)
        report.pages.append(result)
        try:
            resolver = _PageResolver(site, page)
            body, warnings = _convert(page, resolver)
            result.warnings = list(warnings)
            if not body.strip():
                body = EMPTY_PAGE
            outcome = services.article_import(
                actor=actor,
                source_path=page.path,
                title=page.title,
                body=body,
                visibility=_visibility_for(page, visibility),
                section=_section_for(page, site, actor),
                tags=_tags_for(page),
                files=list(resolver.files.values()),
                slug=page.slug,
            )
        except Exception as exc:  # reported per page; the import goes on
            result.reason = _reason(exc)
            continue
        result.status = outcome.status
        result.slug = outcome.article.slug
        report.links_rewritten += resolver.links
        report.files += len(resolver.files)
    report.seconds = time.monotonic() - started
    return report


def _reason(exc: Exception) -> str:
    if isinstance(exc, ServiceError):
        return exc.message
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return f"{type(exc).__name__}: {exc}"[:500]
