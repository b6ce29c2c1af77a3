from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from deskwise.accounts.models import Team, User
from deskwise.demo.data import STORIES
from deskwise.demo.loader import is_empty, load_demo
from deskwise.notifications.models import OutboundEmail
from deskwise.tickets.choices import Channel, Status
from deskwise.tickets.models import Ticket, TimelineEvent

pytestmark = pytest.mark.django_db


def test_the_demo_desk_is_a_believable_desk():
    assert is_empty()
    load_demo()
    assert not is_empty()
    assert User.objects.get(username="admin").is_staff
    assert set(User.objects.values_list("role", flat=True).annotate(n=Count("id")).order_by()) == {
        "admin",
        "supervisor",
        "agent",
        "requester",
    }
    assert User.objects.filter(role="agent").count() == 3
    assert User.objects.filter(role="requester").count() == 4
    assert Team.objects.count() == 2
    assert Ticket.objects.count() == len(STORIES) == 40
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == set(Status)
    channels = set(Ticket.objects.values_list("channel", flat=True))
    assert {Channel.PORTAL, Channel.EMAIL, Channel.PHONE, Channel.WALK_UP, Channel.CHAT} <= channels
    assert TimelineEvent.objects.count() > 120
    # Every timeline reads in order, and the demo sent nobody any mail.
    for ticket in Ticket.objects.all():
        times = list(ticket.events.order_by("id").values_list("created_at", flat=True))
        assert times == sorted(times)
        assert ticket.created_at == times[0]
    assert not OutboundEmail.objects.exists()


def test_the_command_refuses_a_database_with_data():
    call_command("demo")
    with pytest.raises(CommandError, match="loads only into an empty one"):
        call_command("demo")
