from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from deskwise.core import clock
from deskwise.kb import services
from deskwise.kb.models import Article, ArticleFile, Deflection, Visibility

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


class TestReaders:
    def test_list_search_and_sections(self, desk, client_for, make_article, internal_article):
        accounts = services.section_get_or_create(actor=desk.agent, name="Accounts")
        make_article(title="Reset your password", section=accounts, body="Use the *portal*.")
        make_article(title="Printer jams", body="Open tray 2.")
        client = client_for(desk.requester)
        html = client.get("/kb/").content.decode()
        assert "Reset your password" in html
        assert "Printer jams" in html
        assert "Use the portal." in html  # the summary
        assert internal_article.title not in html
        assert 'href="/kb/?section=accounts"' in html
        html = client.get("/kb/?q=tray").content.decode()
        assert "Printer jams" in html
        assert "Reset your password" not in html
        html = client.get("/kb/?section=accounts").content.decode()
        assert "Reset your password" in html
        assert "Printer jams" not in html
        assert client.get("/kb/?section=nope").status_code == 404
        partial = client.get("/kb/?q=tray", HTTP_HX_REQUEST="true").content.decode()
        assert partial.lstrip().startswith('<div id="results"')
        assert client.get("/kb/?cursor=garbage").status_code == 200

    def test_article_page_counts_views(self, desk, client_for, public_article):
        client = client_for(desk.requester)
        response = client.get("/kb/connect-to-the-vpn/")
        html = response.content.decode()
        assert response.status_code == 200
        assert '<h2 id="kb-windows">Windows</h2>' in html
        assert "Was this helpful?" in html
        assert "/desk/kb/" not in html  # no edit links for requesters
        client.get("/kb/connect-to-the-vpn/")
        public_article.refresh_from_db()
        assert public_article.views == 2

    def test_requesters_get_404_for_internal_and_missing_articles(
        self, desk, client_for, internal_article
    ):
        client = client_for(desk.requester)
        assert client.get(f"/kb/{internal_article.slug}/").status_code == 404
        assert client.get("/kb/no-such-article/").status_code == 404
        assert client.post(f"/kb/{internal_article.slug}/", {"helpful": "yes"}).status_code == 404
        agent_html = client_for(desk.agent).get(f"/kb/{internal_article.slug}/").content.decode()
        assert "Internal: agents only" in agent_html
        assert f"/desk/kb/{internal_article.slug}/edit/" in agent_html

    def test_archived_articles_are_gone_for_readers(self, desk, client_for, public_article):
        services.article_archive(article=public_article, actor=desk.agent)
        assert client_for(desk.requester).get("/kb/connect-to-the-vpn/").status_code == 404
        assert client_for(desk.agent).get("/kb/connect-to-the-vpn/").status_code == 404
        edit = client_for(desk.agent).get("/desk/kb/connect-to-the-vpn/edit/")
        assert edit.status_code == 200


class TestVisitors:
    def test_public_articles_without_signing_in_when_the_desk_publishes_them(
        self, settings, client_for, public_article, internal_article
    ):
        settings.DESKWISE_KB_PUBLIC = True
        visitor = client_for(None)
        html = visitor.get("/kb/").content.decode()
        assert public_article.title in html
        assert internal_article.title not in html
        assert "Sign in" in html
        assert visitor.get(f"/kb/{public_article.slug}/").status_code == 200
        assert visitor.get(f"/kb/{internal_article.slug}/").status_code == 404

    def test_visitors_are_sent_to_sign_in_otherwise(self, settings, client_for, public_article):
        settings.DESKWISE_KB_PUBLIC = False
        visitor = client_for(None)
        for url in ("/kb/", f"/kb/{public_article.slug}/"):
            response = visitor.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith("/login/?next=")

    def test_visitors_vote_once_per_session(self, settings, client_for, public_article):
        settings.DESKWISE_KB_PUBLIC = True
        visitor = client_for(None)
        url = f"/kb/{public_article.slug}/"
        assert visitor.post(url, {"helpful": "yes"}).status_code == 302
        visitor.post(url, {"helpful": "yes"})
        client_for(None).post(url, {"helpful": "no"})
        public_article.refresh_from_db()
        assert (public_article.helpful, public_article.unhelpful) == (1, 1)

    def test_desk_pages_stay_closed_to_visitors(self, settings, client_for, public_article):
        settings.DESKWISE_KB_PUBLIC = True
        visitor = client_for(None)
        for url in ("/desk/kb/", "/desk/kb/new/", f"/desk/kb/{public_article.slug}/edit/"):
            assert visitor.get(url).status_code == 302


