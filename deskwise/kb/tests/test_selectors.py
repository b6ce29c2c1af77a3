from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from deskwise.core.errors import InvalidCursor, NotFound
from deskwise.kb import selectors, services
from deskwise.kb.models import Visibility

pytestmark = pytest.mark.django_db


class TestWhoReadsWhat:
    def test_agents_read_internal_articles_requesters_do_not(
        self, desk, public_article, internal_article
    ):
        for agent in (desk.agent, desk.other_agent, desk.supervisor, desk.admin):
            titles = [a.title for a in selectors.article_list(user=agent).items]
            assert titles == ["Connect to the VPN", "Restart the licence server"]
            assert selectors.article_get(user=agent, slug=internal_article.slug) == internal_article
        titles = [a.title for a in selectors.article_list(user=desk.requester).items]
        assert titles == ["Connect to the VPN"]
        with pytest.raises(NotFound):
            selectors.article_get(user=desk.requester, slug=internal_article.slug)
        with pytest.raises(NotFound):
            selectors.article_get(user=desk.requester, pk=internal_article.pk)

    def test_visitors_read_public_articles_only_when_the_desk_publishes_them(
        self, settings, public_article, internal_article
    ):
        visitor = AnonymousUser()
        settings.DESKWISE_KB_PUBLIC = True
        assert [a.pk for a in selectors.article_list(user=visitor).items] == [public_article.pk]
        assert selectors.article_get(user=visitor, slug=public_article.slug) == public_article
        with pytest.raises(NotFound):
            selectors.article_get(user=visitor, slug=internal_article.slug)
        settings.DESKWISE_KB_PUBLIC = False
        assert selectors.article_list(user=visitor).items == []
        with pytest.raises(NotFound):
            selectors.article_get(user=visitor, slug=public_article.slug)
        assert selectors.article_list(user=None).items == []

    def test_archived_articles_are_hidden_from_everyone_but_an_agent_who_asks(
        self, desk, public_article
    ):
        services.article_archive(article=public_article, actor=desk.agent)
        for user in (desk.agent, desk.requester):
            assert selectors.article_list(user=user).items == []
            with pytest.raises(NotFound):
                selectors.article_get(user=user, slug=public_article.slug)
        assert selectors.article_get(
            user=desk.agent, slug=public_article.slug, include_archived=True
        )
        listed = selectors.article_list(user=desk.agent, include_archived=True).items
        assert listed == [public_article]
        assert selectors.article_list(user=desk.requester, include_archived=True).items == []


class TestFilters:
    def test_section_tag_query_and_visibility(self, desk, make_article):
        accounts = services.section_get_or_create(actor=desk.agent, name="Accounts")
        make_article(title="Reset your password", section=accounts, tags=["passwords", "sso"])
        make_article(title="Request a new account", section=accounts, tags=["accounts"])
        make_article(title="Printer jams", body="Open tray 2.", tags=["printing", "pass"])
        make_article(title="Server notes", body="Tray secrets", visibility=Visibility.INTERNAL)

        def titles(**kwargs):
            return [a.title for a in selectors.article_list(user=desk.agent, **kwargs).items]

        assert titles(section=accounts) == ["Request a new account", "Reset your password"]
        assert titles(section="accounts") == titles(section=accounts)
        assert titles(tag="passwords") == ["Reset your password"]
        assert titles(tag="PASS") == ["Printer jams"]  # whole tags only, any case
        assert titles(q="tray") == ["Printer jams", "Server notes"]
        assert titles(q="TRAY open") == ["Printer jams"]
        assert titles(visibility="internal") == ["Server notes"]
        assert [a.title for a in selectors.article_list(user=desk.requester, q="tray").items] == [
            "Printer jams"
        ]

    def test_keyset_pages(self, desk, make_article):
        for n in range(7):
            make_article(title=f"Article {n}")
        seen: list[str] = []
        cursor = None
        while True:
            page = selectors.article_list(user=desk.requester, cursor=cursor, limit=3)
            seen.extend(a.title for a in page.items)
            if not page.next_cursor:
                break
            cursor = page.next_cursor
        assert seen == [f"Article {n}" for n in range(7)]
        with pytest.raises(InvalidCursor):
            selectors.article_list(user=desk.requester, cursor="nonsense")


class TestShelves:
    def test_sections_count_what_the_reader_may_read(self, desk, make_article):
        accounts = services.section_get_or_create(actor=desk.agent, name="Accounts")
        services.section_get_or_create(actor=desk.agent, name="Empty")
        make_article(section=accounts)
        make_article(section=accounts, visibility=Visibility.INTERNAL)
        counts = {s.name: s.article_count for s in selectors.sections(user=desk.requester)}  # type: ignore[attr-defined]
        assert counts == {"Accounts": 1, "Empty": 0}
        counts = {s.name: s.article_count for s in selectors.sections(user=desk.agent)}  # type: ignore[attr-defined]
        assert counts == {"Accounts": 2, "Empty": 0}

    def test_tips_are_public_live_and_most_helpful_first(self, desk, make_article):
        first = make_article(title="Lock your screen", is_tip=True)
        second = make_article(title="Use a password manager", is_tip=True)
        make_article(title="Internal trick", is_tip=True, visibility=Visibility.INTERNAL)
        archived = make_article(title="Old tip", is_tip=True)
        services.article_archive(article=archived, actor=desk.agent)
        make_article(title="Not a tip")
        services.vote(article=second, user=desk.requester, helpful=True)
        assert selectors.tips(5) == [second, first]
        assert selectors.tips(1) == [second]


class TestHistory:
    def test_versions_newest_first_with_a_line_diff(self, desk, public_article):
        services.article_update(
            article=public_article,
            actor=desk.supervisor,
            body="Install the client.\n\nThen sign in.",
        )
        services.article_update(
            article=public_article, actor=desk.agent, title="VPN", note="Shorter"
        )
        entries = selectors.history(user=desk.agent, article=public_article)
        assert [e.version.number for e in entries] == [3, 2, 1]
        newest, middle, first = entries
        assert newest.title_changed
        assert newest.diff == []
        assert "+Then sign in." in middle.diff
        assert "-## Windows" in middle.diff
        assert first.diff[0] == "--- (new)"
        with pytest.raises(NotFound):
            selectors.history(user=desk.requester, article=public_article)
