"""The closing questions go out by themselves when a resolved ticket closes."""

from __future__ import annotations

import pytest
from django.core import mail

from deskwise.feedback.models import Survey
from deskwise.tickets import services

pytestmark = pytest.mark.django_db


def test_confirming_closes_and_asks_the_three_questions_once(desk, run_tasks, client_for):
    ticket = desk.ticket()
    services.resolve(ticket=ticket, actor=desk.agent, resolution="Replaced the cable.")
    mail.outbox.clear()
    with run_tasks():
        services.confirm_resolution(ticket=ticket, contact=ticket.requester, solved=True)
    (survey,) = Survey.objects.filter(ticket=ticket)
    assert [m.to for m in mail.outbox] == [[desk.requester.email]]
    page = client_for(desk.requester).get(ticket.portal_url).content.decode()
    assert f"/portal/requests/{ticket.pk}/closing-questions/" in page
    # Reopened and closed again: still one survey, no second mail.
    services.reopen(ticket=ticket, actor=desk.agent, reason="It came back")
    services.resolve(ticket=ticket, actor=desk.agent, resolution="New cable.")
    mail.outbox.clear()
    with run_tasks():
        services.close(ticket=ticket, actor=desk.agent, reason="Confirmed by phone")
    assert Survey.objects.filter(ticket=ticket).count() == 1
    assert mail.outbox == []
    assert survey.pk == Survey.objects.get(ticket=ticket).pk


def test_a_ticket_closed_without_being_resolved_is_not_surveyed(desk, run_tasks):
    ticket = desk.ticket()
    with run_tasks():
        services.close(ticket=ticket, actor=desk.agent, reason="Duplicate of DW-1")
    assert not Survey.objects.exists()


def test_closing_unconfirmed_asks_too(desk, settings):
    import datetime as dt

    from deskwise.core import clock

    ticket = desk.ticket()
    services.resolve(ticket=ticket, actor=desk.agent, resolution="Done.")
    later = clock.now() + dt.timedelta(days=settings.DESKWISE_CONFIRM_CLOSE_DAYS, hours=1)
    with clock.frozen_at(later):
        services.close_unconfirmed(ticket_id=ticket.pk)
    assert Survey.objects.filter(ticket=ticket).exists()
