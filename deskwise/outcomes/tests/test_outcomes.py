"""Defer and decline, the automatic return, the register, off-channel requests:
through the services, the pages and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from deskwise.accounts.models import Contact
from deskwise.accounts.services import contact_get_or_create
from deskwise.core import clock
from deskwise.core.errors import Conflict, InvalidInput, NotAllowed
from deskwise.outcomes import services
from deskwise.outcomes.models import Decision, DecisionReason, OffChannelRequest, Where
from deskwise.outcomes.selectors import RegisterFilters, bypass_report, register_page
from deskwise.outcomes.tasks import return_deferred_tickets
from deskwise.tickets import services as ticket_services
from deskwise.tickets.choices import EventKind, Status
from deskwise.tickets.tests.test_api import api, post

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def person(email: str, name: str = "") -> Contact:
    return contact_get_or_create(email=email, name=name)


def reason(code: str) -> DecisionReason:
    return DecisionReason.objects.get(code=code)


def defer(desk, ticket, *, days: int = 10, **kwargs):
    return services.decide(
        ticket=ticket,
        actor=kwargs.pop("actor", desk.agent),
        kind="defer",
        reason=reason("non_urgent_queue"),
        message="We will get to it by then.",
        expected_date=(clock.now() + dt.timedelta(days=days)).date(),
        **kwargs,
    )


class TestDecide:
    def test_a_deferral_is_one_public_event_a_register_row_and_a_mail(
        self, desk, mailoutbox, run_tasks
    ):
        ticket = desk.ticket(subject="New monitor", description="Could I get a bigger monitor?")
        with run_tasks():
            decision = defer(
                desk,
                ticket,
                alternatives=[
                    {"kind": "link", "label": "Borrow one", "url": "https://intranet/loan"}
                ],
            )
        ticket.refresh_from_db()
        assert ticket.status == Status.DEFERRED
        assert ticket.deferred_until is not None
        event = ticket.events.get(kind=EventKind.DECISION)
        assert event.visibility == "public"
        assert event.body_text == "We will get to it by then."
        assert event.data["decision"]["reason"]["code"] == "non_urgent_queue"
        assert event.data["status"] == {
            "from": "new",
            "to": "deferred",
            "reason": "Non-urgent while critical work is queued",
        }
        assert (decision.subject, decision.description) == (
            "New monitor",
            "Could I get a bigger monitor?",
        )
        assert decision.alternatives == [
            {"kind": "link", "label": "Borrow one", "url": "https://intranet/loan"}
        ]
        assert [m.to for m in mailoutbox][-1] == [desk.requester.email]
        assert "We will get to it by then." in mailoutbox[-1].body

    @pytest.mark.parametrize(
        ("days", "message"),
        [(0, "not in the future"), (-3, "not in the future"), (400, "more than a year away")],
    )
    def test_a_date_in_the_past_or_years_ahead_is_refused(self, desk, days, message):
        ticket = desk.ticket()
        with pytest.raises(InvalidInput, match=message):
            defer(desk, ticket, days=days)
        ticket.refresh_from_db()
        assert ticket.status == Status.NEW
        assert not Decision.objects.exists()

    def test_a_decline_has_no_date_and_a_reason_that_fits(self, desk):
        ticket = desk.ticket()
        with pytest.raises(InvalidInput, match="not a reason for a decline"):
            services.decide(
                ticket=ticket,
                actor=desk.agent,
                kind="decline",
                reason=reason("non_urgent_queue"),
                message="No.",
            )
        with pytest.raises(InvalidInput, match="has no date"):
            services.decide(
                ticket=ticket,
                actor=desk.agent,
                kind="decline",
                reason=reason("out_of_scope"),
                message="No.",
                expected_date=dt.date(2030, 1, 1),
            )
        services.decide(
            ticket=ticket,
            actor=desk.agent,
            kind="decline",
            reason=reason("out_of_scope"),
            message="Not ours, sorry.",
        )
        ticket.refresh_from_db()
        assert ticket.status == Status.DECLINED
        with pytest.raises(Conflict):
            services.decide(
                ticket=ticket,
                actor=desk.agent,
                kind="decline",
                reason=reason("duplicate"),
                message="Again.",
            )

    @pytest.mark.parametrize(
        "alternative",
        [
            {"kind": "link", "label": "Guide"},
            {"kind": "link", "label": "x", "url": "javascript:alert(1)"},
            {"kind": "spell", "label": "x"},
            {"kind": "text", "label": "a\x00b"},
        ],
    )
    def test_bad_alternatives_are_refused_with_the_reason(self, desk, alternative):
        with pytest.raises(InvalidInput):
            defer(desk, desk.ticket(), alternatives=[alternative])

    def test_only_agents_of_the_team_decide(self, desk):
        ticket = desk.ticket()
        with pytest.raises(NotAllowed):
            defer(desk, ticket, actor=desk.requester)
        with pytest.raises(NotAllowed):
            defer(desk, ticket, actor=desk.other_agent)

    def test_a_reply_to_a_declined_ticket_reopens_it_for_review(self, desk):
        ticket = desk.ticket()
        services.decide(
            ticket=ticket,
            actor=desk.agent,
            kind="decline",
            reason=reason("self_service"),
            message="Here is how.",
        )
        ticket_services.add_requester_message(
            ticket=ticket, contact=desk.requester.contact, body="That guide does not cover Macs."
        )
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.reopen_count == 1


class TestReturn:
    def test_comes_back_on_its_date_at_the_top_of_the_owners_queue(self, desk, client_for):
        with clock.frozen_at(MONDAY):
            ticket = ticket_services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
            defer(desk, ticket, days=3)
        with clock.frozen_at(MONDAY + dt.timedelta(days=2)):
            assert return_deferred_tickets.call() == 0
        with clock.frozen_at(MONDAY + dt.timedelta(days=3, hours=1)):
            assert return_deferred_tickets.call() == 1
            assert return_deferred_tickets.call() == 0
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.back_at is not None
        html = client_for(desk.agent).get("/desk/?view=mine").content.decode()
        assert "Back from deferral" in html
        assert ticket.subject in html.split("Back from deferral", 1)[1].split("</ul>", 1)[0]
        ticket_services.reply(ticket=ticket, actor=desk.agent, body="Picking this up now.")
        ticket.refresh_from_db()
        assert ticket.back_at is None

    def test_a_ticket_taken_up_early_does_not_come_back(self, desk):
        with clock.frozen_at(MONDAY):
            ticket = desk.ticket()
            defer(desk, ticket, days=3)
            ticket_services.transition(
                ticket=ticket, actor=desk.agent, to=Status.OPEN, reason="Time freed up"
            )
        with clock.frozen_at(MONDAY + dt.timedelta(days=4)):
            assert return_deferred_tickets.call() == 0


class TestRegister:
    def test_agents_see_their_teams_and_filters_apply(self, desk):
        mine = desk.ticket(subject="Mine")
        theirs = desk.ticket(team=desk.other_team, subject="Theirs")
        defer(desk, mine)
        services.decide(
            ticket=theirs,
            actor=desk.other_agent,
            kind="decline",
            reason=reason("duplicate"),
            message="Dup.",
        )
        seen = register_page(user=desk.agent, filters=RegisterFilters())
        assert [d.subject for d in seen.items] == ["Mine"]
        every = register_page(user=desk.admin, filters=RegisterFilters())
        assert {d.subject for d in every.items} == {"Mine", "Theirs"}
        declines = register_page(user=desk.admin, filters=RegisterFilters(kind="decline"))
        assert [d.subject for d in declines.items] == ["Theirs"]
        with pytest.raises(NotAllowed):
            register_page(user=desk.requester, filters=RegisterFilters())

    def test_pages_export_and_analysis(self, desk, client_for):
        for n in range(3):
            ticket = desk.ticket(
                subject=f"Admin rights to install Python {n}",
                description="I need admin rights to install Python.",
            )
            services.decide(
                ticket=ticket,
                actor=desk.agent,
                kind="decline",
                reason=reason("self_service"),
                message="Use the software centre.",
            )
        ticket = desk.ticket(subject="=cmd|' /C calc'!A0", description="+hostile")
        defer(desk, ticket)
        client = client_for(desk.agent)
        html = client.get("/desk/declines/").content.decode()
        assert "Admin rights to install Python 2" in html
        csv = b"".join(client.get("/desk/declines/export.csv").streaming_content).decode()
        assert "'=cmd" in csv
        assert "\n=cmd" not in csv
        analysis = client.get("/desk/declines/analysis/").content.decode()
        assert "Make the case for a fix" in analysis
        case = client.post(
            "/desk/declines/analysis/case/1/",
            {
                "title": "Self-service installs",
                "fix_kind": "documentation",
                "proposal": "Publish the software centre guide.",
                "format": "md",
            },
        )
        assert case.status_code == 200
        assert case["Content-Type"].startswith("text/markdown")
        assert "Publish the software centre guide." in case.content.decode()
        assert client.get("/desk/declines/analysis/case/9/").status_code == 404
        assert client_for(desk.requester).get("/desk/declines/").status_code == 404


class TestDialog:
    def test_preview_fills_the_reply_then_sending_decides(self, desk, client_for):
        ticket = desk.ticket(subject="Photoshop please")
        client = client_for(desk.agent)
        page = client.get(f"/desk/tickets/{ticket.pk}/decide/defer/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "Acknowledge the request" in html  # the language bank
        assert 'type="date"' in html
        form = {
            "reason": reason("needs_approval").pk,
            "explanation": "",
            "alternatives": "The free trial | https://example.org/trial",
            "expected_date": (clock.now() + dt.timedelta(days=14)).date().isoformat(),
            "template": "",
            "message": "",
        }
        preview = client.post(f"/desk/tickets/{ticket.pk}/decide/defer/", {**form, "preview": "1"})
        text = preview.content.decode()
        assert preview.status_code == 200
        assert "Photoshop please" in text
        assert "https://example.org/trial" in text
        ticket.refresh_from_db()
        assert ticket.status == Status.NEW  # nothing sent yet
        sent = client.post(
            f"/desk/tickets/{ticket.pk}/decide/defer/",
            {**form, "message": "Hello, we need approval first; by then it is done.", "send": "1"},
        )
        assert sent.status_code == 302
        ticket.refresh_from_db()
        assert ticket.status == Status.DEFERRED

    def test_the_requester_sees_the_decision_not_the_internal_notes(self, desk, client_for):
        ticket = desk.ticket()
        ticket_services.add_note(ticket=ticket, actor=desk.agent, body="Secret: budget is frozen")
        services.decide(
            ticket=ticket,
            actor=desk.agent,
            kind="decline",
            reason=reason("other_team"),
            message="Facilities can help.",
            alternatives=[{"kind": "team", "label": "Facilities, ext. 400"}],
        )
        html = client_for(desk.requester).get(f"/portal/requests/{ticket.pk}/").content.decode()
        assert "Facilities can help." in html
        assert "Facilities, ext. 400" in html
        assert "Better handled by another team" in html
        assert "budget is frozen" not in html


class TestOffChannel:
    def test_as_a_ticket_at_once(self, desk):
        someone = person("pat@example.com", "Pat Lee")
        logged = services.log_off_channel(
            actor=desk.agent,
            requester=someone,
            what="My laptop fan is very loud.\nSince Monday.",
            where=Where.HALLWAY,
            as_ticket=True,
        )
        assert logged.ticket is not None
        assert logged.ticket.requester == someone
        assert logged.ticket.subject == "My laptop fan is very loud."
        first = logged.ticket.events.order_by("id").first()
        assert first.kind == EventKind.WALK_UP
        assert first.data["off_channel"]["where"] == "hallway"

    def test_or_a_friendly_please_submit_with_a_prefilled_link(self, desk, mailoutbox, run_tasks):
        someone = person("pat@example.com", "Pat Lee")
        with run_tasks():
            logged = services.log_off_channel(
                actor=desk.agent,
                requester=someone,
                what="Can you look at my VPN?",
                where=Where.CHAT,
                as_ticket=False,
                message="Please send it to the desk: "
                + services.submit_link("Can you look at my VPN?"),
            )
        assert logged.outcome == OffChannelRequest.Outcome.INVITED
        (mail,) = mailoutbox
        assert mail.to == ["pat@example.com"]
        assert "/portal/new/?subject=Can+you+look+at+my+VPN%3F" in mail.body

    def test_reports_find_the_favourite_technician(self, desk):
        pat = person("pat@example.com", "Pat Lee")
        sam = person("sam@example.com", "Sam Roe")
        for _ in range(4):
            services.log_off_channel(
                actor=desk.agent,
                requester=pat,
                what="Quick question",
                where=Where.HALLWAY,
                as_ticket=True,
            )
        services.log_off_channel(
            actor=desk.supervisor,
            requester=pat,
            what="Another one",
            where=Where.PHONE,
            as_ticket=True,
        )
        services.log_off_channel(
            actor=desk.agent, requester=sam, what="Printer?", where=Where.CHAT, as_ticket=True
        )
        report = bypass_report(user=desk.supervisor, since=clock.now() - dt.timedelta(days=1))
        assert report.total == 6
        assert report.by_requester[0] == ("Pat Lee", 5)
        assert report.by_agent[0] == (desk.agent.display_name, 5)
        assert report.pairs[0] == ("Pat Lee", desk.agent.display_name, 4, 0.8, pat.pk)
        own = bypass_report(user=desk.agent, since=clock.now() - dt.timedelta(days=1))
        assert own.total == 5  # an agent sees only their own

    def test_the_page_in_two_clicks(self, desk, client_for):
        client = client_for(desk.agent)
        assert "Asked directly" in client.get("/desk/").content.decode()
        response = client.post(
            "/desk/asked-directly/",
            {
                "requester_email": "kim@example.com",
                "requester_name": "Kim",
                "what": "Wifi drops",
                "where": "hallway",
                "outcome": "ticket",
            },
        )
        assert response.status_code == 302
        assert OffChannelRequest.objects.get().ticket is not None


class TestApi:
    def test_defer_decline_register_and_off_channel(self, desk):
        client = api(desk.agent)
        ticket = desk.ticket()
        later = (clock.now() + dt.timedelta(days=5)).date().isoformat()
        response = post(
            client,
            f"/api/v1/tickets/{ticket.pk}/defer",
            {
                "reason": "non_urgent_queue",
                "message": "Next week.",
                "expected_date": later,
                "alternatives": [{"kind": "text", "label": "Restart it meanwhile"}],
            },
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "deferred"
        past = post(
            client,
            f"/api/v1/tickets/{ticket.pk}/defer",
            {"reason": "non_urgent_queue", "message": "x", "expected_date": "2020-01-01"},
        )
        assert past.status_code == 422
        assert "not in the future" in past.json()["message"]
        other = desk.ticket()
        declined = post(
            client,
            f"/api/v1/tickets/{other.pk}/decline",
            {"reason": "out_of_scope", "message": "Not ours."},
        )
        assert declined.status_code == 200
        assert (
            post(
                client, f"/api/v1/tickets/{other.pk}/decline", {"reason": "nope", "message": "x"}
            ).status_code
            == 404
        )
        page = client.get("/api/v1/declines?kind=decline").json()
        assert [d["reference"] for d in page["items"]] == [other.reference]
        assert client.get("/api/v1/declines/analysis").status_code == 200
        assert {r["code"] for r in client.get("/api/v1/declines/reasons").json()} >= {
            "duplicate",
            "self_service",
        }
        logged = post(
            client,
            "/api/v1/off-channel",
            {
                "requester_email": "kim@example.com",
                "what": "Wifi drops",
                "where": "phone",
            },
        )
        assert logged.status_code == 201
        assert logged.json()["ticket_id"]
        assert api(desk.requester).get("/api/v1/declines").status_code == 403
        assert (
            post(
                api(desk.requester),
                "/api/v1/off-channel",
                {
                    "requester_email": "kim@example.com",
                    "what": "x",
                    "where": "phone",
                },
            ).status_code
            == 403
        )


def test_no_requester_can_defer_through_the_page(desk):
    client = Client()
    client.force_login(desk.requester)
    ticket = desk.ticket()
    assert client.get(f"/desk/tickets/{ticket.pk}/decide/defer/").status_code == 404


def test_the_please_submit_link_fills_the_portal_form(desk, client_for):
    link = services.submit_link("VPN drops\nEvery ten minutes since Monday.")
    path = link.split("://", 1)[1].split("/", 1)[1]
    html = client_for(desk.requester).get("/" + path).content.decode()
    assert 'value="VPN drops"' in html
    assert "Every ten minutes since Monday." in html


def test_the_nudge_is_sent_once_per_direct_request(desk, client_for, mailoutbox, run_tasks):
    pat = person("pat@example.com", "Pat Lee")
    for _ in range(2):
        services.log_off_channel(
            actor=desk.agent, requester=pat, what="Quick one", where=Where.HALLWAY, as_ticket=True
        )
    client = client_for(desk.agent)
    page = client.get("/desk/asked-directly/").content.decode()
    assert "Send the nudge" in page
    with run_tasks():
        assert client.post("/desk/asked-directly/nudge/", {"requester": pat.pk}).status_code == 302
    nudges = [m for m in mailoutbox if m.subject == "Getting help faster from the help desk"]
    assert len(nudges) == 1
    assert "Pat" in nudges[0].body
    assert "{{" not in nudges[0].body
    again = client.post("/desk/asked-directly/nudge/", {"requester": pat.pk}, follow=True)
    assert "already nudged" in again.content.decode()
    other = person("zoe@example.com")
    refused = client.post("/desk/asked-directly/nudge/", {"requester": other.pk}, follow=True)
    assert "has not asked you directly" in refused.content.decode()


def test_any_reply_can_start_from_a_template(desk, client_for):
    from deskwise.responses.models import ResponseTemplate

    template = ResponseTemplate.objects.create(
        name="Quick check", purpose="any", body="Hello {{ first_name }}, about {{ reference }}:"
    )
    ticket = desk.ticket()
    client = client_for(desk.agent)
    assert "Quick check" in client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    form = client.get(f"/desk/tickets/{ticket.pk}/reply/?template={template.pk}").content.decode()
    assert f"Hello {desk.requester.contact.first_name}, about {ticket.reference}:" in form
    assert client.get(f"/desk/tickets/{ticket.pk}/reply/?template=999999").status_code == 404


def test_the_register_reads_any_iso_offset(desk):
    from deskwise.tickets.tests.test_api import api

    client = api(desk.supervisor)
    for moment in ("2026-11-30T09:00:00+21:23", "2026-11-30T09:00:00-23:59", "2026-11-30"):
        assert client.get("/api/v1/declines", {"since": moment}).status_code == 200, moment
