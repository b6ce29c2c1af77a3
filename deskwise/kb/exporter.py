"""Export the knowledge base as a folder of Markdown pages that the importer reads back.

Each article becomes ``<slug>.md``: a small front matter (title, slug, section,
tags, visibility) and its body, with links between articles made relative
(``other.md``) and its files written to ``<slug>.files/`` beside it, so the
folder stands on its own and importing it elsewhere rebuilds the same pages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from deskwise.kb.importer import FILES_DIR_SUFFIX
from deskwise.kb.models import Article, ArticleFile

_FILE_URL = re.compile(r"/kb/files/(?P<pk>\d+)/(?P<name>[^\s)\"'<>]+)")
_ARTICLE_URL = re.compile(r"(?<![\w/])/kb/(?P<slug>[-a-zA-Z0-9_]+)/(?P<anchor>#[-\w]+)?")


@dataclass
class ExportReport:
    root: Path
    articles: int = 0
    files: int = 0
    missing_files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        missing = f", {len(self.missing_files)} files missing" if self.missing_files else ""
        return f"{self.articles} articles and {self.files} files written to {self.root}{missing}."


def front_matter(article: Article) -> str:
    """Values as JSON (which YAML reads too): titles with colons or quotes stay intact."""
    section = article.section.name if article.section else ""
    lines = [
        "---",
        f"title: {json.dumps(article.title, ensure_ascii=False)}",
        f"slug: {json.dumps(article.slug)}",
        f"section: {json.dumps(section, ensure_ascii=False)}",
        f"tags: {json.dumps(list(article.tags), ensure_ascii=False)}",
        f"visibility: {json.dumps(article.visibility)}",
        "---",
    ]
    return "\n".join(lines) + "\n"


def _file_names(files: list[ArticleFile]) -> dict[int, str]:
    """A name per file, unique within its article's folder."""
    names: dict[int, str] = {}
    used: set[str] = set()
    for stored in files:
        name = stored.filename
        if name in used:
            name = f"{stored.pk}-{name}"
        used.add(name)
        names[stored.pk] = name
    return names


def export_folder(path: Path) -> ExportReport:
    """Write every article that is not archived under ``path`` (made if needed)."""
    root = Path(path)
    root.mkdir(parents=True, exist_ok=True)
    report = ExportReport(root=root)
    articles = list(
        Article.objects.filter(is_archived=False).select_related("section").order_by("slug")
    )
    slugs = {article.slug for article in articles}
    files = list(ArticleFile.objects.filter(article__in=articles).order_by("pk"))
    by_article: dict[int, list[ArticleFile]] = {}
    for stored in files:
        by_article.setdefault(stored.article_id, []).append(stored)
    owners = {article.pk: article.slug for article in articles}
    names: dict[int, str] = {}
    for article_files in by_article.values():
        names.update(_file_names(article_files))
    file_slugs = {stored.pk: owners[stored.article_id] for stored in files}

    def file_link(match: re.Match[str]) -> str:
        pk = int(match.group("pk"))
        if pk not in names:
            return match.group(0)
        return f"{file_slugs[pk]}{FILES_DIR_SUFFIX}/{names[pk]}"

    def article_link(match: re.Match[str]) -> str:
        if match.group("slug") not in slugs:
            return match.group(0)
        return f"{match.group('slug')}.md{match.group('anchor') or ''}"

    for article in articles:
        body = _FILE_URL.sub(file_link, article.body)
        body = _ARTICLE_URL.sub(article_link, body)
        (root / f"{article.slug}.md").write_text(front_matter(article) + "\n" + body + "\n")
        report.articles += 1
        for stored in by_article.get(article.pk, []):
            folder = root / f"{article.slug}{FILES_DIR_SUFFIX}"
            folder.mkdir(exist_ok=True)
            try:
                with stored.file.open("rb") as handle:
                    (folder / names[stored.pk]).write_bytes(handle.read())
            except OSError:
                report.missing_files.append(f"{article.slug}: {stored.filename}")
                continue
            report.files += 1
    return report
