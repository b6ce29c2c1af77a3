"""Problems over the API: the same services and rules, as JSON; bad input is
a 422 with a message, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from deskwise.core import clock
from deskwise.problems.models import Problem, ProblemIncident
from deskwise.problems.tests.conftest import NOW
from deskwise.problems.tests.test_selectors import PRINTER, VPN
from deskwise.tickets.choices import EventKind
from deskwise.tickets.tests.test_api import api, post

pytestmark = pytest.mark.django_db

NEW = {"title": "Wi-Fi drops", "symptoms": "People lose the Wi-Fi in the meeting rooms."}


def patch(client, url: str, body: object):
    return client.patch(url, json.dumps(body), content_type="application/json")


class TestCrud:
    def test_create_read_change(self, desk):
        client = api(desk.agent)
        ticket = desk.ticket()
        response = post(client, "/api/v1/problems", {**NEW, "incident_ids": [ticket.pk]})
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["reference"] == f"PRB-{body['id']}"
        assert body["status"] == "investigating"
        assert body["team"] == {"id": desk.team.pk, "name": "Service Desk"}
        assert body["incident_count"] == 1
        assert body["incidents"][0]["reference"] == ticket.reference
        assert body["history"][0]["kind"] == "linked"
        url = f"/api/v1/problems/{body['id']}"
        assert client.get(url).json()["title"] == "Wi-Fi drops"
        response = patch(client, url, {"status": "known_error"})
        assert response.status_code == 422
        assert response.json()["message"].startswith("A known error has a root cause")
        assert set(response.json()["fields"]) == {"root_cause", "workaround"}
        response = patch(
            client,
            url,
            {"status": "known_error", "root_cause": "A failing AP.", "workaround": "Use a cable."},
        )
        assert response.status_code == 200, response.content
        changed = response.json()
        assert changed["status"] == "known_error"
        assert changed["history"][0]["data"]["status"] == {
            "from": "investigating",
            "to": "known_error",
        }
        response = patch(client, url, {"status": "known_error"})
        assert response.status_code == 409
        response = patch(client, url, {"owner_id": desk.agent.pk})
        assert response.json()["owner"]["id"] == desk.agent.pk
        response = patch(client, url, {"owner_id": None})
        assert response.json()["owner"] is None

    def test_list_search_status_and_pages(self, desk, problem, known_error):
        vpn = known_error()
        printer = problem(title="Printer jams", symptoms="Paper stuck")
        client = api(desk.agent)
        found = client.get("/api/v1/problems?status=known_error&q=vpn home").json()
        assert [p["id"] for p in found["items"]] == [vpn.pk]
        first = client.get("/api/v1/problems?limit=1").json()
        assert [p["id"] for p in first["items"]] == [printer.pk]
        second = client.get(f"/api/v1/problems?limit=1&cursor={first['next_cursor']}").json()
        assert [p["id"] for p in second["items"]] == [vpn.pk]
        assert second["next_cursor"] is None

    def test_another_team_is_403_for_a_new_problem(self, desk):
        response = post(api(desk.agent), "/api/v1/problems", {**NEW, "team_id": desk.other_team.pk})
        assert response.status_code == 403
        assert "Infrastructure is not one of them" in response.json()["message"]
        response = post(api(desk.agent), "/api/v1/problems", {**NEW, "team_id": 999_999})
        assert response.status_code == 404
        assert response.json()["fields"] == {"team_id": ["No such team."]}


class TestWhoMay:
    def test_requesters_get_404_everywhere(self, desk, problem):
        made = problem()
        ticket = desk.ticket()
        client = api(desk.requester)
        for url in (
            "/api/v1/problems",
            f"/api/v1/problems/{made.pk}",
            "/api/v1/problems/recurring",
            f"/api/v1/problems/for-ticket/{ticket.pk}",
        ):
            response = client.get(url)
            assert response.status_code == 404, url
            assert response.json()["code"] == "not_found"
        assert post(client, "/api/v1/problems", NEW).status_code == 404
        assert patch(client, f"/api/v1/problems/{made.pk}", {"title": "Mine"}).status_code == 404
        link = post(client, f"/api/v1/problems/{made.pk}/incidents", {"ticket_id": ticket.pk})
        assert link.status_code == 404
        assert client.delete(f"/api/v1/problems/{made.pk}/incidents/{ticket.pk}").status_code == 404
        assert not Problem.objects.exclude(pk=made.pk).exists()

    def test_other_teams_problems_are_404(self, desk, problem):
        made = problem()
        client = api(desk.other_agent)
        assert client.get(f"/api/v1/problems/{made.pk}").status_code == 404
        assert patch(client, f"/api/v1/problems/{made.pk}", {"title": "x"}).status_code == 404
        assert client.get("/api/v1/problems").json()["items"] == []
        assert api(desk.supervisor).get(f"/api/v1/problems/{made.pk}").status_code == 200


class TestLinks:
    def test_link_once_then_unlink(self, desk, problem):
        made = problem()
        other = problem(title="Another")
        ticket = desk.ticket()
        client = api(desk.agent)
        url = f"/api/v1/problems/{made.pk}/incidents"
        response = post(client, url, {"ticket_id": ticket.pk})
        assert response.status_code == 201, response.content
        assert response.json()["reference"] == ticket.reference
        assert ticket.events.filter(kind=EventKind.PROBLEM, visibility="internal").exists()
        again = post(client, f"/api/v1/problems/{other.pk}/incidents", {"ticket_id": ticket.pk})
        assert again.status_code == 409
        assert "a ticket has one problem" in again.json()["message"]
        response = client.delete(f"{url}/{ticket.pk}")
        assert response.status_code == 204
        assert response.content == b""
        assert not ProblemIncident.objects.exists()
        assert client.delete(f"{url}/{ticket.pk}").status_code == 404
        hidden = desk.ticket(team=desk.other_team)
        response = post(client, url, {"ticket_id": hidden.pk})
        assert response.status_code == 404
        assert response.json()["fields"] == {"ticket_id": ["No such ticket."]}

    def test_root_cause_and_the_ticket_view(self, desk, network, incident, settings):
        for d in (3, 2, 1):
            incident(*VPN, category=network, days_ago=d)
        client = api(desk.agent)
        with clock.frozen_at(NOW):
            ticket = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            view = client.get(f"/api/v1/problems/for-ticket/{ticket.pk}").json()
            assert view["needs_root_cause"] is True
            assert len(view["similar_incidents"]) == 3
            response = post(
                client,
                "/api/v1/problems/root-causes",
                {
                    "ticket_id": ticket.pk,
                    "root_cause": "Idle sessions are dropped.",
                    "create_problem": True,
                    "link_similar": True,
                    "workaround": "Keep alive.",
                },
            )
            assert response.status_code == 201, response.content
            made = response.json()["problem"]
            assert made["status"] == "known_error"
            assert made["incident_count"] == 4
            view = client.get(f"/api/v1/problems/for-ticket/{ticket.pk}").json()
            assert view["problem"]["id"] == made["id"]
            assert view["needs_root_cause"] is False
            again = post(
                client, "/api/v1/problems/root-causes", {"ticket_id": ticket.pk, "root_cause": "x"}
            )
            assert again.status_code == 409


class TestRecurring:
    def test_proposals_become_problems(self, desk, printing, incident):
        jams = [
            incident(s, d, category=printing, days_ago=i + 1) for i, (s, d) in enumerate(PRINTER)
        ]
        client = api(desk.agent)
        with clock.frozen_at(NOW):
            body = client.get("/api/v1/problems/recurring").json()
            [proposal] = body["proposals"]
            assert proposal["category"] == {"id": printing.pk, "name": "Printing"}
            assert proposal["incident_ids"] == [t.pk for t in jams]
            response = post(
                client,
                "/api/v1/problems",
                {
                    "title": proposal["title"],
                    "symptoms": proposal["symptoms"],
                    "incident_ids": proposal["incident_ids"],
                },
            )
            assert response.status_code == 201
            assert client.get("/api/v1/problems/recurring").json()["proposals"] == []
        assert client.get("/api/v1/problems/recurring?days=0").status_code == 422


class TestBadInput:
    @pytest.mark.parametrize(
        "body",
        [
            {**NEW, "title": "Wi\x00Fi"},
            {**NEW, "symptoms": "It\x00drops"},
            {**NEW, "title": "x" * 10_000},
            {**NEW, "symptoms": "x" * 10_000},
            {**NEW, "workaround": "x" * 10_000},
            {**NEW, "status": "solved"},
            {**NEW, "status": None},
            {"title": "Only a title"},
            {**NEW, "incident_ids": ["1"]},
            {**NEW, "incident_ids": list(range(1, 202))},
            {**NEW, "team_id": True},
        ],
    )
    def test_a_refused_body_is_422_with_a_message(self, desk, body):
        response = post(api(desk.agent), "/api/v1/problems", body)
        assert response.status_code == 422, response.content
        assert response.json()["code"] == "invalid"
        assert response.json()["message"].startswith("The request is not valid.")
        assert not Problem.objects.exists()

    @pytest.mark.parametrize(
        "query", ["status=solved", "q=%00", "q=" + "x" * 10_000, "limit=0", "nonsense=1"]
    )
    def test_a_refused_query_is_422(self, desk, query):
        response = api(desk.agent).get(f"/api/v1/problems?{query}")
        assert response.status_code == 422, response.content
        assert response.json()["message"]

    def test_patch_refuses_the_same(self, desk, problem):
        made = problem()
        client = api(desk.agent)
        for body in ({"title": "a\x00b"}, {"symptoms": "x" * 10_000}, {"status": "solved"}):
            response = patch(client, f"/api/v1/problems/{made.pk}", body)
            assert response.status_code == 422, body
        assert post(client, "/api/v1/problems", []).status_code == 400


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "status": "known_error", "root_cause": "A failing AP."}, "workaround"),
        ({**NEW, "status": "known_error", "workaround": "Cable"}, "root_cause"),
        ({**NEW, "status": "known_error", "root_cause": " ", "workaround": "Cable"}, "root_cause"),
        ({**NEW, "status": "fixed"}, "permanent_fix"),
    ],
)
def test_the_status_rules_are_in_the_schema(desk, body, field):
    response = post(api(desk.agent), "/api/v1/problems", body)
    assert response.status_code == 422
    assert any(name.endswith(field) for name in response.json()["fields"]), response.json()
    assert not Problem.objects.exists()
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(schema["NewKnownError"]["required"]) >= {"root_cause", "workaround", "status"}
    assert "permanent_fix" in schema["NewFixed"]["required"]


def test_the_schemas_do_not_replace_other_apps_schemas():
    """The OpenAPI document names schemas by class: one name, one shape."""
    from deskwise.api.main import api as ninja_api

    schemas = ninja_api.get_openapi_schema()["components"]["schemas"]
    assert "confidence" in schemas["ProposalOut"]["properties"]  # the tickets' triage proposal
    assert "incident_ids" in schemas["RecurringProposalOut"]["properties"]
