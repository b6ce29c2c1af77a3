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
        assert 'href="/kb/scanner-drivers/"' in html
        assert "admin console" not in html

    def test_reads_the_request_form_fields(self, desk, data, client_for):
        response = client_for(desk.requester).get(
            "/search/suggest/", {"subject": "Scanner", "description": "need a driver"}
        )
        assert 'href="/kb/scanner-drivers/"' in response.content.decode()

    def test_nothing_to_suggest_is_an_empty_200(self, desk, data, client_for, settings):
        response = client_for(desk.requester).get("/search/suggest/", {"q": "zebra"})
        assert response.status_code == 200
        assert response.content.strip() == b""
        settings.DESKWISE_KB_PUBLIC = False
        response = client_for(None).get("/search/suggest/", {"q": "scanner driver"})
        assert response.status_code == 200
        assert response.content.strip() == b""
