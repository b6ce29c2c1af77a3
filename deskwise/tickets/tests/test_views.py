from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from deskwise.accounts.models import Contact
from deskwise.tickets import services
from deskwise.tickets.choices import Channel, EventKind, Status
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def agent_client(desk) -> Client:
    client = Client()
    client.force_login(desk.agent)
    return client


class TestQueue:
    def test_lists_active_tickets_with_badges_and_counts(self, desk, agent_client):
        ticket = desk.ticket(subject="Monitor flickers")
        services.close(ticket=desk.ticket(subject="Old and done"), actor=desk.agent)
        html = agent_client.get("/desk/?view=all").content.decode()
        assert "Monitor flickers" in html
        assert "Old and done" not in html
        assert ticket.reference in html
        assert 'class="badge blue">New<' in html

    def test_status_filter_from_the_query_string(self, desk, agent_client):
        services.close(ticket=desk.ticket(subject="Old and done"), actor=desk.agent)
        assert "Old and done" in agent_client.get("/desk/?view=all&status=closed").content.decode()

    def test_htmx_gets_only_the_results(self, desk, agent_client):
        desk.ticket(subject="Monitor flickers")
        response = agent_client.get("/desk/?view=all", HTTP_HX_REQUEST="true")
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="results"')
        assert "<html" not in html
        assert "Monitor flickers" in html

    def test_nonsense_filters_are_reset_with_a_message(self, desk, agent_client):
        desk.ticket(subject="Monitor flickers")
        response = agent_client.get("/desk/?status=bogus&priority=9&cursor=zzz", follow=True)
        html = response.content.decode()
        assert response.status_code == 200
        assert "were not understood" in html
        assert "Monitor flickers" in html

    def test_next_page_link_keeps_filters(self, desk, agent_client):
        for i in range(30):
            desk.ticket(subject=f"Ticket number {i}")
        html = agent_client.get("/desk/?view=all&channel=portal").content.decode()
        assert "Next page" in html
        assert "channel=portal" in html.split("Next page")[0].rsplit("href=", 1)[-1]


