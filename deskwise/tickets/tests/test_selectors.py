from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.core.errors import InvalidCursor, NotFound
from deskwise.tickets import selectors, services
from deskwise.tickets.choices import Channel, Impact, Status, Urgency, Visibility
from deskwise.tickets.filters import TicketFilters
from deskwise.tickets.models import Ticket
from deskwise.tickets.permissions import visible_tickets

pytestmark = pytest.mark.django_db


def ids(tickets) -> list[int]:
    return [t.pk for t in tickets]


class TestVisibility:
    def test_each_role_sees_what_it_should(self, desk):
        mine = desk.ticket()
        copied = desk.ticket(
            requester=desk.other_requester.contact, participants=[desk.requester.contact]
        )
        elsewhere = desk.ticket(requester=desk.other_requester.contact, team=desk.other_team)
        everything = {mine.pk, copied.pk, elsewhere.pk}

        def visible(user) -> set[int]:
            return set(
                Ticket.objects.filter(pk__in=everything)
                .filter(visible_tickets(user))
                .values_list("pk", flat=True)
            )

        assert visible(desk.requester) == {mine.pk, copied.pk}
        assert visible(desk.other_requester) == {copied.pk, elsewhere.pk}
        assert visible(desk.agent) == {mine.pk, copied.pk}
        assert visible(desk.supervisor) == {mine.pk, copied.pk}
        assert visible(desk.other_agent) == {elsewhere.pk}
        assert visible(desk.admin) == everything

    def test_owner_and_escalation_target_keep_sight_of_a_ticket_in_another_team(self, desk):
        ticket = desk.ticket(team=desk.other_team)
        services.escalate(
            ticket=ticket, actor=desk.other_agent, reason="r", to_user=desk.supervisor
        )
        assert selectors.ticket_get(user=desk.supervisor, pk=ticket.pk) == ticket
        with pytest.raises(NotFound):
            selectors.ticket_get(user=desk.agent, pk=ticket.pk)

    def test_missing_and_forbidden_are_the_same(self, desk):
        hidden = desk.ticket(team=desk.other_team)
        with pytest.raises(NotFound) as forbidden:
            selectors.ticket_get(user=desk.agent, pk=hidden.pk)
        with pytest.raises(NotFound) as missing:
            selectors.ticket_get(user=desk.agent, pk=hidden.pk + 1000)
        assert str(forbidden.value).replace(str(hidden.pk), "N") == str(missing.value).replace(
            str(hidden.pk + 1000), "N"
        )

    def test_inactive_users_see_nothing(self, desk):
        ticket = desk.ticket()
        desk.agent.is_active = False
        desk.agent.save()
        with pytest.raises(NotFound):
            selectors.ticket_get(user=desk.agent, pk=ticket.pk)

    def test_requesters_never_read_internal_events(self, desk):
        ticket = desk.ticket()
        services.add_note(ticket=ticket, actor=desk.agent, body="secret")
        services.reply(ticket=ticket, actor=desk.agent, body="public")
        for_requester = selectors.timeline(user=desk.requester, ticket=ticket)
        for_agent = selectors.timeline(user=desk.agent, ticket=ticket)
        assert all(e.visibility == Visibility.PUBLIC for e in for_requester)
        assert len(for_agent) == len(for_requester) + 1


class TestQueue:
    def test_order_is_priority_then_deadline(self, desk):
        now = clock.now()
        with clock.frozen_at(now - dt.timedelta(hours=2)):
            older_p4 = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        newer_p4 = desk.ticket(impact=Impact.PERSON, urgency=Urgency.CAN_WAIT)
        p1 = desk.ticket(impact=Impact.ORGANISATION, urgency=Urgency.BLOCKED)
        page = selectors.ticket_list(user=desk.agent, filters=TicketFilters())
        assert ids(page.items) == [p1.pk, older_p4.pk, newer_p4.pk]

    def test_views_and_filters(self, desk):
        mine = services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        free = desk.ticket(channel=Channel.EMAIL)
        done = desk.ticket()
        services.close(ticket=done, actor=desk.agent)

        def listed(**filters) -> set[int]:
            page = selectors.ticket_list(
                user=desk.agent, filters=TicketFilters(**filters), limit=100
            )
            return set(ids(page.items))

        assert listed(view="mine") == {mine.pk}
        assert listed(view="unassigned") == {free.pk}
        assert listed() == {mine.pk, free.pk}
        assert listed(status=[Status.CLOSED]) == {done.pk}
        assert listed(channel=[Channel.EMAIL]) == {free.pk}
        assert listed(owner="none") == {free.pk}
        assert listed(owner=str(desk.agent.pk)) == {mine.pk}
        assert listed(team=desk.other_team.pk) == set()
        assert listed(priority=[1]) == set()

    def test_keyset_pages_cover_everything_once(self, desk):
        tickets = [desk.ticket(subject=f"t{i}") for i in range(7)]
        seen: list[int] = []
        cursor = None
        while True:
            page = selectors.ticket_list(
                user=desk.agent, filters=TicketFilters(), cursor=cursor, limit=3
            )
            seen += ids(page.items)
            cursor = page.next_cursor
            if cursor is None:
                break
        assert sorted(seen) == sorted(t.pk for t in tickets)
        assert len(seen) == len(set(seen))

    def test_a_broken_cursor_is_a_clear_error(self, desk):
        for cursor in ("garbage", "W10", "WzEsMiwzXQ", "\x00"):
            with pytest.raises(InvalidCursor, match="no longer valid"):
                selectors.ticket_list(user=desk.agent, filters=TicketFilters(), cursor=cursor)

    def test_counts(self, desk):
        services.take_ownership(ticket=desk.ticket(), actor=desk.agent)
        desk.ticket()
        desk.ticket(team=desk.other_team)
        assert selectors.queue_counts(user=desk.agent) == {"mine": 1, "unassigned": 1}


def test_requester_list_is_newest_first_and_only_theirs(desk):
    first = desk.ticket()
    desk.ticket(requester=desk.other_requester.contact)
    second = desk.ticket()
    page = selectors.requester_ticket_list(user=desk.requester)
    assert ids(page.items) == [second.pk, first.pk]
