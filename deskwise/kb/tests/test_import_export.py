"""Folders of pages in and out: Markdown and reStructuredText, links and files."""

from __future__ import annotations

import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from deskwise.kb import services
from deskwise.kb.exporter import export_folder
from deskwise.kb.importer import import_folder, markdown_title, split_front_matter
from deskwise.kb.models import Article, ArticleFile, ArticleVersion, Section, Visibility
from deskwise.testing import shared_data

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    write(
        root,
        "index.md",
        "# Welcome\n\nStart with [the VPN](network/vpn.rst) or [mail](mail.md#setup).\n",
    )
    write(
        root,
        "mail.md",
        'Intro without a heading.\n\n## Setup\n\n![screen](img/mail.png "Mail")\n\n'
        "```\n[not a link](vpn.rst)\n```\n\n[ref]: network/vpn.rst\n",
    )
    write(
        root,
        "network/index.rst",
        "Network\n=======\n\n.. toctree::\n\n   vpn\n",
    )
    write(
        root,
        "network/vpn.rst",
        ".. _vpn-label:\n\nConnect to the VPN\n==================\n\n"
        "See :doc:`/index` and :ref:`vpn-windows`.\n\n"
        ".. _vpn-windows:\n\nOn Windows\n----------\n\n"
        ".. image:: ../img/mail.png\n\n.. code-block:: console\n   :linenos:\n\n   $ vpn up\n",
    )
    (root / "img").mkdir()
    (root / "img" / "mail.png").write_bytes(PNG)
    (root / "_build").mkdir()
    write(root, "_build/ignored.md", "# Built\n")
    return root


class TestImport:
    def test_a_folder_becomes_linked_articles_with_files(self, desk, folder):
        report = import_folder(folder, actor=desk.agent)
        assert [p.path for p in report.failed] == []
        assert len(report.created) == 4
        by_path = {a.source_path: a for a in Article.objects.all()}
        assert set(by_path) == {"index.md", "mail.md", "network/index.rst", "network/vpn.rst"}
        index, mail, vpn = by_path["index.md"], by_path["mail.md"], by_path["network/vpn.rst"]
        assert index.title == "Welcome"
        assert index.body.startswith("Start with [the VPN](/kb/connect-to-the-vpn/)")
        assert "[mail](/kb/mail/#setup)" in index.body
        assert mail.title == "Mail"  # no heading: the file name
        (stored,) = ArticleFile.objects.filter(article=mail)
        assert f'![screen]({stored.url} "Mail")' in mail.body
        assert "[not a link](vpn.rst)" in mail.body  # code is left alone
        assert "[ref]: /kb/connect-to-the-vpn/" in mail.body
        assert vpn.title == "Connect to the VPN"
        assert "[Welcome](/kb/welcome/)" in vpn.body
        assert "[On Windows](/kb/connect-to-the-vpn/#kb-on-windows)" in vpn.body
        assert 'id="kb-on-windows"' in vpn.body_html
        assert "```console\n$ vpn up\n```" in vpn.body
        assert ArticleFile.objects.get(article=vpn).url in vpn.body
        assert (
            by_path["network/index.rst"].body == "- [Connect to the VPN](/kb/connect-to-the-vpn/)"
        )
        assert vpn.section == by_path["network/index.rst"].section
        assert vpn.section.name == "Network"
        assert index.section is None
        assert all(a.visibility == Visibility.PUBLIC for a in by_path.values())
        assert ArticleVersion.objects.get(article=vpn).author == desk.agent
        assert report.links_rewritten >= 6
        assert report.files == 2

    def test_reimport_updates_instead_of_duplicating(self, desk, folder):
        import_folder(folder)
        write(folder, "mail.md", "Changed text.\n")
        report = import_folder(folder, visibility=Visibility.INTERNAL)
        assert Article.objects.count() == 4
        assert ArticleFile.objects.count() == 2  # the same image is not copied again
        mail = Article.objects.get(source_path="mail.md")
        assert (mail.version, mail.body, mail.visibility) == (2, "Changed text.", "internal")
        assert len(report.updated) == 4  # visibility changed for all
        again = import_folder(folder, visibility=Visibility.INTERNAL)
        assert len(again.unchanged) == 4
        assert Article.objects.get(source_path="mail.md").version == 2

    def test_a_page_that_fails_is_reported_and_the_rest_imports(self, desk, folder):
        (folder / "broken.md").write_bytes(b"\xff\xfe not utf-8 \x00")
        write(folder, "nul.md", "# Bad\n\ntext with a \x07 bell\n")
        report = import_folder(folder)
        failed = {p.path: p.reason for p in report.failed}
        assert failed == {
            "broken.md": "not UTF-8 text",
            "nul.md": "Body contains a control character (U+0007); please remove it.",
        }
        assert len(report.created) == 4

    def test_pages_linking_outside_the_folder_are_not_read(self, desk, folder, tmp_path):
        secret = write(tmp_path, "secret.md", "# Secret\n\npassword\n")
        (folder / "link.md").symlink_to(secret)
        write(folder, "image.md", "![x](../secret.md) ![y](/../../secret.md)\n")
        report = import_folder(folder)
        assert {p.path: p.reason for p in report.failed} == {
            "link.md": "it links to a file outside the folder"
        }
        assert not Article.objects.filter(body__contains="password").exists()
        assert Article.objects.get(source_path="image.md").files.count() == 0

    def test_only_agents_import(self, desk, folder):
        report = import_folder(folder, actor=desk.requester)
        assert len(report.failed) == 4
        assert not Article.objects.exists()

    def test_front_matter_and_titles(self):
        meta, rest = split_front_matter(
            '---\ntitle: "A: b"\ntags: ["x", "y"]\nvisibility: internal\n---\nBody\n'
        )
        assert meta == {"title": "A: b", "tags": ["x", "y"], "visibility": "internal"}
        assert rest == "Body\n"
        assert markdown_title("# Title #\n\nBody") == ("Title", "Body")
        assert markdown_title("Intro\n\n# Later") == ("Later", "Intro\n\n# Later")
        assert markdown_title("```\n# code\n```") == ("", "```\n# code\n```")