class TestTicketPage:
    def test_shows_the_whole_timeline_with_internal_notes(self, desk, agent_client):
        ticket = desk.ticket(description="It is broken.")
        services.add_note(ticket=ticket, actor=desk.agent, body="Checked the cable.")
        services.take_ownership(ticket=ticket, actor=desk.agent)
        html = agent_client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
        assert "It is broken." in html
        assert "Checked the cable." in html
        assert "internal" in html
        assert "took ownership" in html

    def test_reply_without_javascript_redirects_back(self, desk, agent_client):
        ticket = desk.ticket()
        response = agent_client.post(f"/desk/tickets/{ticket.pk}/reply/", {"body": "Fixed it?"})
        assert response.status_code == 302
        assert response["Location"] == f"/desk/tickets/{ticket.pk}/"
        assert ticket.events.last().kind == EventKind.REPLY
        assert "Reply sent." in agent_client.get(response["Location"]).content.decode()

    def test_reply_with_htmx_returns_the_ticket_partial(self, desk, agent_client):
        ticket = desk.ticket()
        response = agent_client.post(
            f"/desk/tickets/{ticket.pk}/reply/",
            {"body": "On my way", "then": "waiting_on_requester"},
            HTTP_HX_REQUEST="true",
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith('<div id="ticket">')
        assert "On my way" in html
        assert "Reply sent." in html
        ticket.refresh_from_db()
        assert ticket.status == Status.WAITING

    def test_invalid_input_shows_the_error_and_keeps_the_text(self, desk, agent_client):
        ticket = desk.ticket()
        response = agent_client.post(f"/desk/tickets/{ticket.pk}/reply/", {"body": "bad \x07 bell"})
        html = response.content.decode()
        assert response.status_code == 422
        assert "control character" in html
        assert "bad \x07 bell" in html or "bad &#x7; bell" in html or "bad" in html
        assert ticket.events.count() == 1

    def test_a_refused_transition_says_why(self, desk, agent_client):
        ticket = desk.ticket()
        services.close(ticket=ticket, actor=desk.agent)
        response = agent_client.post(
            f"/desk/tickets/{ticket.pk}/status/", {"to": "waiting_on_requester"}
        )
        assert response.status_code == 422
        assert "A closed ticket can only be reopened." in response.content.decode()

    def test_oversized_upload_is_refused_with_the_limit(self, desk, agent_client, settings):
        settings.DESKWISE_MAX_ATTACHMENT_BYTES = 1024
        ticket = desk.ticket()
        big = SimpleUploadedFile("dump.bin", b"x" * 2048)
        response = agent_client.post(
            f"/desk/tickets/{ticket.pk}/note/", {"body": "see file", "attachments": [big]}
        )
        assert response.status_code == 422
        assert "dump.bin is 2 KB; the limit is 1 KB per file." in response.content.decode()
        assert ticket.events.count() == 1

    def test_every_action_works_from_the_page(self, desk, agent_client):
        ticket = desk.ticket()
        steps = [
            ("take", {}),
            ("note", {"body": "n"}),
            ("log", {"channel": "phone", "body": "called", "public": "on"}),
            ("assign", {"owner": desk.supervisor.pk}),
            ("escalate", {"reason": "help", "to_user": desk.supervisor.pk}),
            ("status", {"to": "waiting_on_requester", "reason": "asked for the model"}),
            ("status", {"to": "open"}),
            ("resolve", {"resolution": "done"}),
            ("reopen", {"reason": "came back"}),
            ("close", {"reason": "duplicate"}),
        ]
        for action, data in steps:
            response = agent_client.post(f"/desk/tickets/{ticket.pk}/{action}/", data)
            assert response.status_code == 302, (action, response.content.decode()[:2000])
        ticket.refresh_from_db()
        assert ticket.status == Status.CLOSED
        assert ticket.events.count() == 1 + len(steps)

    def test_unknown_action_is_404(self, desk, agent_client):
        ticket = desk.ticket()
        assert agent_client.post(f"/desk/tickets/{ticket.pk}/explode/").status_code == 404


class TestLogContact:
    def test_a_call_becomes_a_ticket_in_one_post(self, desk, agent_client):
        response = agent_client.post(
            "/desk/log/",
            {
                "channel": "phone",
                "requester_email": "Walk.In@Example.com",
                "requester_name": "Wal In",
                "subject": "Password expired",
                "body": "Needs a reset.",
                "impact": "person",
                "urgency": "blocked",
                "take": "on",
            },
        )
        ticket = Ticket.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/desk/tickets/{ticket.pk}/"
        assert ticket.channel == Channel.PHONE
        assert ticket.owner == desk.agent
        assert ticket.requester.email == "walk.in@example.com"
        assert ticket.requester.name == "Wal In"

    def test_invalid_email_is_explained(self, desk, agent_client):
        response = agent_client.post(
            "/desk/log/",
            {
                "channel": "phone",
                "requester_email": "not-an-address",
                "subject": "s",
                "body": "b",
                "impact": "person",
                "urgency": "blocked",
            },
        )
        assert response.status_code == 422
        assert "is not a valid email address" in response.content.decode()
        assert not Contact.objects.filter(email="not-an-address").exists()

    def test_contact_lookup_offers_known_requesters(self, desk, agent_client):
        html = agent_client.get(
            "/desk/log/contacts/?requester_email=requ", HTTP_HX_REQUEST="true"
        ).content.decode()
        assert html.startswith('<datalist id="contact-options">')
        assert desk.requester.email in html


class TestAttachmentDownload:
    def test_files_download_as_attachments_with_nosniff(self, desk, agent_client):
        ticket = desk.ticket(
            uploads=[SimpleUploadedFile("page.html", b"<script>alert(1)</script>")]
        )
        attachment = ticket.attachments.get()
        response = agent_client.get(f"/attachments/{attachment.pk}/page.html")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Content-Type"] == "application/octet-stream"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_real_images_are_shown_inline(self, desk, agent_client):
        ticket = desk.ticket(uploads=[SimpleUploadedFile("shot.png", PNG)])
        response = agent_client.get(f"/attachments/{ticket.attachments.get().pk}/shot.png")
        assert response["Content-Disposition"].startswith("inline;")
        assert response["Content-Type"] == "image/png"

    def test_a_fake_image_is_not_inline(self, desk, agent_client):
        ticket = desk.ticket(uploads=[SimpleUploadedFile("shot.png", b"<svg onload=alert(1)>")])
        response = agent_client.get(f"/attachments/{ticket.attachments.get().pk}/shot.png")
        assert response["Content-Disposition"].startswith("attachment;")


class TestTriageOnThePage:
    def test_the_panel_shows_proposals_flags_and_the_clarifying_reply(self, desk, agent_client):
        ticket = desk.ticket(subject="help", description="it doesnt work", impact=None,
                             urgency=None)  # fmt: skip
        html = agent_client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
        assert "Cannot explain the problem" in html
        assert "Ask the clarifying questions" in html
        form = agent_client.get(f"/desk/tickets/{ticket.pk}/reply/?prefill=clarify")
        text = form.content.decode()
        assert "To help you quickly, could you tell me:" in text
        assert "1. What exactly happens?" in text

    def test_change_triage_and_flag_from_the_sidebar(self, desk, agent_client):
        ticket = desk.ticket()
        response = agent_client.post(
            f"/desk/tickets/{ticket.pk}/triage/",
            {"triage_class": "urgent", "impact": "team", "urgency": "blocked",
             "reason": "Payroll run today"},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
        response = agent_client.post(
            f"/desk/tickets/{ticket.pk}/flag/",
            {"code": "research", "reason": "Needs a macro written", "on": "raise"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        ticket.refresh_from_db()
        assert (ticket.triage_class, ticket.priority) == ("urgent", 2)
        assert [f["code"] for f in ticket.red_flags] == ["research"]
        queue = agent_client.get("/desk/?view=all").content.decode()
        assert "Needs extensive research or training" in queue

    def test_take_the_next_ticket_button(self, desk, agent_client):
        ticket = desk.ticket()
        response = agent_client.post("/desk/next/")
        assert response.status_code == 302
        assert response["Location"] == f"/desk/tickets/{ticket.pk}/"
        ticket.refresh_from_db()
        assert ticket.owner == desk.agent
        again = agent_client.post("/desk/next/", follow=True)
        assert "Nothing is waiting" in again.content.decode()
