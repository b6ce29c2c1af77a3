"""One-click "Have I solved your problem?" from the mail, without signing in."""

from __future__ import annotations

import re

import pytest
from django.core import mail, signing

from deskwise.tickets import services
from deskwise.tickets.choices import EventKind, Status
from deskwise.tickets.confirmation import SALT, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(desk, run_tasks):
    ticket = desk.ticket()
    services.take_ownership(ticket=ticket, actor=desk.agent)
    mail.outbox.clear()
    with run_tasks():
        services.resolve(ticket=ticket, actor=desk.agent, resolution="Replaced the toner.")
    ticket.refresh_from_db()
    return ticket


def links(message) -> dict[str, str]:
    found = re.findall(r"(https?://\S+/portal/confirm/\S+/\?answer=(yes|no))", message.body)
    return {answer: url.removeprefix("http://127.0.0.1:8000") for url, answer in found}


class TestTheMail:
    def test_has_a_yes_and_a_no_link_and_the_outbox_forgets_them(self, resolved, settings):
        (message,) = mail.outbox
        found = links(message)
        assert set(found) == {"yes", "no"}
        assert found["yes"] in str(message.alternatives[0][0])
        from deskwise.notifications.models import OutboundEmail

        kept = OutboundEmail.objects.get(template="resolved").context
        assert kept["confirm_yes_url"] == "(sent; not kept)"


class TestThePage:
    def test_opening_the_link_answers_nothing_until_the_button(self, desk, resolved, client_for):
        visitor = client_for(None)
        url = links(mail.outbox[0])["yes"]
        page = visitor.get(url)
        html = page.content.decode()
        assert page.status_code == 200
        assert resolved.subject in html
        assert 'value="yes" required checked' in html
        resolved.refresh_from_db()
        assert resolved.status == Status.RESOLVED  # a link scanner answers nothing
        refused = visitor.post(url.split("?")[0], {"solved": "yes", "comment": "Thanks!\x00"})
        assert refused.status_code == 422
        assert "Thanks!" in refused.content.decode()  # kept, to send again
        assert "Null characters are not allowed" in refused.content.decode()
        done = visitor.post(url.split("?")[0], {"solved": "yes", "comment": "Thanks!"})
        assert done.status_code == 200
        assert "is closed now" in done.content.decode()
        resolved.refresh_from_db()
        assert resolved.status == Status.CLOSED
        assert resolved.resolution_confirmed is True
        answer = resolved.events.get(kind=EventKind.CONFIRMATION)
        assert answer.contact == resolved.requester
        assert answer.body_text == "Thanks!"
        # Used once: the same link is gone.
        assert visitor.get(url).status_code == 404
        assert visitor.post(url.split("?")[0], {"solved": "no"}).status_code == 404

    def test_no_reopens_it_to_its_owner(self, desk, resolved, client_for, run_tasks):
        url = links(mail.outbox[0])["no"].split("?")[0]
        mail.outbox.clear()
        with run_tasks():
            response = client_for(None).post(url, {"solved": "no", "comment": "Still streaky"})
        assert "We've reopened" in response.content.decode()
        resolved.refresh_from_db()
        assert resolved.status == Status.OPEN
        assert [m.to for m in mail.outbox] == [[desk.agent.email]]

    def test_no_answer_chosen_is_a_clear_error(self, resolved, client_for):
        url = links(mail.outbox[0])["yes"].split("?")[0]
        response = client_for(None).post(url, {"comment": "hm"})
        assert response.status_code == 422
        assert "required" in response.content.decode()


class TestTheToken:
    def test_another_ticket_an_earlier_resolution_expiry_and_guesses_are_404(
        self, desk, resolved, client_for
    ):
        visitor = client_for(None)
        other = desk.ticket()
        services.resolve(ticket=other, actor=desk.agent, resolution="Done")
        other.refresh_from_db()
        # The signature covers the ticket: pointing it elsewhere breaks it.
        token = token_for(resolved)
        value, _, rest = token.partition(":")
        forged = signing.TimestampSigner(salt="another purpose").sign_object(
            {"t": other.pk, "r": int(other.resolved_at.timestamp() * 1_000_000)}
        )
        for bad in (f"{value}x:{rest}", forged, "guess", "a" * 300):
            assert visitor.get(f"/portal/confirm/{bad}/").status_code == 404, bad
        # Reopened and resolved again: the first mail's link no longer works.
        services.reopen(ticket=resolved, actor=desk.agent, reason="Came back")
        services.resolve(ticket=resolved, actor=desk.agent, resolution="Fixed for good")
        assert visitor.get(f"/portal/confirm/{token}/").status_code == 404
        resolved.refresh_from_db()
        fresh = token_for(resolved)
        assert visitor.get(f"/portal/confirm/{fresh}/").status_code == 200
        assert signing.TimestampSigner(salt=SALT).unsign_object(fresh)["t"] == resolved.pk

    def test_expires(self, resolved, client_for, settings, monkeypatch):
        import time

        token = token_for(resolved)
        real = time.time
        # A day after the ticket would have been closed as unconfirmed.
        late = (settings.DESKWISE_CONFIRM_CLOSE_DAYS + 1) * 24 * 3600 + 60
        monkeypatch.setattr(time, "time", lambda: real() + late)
        assert client_for(None).get(f"/portal/confirm/{token}/").status_code == 404
        monkeypatch.setattr(time, "time", lambda: real() + late - 120)
        assert client_for(None).get(f"/portal/confirm/{token}/").status_code == 200
