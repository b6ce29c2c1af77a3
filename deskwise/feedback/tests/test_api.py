"""The closing questions over the API: the answer by token without an API
token, the surveys and follow-ups for the desk, on the same services."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from deskwise.core import clock
from deskwise.feedback import services
from deskwise.feedback.models import FollowUp, Survey
from deskwise.tickets.choices import EventKind
from deskwise.tickets.tests.test_api import api, post

pytestmark = pytest.mark.django_db

ANSWER = "/api/v1/surveys/answer"


def answer(body: object, client: Client | None = None):
    return post(client or Client(), ANSWER, body)


class TestAnswer:
    def test_the_requester_answers_with_the_links_token_alone(self, desk, surveyed):
        survey = surveyed(subject="VPN drops")
        response = answer(
            {"token": survey.token, "solved": True, "satisfaction": 4, "better": "More updates."}
        )
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["reference"], body["subject"]) == (survey.reference, "VPN drops")
        assert (body["solved"], body["satisfaction"], body["better"]) == (True, 4, "More updates.")
        survey.refresh_from_db()
        assert survey.satisfaction == 4
        assert survey.event.channel == "api"
        assert survey.event.kind == EventKind.SURVEY

    def test_once_only(self, surveyed):
        survey = surveyed()
        assert answer({"token": survey.token, "satisfaction": 5}).status_code == 200
        again = answer({"token": survey.token, "satisfaction": 1})
        assert again.status_code == 409
        assert again.json()["code"] == "already_answered"
        assert "already answered" in again.json()["message"]

    def test_an_expired_token_is_refused(self, surveyed):
        sent = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
        with clock.frozen_at(sent):
            survey = surveyed()
        with clock.frozen_at(sent + dt.timedelta(days=15)):
            response = answer({"token": survey.token, "satisfaction": 5})
        assert response.status_code == 409
        assert response.json()["code"] == "expired"
        assert "expired on 16 November 2026" in response.json()["message"]

    @pytest.mark.parametrize("token", ["nope", "A" * 43, "A" * 100])
    def test_a_guessed_token_is_404(self, surveyed, token):
        surveyed()
        response = answer({"token": token, "satisfaction": 5})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert not Survey.objects.filter(answered_at__isnull=False).exists()

    def test_a_token_for_one_ticket_answers_only_that_one(self, surveyed):
        first, second = surveyed(subject="First"), surveyed(subject="Second")
        assert answer({"token": first.token, "satisfaction": 2}).json()["subject"] == "First"
        second.refresh_from_db()
        assert second.answered_at is None
        assert answer({"token": second.token, "satisfaction": 5}).status_code == 200

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"satisfaction": 6}, "satisfaction"),
            ({"satisfaction": 0}, "satisfaction"),
            ({"satisfaction": "3"}, "satisfaction"),
            ({"satisfaction": True}, "satisfaction"),
            ({"satisfaction": 2.5}, "satisfaction"),
            ({"solved": "yes"}, "solved"),
            ({"satisfaction": 3, "better": "nul\x00byte"}, "better"),
            ({"satisfaction": 3, "better": "x" * 10_000}, "better"),
        ],
    )
    def test_bad_answers_are_422_with_a_message(self, surveyed, body, field):
        survey = surveyed()
        response = answer({"token": survey.token, **body})
        assert response.status_code == 422
        error = response.json()
        assert error["code"] == "invalid"
        assert field in error["fields"]
        assert error["message"].startswith("The request is not valid.")
        survey.refresh_from_db()
        assert survey.answered_at is None

    def test_no_answer_at_all_is_422(self, surveyed):
        survey = surveyed()
        response = answer({"token": survey.token, "better": "   "})
        assert response.status_code == 422
        assert "at least one" in response.json()["message"]

    def test_a_body_that_is_not_an_object_is_400(self, surveyed):
        response = Client().post(ANSWER, json.dumps([1]), content_type="application/json")
        assert response.status_code == 400

    def test_an_api_token_is_not_needed_but_does_no_harm(self, desk, surveyed):
        survey = surveyed()
        response = answer({"token": survey.token, "solved": True}, client=api(desk.agent))
        assert response.status_code == 200
        survey.refresh_from_db()
        assert survey.event.actor is None  # the answer is the requester's

    def test_the_answer_needs_no_security_in_the_schema(self):
        schema = Client().get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/surveys/answer"]["post"]
        assert not operation.get("security")
        assert set(operation["responses"]) == {"200", "400", "404", "409", "422"}
        listing = schema["paths"]["/api/v1/surveys"]["get"]
        assert listing["security"]


class TestDeskReads:
    def test_agents_list_their_teams_surveys_newest_first_by_pages(self, desk, surveyed):
        ours = [surveyed() for _ in range(3)]
        theirs = surveyed(owner=desk.other_agent, team=desk.other_team)
        services.survey_answer(token=ours[0].token, satisfaction=1)
        client = api(desk.agent)
        first = client.get("/api/v1/surveys?limit=2").json()
        assert [s["id"] for s in first["items"]] == [ours[2].pk, ours[1].pk]
        rest = client.get(f"/api/v1/surveys?limit=2&cursor={first['next_cursor']}").json()
        assert [s["id"] for s in rest["items"]] == [ours[0].pk]
        assert rest["next_cursor"] is None
        item = rest["items"][0]
        assert (item["satisfaction"], item["poor"], item["reference"]) == (
            1,
            True,
            ours[0].reference,
        )
        assert item["followup_id"] == FollowUp.objects.get().pk
        assert item["agent"] == {"id": desk.agent.pk, "name": desk.agent.display_name}
        poor = client.get("/api/v1/surveys?state=poor").json()["items"]
        assert [s["id"] for s in poor] == [ours[0].pk]
        assert client.get(f"/api/v1/surveys/{theirs.pk}").status_code == 404
        assert client.get(f"/api/v1/surveys/{ours[0].pk}").json()["id"] == ours[0].pk
        everyone = api(desk.supervisor).get("/api/v1/surveys").json()["items"]
        assert theirs.pk in {s["id"] for s in everyone}

    def test_the_token_hash_is_never_shown(self, desk, surveyed):
        survey = surveyed()
        text = api(desk.admin).get(f"/api/v1/surveys/{survey.pk}").content.decode()
        assert survey.token_hash not in text
        assert survey.token not in text

    def test_requesters_are_refused(self, desk, surveyed):
        survey = surveyed()
        client = api(desk.requester)
        for url in ("/api/v1/surveys", f"/api/v1/surveys/{survey.pk}", "/api/v1/surveys/followups"):
            assert client.get(url).status_code == 403

    def test_a_bad_cursor_or_filter(self, desk, surveyed):
        client = api(desk.agent)
        assert client.get("/api/v1/surveys?cursor=nonsense").status_code == 404
        assert client.get("/api/v1/surveys?state=happy").status_code == 422
        assert client.get("/api/v1/surveys?colour=red").status_code == 422


class TestFollowUps:
    def test_a_supervisor_lists_and_closes_them(self, desk, surveyed):
        survey = surveyed()
        services.survey_answer(token=survey.token, solved=False, better="Still broken.")
        followup = FollowUp.objects.get()
        done_url = f"/api/v1/surveys/followups/{followup.pk}/done"

        listed = api(desk.agent).get("/api/v1/surveys/followups?status=open").json()["items"]
        assert [(f["id"], f["reason"], f["reference"]) for f in listed] == [
            (followup.pk, "Not solved", survey.reference)
        ]
        assert listed[0]["supervisor"]["id"] == desk.supervisor.pk
        assert post(api(desk.agent), done_url, {"note": "Called."}).status_code == 403
        assert post(api(desk.other_agent), done_url, {"note": "Called."}).status_code == 404
        assert post(api(desk.supervisor), done_url, {"note": "bad\x00"}).status_code == 422

        boss = api(desk.supervisor)
        response = post(boss, done_url, {"note": "Called them; replaced the part."})
        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["note"], body["handled_by"]["id"]) == (
            "done",
            "Called them; replaced the part.",
            desk.supervisor.pk,
        )
        assert post(boss, done_url, {"note": "Again."}).status_code == 409
        assert boss.get("/api/v1/surveys/followups?status=open").json()["items"] == []
        assert len(boss.get("/api/v1/surveys/followups?status=done").json()["items"]) == 1
        assert post(boss, "/api/v1/surveys/followups/999999/done", {"note": "x"}).status_code == 404
