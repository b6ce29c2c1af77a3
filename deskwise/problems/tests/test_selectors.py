"""Reading problems: who sees which, the search, repeat incidents and the
threshold, known errors for a ticket, and recurring clusters."""

from __future__ import annotations

import datetime as dt

import pytest

from deskwise.core import clock
from deskwise.core.errors import InvalidCursor, InvalidInput, NotFound
from deskwise.problems import selectors, services
from deskwise.problems.tests.conftest import NOW

pytestmark = pytest.mark.django_db


class TestWhoSeesWhat:
    def test_agents_see_their_teams_problems_supervisors_and_admins_all(self, desk, problem):
        ours = problem()
        theirs = problem(actor=desk.other_agent, title="Storage is slow")

        def listed(user):
            return {p.pk for p in selectors.problem_list(user=user).items}

        assert listed(desk.agent) == {ours.pk}
        assert listed(desk.other_agent) == {theirs.pk}
        assert listed(desk.supervisor) == listed(desk.admin) == {ours.pk, theirs.pk}
        with pytest.raises(NotFound, match=f"no problem {theirs.reference}"):
            selectors.problem_get(user=desk.agent, pk=theirs.pk)
        assert selectors.problem_get(user=desk.supervisor, pk=theirs.pk) == theirs

    def test_owning_a_problem_in_another_team_shows_it(self, desk, problem):
        theirs = problem(actor=desk.admin, team=desk.other_team)
        services.problem_update(problem=theirs, actor=desk.admin, owner=desk.admin)
        assert selectors.problem_get(user=desk.admin, pk=theirs.pk) == theirs
        with pytest.raises(NotFound):
            selectors.problem_get(user=desk.agent, pk=theirs.pk)

    def test_requesters_see_nothing(self, desk, problem):
        made = problem()
        for user in (desk.requester, desk.other_requester):
            with pytest.raises(NotFound):
                selectors.problem_list(user=user)
            with pytest.raises(NotFound):
                selectors.problem_get(user=user, pk=made.pk)
            with pytest.raises(NotFound):
                selectors.recurring(user=user)

    def test_hidden_incidents_are_counted_not_shown(self, desk, problem):
        ours, theirs = desk.ticket(), desk.ticket(team=desk.other_team)
        made = problem(actor=desk.admin, team=desk.team, incidents=[ours, theirs])
        incidents = selectors.problem_incidents(user=desk.agent, problem=made)
        assert [t.pk for t in incidents.tickets] == [ours.pk]
        assert (incidents.total, incidents.visible, incidents.hidden) == (2, 1, 1)


class TestList:
    def test_words_in_any_of_its_texts_and_references(self, desk, problem, known_error):
        vpn = known_error()
        printer = problem(title="Printer jams", symptoms="Paper gets stuck on floor 2")
        mail = problem(title="Mail is slow", symptoms="Outlook takes minutes to open")

        def found(q, **kwargs):
            return [p.pk for p in selectors.problem_list(user=desk.agent, q=q, **kwargs).items]

        assert found("printer") == [printer.pk]
        assert found("PRINTERS floor") == [printer.pk]  # a stem, any case
        assert found("keep alive") == [vpn.pk]  # in the workaround
        assert found("concentrator idle") == [vpn.pk]  # in the root cause
        assert found("printer outlook") == []  # every word must be found
        assert found(mail.reference) == [mail.pk]
        assert found(f"prb{mail.pk}") == [mail.pk]
        assert found("the") == []  # only a stop word: the title must hold it
        assert set(found("")) == {vpn.pk, printer.pk, mail.pk}
        assert found("", status="known_error") == [vpn.pk]
        assert found("\x00%_'\"") == []

    def test_an_unknown_status_is_refused(self, desk):
        with pytest.raises(InvalidInput, match="no status 'solved'"):
            selectors.problem_list(user=desk.agent, status="solved")

    def test_pages_by_keyset_most_recently_changed_first(self, desk, problem):
        made = [problem(title=f"Problem {i}") for i in range(7)]
        services.problem_update(problem=made[0], actor=desk.agent, title="Problem 0, again")
        seen, cursor = [], None
        while True:
            page = selectors.problem_list(user=desk.agent, cursor=cursor, limit=3)
            seen += [p.pk for p in page.items]
            cursor = page.next_cursor
            if cursor is None:
                break
        assert seen[0] == made[0].pk
        assert sorted(seen) == sorted(p.pk for p in made)
        assert len(seen) == len(set(seen))
        with pytest.raises(InvalidCursor):
            selectors.problem_list(user=desk.agent, cursor="nonsense")

    def test_incident_counts(self, desk, problem):
        made = problem(incidents=[desk.ticket(), desk.ticket()])
        problem(title="None yet")
        counts = {p.pk: p.incident_count for p in selectors.problem_list(user=desk.agent).items}
        assert counts[made.pk] == 2
        assert sorted(counts.values()) == [0, 2]


