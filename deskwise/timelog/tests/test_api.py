from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from deskwise.accounts.services import api_token_create
from deskwise.tickets.tests.test_query_counts import grows, queries
from deskwise.timelog import services
from deskwise.timelog.models import TimeEntry
from deskwise.timelog.tests.conftest import TODAY

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_log_list_and_remove(desk, colleague, now):
    ticket = desk.ticket()
    client = api(desk.agent)
    url = f"/api/v1/tickets/{ticket.pk}/time"
    day = TODAY - dt.timedelta(days=1)
    response = post(client, url, {"minutes": 45, "work_date": day.isoformat(), "note": "Imaging"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["minutes"] == 45
    assert body["work_date"] == day.isoformat()
    assert body["agent"]["id"] == desk.agent.pk
    assert body["source"] == "manual"
    services.log_time(ticket=ticket, actor=colleague, minutes=15)

    listed = client.get(url).json()
    assert (listed["total_minutes"], listed["my_minutes"], listed["entries_count"]) == (60, 45, 2)
    assert [e["minutes"] for e in listed["entries"]] == [15, 45]

    theirs = TimeEntry.objects.get(agent=colleague)
    refused = client.delete(f"{url}/{theirs.pk}")
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    assert client.delete(f"{url}/{body['id']}").status_code == 204
    assert client.delete(f"{url}/{body['id']}").status_code == 404
    assert api(desk.supervisor).delete(f"{url}/{theirs.pk}").status_code == 204
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"minutes": 0},
        {"minutes": -1},
        {"minutes": 1441},
        {"minutes": True},
        {"minutes": "15"},
        {"minutes": 1.5},
        {},
        {"minutes": 5, "note": "a\x00b"},
        {"minutes": 5, "work_date": "not a date"},
        {"minutes": 5, "source": "timer"},
        {"minutes": 5, "source": "magic"},
    ],
)
def test_bad_input_is_422(desk, now, body):
    ticket = desk.ticket()
    response = post(api(desk.agent), f"/api/v1/tickets/{ticket.pk}/time", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("day", ["2026-11-26", "2026-08-01"])
def test_a_day_outside_the_window_is_a_409(desk, now, day):
    """A well-formed date the desk does not take time for today: a conflict
    with the calendar, with the reason, and nothing logged."""
    ticket = desk.ticket()
    response = post(
        api(desk.agent), f"/api/v1/tickets/{ticket.pk}/time", {"minutes": 5, "work_date": day}
    )
    assert response.status_code == 409, response.content
    assert "work_date" in response.json()["fields"]
    assert not TimeEntry.objects.exists()


def test_a_float_that_is_whole_is_minutes(desk, now):
    ticket = desk.ticket()
    response = post(api(desk.agent), f"/api/v1/tickets/{ticket.pk}/time", {"minutes": 15.0})
    assert response.status_code == 201


def test_401_and_404(desk, now):
    ticket = desk.ticket()
    url = f"/api/v1/tickets/{ticket.pk}/time"
    assert Client().get(url).status_code == 401
    assert post(Client(), url, {"minutes": 5}).status_code == 401
    for user in (desk.other_agent, desk.requester):
        client = api(user)
        assert client.get(url).status_code == 404
        assert post(client, url, {"minutes": 5}).status_code == 404
    entry = services.log_time(ticket=ticket, actor=desk.agent, minutes=5)
    assert api(desk.other_agent).delete(f"{url}/{entry.pk}").status_code == 404
    client = api(desk.agent)
    assert client.get("/api/v1/tickets/9223372036854775807/time").status_code == 404
    assert client.get("/api/v1/tickets/0/time").status_code == 422
    assert client.delete(f"{url}/0").status_code == 422
    assert client.get(f"{url}?limit=5").status_code == 422  # no such parameter


def test_openapi_declares_the_errors(desk):
    schema = Client().get("/api/v1/openapi.json").json()
    operations = schema["paths"]["/api/v1/tickets/{ticket_id}/time"]
    assert {"401", "404", "422"} <= set(operations["get"]["responses"])
    assert {"401", "403", "404", "409", "422"} <= set(operations["post"]["responses"])
    removal = schema["paths"]["/api/v1/tickets/{ticket_id}/time/{entry_id}"]["delete"]
    assert {"401", "403", "404", "422"} <= set(removal["responses"])


def test_query_count_does_not_grow(desk, now):
    ticket = desk.ticket()
    client = api(desk.agent)

    def add() -> None:
        for _ in range(10):
            services.log_time(ticket=ticket, actor=desk.agent, minutes=5)

    small, large = grows(lambda: queries(client, f"/api/v1/tickets/{ticket.pk}/time"), add)
    assert small == large <= 7


def test_the_timer_starts_moves_and_stops(desk):
    from deskwise.core import clock
    from deskwise.timelog.tests.conftest import NOW

    first, second = desk.ticket(), desk.ticket()
    client = api(desk.agent)
    with clock.frozen_at(NOW):
        assert client.get("/api/v1/timer").json() == {
            "running": False, "ticket_id": None, "started_at": None, "seconds": 0,
        }  # fmt: skip
        started = client.post(f"/api/v1/tickets/{first.pk}/timer")
        assert started.status_code == 201, started.content
        assert started.json()["timer"]["ticket_id"] == first.pk
        assert started.json()["stopped"] is None
        assert client.post(f"/api/v1/tickets/{first.pk}/timer").status_code == 409
    with clock.frozen_at(NOW + dt.timedelta(minutes=10, seconds=5)):
        running = client.get("/api/v1/timer").json()
        assert (running["ticket_id"], running["seconds"]) == (first.pk, 605)
        moved = client.post(f"/api/v1/tickets/{second.pk}/timer").json()
    assert moved["timer"]["ticket_id"] == second.pk
    assert (moved["stopped"]["ticket_id"], moved["stopped"]["minutes"]) == (first.pk, 11)
    assert moved["stopped"]["source"] == "timer"
    with clock.frozen_at(NOW + dt.timedelta(minutes=40)):
        stopped = client.post("/api/v1/timer/stop")
    assert stopped.status_code == 200
    assert (stopped.json()["entry"]["ticket_id"], stopped.json()["entry"]["minutes"]) == (
        second.pk,
        30,
    )
    again = client.post("/api/v1/timer/stop")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    # Requesters have no timer; a ticket one may not see has none either.
    assert api(desk.requester).get("/api/v1/timer").status_code == 404
    hidden = desk.ticket(team=desk.other_team)
    assert client.post(f"/api/v1/tickets/{hidden.pk}/timer").status_code == 404
    assert Client().get("/api/v1/timer").status_code == 401
