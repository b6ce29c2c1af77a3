"""The problem pages: list and search, detail, create and edit, linking, the
recurring view and the ticket page's panel."""

from __future__ import annotations

import pytest

from deskwise.core import clock
from deskwise.problems import services
from deskwise.problems.models import Problem, ProblemIncident
from deskwise.problems.tests.conftest import NOW
from deskwise.problems.tests.test_selectors import PRINTER, VPN
from deskwise.tickets.choices import EventKind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def page(client, url, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


class TestAccess:
    def test_requesters_and_other_teams_get_404(self, desk, problem, client_for):
        made = problem()
        ticket = desk.ticket()
        urls = [
            "/desk/problems/",
            "/desk/problems/new/",
            "/desk/problems/recurring/",
            made.desk_url,
            f"/desk/problems/{made.pk}/edit/",
            f"/desk/problems/for-ticket/{ticket.pk}/",
        ]
        for url in urls:
            assert client_for(desk.requester).get(url).status_code == 404, url
        for url in urls[3:5]:
            assert client_for(desk.other_agent).get(url).status_code == 404, url
        assert client_for(desk.other_agent).get(urls[5]).status_code == 404  # their ticket
        posts = [
            (f"/desk/problems/{made.pk}/link/", {"ticket": ticket.reference}),
            (f"/desk/problems/{made.pk}/unlink/{ticket.pk}/", {}),
            (f"/desk/problems/for-ticket/{ticket.pk}/link/", {"problem": made.pk}),
            (f"/desk/problems/for-ticket/{ticket.pk}/root-cause/", {"root_cause": "Dust"}),
            ("/desk/problems/recurring/create/", {"title": "x", "incidents": str(ticket.pk)}),
        ]
        for url, data in posts:
            assert client_for(desk.requester).post(url, data).status_code == 404, url
        assert not ProblemIncident.objects.exists()
        assert not ticket.events.filter(kind=EventKind.PROBLEM).exists()
        assert client_for(None).get("/desk/problems/").status_code == 302  # sign in first


class TestListAndSearch:
    def test_search_by_words_and_status(self, desk, problem, known_error, client_for):
        vpn = known_error()
        printer = problem(title="Printer jams", symptoms="Paper stuck")
        client = client_for(desk.agent)
        html = page(client, "/desk/problems/")
        assert vpn.reference in html
        assert printer.reference in html
        html = page(client, "/desk/problems/?q=printer")
        assert printer.title in html
        assert vpn.title not in html
        html = page(client, "/desk/problems/?q=&status=known_error", **HTMX)
        assert vpn.title in html
        assert printer.title not in html
        assert not html.lstrip().startswith("<!doctype")  # the results only

    @pytest.mark.parametrize(
        "query", ["?status=solved", "?q=%00", "?q=" + "x" * 10_000, "?cursor=nonsense"]
    )
    def test_bad_input_is_a_message_not_a_500(self, desk, problem, client_for, query):
        problem()
        response = client_for(desk.agent).get(f"/desk/problems/{query}")
        if query.startswith("?cursor"):
            assert response.status_code == 302
            return
        assert response.status_code == 422
        assert 'class="errorlist nonfield"' in response.content.decode()


class TestCreateAndEdit:
    def test_create_then_refuse_an_incomplete_known_error(self, desk, client_for):
        client = client_for(desk.agent)
        response = client.post(
            "/desk/problems/new/",
            {
                "title": "Wi-Fi drops",
                "symptoms": "People lose the Wi-Fi in meeting rooms.",
                "status": "known_error",
                "team": desk.team.pk,
            },
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "A known error has a root cause and a workaround" in html
        assert "Required for a known error." in html
        assert not Problem.objects.exists()
        response = client.post(
            "/desk/problems/new/",
            {
                "title": "Wi-Fi drops",
                "symptoms": "People lose the Wi-Fi in meeting rooms.",
                "root_cause": "An access point is failing.",
                "workaround": "Use the cable.",
                "status": "known_error",
                "team": desk.team.pk,
            },
        )
        made = Problem.objects.get()
        assert response.status_code == 302
        assert response["Location"] == made.desk_url
        assert made.created_by == desk.agent

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("title", "Wi\x00Fi", "Null characters are not allowed."),
            ("symptoms", "x" * 10_000, "Ensure this value has at most 5000 characters"),
            ("status", "solved", "Select a valid choice"),
            ("team", "", "This field is required"),
        ],
    )
    def test_bad_input_is_422_with_the_message(self, desk, client_for, field, value, message):
        data = {"title": "Wi-Fi", "symptoms": "Drops", "status": "investigating"}
        data["team"] = str(desk.team.pk)
        data[field] = value
        response = client_for(desk.agent).post("/desk/problems/new/", data)
        assert response.status_code == 422
        assert message in response.content.decode()
        assert not Problem.objects.exists()

    def test_another_teams_team_is_not_offered(self, desk, client_for):
        response = client_for(desk.agent).post(
            "/desk/problems/new/",
            {"title": "T", "symptoms": "S", "status": "investigating", "team": desk.other_team.pk},
        )
        assert response.status_code == 422
        assert not Problem.objects.exists()

    def test_from_a_ticket_it_is_prefilled_and_linked(self, desk, client_for):
        ticket = desk.ticket(subject="Scanner is offline", description="It shows error 42.")
        client = client_for(desk.agent)
        html = page(client, f"/desk/problems/new/?ticket={ticket.pk}")
        assert "Scanner is offline" in html
        assert "error 42" in html
        response = client.post(
            "/desk/problems/new/",
            {
                "ticket": ticket.pk,
                "title": "Scanner offline",
                "symptoms": "Error 42",
                "status": "investigating",
                "team": desk.team.pk,
            },
        )
        assert response.status_code == 302
        assert ProblemIncident.objects.get().ticket == ticket
        hidden = desk.ticket(team=desk.other_team)
        assert client.get(f"/desk/problems/new/?ticket={hidden.pk}").status_code == 404

    def test_edit_shows_the_change_in_the_history(self, desk, problem, client_for):
        made = problem()
        client = client_for(desk.agent)
        assert "VPN drops when working from home" in page(client, f"/desk/problems/{made.pk}/edit/")
        response = client.post(
            f"/desk/problems/{made.pk}/edit/",
            {
                "title": made.title,
                "symptoms": made.symptoms,
                "status": "fixed",
                "team": desk.team.pk,
            },
        )
        assert response.status_code == 422
        assert "A fixed problem has a permanent fix" in response.content.decode()
        response = client.post(
            f"/desk/problems/{made.pk}/edit/",
            {
                "title": made.title,
                "symptoms": made.symptoms,
                "permanent_fix": "New VPN concentrator.",
                "status": "fixed",
                "team": desk.team.pk,
                "owner": desk.agent.pk,
            },
        )
        assert response.status_code == 302
        html = page(client, made.desk_url)
        assert "New VPN concentrator." in html
        assert "status (investigating → fixed)" in html
        assert "Fixed" in html


