"""Writing problems: the status rules, the history, linking incidents and
recording root causes, through the services."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from deskwise.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from deskwise.problems import services
from deskwise.problems.models import Problem, ProblemEvent, ProblemIncident, ProblemStatus
from deskwise.tickets.choices import EventKind, Visibility

pytestmark = pytest.mark.django_db


class TestStatusRules:
    def test_a_known_error_needs_a_root_cause_and_a_workaround(self, desk, problem):
        with pytest.raises(InvalidInput) as refused:
            problem(status="known_error")
        assert refused.value.message == (
            "A known error has a root cause and a workaround: write the root cause and "
            "workaround first."
        )
        assert set(refused.value.fields) == {"root_cause", "workaround"}
        with pytest.raises(InvalidInput, match="write the workaround first") as refused:
            problem(status="known_error", root_cause="The certificate expired.")
        assert set(refused.value.fields) == {"workaround"}
        assert not Problem.objects.exists()
        made = problem(status="known_error", root_cause="Expired.", workaround="Reconnect.")
        assert made.status == ProblemStatus.KNOWN_ERROR

    def test_fixed_needs_a_permanent_fix(self, desk, problem):
        made = problem()
        with pytest.raises(InvalidInput, match="A fixed problem has a permanent fix") as refused:
            services.problem_update(problem=made, actor=desk.agent, status="fixed")
        assert refused.value.fields == {"permanent_fix": ["Required for a fixed problem."]}
        made.refresh_from_db()
        assert made.status == ProblemStatus.INVESTIGATING
        services.problem_update(
            problem=made, actor=desk.agent, status="fixed", permanent_fix="Renewed the certificate."
        )
        made.refresh_from_db()
        assert made.status == ProblemStatus.FIXED

    def test_the_rules_hold_for_the_result_of_a_change(self, desk, known_error):
        made = known_error()
        with pytest.raises(InvalidInput, match="write the workaround first"):
            services.problem_update(problem=made, actor=desk.agent, workaround="")
        made.refresh_from_db()
        assert made.workaround

    @pytest.mark.parametrize("status", ["solved", "", "KNOWN_ERROR", "known error"])
    def test_an_unknown_status_is_refused_by_name(self, desk, problem, status):
        with pytest.raises(InvalidInput, match="use one of investigating, known_error, fixed"):
            problem(status=status)


class TestText:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("title", "VPN\x00drops", "Title contains a NUL byte"),
            ("symptoms", "It\x00drops", "Symptoms contains a NUL byte"),
            ("title", "x" * 10_000, "Title is 10000 characters long; the limit is 200."),
            ("symptoms", "x" * 10_000, "Symptoms is 10,000 characters long; the limit is 5,000."),
            ("workaround", "x" * 10_000, "Workaround is 10,000 characters long"),
            ("symptoms", "   ", "Symptoms is required."),
            ("title", "", "Title is required."),
        ],
    )
    def test_bad_text_is_refused_with_a_message(self, desk, problem, field, value, message):
        with pytest.raises(InvalidInput, match=message) as refused:
            problem(**{field: value})
        assert field in refused.value.fields

    def test_only_agents_write_problems(self, desk, problem):
        with pytest.raises(NotAllowed):
            problem(actor=desk.requester)


class TestHistory:
    def test_creating_and_changing_are_recorded_with_who_and_what(self, desk, problem):
        made = problem()
        created = ProblemEvent.objects.get(problem=made)
        assert (created.kind, created.actor) == ("created", desk.agent)
        assert created.data["title"] == "VPN drops when working from home"
        assert created.data["team"] == {"id": desk.team.pk, "name": "Service Desk"}
        services.problem_update(
            problem=made,
            actor=desk.supervisor,
            root_cause="Idle sessions are dropped.",
            workaround="Keep alive.",
            status="known_error",
            owner=desk.agent,
        )
        changed = made.events.get(kind="changed")
        assert changed.actor == desk.supervisor
        assert changed.data["status"] == {"from": "investigating", "to": "known_error"}
        assert changed.data["root_cause"] == {"from": "", "to": "Idle sessions are dropped."}
        assert changed.data["owner"]["to"] == {"id": desk.agent.pk, "name": desk.agent.display_name}
        assert "title" not in changed.data

    def test_nothing_changed_is_a_conflict_and_no_event(self, desk, problem):
        made = problem()
        with pytest.raises(Conflict, match="Nothing changed"):
            services.problem_update(problem=made, actor=desk.agent, title=made.title)
        assert made.events.count() == 1

    def test_problems_live_in_the_actors_teams(self, desk, problem):
        with pytest.raises(NotAllowed, match="Infrastructure is not one of them"):
            problem(team=desk.other_team)
        made = problem()
        assert made.team == desk.team
        with pytest.raises(NotAllowed):
            services.problem_update(problem=made, actor=desk.agent, team=desk.other_team)
        # A supervisor may move it anywhere; the owner must work there.
        with pytest.raises(Conflict, match="not a member of Infrastructure"):
            services.problem_update(
                problem=made, actor=desk.supervisor, team=desk.other_team, owner=desk.agent
            )
        services.problem_update(problem=made, actor=desk.supervisor, team=desk.other_team)
        made.refresh_from_db()
        assert made.team == desk.other_team

    def test_another_teams_problem_is_not_found(self, desk, problem):
        made = problem()
        with pytest.raises(NotFound):
            services.problem_update(problem=made, actor=desk.other_agent, title="Mine now")


class TestLinking:
    def test_linking_appends_an_internal_event_on_the_ticket(self, desk, known_error):
        made = known_error()
        ticket = desk.ticket(subject="VPN keeps dropping")
        before = made.updated_at
        services.incident_link(problem=made, ticket=ticket, actor=desk.agent)
        event = ticket.events.get(kind=EventKind.PROBLEM)
        assert event.visibility == Visibility.INTERNAL
        assert event.actor == desk.agent
        assert event.body_text.startswith(
            f"Linked to {made.reference} “{made.title}” (known error)"
        )
        assert "Workaround: Turn on 'keep alive'" in event.body_text
        assert event.data["action"] == "linked"
        assert event.data["problem"]["reference"] == made.reference
        link = ProblemIncident.objects.get(ticket=ticket)
        assert (link.problem, link.linked_by) == (made, desk.agent)
        assert made.events.filter(kind="linked", data__ticket__id=ticket.pk).exists()
        made.refresh_from_db()
        assert made.updated_at >= before

    def test_unlinking_appends_an_event_too(self, desk, problem):
        made = problem()
        ticket = desk.ticket()
        services.incident_link(problem=made, ticket=ticket, actor=desk.agent)
        services.incident_unlink(problem=made, ticket=ticket, actor=desk.supervisor)
        kinds = list(
            ticket.events.filter(kind=EventKind.PROBLEM)
            .order_by("id")
            .values_list("data__action", flat=True)
        )
        assert kinds == ["linked", "unlinked"]
        assert not ProblemIncident.objects.exists()
        assert made.events.filter(kind="unlinked").exists()
        with pytest.raises(NotFound, match="is not linked to"):
            services.incident_unlink(problem=made, ticket=ticket, actor=desk.agent)

    def test_a_ticket_links_to_one_problem(self, desk, problem):
        first = problem()
        second = problem(title="Wi-Fi drops in the meeting rooms")
        ticket = desk.ticket()
        services.incident_link(problem=first, ticket=ticket, actor=desk.agent)
        with pytest.raises(Conflict, match="already linked to"):
            services.incident_link(problem=first, ticket=ticket, actor=desk.agent)
        with pytest.raises(Conflict, match=f"already linked to {first.reference}") as refused:
            services.incident_link(problem=second, ticket=ticket, actor=desk.agent)
        assert "Unlink it there first" in refused.value.message
        assert ticket.events.filter(kind=EventKind.PROBLEM).count() == 1
        # The database says so too.
        with pytest.raises(IntegrityError), transaction.atomic():
            ProblemIncident.objects.create(
                problem=second, ticket=ticket, linked_at=first.created_at
            )

    def test_a_problem_named_only_to_those_who_may_see_it(self, desk, problem):
        from deskwise.tickets import services as ticket_services

        theirs = problem(actor=desk.other_agent, title="Storage is slow")
        ticket = desk.ticket(team=desk.other_team)
        services.incident_link(problem=theirs, ticket=ticket, actor=desk.other_agent)
        # The ticket moves to our team; its problem stays with theirs.
        ticket_services.escalate(
            ticket=ticket, actor=desk.other_agent, reason="Yours", to_team=desk.team
        )
        mine = problem()
        with pytest.raises(Conflict, match="already linked to another problem") as refused:
            services.incident_link(problem=mine, ticket=ticket, actor=desk.agent)
        assert theirs.reference not in refused.value.message
        with pytest.raises(Conflict, match=f"already linked to {theirs.reference}"):
            services.incident_link(problem=mine, ticket=ticket, actor=desk.supervisor)

    def test_tickets_and_problems_one_may_not_see_are_not_found(self, desk, problem):
        mine = problem()
        hidden = desk.ticket(team=desk.other_team)
        with pytest.raises(NotFound, match="or you may not see it"):
            services.incident_link(problem=mine, ticket=hidden, actor=desk.agent)
        with pytest.raises(NotFound):
            services.incident_link(problem=mine, ticket=desk.ticket(), actor=desk.other_agent)
        assert not ProblemIncident.objects.exists()

    def test_creating_with_incidents_links_them_all_or_none(self, desk, problem):
        a, b = desk.ticket(), desk.ticket()
        made = problem(incidents=[a, b, a])
        assert set(made.incidents.values_list("ticket_id", flat=True)) == {a.pk, b.pk}
        c = desk.ticket()
        with pytest.raises(Conflict):
            problem(title="Again", incidents=[c, a])
        assert not Problem.objects.filter(title="Again").exists()
        assert not c.events.filter(kind=EventKind.PROBLEM).exists()

    def test_the_incidents_team_keeps_the_problem(self, desk, problem):
        theirs = [desk.ticket(team=desk.other_team) for _ in range(2)]
        made = problem(actor=desk.admin, incidents=[*theirs, desk.ticket()])
        assert made.team == desk.other_team


class TestRootCause:
    def test_a_root_cause_is_an_internal_event_on_the_ticket(self, desk):
        ticket = desk.ticket()
        result = services.root_cause_record(
            ticket=ticket, actor=desk.agent, root_cause="The toner sensor is dirty."
        )
        assert result.problem is None
        event = result.event
        assert (event.kind, event.visibility) == (EventKind.PROBLEM, Visibility.INTERNAL)
        assert event.body_text == "Root cause: The toner sensor is dirty."
        assert event.data == {"action": "root_cause", "root_cause": "The toner sensor is dirty."}
        assert not Problem.objects.exists()

    def test_it_may_become_a_problem_with_the_ticket_and_its_like_linked(self, desk):
        ticket = desk.ticket(subject="Printer jams", description="Paper stuck on floor 2")
        other = desk.ticket(subject="Printer jams again")
        result = services.root_cause_record(
            ticket=ticket,
            actor=desk.agent,
            root_cause="Worn rollers.",
            create_problem=True,
            workaround="Use the tray 2 paper.",
            also_link=[other],
        )
        made = result.problem
        assert made is not None
        assert (made.title, made.root_cause, made.status) == (
            "Printer jams",
            "Worn rollers.",
            ProblemStatus.KNOWN_ERROR,
        )
        assert "Paper stuck on floor 2" in made.symptoms
        assert set(made.incidents.values_list("ticket_id", flat=True)) == {ticket.pk, other.pk}
        actions = set(ticket.events.filter(kind=EventKind.PROBLEM).values_list("data__action"))
        assert actions == {("root_cause",), ("linked",)}
        without = services.root_cause_record(
            ticket=desk.ticket(), actor=desk.agent, root_cause="Dust.", create_problem=True
        )
        assert without.problem.status == ProblemStatus.INVESTIGATING

    def test_a_linked_ticket_has_its_root_cause_on_the_problem(self, desk, problem):
        ticket = desk.ticket()
        made = problem(incidents=[ticket])
        with pytest.raises(Conflict, match=f"linked to {made.reference} already"):
            services.root_cause_record(ticket=ticket, actor=desk.agent, root_cause="Dust.")

    def test_refused_root_causes(self, desk):
        ticket = desk.ticket()
        with pytest.raises(InvalidInput, match="Root cause is required"):
            services.root_cause_record(ticket=ticket, actor=desk.agent, root_cause=" ")
        with pytest.raises(InvalidInput, match="NUL byte"):
            services.root_cause_record(ticket=ticket, actor=desk.agent, root_cause="a\x00b")
        with pytest.raises(InvalidInput, match="ask for one to be created"):
            services.root_cause_record(
                ticket=ticket, actor=desk.agent, root_cause="Dust.", also_link=[desk.ticket()]
            )
        with pytest.raises(NotFound):
            services.root_cause_record(ticket=ticket, actor=desk.other_agent, root_cause="Dust.")
        assert not ticket.events.filter(kind=EventKind.PROBLEM).exists()
