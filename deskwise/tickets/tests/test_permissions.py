"""The permission matrix: every role against every page, action, file and API
endpoint, including guessed ids. Not visible means 404, exactly like missing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.tickets import services
from deskwise.tickets.views import ACTIONS

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "requester", "other_requester", "agent", "other_agent", "supervisor", "admin"]
# Who can see the ticket (it is in desk.team and desk.requester asked for it).
SEES_TICKET = {"agent", "supervisor", "admin"}
OWN_REQUEST = {"requester"}


@pytest.fixture
def world(desk):
    ticket = desk.ticket(uploads=[SimpleUploadedFile("public.txt", b"public")])
    note = services.add_note(
        ticket=ticket,
        actor=desk.agent,
        body="internal",
        uploads=[SimpleUploadedFile("internal.txt", b"internal")],
    )
    public = ticket.attachments.get(filename="public.txt")
    internal = note.attachments.get()
    return desk, ticket, public, internal


def client_as(desk, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(desk, role))
    return client


def expect_page(role: str, status_if_allowed: int, allowed: set[str]) -> int:
    if role == "anonymous":
        return 302  # to the sign-in page, for every URL alike
    return status_if_allowed if role in allowed else 404


@pytest.mark.parametrize("role", ROLES)
def test_desk_pages(world, role):
    desk, ticket, _, _ = world
    client = client_as(desk, role)
    agents = {"agent", "other_agent", "supervisor", "admin"}
    assert client.get("/desk/").status_code == expect_page(role, 200, agents)
    assert client.get("/desk/log/").status_code == expect_page(role, 200, agents)
    assert client.get(f"/desk/tickets/{ticket.pk}/").status_code == expect_page(
        role, 200, SEES_TICKET
    )
    guessed = ticket.pk + 1000
    assert client.get(f"/desk/tickets/{guessed}/").status_code == expect_page(role, 404, set())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_desk_actions(world, role, action):
    desk, ticket, _, _ = world
    before = ticket.events.count()
    response = client_as(desk, role).post(f"/desk/tickets/{ticket.pk}/{action}/", {})
    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_TICKET:
        # An empty form is either enough (take) or refused with a message; never a 500.
        assert response.status_code in {302, 422}
    else:
        assert response.status_code == 404
        assert ticket.events.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_portal(world, role):
    desk, ticket, _, _ = world
    client = client_as(desk, role)
    assert client.get(f"/portal/requests/{ticket.pk}/").status_code == expect_page(
        role, 200, OWN_REQUEST
    )
    before = ticket.events.count()
    response = client.post(f"/portal/requests/{ticket.pk}/message/", {"body": "hello"})
    assert response.status_code == expect_page(role, 302, OWN_REQUEST)
    assert ticket.events.count() == before + (1 if role in OWN_REQUEST else 0)


@pytest.mark.parametrize("role", ROLES)
def test_attachments(world, role):
    desk, _, public, internal = world
    client = client_as(desk, role)
    sees_public = SEES_TICKET | OWN_REQUEST
    assert client.get(f"/attachments/{public.pk}/public.txt").status_code == expect_page(
        role, 200, sees_public
    )
    assert client.get(f"/attachments/{internal.pk}/internal.txt").status_code == expect_page(
        role, 200, SEES_TICKET
    )
    assert client.get(f"/attachments/{internal.pk + 99}/x").status_code == expect_page(
        role, 404, set()
    )


API_READS = ["/api/v1/tickets/{id}", "/api/v1/tickets/{id}/timeline"]
API_AGENT_WRITES = [
    ("/api/v1/tickets/{id}/reply", {"body": "hello"}),
    ("/api/v1/tickets/{id}/notes", {"body": "hello"}),
    ("/api/v1/tickets/{id}/take", {}),
    ("/api/v1/tickets/{id}/assign", {"owner_id": None}),
    ("/api/v1/tickets/{id}/transition", {"to": "waiting_on_requester", "reason": "r"}),
    ("/api/v1/tickets/{id}/escalate", {"reason": "why"}),
    ("/api/v1/tickets/{id}/log", {"body": "called", "channel": "phone"}),
]


def api_client(desk, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    _, raw = api_token_create(user=getattr(desk, role), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("role", ROLES)
def test_api(world, role):
    desk, ticket, _, _ = world
    headers = api_client(desk, role)
    client = Client()
    sees = SEES_TICKET | OWN_REQUEST
    for template in API_READS:
        expected = 401 if role == "anonymous" else (200 if role in sees else 404)
        assert client.get(template.format(id=ticket.pk), **headers).status_code == expected
        guessed = 401 if role == "anonymous" else 404
        assert client.get(template.format(id=ticket.pk + 1000), **headers).status_code == guessed
    for template, body in API_AGENT_WRITES:
        response = client.post(
            template.format(id=ticket.pk), body, content_type="application/json", **headers
        )
        if role == "anonymous":
            assert response.status_code == 401
        elif role in SEES_TICKET:
            assert response.status_code in {200, 201, 409, 422}, response.content
        elif role in OWN_REQUEST:
            assert response.status_code == 403, response.content
        else:
            assert response.status_code == 404, response.content
        assert response["Content-Type"].startswith("application/json")
