"""The report pages, the CSV export and the dashboard, on small reports of our
own (the real builders are tested with their code)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.reports import base, selectors, views
from deskwise.reports.base import Chart, Column, Filters, Report, Spec
from deskwise.testing import ContactFactory
from deskwise.tickets import services
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db

SEEN: list[Filters] = []


def build(slug: str, *, rows: list[list[base.Value]] | None = None, chart: bool = True):
    def builder(filters: Filters) -> Report:
        SEEN.append(filters)
        data = rows if rows is not None else [["Mon", 3, 0.5], ["Tue", 5, 0.25]]
        return Report(
            slug=slug,
            title=f"Report {slug}",
            definition=f"Definition of {slug}: tickets opened, counted once.",
            columns=[
                Column("day", "Day", "text"),
                Column("n", "Tickets"),
                Column("p", "Share", "percent"),
            ],
            rows=data,
            chart=Chart(
                kind="bar",
                title=f"Chart of {slug}",
                x_labels=[str(r[0]) for r in data],
                series=[
                    ("Tickets", [r[1] if isinstance(r[1], (int, float)) else None for r in data])
                ],
            )
            if chart
            else None,
            figures=[("Opened", 8, "count"), ("Share met", 0.75, "percent")],
        )

    return builder


def broken(filters: Filters) -> Report:
    raise RuntimeError("this report is broken")


@pytest.fixture
def reports(monkeypatch):
    """Only our reports in the registry."""
    SEEN.clear()
    for slug in list(base.REGISTRY):
        monkeypatch.delitem(base.REGISTRY, slug)
    for slug, audience, group in (
        ("t-agent", "agent", "Mine"),
        ("t-super", "supervisor", "Desk"),
        ("t-admin", "admin", "Admin"),
    ):
        monkeypatch.setitem(
            base.REGISTRY, slug, Spec(slug, f"Report {slug}", audience, build(slug), group)
        )
    return base.REGISTRY


def add(monkeypatch, slug: str, builder, audience: base.Audience = "supervisor") -> None:
    monkeypatch.setitem(base.REGISTRY, slug, Spec(slug, slug.title(), audience, builder, "Desk"))


# --- who sees what ----------------------------------------------------------------------


def test_the_list_shows_the_reports_each_role_may_see(desk, reports, client_for):
    agent = client_for(desk.agent).get("/desk/reports/").content.decode()
    assert "Report t-agent" in agent
    assert "Report t-super" not in agent
    supervisor = client_for(desk.supervisor).get("/desk/reports/").content.decode()
    assert "Report t-super" in supervisor
    assert "Report t-admin" not in supervisor
    admin = client_for(desk.admin).get("/desk/reports/").content.decode()
    assert all(f"Report t-{a}" in admin for a in ("agent", "super", "admin"))


def test_the_desk_reports_do_not_exist_for_requesters(desk, reports, client_for):
    client = client_for(desk.requester)
    for url in ("/desk/reports/", "/desk/reports/t-agent/", "/desk/dashboard/",
                "/desk/reports/t-agent/export.csv", "/desk/dashboard/panels/queue/"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_a_report_you_may_not_see_is_not_found_like_a_missing_one(desk, reports, client_for):
    agent = client_for(desk.agent)
    assert agent.get("/desk/reports/t-super/").status_code == 404
    assert agent.get("/desk/reports/t-super/export.csv").status_code == 404
    assert agent.get("/desk/reports/nope/").status_code == 404
    assert client_for(desk.supervisor).get("/desk/reports/t-admin/").status_code == 404
    assert client_for(desk.admin).get("/desk/reports/t-admin/").status_code == 200


def test_filters_narrow_to_the_users_teams(desk, reports):
    today = selectors.today()
    agent = selectors.filters_for(desk.agent, since=None, until=None)
    assert agent.team_ids == {desk.team.pk}
    assert agent.agent_id is None
    assert agent.until == today
    assert agent.days == 30
    admin = selectors.filters_for(desk.admin, since=None, until=None)
    assert admin.team_ids == {desk.team.pk, desk.other_team.pk}
    mine = selectors.filters_for(desk.agent, since=None, until=None, mine=True)
    assert mine.agent_id == desk.agent.pk
    with pytest.raises(selectors.NotFound):
        selectors.filters_for(desk.agent, since=None, until=None, team_id=desk.other_team.pk)
    one = selectors.filters_for(desk.admin, since=None, until=None, team_id=desk.other_team.pk)
    assert one.team_ids == {desk.other_team.pk}


@pytest.mark.parametrize(
    ("since", "until", "words"),
    [
        ("2026-03-10", "2026-03-01", "is after the last"),
        ("2024-01-01", "2026-01-01", "at most 366 days"),
        ("yesterday", None, "not a date"),
        ("2026-02-30", None, "not a date"),
    ],
)
def test_bad_ranges_are_invalid_input(desk, since, until, words):
    with pytest.raises(selectors.InvalidInput, match=words):
        selectors.filters_for(desk.agent, since=since, until=until)


def test_run_refuses_teams_and_people_outside_the_users_view(desk, reports):
    wide = Filters(
        since=dt.date(2026, 1, 1),
        until=dt.date(2026, 1, 2),
        team_ids=frozenset({desk.other_team.pk}),
    )
    with pytest.raises(selectors.NotFound):
        selectors.run(desk.agent, "t-agent", wide)
    other = Filters(
        dt.date(2026, 1, 1), dt.date(2026, 1, 2), frozenset({desk.team.pk}), desk.supervisor.pk
    )
    with pytest.raises(selectors.NotFound):
        selectors.run(desk.agent, "t-agent", other)
    with pytest.raises(selectors.NotFound):
        selectors.run(
            desk.agent, "t-super", Filters(dt.date(2026, 1, 1), dt.date(2026, 1, 2), frozenset())
        )


# --- one report -------------------------------------------------------------------------


def test_a_report_page_shows_definition_figures_chart_and_table(desk, reports, client_for):
    response = client_for(desk.agent).get("/desk/reports/t-agent/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Definition of t-agent" in page
    assert "<svg" in page
    assert "Chart of t-agent" in page
    assert "<desc" in page
    assert "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<td>Mon</td>" in page
    assert "50%" in page
    assert "75%" in page
    assert "Export CSV" in page
    assert "/desk/reports/t-agent/export.csv?since=" in page
    assert SEEN[-1].team_ids == {desk.team.pk}
    assert SEEN[-1].days == 30


def test_the_filter_form_sets_range_team_and_mine(desk, reports, client_for):
    client = client_for(desk.admin)
    team = desk.other_team.pk
    url = f"/desk/reports/t-agent/?since=2026-01-01&until=2026-01-31&team={team}&mine=on"
    page = client.get(url).content.decode()
    assert SEEN[-1] == Filters(
        dt.date(2026, 1, 1), dt.date(2026, 1, 31), frozenset({desk.other_team.pk}), desk.admin.pk
    )
    assert f"team={desk.other_team.pk}" in page
    assert "mine=on" in page


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("since=2026-03-10&until=2026-03-01", "is after the last"),
        ("since=2024-01-01&until=2026-01-01", "at most 366 days"),
        ("since=soon", "Enter a valid date"),
    ],
)
def test_a_bad_range_is_shown_on_the_page_with_422(desk, reports, client_for, query, words):
    response = client_for(desk.agent).get(f"/desk/reports/t-agent/?{query}")
    assert response.status_code == 422
    assert words in response.content.decode()
    assert not SEEN
    export = client_for(desk.agent).get(f"/desk/reports/t-agent/export.csv?{query}")
    assert export.status_code == 422


def test_another_teams_report_is_refused_by_the_form(desk, reports, client_for):
    response = client_for(desk.agent).get(f"/desk/reports/t-agent/?team={desk.other_team.pk}")
    # The team is not one the form offers: refused, never run.
    assert response.status_code == 422
    assert not SEEN


def test_an_empty_report_says_so(desk, reports, monkeypatch, client_for):
    add(monkeypatch, "t-empty", build("t-empty", rows=[]), audience="agent")
    page = client_for(desk.agent).get("/desk/reports/t-empty/").content.decode()
    assert "no data for this range" in page
    assert "Nothing to count" in page


def test_export_is_the_table_as_csv_guarded_against_formulas(
    desk, reports, monkeypatch, client_for
):
    rows: list[list[base.Value]] = [
        ['=HYPERLINK("x")', 3, 0.5],
        ["+1", -2, None],
        ["@sum", 1, 0.1],
        ["-x", 0, 1.0],
        ["plain", 1, 0.0],
    ]
    add(monkeypatch, "t-csv", build("t-csv", rows=rows), audience="agent")
    response = client_for(desk.agent).get(
        "/desk/reports/t-csv/export.csv?since=2026-02-01&until=2026-02-28"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == 'attachment; filename="t-csv_2026-02-01_2026-02-28.csv"'
    )
    got = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert got[0] == ["Day", "Tickets", "Share"]
    assert [r[0] for r in got[1:]] == ['\'=HYPERLINK("x")', "'+1", "'@sum", "'-x", "plain"]
    assert got[2][1:] == ["-2", ""]  # numbers stay numbers


# --- the dashboard ----------------------------------------------------------------------


def test_the_dashboard_is_a_frame_of_panels_that_load_by_themselves(
    desk, reports, monkeypatch, client_for
):
    add(monkeypatch, "backlog", build("backlog"))
    add(monkeypatch, "satisfaction", build("satisfaction"), audience="agent")
    agent = client_for(desk.agent).get("/desk/dashboard/").content.decode()
    assert agent.count('hx-trigger="load"') == 3  # queue, SLA risks, my satisfaction
    assert "/desk/dashboard/panels/queue/" in agent
    assert "/desk/dashboard/panels/my_satisfaction/" in agent
    # Reports not registered are left out, not faked.
    assert "my_time" not in agent
    assert "panels/backlog/" not in agent
    supervisor = client_for(desk.supervisor).get("/desk/dashboard/").content.decode()
    assert "/desk/dashboard/panels/backlog/" in supervisor
    assert "/desk/dashboard/panels/satisfaction/" in supervisor
    assert "panels/sla/" not in supervisor
    assert "panels/workload/" not in supervisor
    assert "Your teams" in supervisor
    assert "All teams" in client_for(desk.admin).get("/desk/dashboard/").content.decode()


def test_the_team_panels_narrow_to_one_team(desk, reports, monkeypatch, client_for):
    add(monkeypatch, "backlog", build("backlog"))
    add(monkeypatch, "satisfaction", build("satisfaction"), audience="agent")
    admin = client_for(desk.admin)
    everyone = admin.get("/desk/dashboard/").content.decode()
    assert 'name="team"' in everyone  # more than one team to choose from
    other = desk.other_team.pk
    page = admin.get(f"/desk/dashboard/?team={other}").content.decode()
    assert f"/desk/dashboard/panels/backlog/?team={other}" in page
    assert "/desk/dashboard/panels/my_satisfaction/?team" not in page  # mine stay mine
    assert desk.other_team.name in page
    panel = admin.get(f"/desk/dashboard/panels/backlog/?team={other}", HTTP_HX_REQUEST="true")
    assert SEEN[-1].team_ids == {other}
    assert f"team={other}" in panel.content.decode()  # "Open the report" keeps the team
    admin.get(f"/desk/dashboard/panels/my_satisfaction/?team={other}")
    assert SEEN[-1].agent_id == desk.admin.pk
    # A team one may not see is not found, like one that does not exist.
    supervisor = client_for(desk.supervisor)
    assert supervisor.get(f"/desk/dashboard/?team={other}").status_code == 404
    assert supervisor.get(f"/desk/dashboard/panels/backlog/?team={other}").status_code == 404
    assert supervisor.get("/desk/dashboard/panels/backlog/?team=x").status_code == 404
    assert supervisor.get("/desk/dashboard/?team=").status_code == 200


def test_a_panel_is_an_htmx_partial(desk, reports, monkeypatch, client_for):
    add(monkeypatch, "backlog", build("backlog"))
    client = client_for(desk.supervisor)
    partial = client.get("/desk/dashboard/panels/backlog/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<section")
    assert "<html" not in partial
    assert "<svg" in partial
    assert "Opened" in partial
    assert "/desk/reports/backlog/?since=" in partial
    assert SEEN[-1].team_ids == {desk.team.pk}
    assert SEEN[-1].agent_id is None
    page = client.get("/desk/dashboard/panels/backlog/").content.decode()
    assert "<html" in page


def test_my_panels_are_about_me_and_my_time_is_this_week(desk, reports, monkeypatch, client_for):
    add(monkeypatch, "time_by_category", build("time_by_category"), audience="agent")
    response = client_for(desk.agent).get("/desk/dashboard/panels/my_time/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    seen = SEEN[-1]
    assert seen.agent_id == desk.agent.pk
    assert seen.since.weekday() == 0
    assert seen.until == selectors.today()


def test_a_failing_report_fails_only_its_panel(desk, reports, monkeypatch, client_for):
    add(monkeypatch, "escalations", broken)
    response = client_for(desk.supervisor).get(
        "/desk/dashboard/panels/escalations/", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "could not be loaded" in response.content.decode()


def test_panels_of_reports_one_may_not_see_are_not_found(desk, reports, monkeypatch, client_for):
    add(monkeypatch, "backlog", build("backlog"))
    agent = client_for(desk.agent)
    assert agent.get("/desk/dashboard/panels/backlog/").status_code == 404
    assert agent.get("/desk/dashboard/panels/workload/").status_code == 404  # not registered
    assert agent.get("/desk/dashboard/panels/nothing/").status_code == 404


def test_my_queue_and_sla_risks(desk, reports, client_for):
    calm = desk.ticket(subject="Calm one")
    late = desk.ticket(subject="Late one")
    nobody = desk.ticket(subject="Nobody's")
    for ticket in (calm, late):
        services.take_ownership(ticket=ticket, actor=desk.agent)
    Ticket.objects.filter(pk=late.pk).update(sla_state="breached")
    Ticket.objects.filter(pk=calm.pk).update(due_at=late.due_at - dt.timedelta(hours=1))
    client = client_for(desk.agent)
    queue = client.get("/desk/dashboard/panels/queue/", HTTP_HX_REQUEST="true").content.decode()
    assert '?view=mine">2</a>' in queue
    assert '?view=unassigned">1</a>' in queue
    risks = client.get("/desk/dashboard/panels/sla_risks/", HTTP_HX_REQUEST="true").content.decode()
    assert risks.index("Late one") < risks.index("Calm one")  # the breach first
    assert "Nobody" not in risks
    assert [t.pk for t in selectors.sla_risks(desk.agent)] == [late.pk, calm.pk]
    assert nobody.pk not in [t.pk for t in selectors.sla_risks(desk.supervisor)]


def test_the_panels_follow_views_panel_lists(desk):
    # Every panel that names a report uses one of the builders' slugs.
    assert {p.slug for p in views.PANELS.values() if p.slug} == {
        "time_by_category", "satisfaction", "backlog", "sla", "escalations", "workload",
        "decisions",
    }  # fmt: skip


# --- query budgets ---------------------------------------------------------------------


def count_queries(client, url: str, **extra) -> int:
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def more_tickets(desk, n: int) -> None:
    desk.agent.wip_limit = 1000
    desk.agent.save(update_fields=["wip_limit"])
    for i in range(n):
        ticket = desk.ticket(subject=f"Ticket {i}", requester=ContactFactory())
        services.take_ownership(ticket=ticket, actor=desk.agent)


@pytest.mark.parametrize(
    ("url", "budget"),
    [
        ("/desk/reports/", 6),
        ("/desk/reports/t-agent/", 8),
        ("/desk/reports/t-agent/export.csv", 7),
        ("/desk/dashboard/", 6),
        ("/desk/dashboard/panels/queue/", 7),
        ("/desk/dashboard/panels/sla_risks/", 7),
    ],
)
def test_query_counts_are_bounded(desk, reports, client_for, url, budget):
    client = client_for(desk.agent)
    more_tickets(desk, 2)
    small = count_queries(client, url, HTTP_HX_REQUEST="true")
    more_tickets(desk, 12)
    large = count_queries(client, url, HTTP_HX_REQUEST="true")
    assert small == large <= budget
