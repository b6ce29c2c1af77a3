"""Satisfaction by agent, team and category against figures worked out by
hand, with each role seeing what it may; and the number of queries the pages
and the API make stays the same however many surveys there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from deskwise.core import clock
from deskwise.feedback import selectors, services
from deskwise.testing import ContactFactory
from deskwise.tickets.tests.test_api import api
from deskwise.triage.models import Category

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(desk, surveyed):
    """Seven surveys (the table is the whole test's arithmetic):

    ==  ==============  ============  ========  ======  ======
    #   team            agent         category  solved  rating
    ==  ==============  ============  ========  ======  ======
    1   Service Desk    agent         Printing  yes     5
    2   Service Desk    agent         Printing  yes     4
    3   Service Desk    agent         Network   no      2
    4   Service Desk    supervisor    Network   yes     3
    5   Service Desk    supervisor    (none)    (not answered)
    6   Infrastructure  other_agent   Printing  no      1
    7   Infrastructure  other_agent   Printing  (none)  4
    ==  ==============  ============  ========  ======  ======
    """
    printing = Category.objects.create(name="Printing")
    network = Category.objects.create(name="Network")
    rows = [
        (desk.team, desk.agent, printing, True, 5),
        (desk.team, desk.agent, printing, True, 4),
        (desk.team, desk.agent, network, False, 2),
        (desk.team, desk.supervisor, network, True, 3),
        (desk.team, desk.supervisor, None, "unanswered", None),
        (desk.other_team, desk.other_agent, printing, False, 1),
        (desk.other_team, desk.other_agent, printing, None, 4),
    ]
    surveys = []
    for team, owner, category, solved, rating in rows:
        survey = surveyed(team=team, owner=owner, category=category)
        if solved != "unanswered":
            services.survey_answer(token=survey.token, solved=solved, satisfaction=rating)
        surveys.append(survey)
    return surveys


def by_name(rows):
    return {
        r.name: (r.sent, r.answered, r.rated, r.average, r.solved, r.solved_answered, r.poor)
        for r in rows
    }


class TestFigures:
    def test_the_desk_as_a_supervisor_sees_it(self, desk, answered):
        report = selectors.satisfaction_report(user=desk.supervisor)
        t = report.total
        # Ratings 5+4+2+3+1+4 = 19 over 6; solved: 3 yes of 5 answered; poor: #3 and #6.
        assert (t.sent, t.answered, t.rated, t.average) == (7, 6, 6, 3.17)
        assert (t.solved, t.solved_answered, t.solved_share, t.poor) == (3, 5, 0.6, 2)
        assert t.response_rate == round(6 / 7, 3)
        assert by_name(report.by_agent) == {
            desk.agent.display_name: (3, 3, 3, 3.67, 2, 3, 1),
            desk.supervisor.display_name: (2, 1, 1, 3.0, 1, 1, 0),
            desk.other_agent.display_name: (2, 2, 2, 2.5, 0, 1, 1),
        }
        assert by_name(report.by_team) == {
            "Service Desk": (5, 4, 4, 3.5, 3, 4, 1),
            "Infrastructure": (2, 2, 2, 2.5, 0, 1, 1),
        }
        assert by_name(report.by_category) == {
            "Printing": (4, 4, 4, 3.5, 2, 3, 1),
            "Network": (2, 2, 2, 2.5, 1, 2, 1),
            "No category": (1, 0, 0, None, 0, 0, 0),
        }
        # Busiest first.
        assert [r.name for r in report.by_team] == ["Service Desk", "Infrastructure"]
        assert report.by_category[0].name == "Printing"
        no_category = report.by_category[-1]
        assert (no_category.solved_share, no_category.response_rate) == (None, 0.0)

    def test_an_agent_sees_their_teams_figures_only(self, desk, answered):
        report = selectors.satisfaction_report(user=desk.agent)
        assert (report.total.sent, report.total.average, report.total.poor) == (5, 3.5, 1)
        assert [r.name for r in report.by_team] == ["Service Desk"]
        assert desk.other_agent.display_name not in by_name(report.by_agent)
        other = selectors.satisfaction_report(user=desk.other_agent)
        assert (other.total.sent, other.total.average) == (2, 2.5)
        assert by_name(other.by_category) == {"Printing": (2, 2, 2, 2.5, 0, 1, 1)}

    def test_a_team_filter_cannot_widen_what_an_agent_sees(self, desk, answered):
        report = selectors.satisfaction_report(user=desk.agent, team_id=desk.other_team.pk)
        assert report.total.sent == 0
        assert report.by_team == report.by_agent == report.by_category == []
        admin = selectors.satisfaction_report(user=desk.admin, team_id=desk.other_team.pk)
        assert admin.total.sent == 2

    def test_requesters_get_nothing(self, desk, answered):
        from deskwise.core.errors import NotAllowed

        with pytest.raises(NotAllowed):
            selectors.satisfaction_report(user=desk.requester)

    def test_the_date_range_is_whole_days_of_sending(self, desk, surveyed, settings):
        settings.TIME_ZONE = "Europe/Berlin"
        # 23:30 UTC on 31 January is 1 February in Berlin.
        with clock.frozen_at(dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)):
            late = surveyed()
            services.survey_answer(token=late.token, satisfaction=1)
        with clock.frozen_at(dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)):
            early = surveyed()
            services.survey_answer(token=early.token, satisfaction=5)
        january = selectors.satisfaction_report(
            user=desk.admin, since=dt.date(2026, 1, 1), until=dt.date(2026, 1, 31)
        )
        assert (january.total.sent, january.total.average) == (1, 5.0)
        february = selectors.satisfaction_report(
            user=desk.admin, since=dt.date(2026, 2, 1), until=dt.date(2026, 2, 1)
        )
        assert (february.total.sent, february.total.average) == (1, 1.0)
        # Today's last 30 days hold neither; dates at the ends of the calendar are fine.
        assert selectors.satisfaction_report(user=desk.admin).total.sent == 0
        everything = selectors.satisfaction_report(
            user=desk.admin, since=dt.date.min, until=dt.date.max
        )
        assert everything.total.sent == 2

    def test_the_api_gives_the_same_figures(self, desk, answered):
        body = api(desk.supervisor).get("/api/v1/surveys/satisfaction").json()
        assert body["total"] == {
            "id": None,
            "name": "All",
            "sent": 7,
            "answered": 6,
            "response_rate": 0.857,
            "rated": 6,
            "average_satisfaction": 3.17,
            "solved": 3,
            "solved_answered": 5,
            "solved_share": 0.6,
            "poor": 2,
        }
        teams = {row["name"]: row for row in body["by_team"]}
        assert teams["Infrastructure"]["id"] == desk.other_team.pk
        assert teams["Infrastructure"]["average_satisfaction"] == 2.5
        agent_view = api(desk.agent).get("/api/v1/surveys/satisfaction").json()
        assert [row["name"] for row in agent_view["by_team"]] == ["Service Desk"]
        assert api(desk.requester).get("/api/v1/surveys/satisfaction").status_code == 403


def queries(client: Client, url: str) -> int:
    client.get(url)  # warm: once-a-minute bookkeeping such as a token's last use
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def add_answered(desk, surveyed, n: int) -> None:
    start = Category.objects.count()
    for i in range(n):
        category = Category.objects.create(name=f"Category {start + i}")
        survey = surveyed(requester=ContactFactory(), category=category)
        services.survey_answer(token=survey.token, satisfaction=1 + i % 5, better=f"Answer {i}")


@pytest.mark.parametrize(
    "url",
    [
        "/desk/satisfaction/",
        "/desk/satisfaction/followups/",
        "/desk/satisfaction/followups/?status=all",
    ],
)
def test_desk_pages_make_a_fixed_number_of_queries(desk, surveyed, client_for, url):
    client = client_for(desk.agent)
    add_answered(desk, surveyed, 2)
    small = queries(client, url)
    add_answered(desk, surveyed, 15)
    large = queries(client, url)
    assert large == small <= 10


@pytest.mark.parametrize(
    "url", ["/api/v1/surveys", "/api/v1/surveys/satisfaction", "/api/v1/surveys/followups"]
)
def test_api_lists_make_a_fixed_number_of_queries(desk, surveyed, url):
    client = api(desk.agent)
    add_answered(desk, surveyed, 2)
    small = queries(client, url)
    add_answered(desk, surveyed, 15)
    large = queries(client, url)
    assert large == small <= 6


def test_the_survey_page_makes_a_fixed_number_of_queries(desk, surveyed):
    survey = surveyed()
    assert queries(Client(), f"/survey/{survey.token}/?rating=5") <= 3
