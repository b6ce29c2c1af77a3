"""The search page for agents, requesters and visitors, and the suggestions partial."""

from __future__ import annotations

import pytest

from deskwise.tickets import services

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def data(desk, article):
    ticket = desk.ticket(subject="Scanner <b>offline</b>", description="The scanner shows E42")
    services.add_note(ticket=ticket, actor=desk.agent, body="Scanner firmware is beta")
    article("Scanner drivers", "Install the scanner driver.")
    article("Scanner admin console", "For agents: the scanner console.", visibility="internal")
    return ticket


class TestSearchPage:
    def test_agents_search_everything_in_the_desk_layout(self, desk, data, client_for):
        response = client_for(desk.agent).get("/search/", {"q": "scanner"})
        assert response.status_code == 200
        html = response.content.decode()
        assert "My queue" in html  # desk_base.html
        assert f'href="{data.desk_url}"' in html
        assert "<mark>Scanner</mark> &lt;b&gt;offline&lt;/b&gt;" in html
        assert "Scanner admin console" not in html  # marked, so split by <mark>
        assert "admin console" in html
        assert "internal" in html
        assert '<option value="contacts"' in html

    def test_requesters_search_their_requests_in_the_portal_layout(self, desk, data, client_for):
        html = client_for(desk.requester).get("/search/", {"q": "scanner"}).content.decode()
        assert "My requests" in html
        assert "My queue" not in html
        assert f'href="{data.portal_url}"' in html
        assert "admin console" not in html
        hidden = client_for(desk.requester).get("/search/", {"q": "firmware"}).content.decode()
        assert "Nothing matches" in hidden
        assert data.reference not in hidden
        assert '<option value="contacts"' not in html

    def test_the_kind_filter(self, desk, data, client_for):
        html = client_for(desk.agent).get("/search/", {"q": "scanner", "kind": "articles"})
        html = html.content.decode()
        assert "drivers" in html
        assert data.reference not in html
        # An unknown or forbidden kind falls back to everything allowed.
        html = client_for(desk.requester).get("/search/", {"q": "scanner", "kind": "contacts"})
        assert data.reference in html.content.decode()

    def test_htmx_gets_only_the_results(self, desk, data, client_for):
        response = client_for(desk.agent).get("/search/", {"q": "scanner"}, **HTMX)
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="results"')
        assert "<html" not in html

    def test_empty_and_hostile_queries(self, desk, data, client_for):
        client = client_for(desk.agent)
        assert "Type a few words" in client.get("/search/").content.decode()
        for q in ['"', "(((", "NEAR(", "\x00", "a" * 10_000, "🙂"]:
            assert client.get("/search/", {"q": q}).status_code == 200
        assert "Nothing matches" in client.get("/search/", {"q": "zebra"}).content.decode()

    def test_visitors_find_public_articles_when_the_kb_is_public(
        self, desk, data, client_for, settings
    ):
        settings.DESKWISE_KB_PUBLIC = True
        response = client_for(None).get("/search/", {"q": "scanner"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "drivers" in html
        assert data.reference not in html
        assert "admin console" not in html
        settings.DESKWISE_KB_PUBLIC = False
        response = client_for(None).get("/search/", {"q": "scanner"})
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_only_get(self, desk, client_for):
        assert client_for(desk.agent).post("/search/").status_code == 405


class TestSuggestPartial:
    def test_lists_article_links(self, desk, data, client_for):
        response = client_for(desk.requester).get(
            "/search/suggest/", {"q": "my scanner needs a driver"}, **HTMX
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="kb-suggestions' in html
        # The link carries the question, so a "yes" on the article is a deflection.
        assert 'href="/kb/scanner-drivers/?q=my%20scanner%20needs%20a%20driver"' in html
        assert "admin console" not in html
        assert "This solved it" not in html  # outside the request form

    def test_reads_the_request_form_fields_and_offers_this_solved_it(self, desk, data, client_for):
        response = client_for(desk.requester).get(
            "/search/suggest/", {"subject": "Scanner", "description": "need a driver"}
        )
        html = response.content.decode()
        assert 'href="/kb/scanner-drivers/?q=Scanner%20need%20a%20driver"' in html
        assert 'formaction="/kb/scanner-drivers/solved/"' in html
        assert "This solved it" in html

    def test_nothing_to_suggest_is_an_empty_200(self, desk, data, client_for, settings):
        response = client_for(desk.requester).get("/search/suggest/", {"q": "zebra"})
        assert response.status_code == 200
        assert response.content.strip() == b""
        settings.DESKWISE_KB_PUBLIC = False
        response = client_for(None).get("/search/suggest/", {"q": "scanner driver"})
        assert response.status_code == 200
        assert response.content.strip() == b""


class TestThisSolvedIt:
    """The portal's request form, its suggestions and "This solved it", end to end."""

    def test_the_request_ends_without_a_ticket_and_counts(self, desk, data, client_for):
        from deskwise.kb.models import Article, Deflection
        from deskwise.tickets.models import Ticket

        client = client_for(desk.requester)
        form = client.get("/portal/new/").content.decode()
        assert 'hx-get="/search/suggest/"' in form
        tickets = Ticket.objects.count()
        response = client.post(
            "/kb/scanner-drivers/solved/",
            {"subject": "Scanner", "description": "It needs a driver\x00 & more"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "no request was sent" in html
        assert "/portal/new/?subject=Scanner&amp;description=It+needs+a+driver" in html
        assert Ticket.objects.count() == tickets
        (deflection,) = Deflection.objects.all()
        assert deflection.contact == desk.requester.contact
        assert deflection.query == "Scanner\nIt needs a driver & more"
        article = Article.objects.get(slug="scanner-drivers")
        assert (article.deflections, article.helpful) == (1, 1)

    def test_internal_articles_and_gets_are_refused(self, desk, data, client_for):
        client = client_for(desk.requester)
        assert client.post("/kb/scanner-admin-console/solved/", {}).status_code == 404
        assert client.get("/kb/scanner-drivers/solved/").status_code == 405

    def test_visitors_solve_when_the_kb_is_public(self, desk, data, client_for, settings):
        from deskwise.kb.models import Deflection

        settings.DESKWISE_KB_PUBLIC = True
        response = client_for(None).post("/kb/scanner-drivers/solved/", {"subject": "x" * 9000})
        assert response.status_code == 200
        assert Deflection.objects.get().contact is None
        settings.DESKWISE_KB_PUBLIC = False
        response = client_for(None).post("/kb/scanner-drivers/solved/", {"subject": "x"})
        assert response.status_code == 302


class TestSearchBox:
    def test_every_page_has_one_for_who_may_search(self, desk, client_for, settings):
        box = 'role="search" method="get" action="/search/"'
        assert box in client_for(desk.agent).get("/desk/").content.decode()
        assert box in client_for(desk.requester).get("/portal/").content.decode()
        settings.DESKWISE_KB_PUBLIC = True
        assert box in client_for(None).get("/kb/").content.decode()
        settings.DESKWISE_KB_PUBLIC = False
        assert box not in client_for(None).get("/login/").content.decode()
