from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.sessions.backends.db import SessionStore

from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed
from deskwise.kb import services
from deskwise.kb.models import Article, ArticleVersion, Deflection, Vote

pytestmark = pytest.mark.django_db


class TestCreate:
    def test_renders_summarises_and_records_version_one(self, desk, make_article):
        article = make_article(
            title="  Reset your password ",
            body="Open **the** page.\n\n<script>x</script>",
            tags=["Accounts", " passwords ", "accounts"],
            review_at=dt.date(2030, 1, 31),
            note="First draft",
        )
        assert article.title == "Reset your password"
        assert article.slug == "reset-your-password"
        assert article.version == 1
        assert "<strong>the</strong>" in article.body_html
        assert "<script>" not in article.body_html
        assert article.summary == "Open the page."
        assert article.tags == ["accounts", "passwords"]
        assert article.owner == desk.agent
        (version,) = ArticleVersion.objects.filter(article=article)
        assert (version.number, version.author, version.note) == (1, desk.agent, "First draft")
        assert version.body == article.body

    def test_slugs_are_unique_with_a_number(self, make_article):
        slugs = [make_article(title="Printer jams").slug for _ in range(3)]
        assert slugs == ["printer-jams", "printer-jams-2", "printer-jams-3"]
        assert make_article(title="¿¿??").slug == "article"

    def test_only_agents_write(self, desk):
        for who in (desk.requester, desk.other_requester):
            with pytest.raises(NotAllowed):
                services.article_create(actor=who, title="T", body="B", visibility="public")
        assert not Article.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("title", ""),
            ("title", "a\x00b"),
            ("title", "x" * 201),
            ("body", "  "),
            ("body", "\x07"),
        ],
    )
    def test_bad_text_is_refused_by_field(self, desk, field, value):
        kwargs = {"title": "Title", "body": "Body", field: value}
        with pytest.raises(InvalidInput) as err:
            services.article_create(actor=desk.agent, visibility="public", **kwargs)
        assert field in err.value.fields

    def test_unknown_visibility_and_too_many_tags(self, desk):
        with pytest.raises(InvalidInput):
            services.article_create(actor=desk.agent, title="T", body="B", visibility="secret")
        with pytest.raises(InvalidInput) as err:
            services.article_create(
                actor=desk.agent,
                title="T",
                body="B",
                visibility="public",
                tags=[f"t{n}" for n in range(21)],
            )
        assert "tags" in err.value.fields


class TestUpdate:
    def test_each_save_is_a_version_and_only_given_fields_change(self, desk, public_article):
        updated = services.article_update(
            article=public_article, actor=desk.supervisor, body="New body.", note="Clearer"
        )
        assert updated.version == 2
        assert updated.title == "Connect to the VPN"
        assert updated.body_html == "<p>New body.</p>\n"
        assert updated.summary == "New body."
        again = services.article_update(
            article=updated, actor=desk.agent, title="Use the VPN", section=None, is_tip=True
        )
        assert again.version == 3
        assert again.slug == "connect-to-the-vpn"  # links keep working
        assert again.is_tip is True
        versions = list(ArticleVersion.objects.filter(article=again).order_by("number"))
        assert [(v.number, v.title, v.author) for v in versions] == [
            (1, "Connect to the VPN", desk.agent),
            (2, "Connect to the VPN", desk.supervisor),
            (3, "Use the VPN", desk.agent),
        ]
        assert versions[1].note == "Clearer"

    def test_review_date_can_be_cleared(self, desk, make_article):
        article = make_article(review_at=dt.date(2030, 1, 1))
        assert (
            services.article_update(article=article, actor=desk.agent, review_at=None).review_at
            is None
        )

    def test_requesters_cannot_update(self, desk, public_article):
        with pytest.raises(NotAllowed):
            services.article_update(article=public_article, actor=desk.requester, body="x")
        public_article.refresh_from_db()
        assert public_article.version == 1

    def test_archive_and_restore(self, desk, public_article):
        archived = services.article_archive(article=public_article, actor=desk.agent)
        assert archived.is_archived
        with pytest.raises(Conflict):
            services.article_archive(article=archived, actor=desk.agent)
        assert not services.article_archive(
            article=archived, actor=desk.agent, archived=False
        ).is_archived
        with pytest.raises(NotAllowed):
            services.article_archive(article=archived, actor=desk.requester)