VPN = ("VPN drops every few minutes", "My VPN connection drops when I work from home.")


class TestRepeatIncidents:
    def test_the_threshold_counts_recent_similar_incidents_in_the_category(
        self, desk, network, printing, incident, settings
    ):
        for days in (45, 35):  # too long ago
            incident(*VPN, category=network, days_ago=days)
        incident(*VPN, category=printing, days_ago=3)  # another category
        incident(*VPN, category=network, days_ago=2, resolved=False)  # not finished
        incident("Printer jams", "Paper stuck in tray 2", category=network, days_ago=2)  # unlike
        recent = [incident(*VPN, category=network, days_ago=d) for d in (20, 5)]
        with clock.frozen_at(NOW):
            new = desk.ticket(
                subject="VPN keeps dropping at home", description="The VPN drops.", category=network
            )
            found = selectors.repeat_incidents(new, user=desk.agent)
            assert {hit.id for hit in found} == {t.pk for t in recent}
            assert selectors.needs_root_cause(new, user=desk.agent) is False  # 2 < 3
            settings.DESKWISE_REPEAT_INCIDENTS = 2
            assert selectors.needs_root_cause(new, user=desk.agent) is True
            assert selectors.needs_root_cause(new) is True  # across the desk
            settings.DESKWISE_REPEAT_INCIDENTS = 3
            third = incident(*VPN, category=network, days_ago=0.5)
            assert len(selectors.repeat_incidents(new)) == 3
            assert selectors.needs_root_cause(new) is True
            # A wider window counts the older ones too.
            assert len(selectors.repeat_incidents(new, days=60)) == 5
        # A week later the oldest of them is out of the window.
        with clock.frozen_at(NOW + dt.timedelta(days=12)):
            assert {h.id for h in selectors.repeat_incidents(new)} == {recent[1].pk, third.pk}

    def test_asked_once_a_root_cause_or_a_problem_settles_it(
        self, desk, network, incident, problem, settings
    ):
        settings.DESKWISE_REPEAT_INCIDENTS = 1
        incident(*VPN, category=network, days_ago=2)
        with clock.frozen_at(NOW):
            new = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            other = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            assert selectors.needs_root_cause(new)
            services.root_cause_record(ticket=new, actor=desk.agent, root_cause="Idle timeout.")
            assert not selectors.needs_root_cause(new)
            assert selectors.needs_root_cause(other)
            problem(incidents=[other])
            assert not selectors.needs_root_cause(other)

    def test_only_what_the_agent_may_see(self, desk, network, incident, settings):
        incident(*VPN, category=network, days_ago=2, team=desk.other_team)
        with clock.frozen_at(NOW):
            new = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            assert selectors.repeat_incidents(new, user=desk.agent) == []
            assert len(selectors.repeat_incidents(new)) == 1

    def test_uncategorised_tickets_repeat_uncategorised_ones(self, desk, network, incident):
        alike = incident(*VPN, days_ago=2)
        incident(*VPN, category=network, days_ago=2)
        with clock.frozen_at(NOW):
            new = desk.ticket(subject=VPN[0], description=VPN[1])
            assert [h.id for h in selectors.repeat_incidents(new)] == [alike.pk]

    @pytest.mark.parametrize("days", [0, -1, 367])
    def test_the_window_is_bounded(self, desk, days):
        with pytest.raises(InvalidInput):
            selectors.repeat_incidents(desk.ticket(), days=days)


class TestKnownErrors:
    def test_known_errors_matching_the_tickets_words_rank_first(self, desk, problem, known_error):
        vpn = known_error()
        home = known_error(
            title="Home broadband routers block the office",
            symptoms="People at home cannot reach the VPN",
        )
        known_error(title="Printer jams", symptoms="Paper stuck", root_cause="Rollers")
        problem(title="VPN drops when working from home (still investigating)")
        known_error(actor=desk.other_agent, title="VPN drops at home for Infrastructure")
        ticket = desk.ticket(
            subject="VPN keeps dropping", description="The VPN connection drops from home."
        )
        found = selectors.known_errors_for(ticket, user=desk.agent)
        assert [p.pk for p in found] == [vpn.pk, home.pk]
        assert all(p.status == "known_error" for p in found)
        assert found[0].incident_count == 0

    def test_one_shared_word_is_not_a_match(self, desk, known_error):
        known_error()
        ticket = desk.ticket(subject="Home printer", description="It prints blank pages.")
        assert selectors.known_errors_for(ticket, user=desk.agent) == []

    def test_requesters_get_none(self, desk, known_error):
        known_error()
        ticket = desk.ticket(subject="VPN drops", description="VPN drops at home")
        assert selectors.known_errors_for(ticket, user=desk.requester) == []
        assert selectors.known_errors_for(ticket, user=desk.agent)

    def test_the_ticket_panel_says_what_applies(self, desk, network, incident, known_error):
        made = known_error()
        ticket = desk.ticket(subject="VPN drops", description="The VPN drops at home")
        panel = selectors.for_ticket(user=desk.agent, ticket=ticket)
        assert [p.pk for p in panel.known_errors] == [made.pk]
        assert panel.problem is None
        services.incident_link(problem=made, ticket=ticket, actor=desk.agent)
        panel = selectors.for_ticket(user=desk.agent, ticket=ticket)
        assert panel.problem == made
        assert panel.known_errors == []


