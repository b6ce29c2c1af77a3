"""Fixtures for every app: a small desk with each role, and a way to run tasks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from deskwise.accounts.choices import Role
from deskwise.accounts.models import Team, User
from deskwise.core.memo import forget_all
from deskwise.core.worker import run_ready_tasks
from deskwise.queueing import calendars
from deskwise.sla import calendar as sla_calendar
from deskwise.testing import ContactFactory, TeamFactory, UserFactory, make_ticket
from deskwise.tickets.models import Ticket


@dataclass
class Desk:
    """Two teams and one person of each kind.

    ``agent`` works in ``team``; ``other_agent`` only in ``other_team``;
    ``supervisor`` in ``team``; ``admin`` in none (admins see everything);
    ``requester`` and ``other_requester`` ask for help.
    """

    team: Team
    other_team: Team
    agent: User
    other_agent: User
    supervisor: User
    admin: User
    requester: User
    other_requester: User

    def ticket(self, **kwargs: Any) -> Ticket:
        kwargs.setdefault("requester", self.requester.contact)
        kwargs.setdefault("team", self.team)
        return make_ticket(**kwargs)


@pytest.fixture(autouse=True)
def _fresh_memos() -> Iterator[None]:
    """Each test reads configuration from its own database, not a memo of the last."""
    forget_all()
    calendars.forget()
    sla_calendar.forget()
    yield
    forget_all()
    calendars.forget()
    sla_calendar.forget()


@pytest.fixture
def desk(db: None) -> Desk:
    team = TeamFactory(name="Service Desk", slug="service-desk", is_default=True)
    other = TeamFactory(name="Infrastructure", slug="infrastructure")
    return Desk(
        team=team,
        other_team=other,
        agent=UserFactory(username="agent", role=Role.AGENT, teams=[team]),
        other_agent=UserFactory(username="other_agent", role=Role.AGENT, teams=[other]),
        supervisor=UserFactory(username="supervisor", role=Role.SUPERVISOR, teams=[team]),
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        requester=UserFactory(username="requester", role=Role.REQUESTER),
        other_requester=UserFactory(username="other_requester", role=Role.REQUESTER),
    )


@pytest.fixture
def contact(db: None) -> Any:
    return ContactFactory()


@pytest.fixture
def run_tasks(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[None]]:
    """``with run_tasks(): ...`` commits the block's work and runs what it enqueued,
    as a worker would after a real commit."""

    @contextmanager
    def runner() -> Iterator[None]:
        with django_capture_on_commit_callbacks(execute=True):
            yield
        # Tasks queue more tasks after their own commits (processing a mail
        # queues its acknowledgement): run until nothing new is queued.
        for _ in range(20):
            with django_capture_on_commit_callbacks(execute=True) as queued:
                ran = run_ready_tasks(worker_id="test-worker")
            if not ran and not queued:
                break

    return runner


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def client_for(client: Client) -> Callable[[User | None], Client]:
    def make(user: User | None) -> Client:
        fresh = Client()
        if user is not None:
            fresh.force_login(user)
        return fresh

    return make
