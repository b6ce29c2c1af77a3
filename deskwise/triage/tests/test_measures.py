"""Override rates and wait-estimate accuracy, from the desk's own tickets."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.tickets import services
from deskwise.tickets.models import Ticket
from deskwise.tickets.tests.test_api import api
from deskwise.triage.measures import override_rates, start_accuracy

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
WINDOW = {"since": NOW - dt.timedelta(days=30), "until": NOW + dt.timedelta(days=1)}


def test_override_rate_counts_agent_changes_of_applied_values_only(desk):
    with clock.frozen_at(NOW):
        a = desk.ticket(subject="Phishing", description="A phishing mail.", impact=None,
                        urgency=None)  # fmt: skip
        desk.ticket(subject="Ransomware", description="Ransomware on a laptop.", impact=None,
                    urgency=None)  # fmt: skip
        plain = desk.ticket()  # nothing applied automatically
        services.change_triage(ticket=a, actor=desk.agent, reason="Only a report",
                               triage_class="request")  # fmt: skip
        services.change_triage(ticket=plain, actor=desk.agent, reason="Urgent after all",
                               triage_class="urgent")  # fmt: skip
    rates = {r.field: r for r in override_rates(**WINDOW)}
    assert (rates["triage_class"].applied, rates["triage_class"].changed) == (2, 1)
    assert rates["triage_class"].rate == 0.5
    assert rates["category"].rate is None


def test_start_accuracy_from_predicted_and_first_response(desk):
    with clock.frozen_at(NOW):
        tickets = [desk.ticket() for _ in range(4)]
    for hours, ticket in zip((1, 2, 3, 10), tickets, strict=True):
        Ticket.objects.filter(pk=ticket.pk).update(
            predicted_start_at=NOW + dt.timedelta(hours=2),
            first_response_at=NOW + dt.timedelta(hours=hours),
        )
    accuracy = start_accuracy(**WINDOW)
    assert accuracy.tickets == 4
    assert accuracy.median_error_hours == 1.0  # errors 1, 0, 1, 8
    assert accuracy.p90_error_hours == 8.0
    assert accuracy.late_share == 0.5
    assert start_accuracy(**WINDOW, team_id=desk.other_team.pk).tickets == 0


def test_measures_endpoint_is_for_supervisors(desk):
    assert api(desk.agent).get("/api/v1/triage/measures").status_code == 403
    response = api(desk.supervisor).get("/api/v1/triage/measures?days=7")
    assert response.status_code == 200
    body = response.json()
    assert {o["field"] for o in body["overrides"]} >= {"triage_class", "impact"}
    assert body["start_accuracy"]["tickets"] == 0
