from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from deskwise.accounts.choices import Role
from deskwise.testing import UserFactory
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, Priority, Status
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester_client(desk) -> Client:
    client = Client()
    client.force_login(desk.requester)
    return client


def test_submitting_a_request_opens_a_ticket_and_acknowledges_it(desk, requester_client, run_tasks):
    with run_tasks():
        response = requester_client.post(
            "/portal/new/",
            {
                "subject": "Can't print payslips",
                "description": "The Finance printer says 'offline'.",
                "impact": "team",
                "urgency": "blocked",
                "attachments": [SimpleUploadedFile("error.txt", b"printer offline")],
            },
        )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/portal/requests/{ticket.pk}/"
    assert (ticket.channel, ticket.priority) == (Channel.PORTAL, Priority.P2)
    assert ticket.requester == desk.requester.contact
    assert ticket.attachments.get().filename == "error.txt"
    assert mail.outbox[-1].subject.startswith(f"[{ticket.reference}] We have your request")
    page = requester_client.get(response["Location"]).content.decode()
    assert "Thank you: your request is" in page
    assert "What happens next" in page
    # No history yet: the honest answer is the target, said to be one.
    assert "Our target is to start on requests like yours within" in page


def test_invalid_requests_keep_what_was_typed(desk, requester_client):
    response = requester_client.post(
        "/portal/new/",
        {
            "subject": "",
            "description": "My long story that must not be lost.",
            "impact": "person",
            "urgency": "degraded",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "My long story that must not be lost." in html
    assert "This field is required" in html or "Subject is required" in html
    assert not Ticket.objects.exists()


def test_the_list_shows_only_my_requests_with_what_happens_next(desk, requester_client):
    mine = desk.ticket(subject="Mine")
    desk.ticket(subject="Someone else's", requester=desk.other_requester.contact)
    services.reply(ticket=mine, actor=desk.agent, body="Which printer?", then=Status.WAITING)
    html = requester_client.get("/portal/").content.decode()
    assert "Mine" in html
    assert "Someone else" not in html
    assert "We need something from you" in html


def test_internal_notes_never_reach_the_portal_even_for_an_agent_requester(desk):
    ticket = desk.ticket(requester=desk.agent.contact)
    services.add_note(ticket=ticket, actor=desk.supervisor, body="Internal: budget concerns")
    client = Client()
    client.force_login(desk.agent)
    html = client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "budget concerns" not in html
    # ...and the portal lists only the agent's own requests, not the team's.
    desk.ticket(subject="A team ticket")
    assert "A team ticket" not in client.get("/portal/").content.decode()


def test_replying_reopens_a_waiting_ticket(desk, requester_client):
    ticket = desk.ticket()
    services.reply(ticket=ticket, actor=desk.agent, body="Which floor?", then=Status.WAITING)
    response = requester_client.post(f"/portal/requests/{ticket.pk}/message/", {"body": "Second."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.parametrize(("answer", "status"), [("yes", Status.CLOSED), ("no", Status.OPEN)])
def test_confirming_or_saying_it_is_not_solved(desk, requester_client, answer, status):
    ticket = desk.ticket()
    services.resolve(ticket=ticket, actor=desk.agent, resolution="Replaced the cable.")
    page = requester_client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "Have we solved your problem?" in page
    response = requester_client.post(
        f"/portal/requests/{ticket.pk}/confirm/", {"solved": answer, "comment": ""}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == status


def test_a_participant_reads_but_does_not_confirm(desk):
    ticket = desk.ticket(participants=[desk.other_requester.contact])
    services.resolve(ticket=ticket, actor=desk.agent, resolution="Done.")
    client = Client()
    client.force_login(desk.other_requester)
    page = client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "Have we solved your problem?" not in page
    response = client.post(f"/portal/requests/{ticket.pk}/confirm/", {"solved": "yes"})
    assert response.status_code == 422
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_a_login_without_a_contact_is_told_why(db):
    user = UserFactory(role=Role.REQUESTER, contact=None)
    client = Client()
    client.force_login(user)
    response = client.get("/portal/")
    assert response.status_code == 403
    assert "No requester profile" in response.content.decode()
