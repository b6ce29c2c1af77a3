"""suggest_articles() for a request as people write it, and similar_tickets()
with how they were resolved."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from deskwise.search.selectors import similar_tickets, suggest_articles
from deskwise.tickets import services
from deskwise.tickets.choices import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def kb(article):
    return {
        "wifi": article(
            "Connecting to the office wireless network",
            "Choose the Office network, sign in with your account. If the laptop does not "
            "connect, forget the network and join again.",
            summary="Join the office Wi-Fi.",
        ),
        "password": article(
            "Reset a forgotten password",
            "Forgot your password? Use the self-service reset page and sign in again.",
        ),
        "printer": article(
            "Add the floor printer", "Install the printer driver and add the floor 2 queue."
        ),
        "vpn": article(
            "VPN from home",
            "The VPN lets you reach internal systems from home. Install the client.",
        ),
        "internal": article(
            "Wireless controller reboot (agents)",
            "Reboot the wireless controller when the laptop clients cannot connect.",
            visibility="internal",
        ),
    }


class TestSuggestArticles:
    @pytest.mark.parametrize(
        ("text", "best"),
        [
            (
                "Hi, since this morning my laptop won't connect to the wireless in the meeting "
                "room. Can you help?",
                "wifi",
            ),
            ("I forgot my password and now I can't sign in to anything", "password"),
            ("How do I get at the internal systems when working from home?", "vpn"),
            ("Need the printer driver for the 2nd floor", "printer"),
        ],
    )
    def test_the_right_article_first_for_a_paraphrased_request(self, desk, kb, text, best):
        found = suggest_articles(text, user=desk.requester)
        assert found
        assert found[0].id == kb[best].pk, [a.title for a in found]

    def test_any_word_may_match(self, desk, kb):
        # Not one article holds every word, yet each shares some.
        found = suggest_articles("wireless password printer", user=desk.requester)
        assert {a.id for a in found} == {kb["wifi"].pk, kb["password"].pk, kb["printer"].pk}

    def test_internal_articles_only_for_agents(self, desk, kb, settings):
        text = "laptop cannot connect to wireless"
        assert kb["internal"].pk in {a.id for a in suggest_articles(text, user=desk.agent)}
        for user in (desk.requester, None, AnonymousUser()):
            assert kb["internal"].pk not in {a.id for a in suggest_articles(text, user=user)}
        settings.DESKWISE_KB_PUBLIC = False
        assert suggest_articles(text, user=AnonymousUser()) == []
        assert suggest_articles(text, user=desk.requester)

    def test_hit_fields_and_limit(self, desk, kb):
        found = suggest_articles("office wireless network laptop", user=desk.requester, limit=1)
        assert len(found) == 1
        hit = found[0]
        assert hit.title == kb["wifi"].title
        assert hit.summary == "Join the office Wi-Fi."
        assert hit.url.endswith(f"/{kb['wifi'].slug}/")
        assert "<mark>" in hit.snippet_html

    @pytest.mark.parametrize("text", ["", "   ", "the and of to", "((( ** ))) \x00", "🙂" * 100])
    def test_nothing_to_go_on_is_no_suggestion(self, desk, kb, text):
        assert suggest_articles(text, user=desk.requester) == []

    def test_a_very_long_description_is_fine(self, desk, kb):
        text = "wireless " + " ".join(f"word{i}" for i in range(20_000))
        found = suggest_articles(text, user=desk.requester)
        assert found[0].id == kb["wifi"].pk


class TestSimilarTickets:
    @pytest.fixture
    def history(self, desk):
        vpn = desk.ticket(subject="VPN drops every few minutes", description="Working from home")
        services.resolve(
            ticket=vpn, actor=desk.agent, resolution="Updated the VPN client; it stays connected."
        )
        vpn_elsewhere = desk.ticket(
            subject="VPN drops at night", description="VPN again", team=desk.other_team
        )
        services.resolve(ticket=vpn_elsewhere, actor=desk.other_agent, resolution="Other fix")
        still_open = desk.ticket(subject="VPN drops too", description="The VPN drops")
        printer = desk.ticket(subject="Printer jams", description="Paper stuck")
        services.resolve(ticket=printer, actor=desk.agent, resolution="Cleared the paper path")
        return {"vpn": vpn, "elsewhere": vpn_elsewhere, "open": still_open, "printer": printer}

    def test_finished_visible_tickets_like_this_one_with_their_resolution(self, desk, history):
        new = desk.ticket(
            subject="VPN keeps disconnecting",
            description="My VPN connection drops when I work from home",
        )
        found = similar_tickets(user=desk.agent, ticket=new)
        assert [t.id for t in found] == [history["vpn"].pk]
        assert found[0].resolution == "Updated the VPN client; it stays connected."
        assert found[0].resolved_at is not None
        assert found[0].status == Status.RESOLVED

    def test_other_teams_see_their_own(self, desk, history):
        new = desk.ticket(subject="VPN drops", description="VPN", team=desk.other_team)
        found = similar_tickets(user=desk.other_agent, ticket=new)
        assert [t.id for t in found] == [history["elsewhere"].pk]

    def test_latest_resolution_wins_and_closed_tickets_count(self, desk, history):
        vpn = history["vpn"]
        services.reopen(ticket=vpn, actor=desk.agent, reason="It drops again")
        services.resolve(ticket=vpn, actor=desk.agent, resolution="Replaced the home router")
        services.close(ticket=vpn, actor=desk.agent, reason="Confirmed by phone")
        new = desk.ticket(subject="VPN drops", description="From home")
        found = similar_tickets(user=desk.agent, ticket=new)
        assert found[0].id == vpn.pk
        assert found[0].resolution == "Replaced the home router"
        assert found[0].status == Status.CLOSED

    def test_a_ticket_the_user_may_not_see_has_no_similar_tickets(self, desk, history):
        new = desk.ticket(subject="VPN drops", description="From home", team=desk.other_team)
        assert similar_tickets(user=desk.agent, ticket=new) == []

    def test_requesters_see_only_their_own_past_tickets(self, desk, history):
        new = desk.ticket(subject="VPN drops", description="From home")
        found = similar_tickets(user=desk.requester, ticket=new)
        # Their own, whichever team worked them.
        assert {t.id for t in found} == {history["vpn"].pk, history["elsewhere"].pk}
        other = desk.ticket(subject="VPN drops", requester=desk.other_requester.contact)
        assert similar_tickets(user=desk.other_requester, ticket=other) == []

    def test_one_shared_word_is_not_similar(self, desk, history):
        one_word = desk.ticket(subject="Scanner jams", description="Since this morning")
        assert similar_tickets(user=desk.agent, ticket=one_word) == []
        two_words = desk.ticket(subject="Printer jams again", description="Since this morning")
        assert [t.id for t in similar_tickets(user=desk.agent, ticket=two_words)] == [
            history["printer"].pk
        ]
