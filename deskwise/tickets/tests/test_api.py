from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.tickets import services
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


class TestAuthentication:
    def test_missing_or_wrong_token_is_401_json(self, desk):
        for headers in (
            {},
            {"HTTP_AUTHORIZATION": "Bearer dw_nope"},
            {"HTTP_AUTHORIZATION": "Basic x"},
        ):
            response = Client().get("/api/v1/tickets", **headers)
            assert response.status_code == 401
            body = response.json()
            assert body["code"] == "unauthenticated"
            assert set(body) == {"code", "message", "fields"}
            assert response["WWW-Authenticate"].startswith("Bearer")

    def test_tokens_are_hashed_and_can_be_revoked(self, desk):
        from deskwise.accounts.services import api_token_revoke

        token, raw = api_token_create(user=desk.agent, name="ci")
        assert raw not in token.token_hash
        assert len(token.token_hash) == 64
        client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert client.get("/api/v1/me").json()["username"] == "agent"
        api_token_revoke(token=token)
        assert client.get("/api/v1/me").status_code == 401

    def test_session_cookies_do_not_authenticate_the_api(self, desk):
        client = Client()
        client.force_login(desk.agent)
        assert client.get("/api/v1/tickets").status_code == 401


class TestTickets:
    def test_agent_opens_a_ticket_for_a_requester(self, desk, run_tasks):
        with run_tasks():
            response = post(
                api(desk.agent),
                "/api/v1/tickets",
                {
                    "subject": "Laptop won't boot",
                    "description": "Black screen.",
                    "requester_email": "New.Person@Example.com",
                    "requester_name": "New Person",
                    "impact": "team",
                    "urgency": "blocked",
                },
            )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["reference"] == f"DW-{body['id']}"
        assert body["priority"] == 2
        assert body["channel"] == "api"
        assert body["requester"]["email"] == "new.person@example.com"
        assert mail.outbox[-1].to == ["new.person@example.com"]

    def test_without_a_requester_an_agent_asks_for_themselves(self, desk):
        response = post(api(desk.agent), "/api/v1/tickets", {"subject": "s", "description": "d"})
        assert response.status_code == 201
        assert response.json()["requester"]["email"] == desk.agent.email

    def test_requester_opens_for_themselves_only(self, desk):
        client = api(desk.requester)
        ok = post(client, "/api/v1/tickets", {"subject": "Printer", "description": "Jams."})
        assert ok.status_code == 201
        assert ok.json()["requester"]["email"] == desk.requester.email
        other = post(
            client,
            "/api/v1/tickets",
            {
                "subject": "x",
                "description": "y",
                "requester_email": desk.other_requester.email,
            },
        )
        assert other.status_code == 403

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"subject": "", "description": "d"}, "subject"),
            ({"subject": "a\u0000b", "description": "d"}, "subject"),
            ({"subject": "s", "description": "\ud800"}, "description"),
            ({"subject": "x" * 201, "description": "d"}, "subject"),
            ({"subject": "s", "description": "d", "impact": "everyone"}, "impact"),
            ({"subject": "s", "description": "d", "team_id": True}, "team_id"),
            ({"subject": "s", "description": "d", "team_id": "1"}, "team_id"),
            ({"subject": "  ", "description": "d"}, "subject"),
            ({"subject": "s", "description": "d", "requester_email": "nope"}, "requester_email"),
            ({"description": "d"}, "subject"),
        ],
    )
    def test_bad_input_is_422_with_fields(self, desk, body, field):
        body.setdefault("requester_email", "someone@example.com")
        response = post(api(desk.agent), "/api/v1/tickets", body)
        assert response.status_code == 422, response.content
        payload = response.json()
        assert payload["code"] == "invalid"
        assert any(field in key for key in payload["fields"]), payload
        assert not Ticket.objects.exists()

    def test_malformed_json_is_a_clear_error(self, desk):
        response = api(desk.agent).post(
            "/api/v1/tickets", "{not json", content_type="application/json"
        )
        assert response.status_code in {400, 422}
        assert response.json()["code"]

    def test_list_filters_and_cursor(self, desk):
        for i in range(5):
            desk.ticket(subject=f"t{i}")
        services.close(ticket=desk.ticket(subject="closed one"), actor=desk.agent)
        client = api(desk.agent)
        first = client.get("/api/v1/tickets?limit=3").json()
        assert len(first["items"]) == 3
        assert first["next_cursor"]
        second = client.get(f"/api/v1/tickets?limit=3&cursor={first['next_cursor']}").json()
        assert len(second["items"]) == 2
        assert second["next_cursor"] is None
        closed = client.get("/api/v1/tickets?status=closed").json()["items"]
        assert [t["subject"] for t in closed] == ["closed one"]
        assert client.get("/api/v1/tickets?cursor=bogus").json()["code"] == "invalid_cursor"
        assert client.get("/api/v1/tickets?status=bogus").status_code == 422
        assert client.get("/api/v1/tickets?owner=somebody").status_code == 422

    def test_requesters_list_only_their_requests(self, desk):
        desk.ticket(subject="mine")
        desk.ticket(subject="theirs", requester=desk.other_requester.contact)
        items = api(desk.requester).get("/api/v1/tickets").json()["items"]
        assert [t["subject"] for t in items] == ["mine"]

    def test_timeline_hides_internal_events_from_requesters(self, desk):
        ticket = desk.ticket()
        services.add_note(ticket=ticket, actor=desk.agent, body="secret")
        agent_view = api(desk.agent).get(f"/api/v1/tickets/{ticket.pk}/timeline").json()["items"]
        requester_view = (
            api(desk.requester).get(f"/api/v1/tickets/{ticket.pk}/timeline").json()["items"]
        )
        assert [e["kind"] for e in agent_view] == ["message_in", "note"]
        assert [e["kind"] for e in requester_view] == ["message_in"]


