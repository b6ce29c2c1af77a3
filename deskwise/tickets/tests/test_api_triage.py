"""Triage, red flags, the estimate and the work queue in the REST API."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.tickets.choices import Impact, Urgency
from deskwise.tickets.tests.test_api import api, post

pytestmark = pytest.mark.django_db

WEDNESDAY_NOON = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def test_a_created_ticket_carries_triage_flags_and_the_wait(desk):
    client = api(desk.requester)
    with clock.frozen_at(WEDNESDAY_NOON):
        response = post(
            client,
            "/api/v1/tickets",
            {"subject": "Phishing", "description": "I clicked a link in a phishing mail!!"},
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["triage_class"] == "security"
    assert body["expected_start_at"]
    assert "Our target is to start on requests like yours within" in body["wait"]
    # What triage thought and why is for the desk, not the requester.
    assert body["triage"] == []
    agent_view = api(desk.agent).get(f"/api/v1/tickets/{body['id']}").json()
    proposal = next(p for p in agent_view["triage"] if p["field"] == "triage_class")
    assert proposal == {
        "field": "triage_class",
        "value": "security",
        "confidence": 0.95,
        "source": "rule",
        "why": proposal["why"],
        "applied": True,
    }
    assert "Security threat" in proposal["why"]


def test_agents_change_triage_and_flags_with_reasons(desk):
    ticket = desk.ticket(impact=Impact.PERSON, urgency=Urgency.DEGRADED)
    client = api(desk.agent)
    url = f"/api/v1/tickets/{ticket.pk}"
    response = post(client, f"{url}/triage", {"reason": "Whole team", "impact": "team"})
    assert response.status_code == 200, response.content
    assert (response.json()["impact"], response.json()["priority"]) == ("team", 3)
    response = post(client, f"{url}/flags", {"code": "research", "reason": "Training needed"})
    assert response.status_code == 200
    (flag,) = response.json()["red_flags"]
    assert (flag["code"], flag["reason"]) == ("research", "Training needed")
    again = post(client, f"{url}/flags", {"code": "research", "reason": "Twice"})
    assert again.status_code == 409
    assert post(client, f"{url}/triage", {"reason": "x", "impact": "team"}).status_code == 409
    bad = post(client, f"{url}/flags", {"code": "nope", "reason": "x"})
    assert bad.status_code == 422


def test_requesters_cannot_triage_and_others_tickets_are_404(desk):
    ticket = desk.ticket()
    url = f"/api/v1/tickets/{ticket.pk}/triage"
    assert post(api(desk.requester), url, {"reason": "Me", "impact": "team"}).status_code == 403
    assert post(api(desk.other_requester), url, {"reason": "x", "impact": "team"}).status_code == (
        404
    )
    assert post(api(desk.other_agent), url, {"reason": "x", "impact": "team"}).status_code == 404


def test_the_queue_in_order_and_next_takes_the_top(desk):
    with clock.frozen_at(WEDNESDAY_NOON - dt.timedelta(hours=2)):
        low = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
    with clock.frozen_at(WEDNESDAY_NOON - dt.timedelta(hours=1)):
        high = desk.ticket(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)
    client = api(desk.agent)
    with clock.frozen_at(WEDNESDAY_NOON):
        queue = client.get("/api/v1/queue?view=unassigned")
        assert queue.status_code == 200
        assert [t["id"] for t in queue.json()["items"]] == [high.pk, low.pk]
        taken = post(client, "/api/v1/queue/next", {})
        assert taken.status_code == 200
        assert taken.json()["id"] == high.pk
        assert taken.json()["owner"]["id"] == desk.agent.pk
        assert post(client, "/api/v1/queue/next", {}).json()["id"] == low.pk
        empty = post(client, "/api/v1/queue/next", {})
    assert empty.status_code == 409
    assert "Nothing is waiting" in empty.json()["message"]
    assert post(api(desk.requester), "/api/v1/queue/next", {}).status_code == 403


def test_assigning_past_the_limit_needs_a_supervisors_override(desk):
    desk.agent.wip_limit = 0
    desk.agent.save()
    ticket = desk.ticket()
    url = f"/api/v1/tickets/{ticket.pk}/assign"
    body = {"owner_id": desk.agent.pk}
    refused = post(api(desk.supervisor), url, body)
    assert refused.status_code == 409
    assert "limit is 0" in refused.json()["message"]
    done = post(api(desk.supervisor), url, {**body, "override": True})
    assert done.status_code == 200
    assert done.json()["owner"]["id"] == desk.agent.pk