class TestLinkingPages:
    def test_link_and_unlink_from_the_problem(self, desk, problem, client_for):
        made = problem()
        ticket = desk.ticket(subject="VPN trouble")
        client = client_for(desk.agent)
        client.post(f"/desk/problems/{made.pk}/link/", {"ticket": ticket.reference})
        html = page(client, made.desk_url)
        assert ticket.reference in html
        assert "VPN trouble" in html
        assert f'linked <a href="/desk/tickets/{ticket.pk}/">{ticket.reference}</a>' in html
        assert "Linked to a problem" in page(client, ticket.desk_url)
        again = client.post(f"/desk/problems/{made.pk}/link/", {"ticket": str(ticket.pk)})
        assert again.status_code == 302
        assert "already linked" in page(client, made.desk_url)
        client.post(f"/desk/problems/{made.pk}/unlink/{ticket.pk}/")
        assert not ProblemIncident.objects.exists()
        bad = client.post(f"/desk/problems/{made.pk}/link/", {"ticket": "DW-\x00"})
        assert bad.status_code == 302
        assert "Null characters are not allowed." in page(client, made.desk_url)
        client.post(f"/desk/problems/{made.pk}/link/", {"ticket": "the printer"})
        assert "reference, such as DW-1042." in page(client, made.desk_url)

    def test_a_ticket_of_another_team_is_not_linked(self, desk, problem, client_for):
        made = problem()
        hidden = desk.ticket(team=desk.other_team)
        client = client_for(desk.agent)
        client.post(f"/desk/problems/{made.pk}/link/", {"ticket": hidden.reference})
        assert not ProblemIncident.objects.exists()
        assert "or you may not see it" in page(client, made.desk_url)


class TestRecurringPage:
    def test_proposals_and_create_a_problem_from_these(self, desk, printing, incident, client_for):
        jams = [
            incident(s, d, category=printing, days_ago=i + 1) for i, (s, d) in enumerate(PRINTER)
        ]
        client = client_for(desk.agent)
        with clock.frozen_at(NOW):
            html = page(client, "/desk/problems/recurring/")
            assert "Create a problem from these" in html
            assert all(t.reference in html for t in jams)
            ids = ",".join(str(t.pk) for t in jams)
            assert f'value="{ids}"' in html
            response = client.post(
                "/desk/problems/recurring/create/",
                {"title": "Floor 2 printer jams", "incidents": ids},
            )
            made = Problem.objects.get()
            assert response.status_code == 302
            assert response["Location"] == made.desk_url
            assert set(made.incidents.values_list("ticket_id", flat=True)) == {t.pk for t in jams}
            assert made.symptoms.startswith("3 incidents from ")
            assert "Nothing keeps coming back" in page(client, "/desk/problems/recurring/")

    def test_bad_proposals_are_refused(self, desk, client_for):
        hidden = desk.ticket(team=desk.other_team)
        client = client_for(desk.agent)
        for incidents in ("", "1,x", str(hidden.pk), "0"):
            response = client.post(
                "/desk/problems/recurring/create/", {"title": "T", "incidents": incidents}
            )
            assert response.status_code == 302
            assert response["Location"] == "/desk/problems/recurring/"
        assert not Problem.objects.exists()


