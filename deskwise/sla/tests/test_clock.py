"""Due times stored on tickets: by policy, on business time, with pauses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwise.core import clock
from deskwise.sla import clock as sla_clock
from deskwise.sla.calendar import business_calendar
from deskwise.sla.models import SlaPolicy
from deskwise.tickets import services
from deskwise.tickets.choices import Impact, Priority, SlaState, Status, Urgency

pytestmark = pytest.mark.django_db

WEDNESDAY_10 = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)
P2 = {"impact": Impact.TEAM, "urgency": Urgency.BLOCKED}  # P2
P1 = {"impact": Impact.ORGANISATION, "urgency": Urgency.BLOCKED}


def policy(**kwargs: object) -> SlaPolicy:
    values: dict[str, object] = {
        "name": "Team P2",
        "priority": Priority.P2,
        "first_response_minutes": 30,
        "resolution_minutes": 120,
    }
    return SlaPolicy.objects.create(**{**values, **kwargs})


class TestDueTimes:
    def test_opening_stores_both_due_times_in_business_hours(self, desk):
        with clock.frozen_at(WEDNESDAY_10):
            ticket = desk.ticket(**P2)
        assert ticket.priority == Priority.P2
        assert ticket.first_response_due_at == WEDNESDAY_10 + 4 * H
        # 24 business hours: Wed 7h, Thu 8h, Fri 8h, Monday's first hour.
        assert ticket.resolution_due_at == dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
        assert ticket.due_at == ticket.first_response_due_at
        assert ticket.sla_state == SlaState.OK
        # The sweep looks again at 75% of the first-response target.
        assert ticket.sla_next_at == WEDNESDAY_10 + 3 * H

    def test_an_outage_counts_around_the_clock(self, desk):
        saturday_night = dt.datetime(2026, 12, 5, 3, tzinfo=dt.UTC)
        with clock.frozen_at(saturday_night):
            ticket = desk.ticket(**P1)
        assert ticket.priority == Priority.P1
        assert ticket.first_response_due_at == saturday_night + H

    def test_after_the_first_response_the_resolution_is_due(self, desk):
        with clock.frozen_at(WEDNESDAY_10):
            ticket = desk.ticket(**P2)
        with clock.frozen_at(WEDNESDAY_10 + H):
            services.reply(ticket=ticket, actor=desk.agent, body="Looking at it now.")
        ticket.refresh_from_db()
        assert ticket.due_at == ticket.resolution_due_at
        assert ticket.first_response_due_at == WEDNESDAY_10 + 4 * H  # kept: it was met

    def test_a_teams_policy_wins_over_the_desks_and_changes_follow(self, desk):
        policy(name="Every team", first_response_minutes=60, resolution_minutes=600)
        mine = policy(team=desk.team)
        with clock.frozen_at(WEDNESDAY_10):
            ours = desk.ticket(**P2)
            theirs = desk.ticket(team=desk.other_team, **P2)
        assert ours.sla_policy_id == mine.pk
        assert ours.first_response_due_at == WEDNESDAY_10 + dt.timedelta(minutes=30)
        assert theirs.first_response_due_at == WEDNESDAY_10 + H
        with clock.frozen_at(WEDNESDAY_10 + dt.timedelta(minutes=5)):
            services.change_triage(
                ticket=ours, actor=desk.agent, reason="Only one person", impact=Impact.PERSON
            )
        ours.refresh_from_db()
        assert ours.priority != Priority.P2
        assert ours.first_response_due_at != WEDNESDAY_10 + dt.timedelta(minutes=30)

    def test_waiting_on_the_requester_stops_the_clock_for_that_business_time(self, desk):
        with clock.frozen_at(WEDNESDAY_10):
            ticket = desk.ticket(**P2)
        with clock.frozen_at(WEDNESDAY_10 + H):
            services.reply(
                ticket=ticket, actor=desk.agent, body="Which laptop?", then=Status.WAITING
            )
        ticket.refresh_from_db()
        assert ticket.sla_paused_at == WEDNESDAY_10 + H
        assert ticket.sla_next_at is None  # nothing can come due while stopped
        # They answer on Thursday at 11:00: 8 business hours later (6 + 2).
        with clock.frozen_at(dt.datetime(2026, 12, 3, 11, tzinfo=dt.UTC)):
            services.add_requester_message(ticket=ticket, contact=ticket.requester, body="A T14")
        ticket.refresh_from_db()
        assert ticket.status == Status.OPEN
        assert ticket.sla_paused_at is None
        assert ticket.sla_paused_for == 8 * H
        assert ticket.resolution_due_at == dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC)

    def test_a_policy_may_keep_the_clock_running_while_waiting(self, desk):
        policy(pause_when_waiting=False, first_response_minutes=60, resolution_minutes=600)
        with clock.frozen_at(WEDNESDAY_10):
            ticket = desk.ticket(**P2)
            services.reply(ticket=ticket, actor=desk.agent, body="Which?", then=Status.WAITING)
        ticket.refresh_from_db()
        assert ticket.sla_paused_at is None
        assert ticket.sla_next_at is not None


class TestImpossiblePolicies:
    @pytest.mark.parametrize(
        ("values", "field", "words"),
        [
            ({"first_response_minutes": 0}, "first_response_minutes", "at least one minute"),
            ({"resolution_minutes": 10}, "resolution_minutes", "cannot be due before"),
            ({"resolution_minutes": 10**7}, "resolution_minutes", "longer than a year"),
            ({"warn_percent": 100}, "warn_percent", "1 to 99 percent"),
        ],
    )
    def test_refused_with_a_clear_message(self, values, field, words):
        candidate = SlaPolicy(
            name="x", priority=Priority.P3, first_response_minutes=30, resolution_minutes=60
        )
        for name, value in values.items():
            setattr(candidate, name, value)
        with pytest.raises(ValidationError) as refused:
            candidate.full_clean()
        assert words in " ".join(refused.value.message_dict[field])
        with pytest.raises(IntegrityError), transaction.atomic():
            candidate.save()  # the database refuses it too

    def test_one_active_policy_per_priority_and_team(self, desk):
        policy()
        with pytest.raises(IntegrityError), transaction.atomic():
            policy()
        policy(team=desk.team)
        policy(is_active=False)  # an inactive one may wait beside it


PROPERTIES = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
moments = st.integers(0, 60 * 24 * 60).map(lambda m: WEDNESDAY_10 + dt.timedelta(minutes=m))
spans = st.integers(1, 20 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))


@PROPERTIES
@given(opened=moments, after=spans, held=spans)
def test_a_pause_pushes_the_due_time_back_by_its_business_time(desk, opened, after, held):
    """Opened, paused ``after`` later for ``held``: the resolution is due as
    late as the business time the pause covered, no more, no less."""
    from deskwise.tickets.models import Ticket

    with clock.frozen_at(opened):
        ticket = Ticket(
            subject="x",
            requester=desk.requester.contact,
            team=desk.team,
            channel="portal",
            priority=Priority.P3,
            created_at=opened,
            updated_at=opened,
            status_changed_at=opened,
            due_at=opened,
        )
        sla_clock.refresh(ticket)
    unpaused = ticket.resolution_due_at
    assert unpaused is not None
    ticket.status = Status.WAITING
    sla_clock.refresh(ticket, now=opened + after)
    ticket.status = Status.OPEN
    sla_clock.refresh(ticket, now=opened + after + held)
    calendar = business_calendar(desk.team)
    covered = calendar.between(opened + after, opened + after + held)
    assert ticket.sla_paused_for == covered
    assert calendar.between(unpaused, ticket.resolution_due_at) == covered
