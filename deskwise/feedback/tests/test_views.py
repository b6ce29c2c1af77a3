"""The pages: the requester answers from the mail's link without signing in
(a GET only shows the form; the POST answers), or signed in from the portal;
the desk reads satisfaction and handles follow-ups."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from deskwise.core import clock
from deskwise.feedback import services
from deskwise.feedback.models import FollowUp
from deskwise.tickets.choices import EventKind

pytestmark = pytest.mark.django_db


def url(survey, suffix: str = "") -> str:
    return f"/survey/{survey.token}/{suffix}"


def checked(html: str, name: str) -> list[str]:
    """The values of the radio buttons called ``name`` that are checked."""
    inputs = re.findall(r"<input[^>]*>", html)
    return [
        re.search(r'value="([^"]*)"', tag).group(1)
        for tag in inputs
        if f'name="{name}"' in tag and "checked" in tag
    ]


class TestTheLink:
    def test_a_click_in_the_mail_shows_the_choice_and_answers_nothing(self, surveyed):
        survey = surveyed(subject="Printer jams on floor 2")
        response = Client().get(url(survey) + "?solved=yes&rating=4")
        assert response.status_code == 200
        html = response.content.decode()
        assert survey.reference in html
        assert "Printer jams on floor 2" in html
        assert checked(html, "solved") == ["yes"]
        assert checked(html, "satisfaction") == ["4"]
        assert "Anything we could have done better?" in html
        assert html.count('type="submit"') == 1 + html.count("Sign out")
        assert response["Cache-Control"].startswith("max-age=0")
        survey.refresh_from_db()
        assert survey.answered_at is None

    def test_nonsense_in_the_query_is_ignored(self, surveyed):
        survey = surveyed()
        response = Client().get(url(survey) + "?solved=maybe&rating=9&rating=x")
        assert response.status_code == 200
        html = response.content.decode()
        assert checked(html, "solved") == checked(html, "satisfaction") == []

    def test_answering_thanks_and_a_second_answer_is_refused(self, desk, surveyed):
        survey = surveyed()
        client = Client()
        response = client.post(
            url(survey), {"solved": "yes", "satisfaction": "5", "better": "Quick, thanks."}
        )
        assert response.status_code == 302
        assert response["Location"] == url(survey, "thanks/")
        thanks = client.get(response["Location"])
        assert thanks.status_code == 200
        assert "Thank you" in thanks.content.decode()
        survey.refresh_from_db()
        assert (survey.solved, survey.satisfaction, survey.better) == (True, 5, "Quick, thanks.")
        assert survey.event.channel == "portal"
        assert survey.event.actor is None

        again = client.get(url(survey))
        assert again.status_code == 200
        assert "Already answered" in again.content.decode()
        second = client.post(url(survey), {"solved": "no", "satisfaction": "1"})
        assert second.status_code == 409
        assert "already answered" in second.content.decode()
        survey.refresh_from_db()
        assert (survey.solved, survey.satisfaction) == (True, 5)

    def test_thanks_before_answering_goes_to_the_questions(self, surveyed):
        survey = surveyed()
        response = Client().get(url(survey, "thanks/"))
        assert (response.status_code, response["Location"]) == (302, url(survey))

    def test_a_poor_answer_is_acknowledged(self, surveyed):
        survey = surveyed()
        client = Client()
        client.post(url(survey), {"solved": "no", "satisfaction": "2"})
        html = client.get(url(survey, "thanks/")).content.decode()
        assert "A supervisor will look at your answers" in html
        assert FollowUp.objects.filter(survey=survey).exists()

    @pytest.mark.parametrize("token", ["nope", "A" * 43, "A" * 500, "%00", "..", "x" * 10_000])
    def test_an_unknown_or_guessed_link_is_404_with_a_clear_page(self, surveyed, token):
        surveyed()
        for response in (
            Client().get(f"/survey/{token}/"),
            Client().post(f"/survey/{token}/", {"satisfaction": "5"}),
            Client().get(f"/survey/{token}/thanks/"),
        ):
            assert response.status_code == 404
            assert "We don't know this link" in response.content.decode()

    def test_an_expired_link_says_so(self, surveyed):
        sent = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
        with clock.frozen_at(sent):
            survey = surveyed()
        with clock.frozen_at(sent + dt.timedelta(days=30)):
            for response in (
                Client().get(url(survey) + "?rating=5"),
                Client().post(url(survey), {"satisfaction": "5"}),
            ):
                assert response.status_code == 410
                html = response.content.decode()
                assert "This link has expired" in html
                assert "expired on 16 November 2026" in html
        survey.refresh_from_db()
        assert survey.answered_at is None

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"satisfaction": "9"}, "Choose a number from 1 to 5."),
            ({"satisfaction": "0"}, "Choose a number from 1 to 5."),
            ({"solved": "perhaps"}, "Answer yes or no."),
            ({"satisfaction": "3", "better": "bad\x00byte"}, "Null characters are not allowed."),
            ({"satisfaction": "3", "better": "x" * 10_000}, "at most 5000 characters"),
            ({"better": "  "}, "Answer at least one of the questions"),
            ({}, "Answer at least one of the questions"),
        ],
    )
    def test_bad_answers_are_refused_with_a_message(self, surveyed, data, message):
        survey = surveyed()
        response = Client().post(url(survey), data)
        assert response.status_code == 422
        assert message in response.content.decode()
        survey.refresh_from_db()
        assert survey.answered_at is None

    def test_the_mails_links_lead_to_the_questions(
        self, desk, closed_ticket, mailoutbox, run_tasks
    ):
        with run_tasks():
            services.survey_send(ticket=closed_ticket())
        html = mailoutbox[-1].alternatives[0][0]
        links = re.findall(r'href="(http://[^"]*/survey/[^"]+)"', html)
        assert len(links) == 8  # yes, no, 1 to 5, and the free text
        rating = next(link for link in links if link.endswith("?rating=2"))
        path = rating.split("://", 1)[1].split("/", 1)[1]
        response = Client().get("/" + path)
        assert response.status_code == 200
        assert checked(response.content.decode(), "satisfaction") == ["2"]


class TestSignedIn:
    def path(self, survey) -> str:
        return f"/portal/requests/{survey.ticket_id}/closing-questions/"

    def test_the_requester_answers_from_the_portal(self, desk, surveyed, client_for):
        survey = surveyed()
        client = client_for(desk.requester)
        page = client.get(self.path(survey))
        assert page.status_code == 200
        assert survey.reference in page.content.decode()
        response = client.post(self.path(survey), {"satisfaction": "4"})
        assert response.status_code == 302
        assert response["Location"] == f"/portal/requests/{survey.ticket_id}/"
        survey.refresh_from_db()
        assert survey.satisfaction == 4
        assert survey.event.actor == desk.requester
        assert client.get(self.path(survey)).status_code == 200  # "already answered"
        assert client.post(self.path(survey), {"satisfaction": "1"}).status_code == 409

    def test_anyone_else_finds_nothing(self, desk, surveyed, client_for):
        survey = surveyed()
        for user in (desk.other_requester, desk.agent):
            assert client_for(user).get(self.path(survey)).status_code == 404
            assert (
                client_for(user).post(self.path(survey), {"satisfaction": "1"}).status_code == 404
            )
        anonymous = Client().get(self.path(survey))
        assert anonymous.status_code == 302
        assert anonymous["Location"].startswith("/login/")
        survey.refresh_from_db()
        assert survey.answered_at is None

    def test_the_portal_can_tell_whether_a_survey_is_open(self, desk, surveyed, closed_ticket):
        from deskwise.feedback.selectors import open_survey_for

        survey = surveyed()
        assert open_survey_for(survey.ticket) == survey
        assert open_survey_for(closed_ticket()) is None
        services.survey_answer(token=survey.token, satisfaction=5)
        assert open_survey_for(survey.ticket) is None


class TestDeskPages:
    def test_requesters_do_not_find_the_desk_pages(self, desk, surveyed, client_for):
        survey = surveyed()
        services.survey_answer(token=survey.token, satisfaction=1)
        followup = FollowUp.objects.get()
        client = client_for(desk.requester)
        assert client.get("/desk/satisfaction/").status_code == 404
        assert client.get("/desk/satisfaction/followups/").status_code == 404
        done = client.post(f"/desk/satisfaction/followups/{followup.pk}/done/", {"note": "x"})
        assert done.status_code == 404
        assert Client().get("/desk/satisfaction/").status_code == 302  # sign in first

    def test_agents_see_their_teams_figures_supervisors_all(
        self, desk, surveyed, closed_ticket, client_for
    ):
        mine = surveyed(subject="Printer on floor 2")
        theirs = surveyed(owner=desk.other_agent, team=desk.other_team, subject="Core switch")
        services.survey_answer(token=mine.token, satisfaction=2, better="Took a week.")
        services.survey_answer(token=theirs.token, satisfaction=1, better="Never called back.")

        agent_page = client_for(desk.agent).get("/desk/satisfaction/").content.decode()
        assert desk.team.name in agent_page
        assert desk.agent.display_name in agent_page
        assert "Took a week." in agent_page
        assert desk.other_team.name not in agent_page
        assert desk.other_agent.display_name not in agent_page
        assert "Never called back." not in agent_page

        other_page = client_for(desk.other_agent).get("/desk/satisfaction/").content.decode()
        assert "Never called back." in other_page
        assert "Took a week." not in other_page

        for boss in (desk.supervisor, desk.admin):
            page = client_for(boss).get("/desk/satisfaction/").content.decode()
            assert desk.team.name in page
            assert desk.other_team.name in page
            assert "Took a week." in page
            assert "Never called back." in page

    def test_a_supervisor_marks_a_follow_up_done(self, desk, surveyed, client_for):
        survey = surveyed()
        services.survey_answer(token=survey.token, solved=False, better="Still jams.")
        followup = FollowUp.objects.get()
        done_url = f"/desk/satisfaction/followups/{followup.pk}/done/"

        # An agent sees it (their team's) but may not close it.
        agent = client_for(desk.agent)
        listing = agent.get("/desk/satisfaction/followups/").content.decode()
        assert "Still jams." in listing
        assert done_url not in listing
        agent.post(done_url, {"note": "I did it."})
        followup.refresh_from_db()
        assert followup.status == FollowUp.Status.OPEN
        # Another team's agent does not even find it.
        assert client_for(desk.other_agent).post(done_url, {"note": "x"}).status_code == 404

        boss = client_for(desk.supervisor)
        assert done_url in boss.get("/desk/satisfaction/followups/").content.decode()
        empty = boss.post(done_url, {"note": ""})
        assert empty.status_code == 422
        response = boss.post(done_url, {"note": "Called them; new roller.", "back": "report"})
        assert (response.status_code, response["Location"]) == (302, "/desk/satisfaction/")
        followup.refresh_from_db()
        assert (followup.status, followup.handled_by) == (FollowUp.Status.DONE, desk.supervisor)
        done = boss.get("/desk/satisfaction/followups/?status=done").content.decode()
        assert "Called them; new roller." in done
        assert survey.ticket.events.filter(
            kind=EventKind.NOTE, data__survey_followup__id=followup.pk
        ).exists()
        open_now = boss.get("/desk/satisfaction/followups/").content.decode()
        assert "Still jams." not in open_now

    def test_the_report_filters_by_dates(self, desk, surveyed, client_for):
        with clock.frozen_at(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)):
            survey = surveyed()
            services.survey_answer(token=survey.token, satisfaction=2)
        client = client_for(desk.supervisor)
        default = client.get("/desk/satisfaction/").content.decode()
        assert "No surveys in this period." in default
        january = client.get("/desk/satisfaction/?since=2026-01-01&until=2026-01-31").content
        assert "2.00" in january.decode()
        garbage = client.get("/desk/satisfaction/?since=nonsense&until=2026-99-99&team=x")
        assert garbage.status_code == 200