class TestTicketPanel:
    def test_a_linked_ticket_shows_its_problem_and_workaround(self, desk, known_error, client_for):
        ticket = desk.ticket()
        made = known_error(incidents=[ticket])
        html = page(client_for(desk.agent), f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
        assert made.reference in html
        assert "Workaround:</strong> Turn on &#39;keep alive&#39;" in html
        assert "Link to this problem" not in html

    def test_known_errors_may_be_linked_from_the_ticket(self, desk, known_error, client_for):
        made = known_error()
        ticket = desk.ticket(subject="VPN drops", description="The VPN drops at home")
        client = client_for(desk.agent)
        html = page(client, f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
        assert "Known errors that may match" in html
        assert "Link to this problem" in html
        assert made.reference in html
        response = client.post(f"/desk/problems/for-ticket/{ticket.pk}/link/", {"problem": made.pk})
        assert response.status_code == 302
        assert response["Location"] == ticket.desk_url
        assert ProblemIncident.objects.get().problem == made
        theirs = known_error(actor=desk.other_agent, title="VPN drops elsewhere")
        other = desk.ticket(subject="VPN drops", description="at home")
        client.post(f"/desk/problems/for-ticket/{other.pk}/link/", {"problem": theirs.pk})
        assert not ProblemIncident.objects.filter(ticket=other).exists()

    def test_repeat_incidents_ask_for_the_root_cause(self, desk, network, incident, client_for):
        alike = [incident(*VPN, category=network, days_ago=d) for d in (3, 2, 1)]
        client = client_for(desk.agent)
        with clock.frozen_at(NOW):
            ticket = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            html = page(client, f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
            assert "3 similar incidents in 30 days: what is the root cause?" in html
            assert all(t.reference in html for t in alike)
            response = client.post(
                f"/desk/problems/for-ticket/{ticket.pk}/root-cause/",
                {
                    "root_cause": "The VPN drops idle sessions.",
                    "create_problem": "on",
                    "workaround": "Keep alive.",
                    "link_similar": "on",
                },
            )
            made = Problem.objects.get()
            assert response["Location"] == made.desk_url
            assert made.status == "known_error"
            linked = set(made.incidents.values_list("ticket_id", flat=True))
            assert linked == {ticket.pk, *(t.pk for t in alike)}
            html = page(client, f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
            assert "what is the root cause?" not in html
            assert made.reference in html

    def test_a_root_cause_alone_stops_the_question(self, desk, network, incident, client_for):
        for d in (3, 2, 1):
            incident(*VPN, category=network, days_ago=d)
        client = client_for(desk.agent)
        with clock.frozen_at(NOW):
            ticket = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            bad = client.post(
                f"/desk/problems/for-ticket/{ticket.pk}/root-cause/", {"root_cause": "a\x00b"}
            )
            assert bad.status_code == 302
            assert not ticket.events.filter(kind=EventKind.PROBLEM).exists()
            client.post(
                f"/desk/problems/for-ticket/{ticket.pk}/root-cause/", {"root_cause": "Idle timeout"}
            )
            html = page(client, f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
        assert "what is the root cause?" not in html
        assert "Root cause recorded:</strong> Idle timeout" in html
        assert not Problem.objects.exists()

    def test_fewer_repeats_do_not_ask(self, desk, network, incident, client_for):
        incident(*VPN, category=network, days_ago=2)
        with clock.frozen_at(NOW):
            ticket = desk.ticket(subject=VPN[0], description=VPN[1], category=network)
            html = page(client_for(desk.agent), f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
        assert "what is the root cause?" not in html
        assert "Write up a problem" in html

    def test_the_link_to_write_up_a_problem(self, desk, client_for):
        ticket = desk.ticket()
        services.root_cause_record(ticket=ticket, actor=desk.agent, root_cause="Dust")
        html = page(client_for(desk.agent), f"/desk/problems/for-ticket/{ticket.pk}/", **HTMX)
        assert f"/desk/problems/new/?ticket={ticket.pk}" in html