class TestExport:
    def test_round_trip_reproduces_titles_and_bodies(self, desk, folder, tmp_path):
        import_folder(folder)
        section = services.section_get_or_create(actor=desk.agent, name="Extra: shelf")
        services.article_create(
            actor=desk.agent,
            title='Quotes "and: colons"',
            body="# A heading first\n\nLink to [mail](/kb/mail/#setup) and [out](https://x.org).",
            section=section,
            tags=["a", "b c"],
            visibility=Visibility.INTERNAL,
        )
        before = {
            a.slug: (a.title, a.body, a.section.name if a.section else "", a.tags, a.visibility)
            for a in Article.objects.select_related("section")
        }
        out = tmp_path / "export"
        report = export_folder(out)
        assert report.articles == 5
        assert report.files == 2
        assert sorted(p.name for p in out.glob("*.md")) == sorted(f"{s}.md" for s in before)
        assert (out / "mail.files" / "mail.png").read_bytes() == PNG
        text = (out / "welcome.md").read_text()
        assert text.startswith('---\ntitle: "Welcome"\nslug: "welcome"\n')
        assert "[mail](mail.md#setup)" in text
        Article.objects.all().delete()
        Section.objects.all().delete()
        import_folder(out)

        def normal(body: str) -> str:
            return re.sub(r"/kb/files/\d+/", "/kb/files/N/", body)

        after = {
            a.slug: (
                a.title,
                normal(a.body),
                a.section.name if a.section else "",
                a.tags,
                a.visibility,
            )
            for a in Article.objects.select_related("section")
        }
        assert after == {slug: (t, normal(b), s, g, v) for slug, (t, b, s, g, v) in before.items()}
        assert ArticleFile.objects.count() == 2


