"""Reports in the bench: how fast each registered report answers on the
bench's database, after the rollups are brought up to date as the periodic
tasks would keep them.

Run alone: ``.venv/bin/deskwise shell -c "from deskwise.bench import reports_bench; print(reports_bench.run())"``
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from typing import Any

from deskwise.accounts.models import Team
from deskwise.reports import rollups
from deskwise.reports.base import REGISTRY, Filters

ROUNDS = 7
RANGES = {"30d": 30, "365d": 365}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _timed(build: Any, filters: Filters, rounds: int) -> dict[str, float]:
    build(filters)  # warm: calendars, holidays, the connection
    took = []
    for _ in range(rounds):
        started = time.perf_counter()
        build(filters)
        took.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(statistics.median(took), 1),
        "p95_ms": round(_percentile(took, 0.95), 1),
    }


def _busiest_agent() -> int | None:
    from django.db.models import Count

    from deskwise.tickets.models import Ticket

    row = (
        Ticket.objects.filter(
            owner__isnull=False, status__in=["new", "open", "waiting_on_requester"]
        )
        .values("owner_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return None if row is None else int(row["owner_id"])


def run(*, rounds: int = ROUNDS) -> dict[str, Any]:
    """Bring the rollups up to date (timed), then time every report over the
    last 30 and 365 days for every team, and the agent reports for the
    busiest agent over 30 days."""
    started = time.perf_counter()
    days = rollups.count_pending_days()
    events = rollups.count_events()
    counting = {
        "days_counted": days,
        "events_counted": events,
        "seconds": round(time.perf_counter() - started, 1),
    }
    teams = frozenset(Team.objects.values_list("pk", flat=True))
    today = rollups.today()
    results: dict[str, Any] = {}
    for name, length in RANGES.items():
        filters = Filters(since=today - dt.timedelta(days=length - 1), until=today, team_ids=teams)
        results[name] = {
            slug: _timed(spec.build, filters, rounds) for slug, spec in REGISTRY.items()
        }
    agent = _busiest_agent()
    if agent is not None:
        filters = Filters(
            since=today - dt.timedelta(days=29), until=today, team_ids=teams, agent_id=agent
        )
        results["agent_30d"] = {
            slug: _timed(spec.build, filters, rounds)
            for slug, spec in REGISTRY.items()
            if spec.audience == "agent"
        }
    worst = max(
        (timing["p95_ms"] for by_slug in results.values() for timing in by_slug.values()),
        default=0.0,
    )
    return {"rollups": counting, "reports": results, "worst_p95_ms": worst}
