"""Query budgets: the number of queries a page makes must not grow with the
number of tickets or events, and stays under a fixed budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from deskwise.accounts.services import api_token_create
from deskwise.testing import ContactFactory
from deskwise.tickets import services

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str, **extra) -> int:
    client.get(url, **extra)  # warm: once-a-minute bookkeeping such as a token's last use
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def add_tickets(desk, n: int) -> None:
    desk.agent.wip_limit = 1000  # the counts, not the agent's limit, are under test here
    desk.agent.save(update_fields=["wip_limit"])
    for i in range(n):
        ticket = desk.ticket(subject=f"Ticket {i}", requester=ContactFactory())
        if i % 2:
            services.take_ownership(ticket=ticket, actor=desk.agent)


def add_events(desk, ticket, n: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    for i in range(n):
        services.reply(
            ticket=ticket,
            actor=desk.agent,
            body=f"reply {i}",
            uploads=[SimpleUploadedFile(f"f{i}.txt", b"x")],
        )
        services.add_note(ticket=ticket, actor=desk.supervisor, body=f"note {i}")
        services.add_requester_message(ticket=ticket, contact=ticket.requester, body=f"msg {i}")


def grows(measure, grow) -> tuple[int, int]:
    small = measure()
    grow()
    return small, measure()


def test_agent_queue(desk):
    client = Client()
    client.force_login(desk.agent)
    add_tickets(desk, 3)
    small, large = grows(lambda: queries(client, "/desk/?view=all"), lambda: add_tickets(desk, 30))
    assert small == large <= 9


def test_agent_queue_htmx_partial(desk):
    client = Client()
    client.force_login(desk.agent)
    add_tickets(desk, 3)
    measure = lambda: queries(client, "/desk/?view=all&status=new", HTTP_HX_REQUEST="true")  # noqa: E731
    small, large = grows(measure, lambda: add_tickets(desk, 30))
    assert small == large <= 9


def test_ticket_page(desk):
    client = Client()
    client.force_login(desk.agent)
    ticket = desk.ticket()
    add_events(desk, ticket, 1)
    measure = lambda: queries(client, f"/desk/tickets/{ticket.pk}/")  # noqa: E731
    small, large = grows(measure, lambda: add_events(desk, ticket, 15))
    assert small == large <= 13


def test_portal_pages(desk):
    client = Client()
    client.force_login(desk.requester)
    ticket = desk.ticket()
    add_events(desk, ticket, 1)
    small, large = grows(
        lambda: queries(client, "/portal/"), lambda: [desk.ticket() for _ in range(20)]
    )
    assert small == large <= 4
    measure = lambda: queries(client, f"/portal/requests/{ticket.pk}/")  # noqa: E731
    small, large = grows(measure, lambda: add_events(desk, ticket, 10))
    assert small == large <= 7  # with the closing questions, when open


def test_api_lists(desk):
    _, raw = api_token_create(user=desk.agent, name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    add_tickets(desk, 3)
    small, large = grows(
        lambda: queries(client, "/api/v1/tickets?limit=100"), lambda: add_tickets(desk, 30)
    )
    assert small == large <= 4
    ticket = desk.ticket()
    measure = lambda: queries(client, f"/api/v1/tickets/{ticket.pk}/timeline?limit=100")  # noqa: E731
    small, large = grows(measure, lambda: add_events(desk, ticket, 10))
    assert small == large <= 6