class TestVotes:
    def counts(self, article: Article) -> tuple[int, int]:
        article.refresh_from_db()
        return article.helpful, article.unhelpful

    def test_one_vote_per_person_and_changing_it_moves_the_counters(self, desk, public_article):
        services.vote(article=public_article, user=desk.requester, helpful=True)
        services.vote(article=public_article, user=desk.requester, helpful=True)
        assert self.counts(public_article) == (1, 0)
        services.vote(article=public_article, user=desk.other_requester, helpful=False)
        assert self.counts(public_article) == (1, 1)
        services.vote(article=public_article, user=desk.requester, helpful=False)
        assert self.counts(public_article) == (0, 2)
        services.vote(article=public_article, user=desk.requester, helpful=True)
        assert self.counts(public_article) == (1, 1)
        assert Vote.objects.filter(article=public_article).count() == 2

    def test_one_vote_per_browser_session_when_not_signed_in(self, public_article):
        first, second = SessionStore(), SessionStore()
        first.create()
        second.create()
        for key in (first.session_key, first.session_key, second.session_key):
            services.vote(article=public_article, session_key=key, helpful=True)
        assert self.counts(public_article) == (2, 0)
        services.vote(article=public_article, session_key=first.session_key, helpful=False)
        assert self.counts(public_article) == (1, 1)

    def test_a_vote_needs_someone(self, public_article):
        with pytest.raises(InvalidInput):
            services.vote(article=public_article, helpful=True)


class TestCounters:
    def test_views_are_counted_in_the_database(self, public_article):
        stale = Article.objects.get(pk=public_article.pk)
        services.record_view(public_article)
        services.record_view(stale)  # a stale copy does not lose the first view
        public_article.refresh_from_db()
        assert public_article.views == 2

    def test_a_helpful_vote_after_a_search_is_a_deflection_once(self, desk, public_article):
        user = desk.requester
        services.vote(article=public_article, user=user, helpful=False, query="vpn broken")
        assert Deflection.objects.count() == 0  # "no" answers nothing
        services.vote(article=public_article, user=user, helpful=True, query="vpn\x00 broken")
        services.vote(article=public_article, user=user, helpful=True, query="vpn broken")
        (deflection,) = Deflection.objects.all()
        assert (deflection.contact, deflection.query) == (user.contact, "vpn broken")
        public_article.refresh_from_db()
        assert (public_article.deflections, public_article.helpful) == (1, 1)

    def test_a_vote_without_a_query_is_no_deflection(self, desk, public_article):
        services.vote(article=public_article, user=desk.requester, helpful=True, query="  ")
        assert Deflection.objects.count() == 0

    def test_solved_votes_and_deflects_and_a_repeat_counts_once(self, desk, public_article):
        first = services.solved(article=public_article, user=desk.requester, query="vpn broken")
        again = services.solved(article=public_article, user=desk.requester, query="vpn broken")
        assert first.pk == again.pk
        other = services.solved(article=public_article, user=desk.requester, query="wifi slow")
        assert other.pk != first.pk
        public_article.refresh_from_db()
        assert (public_article.deflections, public_article.helpful) == (2, 1)

    def test_solved_an_hour_later_is_a_new_deflection(self, desk, public_article):
        now = clock.now()
        with clock.frozen_at(now):
            services.solved(article=public_article, user=desk.requester, query="vpn broken")
        with clock.frozen_at(now + services.SAME_DEFLECTION + dt.timedelta(seconds=1)):
            services.solved(article=public_article, user=desk.requester, query="vpn broken")
        assert Deflection.objects.count() == 2

    def test_a_visitor_solves_with_a_session(self, public_article):
        deflection = services.solved(article=public_article, session_key="abc", query="x")
        assert deflection.contact is None
        assert Vote.objects.get(article=public_article).session_key == "abc"
        with pytest.raises(InvalidInput):
            services.solved(article=public_article, query="x")


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_are_not_lost(desk, public_article):
    from django.db import connection

    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip("in-memory SQLite is one connection")

    def read() -> None:
        try:
            for _ in range(5):
                services.record_view(public_article)
        finally:
            connection.close()

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    public_article.refresh_from_db()
    assert public_article.views == 20


def test_section_get_or_create_reuses_by_name(desk):
    first = services.section_get_or_create(actor=desk.agent, name="Accounts")
    assert services.section_get_or_create(actor=None, name="accounts") == first
    assert (
        services.section_get_or_create(actor=None, name="Accounts & more").slug == "accounts-more"
    )
