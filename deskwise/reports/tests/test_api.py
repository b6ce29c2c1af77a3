"""The reports over the API: the same registry and permissions as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.reports import base
from deskwise.reports.base import Chart, Column, Filters, Report, Spec

pytestmark = pytest.mark.django_db

SEEN: list[Filters] = []


def builder(filters: Filters) -> Report:
    SEEN.append(filters)
    return Report(
        slug="t-agent",
        title="Opened",
        definition="Tickets opened per day.",
        columns=[Column("day", "Day", "text"), Column("n", "Tickets")],
        rows=[["Mon", 3], ["Tue", None]],
        chart=Chart(
            kind="line", title="Opened", x_labels=["Mon", "Tue"], series=[("All", [3, None])]
        ),
        figures=[("Opened", 3, "count")],
        notes=["Today is not counted yet."],
    )


@pytest.fixture
def reports(monkeypatch):
    SEEN.clear()
    for slug in list(base.REGISTRY):
        monkeypatch.delitem(base.REGISTRY, slug)
    monkeypatch.setitem(
        base.REGISTRY, "t-agent", Spec("t-agent", "Opened", "agent", builder, "Volume")
    )
    monkeypatch.setitem(
        base.REGISTRY, "t-super", Spec("t-super", "Team", "supervisor", builder, "Desk")
    )
    monkeypatch.setitem(base.REGISTRY, "t-admin", Spec("t-admin", "All", "admin", builder, "Admin"))


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_list_is_what_you_may_see(desk, reports):
    agent = api(desk.agent).get("/api/v1/reports").json()
    assert agent == [{"slug": "t-agent", "title": "Opened", "group": "Volume", "audience": "agent"}]
    supervisor = {r["slug"] for r in api(desk.supervisor).get("/api/v1/reports").json()}
    assert supervisor == {"t-agent", "t-super"}
    admin = {r["slug"] for r in api(desk.admin).get("/api/v1/reports").json()}
    assert admin == {"t-agent", "t-super", "t-admin"}


def test_a_report_as_json(desk, reports):
    response = api(desk.agent).get(
        "/api/v1/reports/t-agent?since=2026-01-01&until=2026-01-07&mine=true"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["definition"] == "Tickets opened per day."
    assert body["since"] == "2026-01-01"
    assert body["until"] == "2026-01-07"
    assert body["team_ids"] == [desk.team.pk]
    assert body["agent_id"] == desk.agent.pk
    assert body["columns"] == [
        {"key": "day", "label": "Day", "unit": "text"},
        {"key": "n", "label": "Tickets", "unit": "count"},
    ]
    assert body["rows"] == [["Mon", 3], ["Tue", None]]
    assert body["figures"] == [{"label": "Opened", "value": 3, "unit": "count"}]
    assert body["chart"]["series"] == [{"name": "All", "values": [3, None]}]
    assert body["notes"] == ["Today is not counted yet."]
    assert SEEN[-1] == Filters(
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 7),
        frozenset({desk.team.pk}),
        desk.agent.pk,
        every_team=True,  # no team asked for: every team the agent may see
    )


def test_team_filter(desk, reports):
    client = api(desk.admin)
    body = client.get(f"/api/v1/reports/t-admin?team_id={desk.other_team.pk}").json()
    assert body["team_ids"] == [desk.other_team.pk]
    assert SEEN[-1].every_team is False
    assert (
        api(desk.agent).get(f"/api/v1/reports/t-agent?team_id={desk.other_team.pk}").status_code
        == 404
    )


@pytest.mark.parametrize(
    "query",
    [
        "since=2026-02-10&until=2026-02-01",
        "since=2020-01-01&until=2026-01-01",
        "since=tomorrow",
        "team_id=0",
    ],
)
def test_bad_queries_are_422_never_500(desk, reports, query):
    response = api(desk.agent).get(f"/api/v1/reports/t-agent?{query}")
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert not SEEN


def test_what_you_may_not_see_is_not_found(desk, reports):
    assert api(desk.agent).get("/api/v1/reports/t-super").status_code == 404
    assert api(desk.supervisor).get("/api/v1/reports/t-admin").status_code == 404
    assert api(desk.admin).get("/api/v1/reports/missing").status_code == 404
    requester = api(desk.requester)
    assert requester.get("/api/v1/reports").status_code == 404
    assert requester.get("/api/v1/reports/t-agent").status_code == 404


def test_without_a_token_it_is_401(desk, reports):
    assert Client().get("/api/v1/reports").status_code == 401
    assert Client().get("/api/v1/reports/t-agent").status_code == 401


def test_openapi_declares_the_errors(desk):
    paths = api(desk.agent).get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/reports", "/api/v1/reports/{slug}"):
        codes = set(paths[path]["get"]["responses"])
        assert {"200", "401", "404", "422"} <= codes, path