PRINTER = [
    ("Printer on floor 2 jams", "The floor 2 printer jams with every print job."),
    ("Floor 2 printer paper jam", "The printer jams again on floor 2."),
    ("Printer jams on floor two", "Printer on floor 2 jams after the first page."),
]
VPN_LIKE = [
    ("VPN drops every few minutes", "VPN connection drops at home."),
    ("VPN connection drops", "The VPN drops at home all day."),
    ("VPN drops at home", "My VPN connection drops every hour."),
    ("VPN keeps dropping", "The VPN connection drops when I work from home."),
]


class TestRecurring:
    @pytest.fixture
    def history(self, desk, network, printing, incident, problem):
        vpn = [
            incident(s, d, category=network, days_ago=i + 1) for i, (s, d) in enumerate(VPN_LIKE)
        ]
        jams = [
            incident(s, d, category=printing, days_ago=i + 2, resolved=i != 0)
            for i, (s, d) in enumerate(PRINTER)
        ]
        # Alike, but not a cluster of recent unlinked incidents of one category:
        incident(*PRINTER[0], category=network, days_ago=3)  # another category, alone
        for days in (40, 50, 60):
            incident(*PRINTER[1], category=printing, days_ago=days)  # too old
        linked = incident(*VPN_LIKE[0], category=network, days_ago=2)
        problem(incidents=[linked])
        incident("Kettle broken", "No tea in the kitchen", category=network, days_ago=2)
        for days in (2, 3):  # two alike are not yet recurring
            incident("Monitor flickers", "My monitor flickers all day", category=printing,
                     days_ago=days)  # fmt: skip
        incident(*VPN_LIKE[1], category=network, days_ago=2, team=desk.other_team)  # hidden
        return {"vpn": vpn, "printer": jams}

    def test_clusters_of_one_category_propose_problems(self, desk, history):
        with clock.frozen_at(NOW):
            found = selectors.recurring(user=desk.agent)
        groups = [(p.category, set(p.ticket_ids)) for p in found.proposals]
        assert groups == [
            ("Network", {t.pk for t in history["vpn"]}),
            ("Printing", {t.pk for t in history["printer"]}),
        ]
        vpn = found.proposals[0]
        assert "vpn" in vpn.label
        assert vpn.ticket_ids == [t.pk for t in history["vpn"]]  # the most recent first
        assert vpn.title.startswith("Recurring: ")
        assert vpn.symptoms.startswith("4 incidents in Network from ")
        assert f"- {history['vpn'][0].reference}: VPN drops every few minutes" in vpn.symptoms
        assert found.min_size == 3
        assert not found.capped

    def test_the_clusters_follow_the_threshold_and_the_bound(self, desk, history, settings):
        settings.DESKWISE_REPEAT_INCIDENTS = 4
        with clock.frozen_at(NOW):
            assert [p.category for p in selectors.recurring(user=desk.agent).proposals] == [
                "Network"
            ]
            settings.DESKWISE_REPEAT_INCIDENTS = 3
            bounded = selectors.recurring(user=desk.agent, limit_rows=4)
        assert bounded.capped
        assert bounded.rows == 4

    def test_creating_a_problem_from_a_proposal_takes_them_out(self, desk, history):
        with clock.frozen_at(NOW):
            proposal = selectors.recurring(user=desk.agent).proposals[0]
            incidents = selectors.incidents_for_proposal(
                user=desk.agent, ticket_ids=proposal.ticket_ids
            )
            services.problem_create(
                actor=desk.agent,
                title=proposal.title,
                symptoms=proposal.symptoms,
                incidents=incidents,
            )
            left = selectors.recurring(user=desk.agent)
        assert [p.category for p in left.proposals] == ["Printing"]

    def test_a_proposal_names_only_tickets_one_may_see(self, desk):
        hidden = desk.ticket(team=desk.other_team)
        with pytest.raises(NotFound, match=hidden.reference):
            selectors.incidents_for_proposal(user=desk.agent, ticket_ids=[hidden.pk])
        with pytest.raises(InvalidInput, match="at most 200"):
            selectors.incidents_for_proposal(user=desk.agent, ticket_ids=list(range(1, 202)))
