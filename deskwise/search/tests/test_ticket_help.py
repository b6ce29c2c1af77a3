"""What the knowledge base offers an agent working a ticket: articles to link
in a reply or a decline, a bonus tip when resolving, and similar past tickets."""

from __future__ import annotations

import pytest
from django.core import mail

from deskwise.outcomes.models import Decision, DecisionReason
from deskwise.search.selectors import articles_for_ticket, tips_for_ticket
from deskwise.tickets import services
from deskwise.tickets.choices import EventKind, Status

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def kb(article):
    return {
        "vpn": article(
            "VPN from home",
            "The VPN lets you reach internal systems from home. Install the client.",
            summary="Reach the office from home.",
        ),
        "printer": article("Add the floor printer", "Install the printer driver."),
        "internal": article(
            "VPN concentrator restart", "Restart the VPN concentrator.", visibility="internal"
        ),
        "tip": article(
            "Save your VPN password in the client",
            "Tick 'remember me' so the VPN reconnects by itself.",
            summary="The VPN reconnects without asking.",
            is_tip=True,
        ),
        "other_tip": article("Lock your screen", "Press Win+L when you leave.", is_tip=True),
        "internal_tip": article(
            "VPN logs", "Where the VPN logs are.", visibility="internal", is_tip=True
        ),
    }


@pytest.fixture
def ticket(desk):
    return desk.ticket(subject="VPN will not connect", description="From home the VPN fails")


class TestSelectors:
    def test_articles_for_a_ticket_are_public_ones_for_agents(self, desk, kb, ticket):
        found = [a.slug for a in articles_for_ticket(user=desk.agent, ticket=ticket)]
        assert found[0] == "vpn-from-home"
        assert "vpn-concentrator-restart" not in found  # internal: the requester can't open it
        assert "vpn-logs" not in found
        assert articles_for_ticket(user=desk.requester, ticket=ticket) == []
        hidden = desk.ticket(subject="VPN fails", team=desk.other_team)
        assert articles_for_ticket(user=desk.agent, ticket=hidden) == []

    def test_tips_are_public_tips_about_the_ticket(self, desk, kb, ticket):
        tips = [a.slug for a in tips_for_ticket(user=desk.agent, ticket=ticket)]
        assert tips == ["save-your-vpn-password-in-the-client"]
        unrelated = desk.ticket(subject="Kettle broken", description="No tea")
        assert tips_for_ticket(user=desk.agent, ticket=unrelated) == []
        assert tips_for_ticket(user=desk.requester, ticket=ticket) == []