class TestVoting:
    def test_vote_with_htmx_swaps_the_box(self, desk, client_for, public_article):
        client = client_for(desk.requester)
        response = client.post(
            f"/kb/{public_article.slug}/", {"helpful": "no"}, HTTP_HX_REQUEST="true"
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div id="vote"')
        assert "Ask the service desk" in html
        public_article.refresh_from_db()
        assert public_article.unhelpful == 1

    def test_a_bad_vote_is_refused(self, desk, client_for, public_article):
        response = client_for(desk.requester).post(f"/kb/{public_article.slug}/", {"helpful": "?"})
        assert response.status_code == 422

    def test_helpful_after_a_search_is_a_deflection(self, desk, client_for, public_article):
        client = client_for(desk.requester)
        url = f"/kb/{public_article.slug}/"
        html = client.get(url + "?q=vpn broken").content.decode()
        assert 'name="q" value="vpn broken"' in html
        client.post(url, {"helpful": "yes", "q": "vpn broken"})
        client.post(url, {"helpful": "yes", "q": "vpn broken"})  # the same answer again
        (deflection,) = Deflection.objects.all()
        assert (deflection.contact, deflection.query) == (desk.requester.contact, "vpn broken")
        public_article.refresh_from_db()
        assert public_article.deflections == 1


class TestFiles:
    def stored(self, article: Article, name: str, content: bytes) -> ArticleFile:
        stored = ArticleFile(
            article=article,
            filename=name,
            content_type="image/png" if name.endswith(".png") else "text/html",
            size=len(content),
            created_at=clock.now(),
        )
        stored.file.save(name, ContentFile(content), save=False)
        stored.save()
        return stored

    def test_images_inline_everything_else_downloads_and_internal_stays_internal(
        self, desk, client_for, public_article, internal_article
    ):
        image = self.stored(public_article, "shot.png", PNG)
        page = self.stored(public_article, "evil.html", b"<script>alert(1)</script>")
        secret = self.stored(internal_article, "secret.png", PNG)
        client = client_for(desk.requester)
        response = client.get(image.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        response = client.get(page.url)
        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment")
        assert client.get(secret.url).status_code == 404
        assert client_for(desk.agent).get(secret.url).status_code == 200


class TestDesk:
    def test_list_shows_internal_and_filters(
        self, desk, client_for, public_article, internal_article
    ):
        client = client_for(desk.agent)
        html = client.get("/desk/kb/").content.decode()
        assert public_article.title in html
        assert internal_article.title in html
        html = client.get("/desk/kb/?visibility=internal").content.decode()
        assert public_article.title not in html
        assert internal_article.title in html
        assert client_for(desk.requester).get("/desk/kb/").status_code == 404

    def test_new_article(self, desk, client_for):
        accounts = services.section_get_or_create(actor=desk.agent, name="Accounts")
        client = client_for(desk.agent)
        assert client.get("/desk/kb/new/").status_code == 200
        response = client.post(
            "/desk/kb/new/",
            {
                "title": "Unlock your account",
                "body": "Wait **15 minutes**.",
                "section": accounts.pk,
                "tags": "accounts, Locked ,",
                "visibility": "public",
                "is_tip": "on",
                "review_at": "2031-02-03",
                "note": "From ticket DW-12",
            },
        )
        assert response.status_code == 302
        article = Article.objects.get()
        assert response["Location"] == "/kb/unlock-your-account/"
        assert article.tags == ["accounts", "locked"]
        assert article.is_tip
        assert article.section == accounts
        assert str(article.review_at) == "2031-02-03"
        assert article.versions.get().note == "From ticket DW-12"

    def test_new_article_errors_are_shown(self, desk, client_for):
        response = client_for(desk.agent).post(
            "/desk/kb/new/", {"title": "", "body": "x", "visibility": "public"}
        )
        assert response.status_code == 422
        assert "errorlist" in response.content.decode()
        assert not Article.objects.exists()

    def test_edit_makes_a_version_and_history_shows_the_diff(
        self, desk, client_for, public_article
    ):
        client = client_for(desk.supervisor)
        form = client.get(f"/desk/kb/{public_article.slug}/edit/").content.decode()
        assert "Install the client." in form
        response = client.post(
            f"/desk/kb/{public_article.slug}/edit/",
            {
                "title": "Connect to the VPN",
                "body": "Install the client.\n\nThen sign in with your account.",
                "tags": "",
                "visibility": Visibility.INTERNAL,
                "note": "Sign-in step",
            },
        )
        assert response.status_code == 302
        public_article.refresh_from_db()
        assert (public_article.version, public_article.visibility) == (2, "internal")
        html = client.get(f"/desk/kb/{public_article.slug}/history/").content.decode()
        assert "Version 2" in html
        assert "Version 1" in html
        assert "Sign-in step" in html
        assert '<span class="add">+Then sign in with your account.</span>' in html
        assert '<span class="del">-## Windows</span>' in html
        assert desk.supervisor.display_name in html
        requester = client_for(desk.requester)
        assert requester.get(f"/desk/kb/{public_article.slug}/history/").status_code == 404
        assert requester.post(f"/desk/kb/{public_article.slug}/edit/", {}).status_code == 404

    def test_archive_from_the_desk(self, desk, client_for, public_article):
        client = client_for(desk.agent)
        assert client.post(f"/desk/kb/{public_article.slug}/archive/").status_code == 302
        public_article.refresh_from_db()
        assert public_article.is_archived
        assert public_article.title in client.get("/desk/kb/?archived=1").content.decode()
        client.post(f"/desk/kb/{public_article.slug}/archive/", {"archived": "0"})
        public_article.refresh_from_db()
        assert not public_article.is_archived
