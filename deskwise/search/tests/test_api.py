"""GET /api/v1/search and GET /api/v1/kb/suggest."""

from __future__ import annotations

import pytest
from django.test import Client
from ninja import NinjaAPI
from ninja.testing import TestClient

from deskwise.accounts.models import Contact
from deskwise.accounts.services import api_token_create
from deskwise.api.auth import TokenAuth
from deskwise.api.main import api as deskwise_api
from deskwise.core import clock
from deskwise.search.api import suggest_router
from deskwise.tickets import services

pytestmark = pytest.mark.django_db


def token(user) -> str:
    return api_token_create(user=user, name="test")[1]


def api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token(user)}")


def suggest(user, query: dict):
    """The suggest endpoint where the API mounts it, or on a stand-in API with
    the same authentication until it is mounted."""
    paths = deskwise_api.get_openapi_schema()["paths"]
    if "/api/v1/kb/suggest" in paths:
        response = api(user).get("/api/v1/kb/suggest", query)
        return response.status_code, response.json()
    stand_in = NinjaAPI(auth=TokenAuth(), urls_namespace="search-suggest-test")
    stand_in.add_router("/kb/suggest", suggest_router)
    answer = TestClient(stand_in).get(
        "/kb/suggest", query_params=query, headers={"Authorization": f"Bearer {token(user)}"}
    )
    return answer.status_code, answer.json()


@pytest.fixture
def data(desk, article):
    ticket = desk.ticket(subject="Monitor flickers", description="The monitor flickers a lot")
    services.add_note(ticket=ticket, actor=desk.agent, body="Monitor cable is loose")
    Contact.objects.create(
        name="Monica Monitor", email="monica@example.org", created_at=clock.now()
    )
    article("Monitor settings", "Set the monitor refresh rate.", summary="Refresh rates.")
    article("Monitor inventory", "Agents: the monitor stock list.", visibility="internal")
    return ticket


class TestSearch:
    def test_agent_finds_every_kind(self, desk, data):
        response = api(desk.agent).get("/api/v1/search", {"q": "monitor"})
        assert response.status_code == 200
        body = response.json()
        assert body["q"] == "monitor"
        assert body["kinds"] == ["tickets", "articles", "contacts"]
        kinds = [item["kind"] for item in body["items"]]
        assert kinds == ["ticket", "article", "article", "contact"]
        ticket = body["items"][0]
        assert ticket["id"] == data.pk
        assert ticket["reference"] == data.reference
        assert ticket["status"] == "new"
        assert ticket["url"] == data.desk_url
        assert "<mark>" in ticket["title_html"]
        assert ticket["rank"] > 0
        article = body["items"][1]
        assert article["visibility"] in {"public", "internal"}
        assert article["updated_at"]
        assert body["items"][3]["email"] == "monica@example.org"

    def test_requester_finds_own_tickets_and_public_articles(self, desk, data):
        body = api(desk.requester).get("/api/v1/search", {"q": "monitor"}).json()
        assert body["kinds"] == ["tickets", "articles"]
        assert [i["title"] for i in body["items"]] == ["Monitor flickers", "Monitor settings"]
        assert api(desk.requester).get("/api/v1/search", {"q": "cable"}).json()["items"] == []

    def test_kind_status_and_limit(self, desk, data):
        client = api(desk.agent)
        body = client.get("/api/v1/search", {"q": "monitor", "kind": ["articles"], "limit": 1})
        assert [i["kind"] for i in body.json()["items"]] == ["article"]
        body = client.get("/api/v1/search", {"q": "monitor", "status": "closed"}).json()
        assert "ticket" not in {i["kind"] for i in body["items"]}

    @pytest.mark.parametrize("q", ['"', "(((", "NEAR(", "a" * 10_000, "\x00", "🙂", ""])
    def test_hostile_queries_are_200(self, desk, data, q):
        assert api(desk.agent).get("/api/v1/search", {"q": q}).status_code == 200

    @pytest.mark.parametrize(
        "query", [{"limit": 0}, {"limit": 101}, {"kind": "nope"}, {"status": "x"}, {"qq": "a"}]
    )
    def test_bad_parameters_are_422(self, desk, query):
        response = api(desk.agent).get("/api/v1/search", query)
        assert response.status_code == 422
        assert response.json()["code"] == "invalid"

    def test_needs_a_token(self, desk):
        assert Client().get("/api/v1/search", {"q": "x"}).status_code == 401


class TestSuggest:
    def test_suggests_readable_articles(self, desk, data):
        status, body = suggest(desk.requester, {"q": "My monitor refresh rate looks wrong"})
        assert status == 200
        assert [i["title"] for i in body["items"]] == ["Monitor settings"]
        item = body["items"][0]
        assert item["url"] == "/kb/monitor-settings/"
        assert item["summary"] == "Refresh rates."
        status, body = suggest(desk.agent, {"q": "monitor stock", "limit": 5})
        assert body["items"][0]["title"] == "Monitor inventory"

    def test_bad_limit_is_422_and_no_token_is_401(self, desk, data):
        assert suggest(desk.agent, {"q": "monitor", "limit": 0})[0] == 422
        paths = deskwise_api.get_openapi_schema()["paths"]
        if "/api/v1/kb/suggest" in paths:
            assert Client().get("/api/v1/kb/suggest", {"q": "x"}).status_code == 401


def test_every_status_is_documented(desk):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    codes = set(paths["/api/v1/search"]["get"]["responses"])
    assert {"200", "401", "422"} <= codes
