"""Schemathesis over the whole API: every response conforms to the OpenAPI
document (declared status, schema, content type) and nothing answers 500."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from deskwise.accounts.services import api_token_create
from deskwise.tickets import services

# Loading the document needs no database: it is generated from the code.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Schemathesis calls the WSGI app directly, so Django's request signals fire;
    like Django's test client, keep them from closing the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def agent_token(desk, keep_test_connection) -> str:
    # Something to find: tickets in every state the actions can meet.
    for _ in range(3):
        ticket = desk.ticket()
        services.take_ownership(ticket=ticket, actor=desk.agent)
    services.resolve(ticket=desk.ticket(), actor=desk.agent, resolution="done")
    _, raw = api_token_create(user=desk.agent, name="schemathesis")
    return raw


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.django_db
def test_api_conforms_to_its_schema(case, agent_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {agent_token}"})