class TestReplyBox:
    def test_the_ticket_page_loads_the_suggestions_lazily(self, desk, kb, ticket, client_for):
        html = client_for(desk.agent).get(ticket.desk_url).content.decode()
        assert f'hx-get="/search/tickets/{ticket.pk}/articles/"' in html
        assert f'hx-get="/search/tickets/{ticket.pk}/similar/"' in html
        assert 'id="reply-form"' in html

    def test_the_partial_offers_insertable_links(self, desk, kb, ticket, client_for):
        response = client_for(desk.agent).get(f"/search/tickets/{ticket.pk}/articles/", **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert "VPN from home" in html
        assert f"/desk/tickets/{ticket.pk}/reply/?article={kb['vpn'].pk}" in html
        assert 'hx-include="#reply-form [name=body]"' in html
        assert "concentrator" not in html

    def test_inserting_keeps_what_was_written(self, desk, kb, ticket, client_for, settings):
        client = client_for(desk.agent)
        url = f"/desk/tickets/{ticket.pk}/reply/"
        response = client.get(url, {"article": kb["vpn"].pk, "body": "Hello Sam,"}, **HTMX)
        html = response.content.decode()
        assert html.lstrip().startswith('<form id="reply-form"')
        line = f"VPN from home: {settings.BASE_URL}/kb/vpn-from-home/"
        assert f"Hello Sam,\n\n{line}</textarea>" in html
        # Twice is once; an internal article is not inserted at all.
        again = client.get(url, {"article": kb["vpn"].pk, "body": f"Hi\n\n{line}"}, **HTMX)
        assert again.content.decode().count(line) == 1
        internal = client.get(url, {"article": kb["internal"].pk, "body": "Hi"}, **HTMX)
        assert "concentrator" not in internal.content.decode()
        assert ">\nHi</textarea>" in internal.content.decode()

    def test_other_teams_tickets_are_404(self, desk, kb, ticket, client_for):
        hidden = desk.ticket(subject="VPN fails", team=desk.other_team)
        client = client_for(desk.agent)
        assert client.get(f"/search/tickets/{hidden.pk}/articles/").status_code == 404
        assert client.get(f"/search/tickets/{hidden.pk}/similar/").status_code == 404
        requester = client_for(desk.requester)
        assert requester.get(f"/search/tickets/{ticket.pk}/articles/").status_code == 404


class TestSimilarPanel:
    def test_lists_finished_tickets_and_their_resolution(self, desk, kb, ticket, client_for):
        old = desk.ticket(subject="VPN fails from home", description="The VPN will not connect")
        services.resolve(ticket=old, actor=desk.agent, resolution="Reinstalled the VPN client")
        html = client_for(desk.agent).get(f"/search/tickets/{ticket.pk}/similar/").content.decode()
        assert "Similar past tickets" in html
        assert old.reference in html
        assert "Reinstalled the VPN client" in html

    def test_nothing_similar_is_empty(self, desk, ticket, client_for):
        response = client_for(desk.agent).get(f"/search/tickets/{ticket.pk}/similar/")
        assert response.status_code == 200
        assert response.content.strip() == b""


class TestResolutionTip:
    def test_the_resolve_form_offers_the_tips_and_sends_the_chosen_one(
        self, desk, kb, ticket, client_for, settings, run_tasks
    ):
        client = client_for(desk.agent)
        form = client.get(f"/desk/tickets/{ticket.pk}/resolve/", **HTMX).content.decode()
        assert "Add a bonus tip" in form
        assert "Save your VPN password in the client" in form
        assert "Lock your screen" not in form  # not about this ticket
        mail.outbox.clear()
        with run_tasks():
            response = client.post(
                f"/desk/tickets/{ticket.pk}/resolve/",
                {"resolution": "Reset your VPN profile.", "tip": kb["tip"].pk},
            )
        assert response.status_code == 302
        ticket.refresh_from_db()
        assert ticket.status == Status.RESOLVED
        event = ticket.events.get(kind=EventKind.RESOLUTION)
        assert event.body_text == "Reset your VPN profile."
        url = f"{settings.BASE_URL}/kb/save-your-vpn-password-in-the-client/"
        assert event.data["tip"] == {
            "article": kb["tip"].pk,
            "title": "Save your VPN password in the client",
            "url": url,
            "summary": "The VPN reconnects without asking.",
        }
        (sent,) = mail.outbox
        assert "A bonus tip: Save your VPN password in the client" in sent.body
        assert url in sent.body
        html = str(sent.alternatives[0][0])  # type: ignore[attr-defined]
        assert f'<a href="{url}">Save your VPN password in the client</a>' in html
        portal = client_for(desk.requester).get(ticket.portal_url).content.decode()
        assert f'A bonus tip: <a href="{url}">Save your VPN password in the client</a>' in portal

    def test_no_tip_is_the_default_and_internal_tips_are_refused(
        self, desk, kb, ticket, client_for, run_tasks
    ):
        client = client_for(desk.agent)
        refused = client.post(
            f"/desk/tickets/{ticket.pk}/resolve/",
            {"resolution": "Done.", "tip": kb["internal_tip"].pk},
        )
        assert refused.status_code == 422
        ticket.refresh_from_db()
        assert ticket.status != Status.RESOLVED
        mail.outbox.clear()
        with run_tasks():
            client.post(f"/desk/tickets/{ticket.pk}/resolve/", {"resolution": "Done."})
        event = ticket.events.get(kind=EventKind.RESOLUTION)
        assert "tip" not in event.data
        assert "bonus tip" not in mail.outbox[0].body

    def test_no_tips_no_field(self, desk, ticket, client_for):
        form = client_for(desk.agent).get(f"/desk/tickets/{ticket.pk}/resolve/", **HTMX)
        assert "bonus tip" not in form.content.decode()


class TestDeclineDialog:
    def test_ticked_articles_become_alternatives_with_links(
        self, desk, kb, ticket, client_for, settings
    ):
        client = client_for(desk.agent)
        url = f"/desk/tickets/{ticket.pk}/decide/decline/"
        html = client.get(url).content.decode()
        assert "Articles that may help" in html
        assert f'value="{kb["vpn"].pk}"' in html
        assert "concentrator" not in html
        reason = DecisionReason.objects.exclude(applies_to="defer").first()
        form = {
            "reason": reason.pk,
            "articles": [kb["vpn"].pk],
            "alternatives": "",
            "message": "",
            "preview": "1",
        }
        preview = client.post(url, form).content.decode()
        link = f"{settings.BASE_URL}/kb/vpn-from-home/"
        assert f"- VPN from home: {link}" in preview
        assert "checked" in preview
        form.pop("preview")
        sent = client.post(url, {**form, "send": "1", "message": f"Sorry. See {link}"})
        assert sent.status_code == 302, sent.content.decode()[:2000]
        decision = Decision.objects.get(ticket=ticket)
        assert {"kind": "article", "label": "VPN from home", "url": link} in decision.alternatives

    def test_a_private_article_cannot_be_offered(self, desk, kb, ticket, client_for):
        reason = DecisionReason.objects.exclude(applies_to="defer").first()
        response = client_for(desk.agent).post(
            f"/desk/tickets/{ticket.pk}/decide/decline/",
            {"reason": reason.pk, "articles": [kb["internal"].pk], "message": "No.", "send": "1"},
        )
        assert response.status_code == 422
        assert not Decision.objects.filter(ticket=ticket).exists()


class TestQueryBudgets:
    """The panels' queries do not grow with the articles or past tickets found."""

    def test_partials_and_the_resolve_form(self, desk, kb, ticket, article, client_for):
        from deskwise.tickets.tests.test_query_counts import grows, queries

        client = client_for(desk.agent)
        made = iter(range(1000))

        def more() -> None:
            for _ in range(6):
                i = next(made)
                article(f"VPN guide {i}", "VPN from home, client install.", is_tip=True)
                old = desk.ticket(subject=f"VPN fails {i}", description="VPN from home")
                services.resolve(ticket=old, actor=desk.agent, resolution=f"Fixed {i}")

        from django.db import connection

        # (SQLite, PostgreSQL): PostgreSQL's search also sets planner settings in
        # a savepoint and asks the planner how common the words are.
        urls = {
            f"/search/tickets/{ticket.pk}/articles/": (7, 10),
            f"/search/tickets/{ticket.pk}/similar/": (10, 15),
            f"/desk/tickets/{ticket.pk}/resolve/": (8, 11),
        }
        on_postgres = connection.vendor == "postgresql"
        for url, (sqlite_budget, postgres_budget) in urls.items():
            budget = postgres_budget if on_postgres else sqlite_budget
            small, large = grows(lambda url=url: queries(client, url, **HTMX), more)
            assert small == large <= budget, url