class TestCommand:
    def test_import_then_export(self, desk, folder, tmp_path):
        out = StringIO()
        call_command("kb", "import", str(folder), "--visibility", "internal", stdout=out)
        assert "4 pages" in out.getvalue()
        assert "4 imported" in out.getvalue()
        assert set(Article.objects.values_list("visibility", flat=True)) == {"internal"}
        write(folder, "bad.md", "# Bad\n\n\x07\n")
        out, err = StringIO(), StringIO()
        call_command("kb", "import", str(folder), verbosity=2, stdout=out, stderr=err)
        assert "failed: bad.md: Body contains a control character" in err.getvalue()
        assert "updated: mail.md -> /kb/mail/" in out.getvalue()
        out = StringIO()
        call_command("kb", "export", str(tmp_path / "out"), stdout=out)
        assert "4 articles and 2 files written" in out.getvalue()

    def test_render_again_without_new_versions(self, desk, folder):
        import_folder(folder)
        Article.objects.update(body_html="<p>stale</p>", summary="stale")
        out = StringIO()
        call_command("kb", "render", stdout=out)
        assert out.getvalue().strip() == "4 articles rendered anew."
        mail = Article.objects.get(source_path="mail.md")
        assert mail.summary == "Intro without a heading."
        assert mail.version == 1

    def test_refuses_what_is_not_a_folder(self, tmp_path):
        from django.core.management.base import CommandError

        with pytest.raises(CommandError):
            call_command("kb", "import", str(tmp_path / "nope"))
        with pytest.raises(CommandError):
            call_command("kb", "import", str(tmp_path), "--as", "nobody")


# rST that would show through if a directive or role were not converted.
RAW_RST = re.compile(r"^\s*\.\. [\w:-]+::|:(doc|ref|kbd|download|term|py:\w+):`", re.MULTILINE)


def prose(body: str) -> str:
    """The body without code: fenced blocks and inline code may quote rST on purpose."""
    kept: list[str] = []
    fence = ""
    for line in body.split("\n"):
        bare = line.lstrip(" >")
        if fence:
            if bare.startswith(fence) and not bare[len(fence) :].strip("`~"):
                fence = ""
            continue
        opening = re.match(r"(`{3,}|~{3,})", bare)
        if opening:
            fence = opening.group(1)
            continue
        kept.append(line)
    return re.sub(r"(`+).+?\1", "", "\n".join(kept))


@pytest.mark.realdata
def test_the_aalto_scicomp_docs_import_completely(desk):
    root = shared_data() / "kb" / "aalto-scicomp-docs"
    pages = sorted(root.rglob("*.rst"))
    assert len(pages) >= 200
    started = time.monotonic()
    report = import_folder(root, actor=desk.agent)
    seconds = time.monotonic() - started
    print(f"\naalto-scicomp-docs: {report.summary()} ({seconds:.1f} s)")
    assert [(p.path, p.reason) for p in report.failed] == []
    articles = {a.source_path: a for a in Article.objects.all()}
    assert set(articles) >= {p.relative_to(root).as_posix() for p in pages}
    for path, article in articles.items():
        assert article.title.strip(), path
        assert article.body.strip(), path
        assert not RAW_RST.search(prose(article.body)), (path, RAW_RST.search(prose(article.body)))
    linked = [a for a in articles.values() if "](/kb/" in a.body]
    assert len(linked) > 50
    assert report.links_rewritten > 300
    slugs = {a.slug for a in articles.values()}
    broken = {
        target
        for a in articles.values()
        for target in re.findall(r"\]\(/kb/([-\w]+)/", a.body)
        if target not in slugs and target != "files"
    }
    assert broken == set()
    again = import_folder(root, actor=desk.agent)
    assert len(again.unchanged) == len(pages)
    assert Article.objects.count() == len(articles)
