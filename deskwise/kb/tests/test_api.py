from __future__ import annotations

import json

import pytest
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.kb import services
from deskwise.kb.models import Article

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def send(client: Client, method: str, url: str, body: object):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


class TestRead:
    def test_list_with_filters_and_pages(self, desk, make_article, internal_article):
        accounts = services.section_get_or_create(actor=desk.agent, name="Accounts")
        make_article(title="Reset your password", section=accounts, tags=["passwords"])
        make_article(title="Printer jams", tags=["printing"])
        agent = api(desk.agent)
        body = agent.get("/api/v1/kb/articles").json()
        titles = [a["title"] for a in body["items"]]
        assert titles == ["Printer jams", "Reset your password", "Restart the licence server"]
        assert body["next_cursor"] is None
        first = body["items"][1]
        assert first["section"] == {"id": accounts.pk, "name": "Accounts", "slug": "accounts"}
        assert first["url"] == "/kb/reset-your-password/"
        assert "body" not in first
        assert [
            a["title"] for a in agent.get("/api/v1/kb/articles?section=accounts").json()["items"]
        ] == ["Reset your password"]
        assert [
            a["title"] for a in agent.get("/api/v1/kb/articles?tag=printing").json()["items"]
        ] == ["Printer jams"]
        internal = agent.get("/api/v1/kb/articles?visibility=internal").json()["items"]
        assert [a["title"] for a in internal] == ["Restart the licence server"]
        page = agent.get("/api/v1/kb/articles?limit=2").json()
        rest = agent.get(f"/api/v1/kb/articles?limit=2&cursor={page['next_cursor']}").json()
        assert len(page["items"]) == 2
        assert len(rest["items"]) == 1

    def test_requesters_see_public_articles_only(self, desk, public_article, internal_article):
        requester = api(desk.requester)
        items = requester.get("/api/v1/kb/articles").json()["items"]
        assert [a["id"] for a in items] == [public_article.pk]
        assert requester.get("/api/v1/kb/articles?visibility=internal").json()["items"] == []
        assert requester.get(f"/api/v1/kb/articles/{internal_article.pk}").status_code == 404
        one = requester.get(f"/api/v1/kb/articles/{public_article.pk}").json()
        assert one["body"].startswith("Install the client.")
        assert '<h2 id="kb-windows">' in one["body_html"]

    def test_errors_are_documented_shapes(self, desk):
        agent = api(desk.agent)
        response = agent.get("/api/v1/kb/articles/999")
        assert response.status_code == 404
        assert set(response.json()) == {"code", "message", "fields"}
        assert agent.get("/api/v1/kb/articles?cursor=zzz").status_code == 404
        assert agent.get("/api/v1/kb/articles?q=a%00b").status_code == 422
        assert agent.get("/api/v1/kb/articles?colour=red").status_code == 422
        assert Client().get("/api/v1/kb/articles").status_code == 401


class TestWrite:
    def test_agent_creates_and_patches(self, desk):
        accounts = services.section_get_or_create(actor=desk.agent, name="Accounts")
        agent = api(desk.agent)
        response = send(
            agent,
            "post",
            "/api/v1/kb/articles",
            {
                "title": "Unlock your account",
                "body": "Wait 15 minutes.",
                "section_id": accounts.pk,
                "tags": ["Accounts"],
                "visibility": "public",
                "review_at": "2031-01-02",
            },
        )
        assert response.status_code == 201, response.content
        created = response.json()
        assert created["slug"] == "unlock-your-account"
        assert created["version"] == 1
        assert created["tags"] == ["accounts"]
        assert created["owner"]["id"] == desk.agent.pk
        url = f"/api/v1/kb/articles/{created['id']}"
        patched = send(agent, "patch", url, {"body": "Wait 30 minutes.", "note": "Policy"}).json()
        assert patched["version"] == 2
        assert patched["title"] == "Unlock your account"
        assert patched["section"]["id"] == accounts.pk
        assert patched["review_at"] == "2031-01-02"
        cleared = send(agent, "patch", url, {"section_id": None, "review_at": None}).json()
        assert cleared["section"] is None
        assert cleared["review_at"] is None
        assert Article.objects.get().versions.count() == 3

    def test_requesters_may_not_write(self, desk, public_article):
        requester = api(desk.requester)
        body = {"title": "Mine", "body": "x", "visibility": "public"}
        response = send(requester, "post", "/api/v1/kb/articles", body)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        url = f"/api/v1/kb/articles/{public_article.pk}"
        assert send(requester, "patch", url, {"title": "Hijacked"}).status_code == 403
        public_article.refresh_from_db()
        assert public_article.title == "Connect to the VPN"

    def test_invalid_input(self, desk):
        agent = api(desk.agent)
        bad = [
            {"title": "", "body": "x", "visibility": "public"},
            {"title": "T", "body": "x", "visibility": "secret"},
            {"title": "T", "body": "x"},
            {"title": "T", "body": "x", "visibility": "public", "is_tip": "yes"},
        ]
        for body in bad:
            assert send(agent, "post", "/api/v1/kb/articles", body).status_code == 422, body
        missing = {"title": "T", "body": "x", "visibility": "public", "section_id": 999}
        response = send(agent, "post", "/api/v1/kb/articles", missing)
        assert response.status_code == 404
        assert response.json()["fields"] == {"section_id": ["No such section."]}


class TestVote:
    def test_vote_and_change_it(self, desk, public_article):
        url = f"/api/v1/kb/articles/{public_article.pk}/vote"
        requester = api(desk.requester)
        assert send(requester, "post", url, {"helpful": True}).json() == {
            "article_id": public_article.pk,
            "helpful": True,
            "helpful_count": 1,
            "unhelpful_count": 0,
        }
        changed = send(requester, "post", url, {"helpful": False}).json()
        assert (changed["helpful_count"], changed["unhelpful_count"]) == (0, 1)
        assert send(requester, "post", url, {"helpful": "no"}).status_code == 422

    def test_a_yes_with_the_question_is_a_deflection(self, desk, public_article):
        from deskwise.kb.models import Deflection

        url = f"/api/v1/kb/articles/{public_article.pk}/vote"
        body = {"helpful": True, "query": "my vpn keeps dropping"}
        assert send(api(desk.requester), "post", url, body).status_code == 200
        (deflection,) = Deflection.objects.all()
        assert (deflection.article, deflection.query) == (public_article, body["query"])
        too_long = {"helpful": True, "query": "x" * 5000}
        assert send(api(desk.requester), "post", url, too_long).status_code == 422

    def test_no_voting_on_what_you_cannot_read(self, desk, internal_article):
        url = f"/api/v1/kb/articles/{internal_article.pk}/vote"
        assert send(api(desk.requester), "post", url, {"helpful": True}).status_code == 404
