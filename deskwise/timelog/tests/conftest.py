"""Helpers for the time tests: a fixed moment, a colleague in the agent's team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from deskwise.accounts.choices import Role
from deskwise.core import clock
from deskwise.testing import UserFactory

# A Wednesday; the desk's time zone is UTC in the tests.
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def now() -> Iterator[dt.datetime]:
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def colleague(desk: Any) -> Any:
    """An agent (not a supervisor) in the agent's team."""
    return UserFactory(username="colleague", role=Role.AGENT, teams=[desk.team])
