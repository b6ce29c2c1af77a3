from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deskwise.core import clock
from deskwise.core.errors import InvalidCursor
from deskwise.core.pagination import keyset_page
from deskwise.tickets.models import Ticket

pytestmark = pytest.mark.django_db


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    priorities=st.lists(st.integers(min_value=1, max_value=4), min_size=0, max_size=25),
    limit=st.integers(min_value=1, max_value=7),
    descending=st.booleans(),
)
def test_pages_cover_every_row_once_in_order(desk, priorities, limit, descending):
    Ticket.objects.all().delete()
    base = clock.now()
    for i, priority in enumerate(priorities):
        with clock.frozen_at(base - dt.timedelta(minutes=i % 3)):  # deadlines that tie
            ticket = desk.ticket(subject=f"t{i}")
        Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    ordering = ["-priority", "-due_at", "-id"] if descending else ["priority", "due_at", "id"]
    expected = list(Ticket.objects.order_by(*ordering).values_list("pk", flat=True))
    seen, cursor = [], None
    while True:
        page = keyset_page(Ticket.objects.all(), ordering=ordering, cursor=cursor, limit=limit)
        assert len(page.items) <= limit
        seen += [t.pk for t in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected


def test_mixed_directions_are_a_programming_error(desk):
    with pytest.raises(ValueError, match="share one direction"):
        keyset_page(Ticket.objects.all(), ordering=["priority", "-id"], cursor=None, limit=5)


@pytest.mark.parametrize(
    "cursor", ["%%%", "bnVsbA", "WzFd", "WyJhIiwgImIiLCAiYyJd", "W251bGwsIDEsIDJd"]
)
def test_foreign_cursors_are_refused(desk, cursor):
    with pytest.raises(InvalidCursor):
        keyset_page(
            Ticket.objects.all(), ordering=["priority", "due_at", "id"], cursor=cursor, limit=5
        )
