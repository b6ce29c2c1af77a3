"""Query budgets of the problem pages and API: the number of queries does not
grow with the number of problems, incidents or changes."""

from __future__ import annotations

import pytest

from deskwise.accounts.services import api_token_create
from deskwise.problems import services
from deskwise.tickets.tests.test_query_counts import grows, queries

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def add_problems(desk, n: int) -> None:
    for i in range(n):
        made = services.problem_create(
            actor=desk.agent,
            title=f"VPN problem {i}",
            symptoms="The VPN drops at home.",
            root_cause="Idle sessions.",
            workaround="Keep alive.",
            status="known_error",
            owner=desk.agent,
        )
        services.incident_link(problem=made, ticket=desk.ticket(), actor=desk.agent)


def add_incidents(desk, problem, n: int) -> None:
    for _i in range(n):
        services.incident_link(problem=problem, ticket=desk.ticket(), actor=desk.agent)
        services.problem_update(
            problem=problem, actor=desk.agent, title=f"Renamed {problem.events.count()}"
        )


def test_list_page_and_api(desk, client_for):
    client = client_for(desk.agent)
    add_problems(desk, 2)
    small, large = grows(lambda: queries(client, "/desk/problems/"), lambda: add_problems(desk, 15))
    assert small == large <= 8
    small, large = grows(
        lambda: queries(client, "/desk/problems/?q=vpn", **HTMX), lambda: add_problems(desk, 5)
    )
    assert small == large <= 6
    _, raw = api_token_create(user=desk.agent, name="t")
    api = client_for(None)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    small, large = grows(
        lambda: queries(api, "/api/v1/problems?limit=100", **headers),
        lambda: add_problems(desk, 10),
    )
    assert small == large <= 4


def test_detail_page_and_api(desk, client_for):
    client = client_for(desk.agent)
    made = services.problem_create(actor=desk.agent, title="VPN", symptoms="Drops")
    add_incidents(desk, made, 1)
    small, large = grows(
        lambda: queries(client, made.desk_url), lambda: add_incidents(desk, made, 10)
    )
    assert small == large <= 10
    _, raw = api_token_create(user=desk.agent, name="t")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    api = client_for(None)
    small, large = grows(
        lambda: queries(api, f"/api/v1/problems/{made.pk}", **headers),
        lambda: add_incidents(desk, made, 10),
    )
    assert small == large <= 7


def test_ticket_panel(desk, client_for):
    client = client_for(desk.agent)
    ticket = desk.ticket(subject="VPN drops at home", description="The VPN drops")
    url = f"/desk/problems/for-ticket/{ticket.pk}/"
    small, large = grows(lambda: queries(client, url, **HTMX), lambda: add_problems(desk, 10))
    assert small == large <= 16