class TestActions:
    def test_the_whole_life_of_a_ticket(self, desk):
        agent, requester = api(desk.agent), api(desk.requester)
        ticket_id = post(
            requester, "/api/v1/tickets", {"subject": "VPN", "description": "Drops."}
        ).json()["id"]
        base = f"/api/v1/tickets/{ticket_id}"
        assert post(agent, f"{base}/take", {}).json()["owner"]["id"] == desk.agent.pk
        reply = post(
            agent, f"{base}/reply", {"body": "Which network?", "then": "waiting_on_requester"}
        )
        assert reply.status_code == 201
        assert reply.json()["kind"] == "reply"
        assert post(requester, f"{base}/messages", {"body": "Home wifi"}).status_code == 201
        assert post(agent, f"{base}/notes", {"body": "MTU issue"}).status_code == 201
        assert (
            post(
                agent, f"{base}/log", {"channel": "phone", "body": "Talked it through"}
            ).status_code
            == 200
        )
        escalated = post(
            agent,
            f"{base}/escalate",
            {"reason": "Firewall change", "to_user_id": desk.supervisor.pk},
        )
        assert escalated.json()["escalated_to"]["id"] == desk.supervisor.pk
        resolved = post(
            agent, f"{base}/transition", {"to": "resolved", "reason": "Lowered the MTU."}
        )
        assert resolved.json()["status"] == "resolved"
        confirmed = post(requester, f"{base}/confirm", {"solved": True, "comment": "Thanks"})
        assert confirmed.json()["status"] == "closed"
        kinds = [e["kind"] for e in agent.get(f"{base}/timeline").json()["items"]]
        assert kinds == [
            "message_in",
            "assignment",
            "reply",
            "message_in",
            "note",
            "call",
            "escalation",
            "resolution",
            "confirmation",
            "survey",  # closed: the three closing questions went out
        ]

    def test_refused_transition_is_409_with_the_reason(self, desk):
        ticket = desk.ticket()
        services.close(ticket=ticket, actor=desk.agent)
        response = post(
            api(desk.agent),
            f"/api/v1/tickets/{ticket.pk}/transition",
            {"to": "waiting_on_requester", "reason": "Need the serial number."},
        )
        assert response.status_code == 409
        assert "A closed ticket can only be reopened." in response.json()["message"]

    def test_assign_to_unknown_agent_is_404_naming_the_field(self, desk):
        ticket = desk.ticket()
        response = post(
            api(desk.agent), f"/api/v1/tickets/{ticket.pk}/assign", {"owner_id": 999999}
        )
        assert response.status_code == 404
        assert response.json()["fields"] == {"owner_id": ["No such agent."]}

    def test_huge_ids_are_404_or_422_never_500(self, desk):
        client = api(desk.agent)
        assert client.get("/api/v1/tickets/9223372036854775807").status_code == 404
        assert client.get("/api/v1/tickets/9223372036854775808").status_code == 422
        assert client.get("/api/v1/tickets/0").status_code == 422


def test_openapi_document_is_3_1_and_declares_every_error(desk):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if not operation.get("security"):
                # Open to anyone holding a link's token (the closing questions):
                # no sign-in, so no 401 or 403; a bad token is 404.
                assert {"404", "422"} <= codes, (method, path)
                continue
            assert "401" in codes, (method, path)
            if "{ticket_id}" in path:
                assert {"404", "422"} <= codes, (method, path)
            if method == "post" and operation.get("x-reads-only"):
                # A POST that only reads (a text to check): bad input, nothing to conflict.
                assert "422" in codes, (method, path)
            elif method == "post":
                assert {"403", "409", "422"} <= codes, (method, path)


def test_docs_page_is_served(desk):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content


def test_unknown_query_parameters_are_refused_after_authentication(desk):
    client = api(desk.agent)
    response = client.get("/api/v1/tickets?stauts=closed")
    assert response.status_code == 422
    assert response.json()["fields"] == {"stauts": ["Not a parameter of this operation."]}
    assert Client().get("/api/v1/tickets?stauts=closed").status_code == 401
    assert client.get("/api/v1/me?x=1").status_code == 422


def test_non_object_bodies_are_400(desk):
    ticket = desk.ticket()
    response = api(desk.agent).post(
        f"/api/v1/tickets/{ticket.pk}/assign", "[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
