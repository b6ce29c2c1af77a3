"""POST /api/v1/coach: any text in, the notes out, with the desk's permissions."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.coach.checks import CHECK_CHARS

pytestmark = pytest.mark.django_db

URL = "/api/v1/coach"
POOR = "We can't fix the VPN. I'll look into it."


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, body: object):
    return client.post(URL, json.dumps(body), content_type="application/json")


def codes(response) -> set[str]:
    return {note["code"] for note in response.json()["notes"]}


def test_any_text_gets_the_notes(desk):
    response = post(api(desk.agent), {"text": POOR, "first_name": "Mei"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"greeting", "negative", "jargon", "next_step"} <= codes(response)
    assert body["truncated"] is False
    assert body["checked_chars"] == len(POOR)
    jargon = next(n for n in body["notes"] if n["code"] == "jargon")
    assert POOR[jargon["start"] : jargon["end"]] == "VPN"
    assert jargon["fix"]["text"] == "secure remote connection"
    greeting = next(n for n in body["notes"] if n["code"] == "greeting")
    assert greeting["fix"] == {
        "start": 0,
        "end": 0,
        "text": "Hi Mei,\n\n",
        "label": "Add “Hi Mei,”",
    }


def test_who_the_reply_is_for_without_a_ticket(desk):
    agent = api(desk.agent)
    assert "jargon" not in codes(post(agent, {"text": POOR, "is_technical": True}))
    cold = "Hi Mei,\n\nThanks for the update. I'll replace the charger at 2 pm today."
    assert "empathy" in codes(post(agent, {"text": cold, "frustrated": True}))
    done = "Hi Mei,\n\nI've replaced the roller."
    assert "solved_question" in codes(post(agent, {"text": done, "purpose": "resolution"}))


def test_with_a_ticket_the_context_comes_from_it(desk, named):
    ticket = named(first="Ngozi", technical=True)
    response = post(api(desk.agent), {"text": POOR, "ticket_id": ticket.pk, "first_name": "X"})
    assert response.status_code == 200
    notes = response.json()["notes"]
    greeting = next(n for n in notes if n["code"] == "greeting")
    assert "Ngozi" in greeting["message"]
    assert "jargon" not in {n["code"] for n in notes}  # a technical requester


def test_a_ticket_you_may_not_see_is_not_found(desk, named):
    ticket = named()
    response = post(api(desk.other_agent), {"text": POOR, "ticket_id": ticket.pk})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert post(api(desk.agent), {"text": POOR, "ticket_id": 10**12}).status_code == 404


def test_requesters_are_not_coached(desk, named):
    ticket = named()
    requester = api(desk.requester)
    assert post(requester, {"text": POOR, "ticket_id": ticket.pk}).status_code == 404
    assert post(requester, {"text": POOR}).status_code == 404


def test_without_a_token(desk):
    response = Client().post(URL, json.dumps({"text": POOR}), content_type="application/json")
    assert response.status_code == 401


def test_bad_requests(desk):
    agent = api(desk.agent)
    assert post(agent, {"text": POOR, "purpose": "poem"}).status_code == 422
    assert post(agent, {}).status_code == 422
    assert post(agent, {"text": 5}).status_code == 422
    assert post(agent, {"text": POOR, "ticket_id": "1"}).status_code == 422
    assert post(agent, {"text": POOR, "frustrated": "yes"}).status_code == 422
    assert post(agent, [POOR]).status_code == 400
    assert agent.post(URL, "not json", content_type="application/json").status_code == 400


@pytest.mark.parametrize(
    "text",
    ["", "👍🎉", "\x00\x00 NUL \x00", "<p>The <b>VPN</b></p>", "The VPN is down. " * 6000],
)
def test_bad_input_never_errors(desk, text):
    response = post(api(desk.agent), {"text": text})
    assert response.status_code == 200
    body = response.json()
    assert body["truncated"] is (len(text) > CHECK_CHARS)
    if body["truncated"]:
        assert body["notes"][0]["code"] == "truncated"
