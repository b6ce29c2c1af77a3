"""The bench's fill writes what the services would: tickets whose triage the
reports and the triage measures read as they read real ones."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.accounts.models import Team
from deskwise.bench import fill
from deskwise.core import clock
from deskwise.reports import rollups
from deskwise.reports.base import REGISTRY, Filters
from deskwise.tickets.choices import EventKind
from deskwise.tickets.models import Ticket, TimelineEvent
from deskwise.triage import measures

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)


def counts(report, field: str) -> list[int]:
    found = next(r for r in report.rows if r[0] == field)[1:5]
    assert all(isinstance(value, int) for value in found)
    return [int(str(value)) for value in found]


def test_fill_writes_triage_the_reports_read():
    with clock.frozen_at(NOW):
        filled = fill.fill(400, log=lambda _line: None)
    assert filled.tickets == Ticket.objects.count() == 400
    changed_class = TimelineEvent.objects.filter(
        kind=EventKind.TRIAGE, data__changes__triage_class__overrode=True
    ).count()
    assert changed_class > 0
    applied = Ticket.objects.filter(triage__proposals__triage_class__applied=True).count()
    since = (NOW - dt.timedelta(days=800)).date()
    everything = Filters(
        since=since, until=NOW.date(), team_ids=frozenset(Team.objects.values_list("pk", flat=True))
    )
    with clock.frozen_at(NOW):
        report = REGISTRY["triage_accuracy"].build(everything)
        rates = {r.field: r for r in measures.override_rates(since=NOW - dt.timedelta(days=800),
                                                             until=NOW)}  # fmt: skip
        rollups.count_pending_days()
        counted = REGISTRY["triage_accuracy"].build(everything)
    # field, proposed, applied, kept, changed, ...
    proposed, n_applied, _kept, changed = counts(report, "Class")
    assert n_applied == applied == rates["triage_class"].applied
    assert changed == changed_class == rates["triage_class"].changed
    assert 0 < changed < n_applied < proposed
    _, by_impact_or_urgency, _, moved = counts(report, "Priority (from impact and urgency)")
    assert by_impact_or_urgency > moved > 0  # some urgency changes moved the priority
    assert counted.rows == report.rows
