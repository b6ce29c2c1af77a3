"""The coach's pages: the notes beside the reply box, the one-click fixes, the
frustrated-requester panel and the measurement, with who may see what."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deskwise.coach import services
from deskwise.coach.models import CoachRecord
from deskwise.testing import ContactFactory
from deskwise.tickets import services as tickets
from deskwise.tickets.forms import ReplyForm

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
POOR = "Hi there,\n\nWe can't fix the VPN. I'll look into it."


def check_url(ticket) -> str:
    return f"/coach/tickets/{ticket.pk}/check/"


def fix_url(ticket) -> str:
    return f"/coach/tickets/{ticket.pk}/fix/"


def fix_buttons(html: str) -> list[dict]:
    return [json.loads(v.replace("&#34;", '"')) for v in re.findall(r"hx-vals='([^']*)'", html)]


class TestNotes:
    def test_the_partial_lists_the_notes(self, desk, named, client_for):
        ticket = named()
        response = client_for(desk.agent).post(check_url(ticket), {"body": POOR}, **HTMX)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="coach-notes"' in html
        for code in ("greeting", "negative", "jargon", "next_step"):
            assert f'data-code="{code}"' in html
        assert "Greet Mei by name" in html
        assert "never stops you sending" in html
        # One-click fixes point at the reply form's textarea.
        assert 'hx-target="#reply-form textarea[name=&#39;body&#39;]"' in html
        assert {b["code"] for b in fix_buttons(html)} >= {"greeting", "jargon"}

    def test_a_good_reply_and_an_empty_box(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        good = "Hi Mei,\n\nSorry to hear the printer jams. I'll fit a new roller at 3 pm today."
        assert "No notes" in agent.post(check_url(ticket), {"body": good}).content.decode()
        empty = agent.post(check_url(ticket), {"body": "   "}).content.decode()
        assert "reads your reply as you write it" in empty

    def test_purpose_changes_the_checks(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        text = "I've replaced the roller and printed twenty pages."
        reply = agent.post(check_url(ticket), {"body": text, "purpose": "reply"}).content
        resolution = agent.post(check_url(ticket), {"body": text, "purpose": "resolution"})
        assert b'data-code="greeting"' in reply
        assert b'data-code="acknowledgement"' in reply
        # The resolution mail greets Mei and asks "Have I solved your problem?" itself.
        for code in (b"greeting", b"acknowledgement", b"solved_question"):
            assert b'data-code="' + code + b'"' not in resolution.content
        deferral = agent.post(check_url(ticket), {"body": text, "purpose": "defer"}).content
        assert b"No date: when will you come back to it?" in deferral
        odd = agent.post(check_url(ticket), {"body": text, "purpose": "<script>"})
        assert odd.status_code == 200

    @pytest.mark.parametrize(
        "body",
        [
            "",
            "x" * 100_000,
            "The VPN is down. " * 6000,
            "<p>Hi <b>Mei</b></p><script>alert('x')</script>",
            "👍🙂🎉",
            "Hi\x00 Mei\x00",
            "\r\n\r\n",
        ],
    )
    def test_bad_input_never_errors(self, desk, named, client_for, body):
        response = client_for(desk.agent).post(check_url(named()), {"body": body}, **HTMX)
        assert response.status_code == 200
        assert b"<script>alert" not in response.content

    def test_a_failing_coach_shows_silence_not_an_error(self, desk, named, client_for, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("broken")

        monkeypatch.setattr(services, "notes_for", broken)
        response = client_for(desk.agent).post(check_url(named()), {"body": POOR})
        assert response.status_code == 200
        assert b"could not read this text" in response.content

    def test_only_agents_who_see_the_ticket(self, desk, named, client_for):
        ticket = named()
        assert (
            client_for(desk.other_agent).post(check_url(ticket), {"body": POOR}).status_code == 404
        )
        assert client_for(desk.requester).post(check_url(ticket), {"body": POOR}).status_code == 404
        assert client_for(desk.agent).get(check_url(ticket)).status_code == 405
        assert client_for(None).post(check_url(ticket), {"body": POOR}).status_code == 302
        assert client_for(desk.admin).post(check_url(ticket), {"body": POOR}).status_code == 200
        assert client_for(desk.agent).post("/coach/tickets/999999/check/", {}).status_code == 404


class TestFix:
    def apply(self, client, ticket, body, code, purpose="reply"):
        html = client.post(check_url(ticket), {"body": body, "purpose": purpose}).content.decode()
        (button,) = [b for b in fix_buttons(html) if b["code"] == code][:1]
        return client.post(fix_url(ticket), {"body": body, **button})

    def test_the_fix_returns_the_reply_box_with_it_applied(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        response = self.apply(agent, ticket, POOR, "jargon")
        assert response.status_code == 200
        fixed = POOR.replace("VPN", "secure remote connection")
        assert response.content.decode() == str(ReplyForm(initial={"body": fixed})["body"])
        assert response.content.decode().startswith('<textarea name="body"')
        assert response["HX-Trigger-After-Swap"] == "coach-recheck"

    def test_the_greeting_fix(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        greeted = self.apply(agent, ticket, POOR, "greeting").content.decode()
        assert "Hi Mei,\n\nWe can&#x27;t fix" in greeted or "Hi Mei,\n\nWe can&#39;t fix" in greeted

    def test_browser_line_breaks_are_read_as_the_reply_stores_them(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        body = POOR.replace("\n", "\r\n")
        response = self.apply(agent, ticket, body, "jargon")
        assert "secure remote connection" in response.content.decode()

    def test_a_stale_or_wrong_fix_leaves_the_text_alone(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        same = str(ReplyForm(initial={"body": POOR})["body"])
        html = agent.post(check_url(ticket), {"body": POOR}).content.decode()
        button = next(b for b in fix_buttons(html) if b["code"] == "jargon")
        # The agent typed on after the notes were shown: the span no longer matches.
        edited = "Hello again. " + POOR
        moved = agent.post(fix_url(ticket), {"body": edited, **button}).content.decode()
        assert moved == str(ReplyForm(initial={"body": edited})["body"])
        for junk in (
            {"note": "99", "code": "jargon", "start": "0", "end": "1"},
            {"note": "-1"},
            {"note": "x", "code": "", "start": "y"},
            {},
        ):
            response = agent.post(fix_url(ticket), {"body": POOR, **junk})
            assert response.status_code == 200
            assert response.content.decode() == same
        assert agent.post(fix_url(ticket), {"body": "x" * 100_000, "note": "0"}).status_code == 200

    def test_only_agents_who_see_the_ticket(self, desk, named, client_for):
        ticket = named()
        assert client_for(desk.other_agent).post(fix_url(ticket), {"body": POOR}).status_code == 404
        assert client_for(desk.requester).post(fix_url(ticket), {"body": POOR}).status_code == 404


class TestApproach:
    def test_a_frustrated_requester_gets_the_approach(self, desk, frustrated, client_for):
        response = client_for(desk.agent).get(f"/coach/tickets/{frustrated.pk}/approach/", **HTMX)
        html = response.content.decode()
        assert response.status_code == 200
        assert "The requester is frustrated" in html
        assert "Third time this week" in html  # why the flag was raised
        assert "by when" in html  # the approach
        assert "I&#39;m sorry this has been so frustrating" in html or "so frustrating" in html

    def test_nothing_for_anyone_else(self, desk, named, client_for):
        ticket = named()
        response = client_for(desk.agent).get(f"/coach/tickets/{ticket.pk}/approach/")
        assert response.status_code == 200
        assert response.content == b""
        other = client_for(desk.other_agent).get(f"/coach/tickets/{ticket.pk}/approach/")
        assert other.status_code == 404


# --- the measurement ----------------------------------------------------------------------


def send(desk, agent, ticket, body):
    event = tickets.reply(ticket=ticket, actor=agent, body=body)
    services.record_reply(event=event)


class TestMeasurement:
    def test_an_agent_sees_their_own_figures_only(self, desk, named, client_for):
        ticket = named()
        send(desk, desk.agent, ticket, POOR)
        send(desk, desk.agent, ticket, "Hi Mei,\n\nSorry about that. I'll call you at 3 pm.")
        send(desk, desk.supervisor, ticket, POOR)
        html = client_for(desk.agent).get("/desk/coach/").content.decode()
        assert "Your replies" in html
        assert "<strong>2</strong> replies sent" in html
        assert "Your teams" not in html
        other = client_for(desk.other_agent).get("/desk/coach/").content.decode()
        assert "<strong>0</strong> replies sent" in other

    def test_a_supervisor_sees_their_teams(self, desk, named, client_for):
        ticket = named()
        send(desk, desk.agent, ticket, POOR)
        send(desk, desk.supervisor, ticket, POOR)
        elsewhere = named(team=desk.other_team)
        send(desk, desk.other_agent, elsewhere, POOR)
        html = client_for(desk.supervisor).get("/desk/coach/").content.decode()
        assert "Your teams" in html
        assert desk.team.name in html
        assert desk.other_team.name not in html
        assert html.count("<strong>2</strong> replies sent") == 1  # the team
        everything = client_for(desk.admin).get("/desk/coach/").content.decode()
        assert desk.other_team.name in everything

    def test_requesters_see_nothing(self, desk, client_for):
        assert client_for(desk.requester).get("/desk/coach/").status_code == 404
        assert client_for(None).get("/desk/coach/").status_code == 302

    def test_weeks_are_bounded(self, desk, client_for):
        agent = client_for(desk.agent)
        for weeks in ("1", "52", "500", "-3", "x", ""):
            assert agent.get(f"/desk/coach/?weeks={weeks}").status_code == 200


# --- query budgets --------------------------------------------------------------------------


def queries(client, method: str, url: str, data: dict | None = None) -> int:
    getattr(client, method)(url, data or {}, **HTMX)  # warm the per-process memos
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data or {}, **HTMX)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def test_the_partial_makes_a_few_queries_whatever_the_text(desk, named, client_for):
    ticket = named()
    agent = client_for(desk.agent)
    short = queries(agent, "post", check_url(ticket), {"body": POOR})
    long = queries(agent, "post", check_url(ticket), {"body": POOR * 200})
    fix = queries(agent, "post", fix_url(ticket), {"body": POOR, "note": "0"})
    assert short == long <= 5
    assert fix <= 5


def test_the_measurement_page_does_not_grow_with_the_replies(desk, named, client_for):
    ticket = named()
    supervisor = client_for(desk.supervisor)
    send(desk, desk.agent, ticket, POOR)
    small = queries(supervisor, "get", "/desk/coach/")
    for i in range(20):
        other = desk.ticket(requester=ContactFactory())
        send(desk, desk.agent if i % 2 else desk.supervisor, other, POOR)
    assert CoachRecord.objects.count() == 21
    large = queries(supervisor, "get", "/desk/coach/")
    assert small == large <= 8


class TestOnTheDesk:
    """The coach where agents write: the reply box, the resolution, the message
    of a deferral or decline; and the approach on a frustrated ticket."""

    def test_the_reply_box_has_the_coach_beside_it(self, desk, named, client_for):
        ticket = named()
        html = client_for(desk.agent).get(f"/desk/tickets/{ticket.pk}/").content.decode()
        box = re.search(r'<div class="coach-box"[^>]*>', html)
        assert box is not None
        tag = box.group(0)
        assert f'hx-post="/coach/tickets/{ticket.pk}/check/"' in tag
        assert "from:#reply-form" in tag
        assert "#reply-form textarea[name='body']" in tag
        # Outside the form: checking never sends the attachments, never submits.
        form = html[html.index('<form id="reply-form"') :]
        assert form.index("</form>") < form.index('class="coach-box"')
        assert "coach-approach-slot" not in html

    def test_the_resolution_is_checked_as_a_resolution(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        html = agent.get(f"/desk/tickets/{ticket.pk}/resolve/", **HTMX).content.decode()
        assert "from:#resolve-form" in html
        assert '{"field": "resolution", "purpose": "resolution"}' in html
        done = "We can't restore the old VPN profile, so I set up a new one."
        posted = {"resolution": done, "field": "resolution", "purpose": "resolution"}
        notes = agent.post(check_url(ticket), posted).content.decode()
        assert 'data-code="negative"' in notes
        assert 'data-code="solved_question"' not in notes  # the mail asks it
        assert "#resolve-form textarea[name=&#39;resolution&#39;]" in notes
        (button,) = [b for b in fix_buttons(notes) if b["code"] == "jargon"]
        assert button["field"] == "resolution"
        fixed = agent.post(fix_url(ticket), {"resolution": done, **button}).content.decode()
        assert fixed.startswith('<textarea name="resolution"')
        assert "restore the old secure remote connection profile" in fixed

    def test_a_decline_is_checked_for_a_way_forward(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        page = agent.get(f"/desk/tickets/{ticket.pk}/decide/decline/").content.decode()
        assert 'id="decide-form"' in page
        assert '"purpose": "decline"' in page
        message = "Hi Mei,\n\nThanks for asking about the plotter. We won't buy one."
        posted = {"message": message, "field": "message", "purpose": "decline"}
        notes = agent.post(check_url(ticket), posted).content.decode()
        assert 'data-code="next_step"' in notes
        assert "nothing the requester can do instead" in notes

    def test_a_frustrated_ticket_shows_the_approach_above_the_reply(
        self, desk, frustrated, client_for
    ):
        html = client_for(desk.agent).get(f"/desk/tickets/{frustrated.pk}/").content.decode()
        assert f'hx-get="/coach/tickets/{frustrated.pk}/approach/"' in html

    def test_a_sent_reply_counts_on_the_agents_page(self, desk, named, client_for):
        ticket = named()
        agent = client_for(desk.agent)
        response = agent.post(f"/desk/tickets/{ticket.pk}/reply/", {"body": POOR})
        assert response.status_code in (200, 302)
        record = CoachRecord.objects.get(ticket=ticket)
        assert record.agent == desk.agent
        page = agent.get("/desk/coach/").content.decode()
        assert "<strong>1</strong> reply sent" in page
        assert 'href="/desk/coach/"' in page
