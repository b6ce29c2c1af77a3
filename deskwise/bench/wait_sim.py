"""How well the queue model predicts when work starts, on a simulated desk.

Five agents in Europe/Berlin (08:00-17:00 on weekdays, one with a lunch break, one four days a
week, one 09:00-18:00, one a week's vacation), German public holidays and the spring DST
change; 30 days of warm-up give the rolling window its history, then 60 days are measured. Each
arrival's start is predicted by ``deskwise.queueing.model.estimate`` from facts measured as the
database measures them, and compared with when an agent actually picked it up; next to it, two
baselines: ``ahead x mean handling / agents`` on the calendar clock, and the median wait of
recent requests of the same priority (what the desk quoted before the model).

Run: ``.venv/bin/python -m deskwise.bench.wait_sim``.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
import time
from datetime import datetime, timedelta
from typing import Any

from deskwise.queueing.model import (
    BERLIN,
    ErrorSummary,
    Scenario,
    SimulationResult,
    WorkingCalendar,
    simulate,
)

SEEDS = (1, 2, 3)
SHARES = (0.0, 0.5, 1.0)  # compared with the model's own on the first seed


def _summary(summary: ErrorSummary) -> dict[str, float | int]:
    return {
        "count": summary.count,
        "median_h": round(summary.median_h, 3),
        "p90_h": round(summary.p90_h, 3),
    }


def _figures(result: SimulationResult) -> dict[str, Any]:
    return {
        "seed": result.seed,
        "tickets": result.tickets,
        "impossible": result.impossible,
        "never_started": result.never_started,
        "utilisation": round(result.utilisation, 3),
        "model": _summary(result.start),
        "model_bias_h": round(result.start_bias_h, 3),
        "naive": _summary(result.naive),
        "recent_wait": _summary(result.recent),
        "resolution": _summary(result.resolution),
        "handling_working_time": _summary(result.handling),
        "handling_calendar_clock": _summary(result.handling_calendar),
        "model_by_priority": {
            f"P{p}": _summary(summary) for p, summary in result.by_priority.items()
        },
    }


def _calendar_speed() -> dict[str, float]:
    """Microseconds per call of add and between over long spans, on a holiday calendar."""
    calendar = Scenario().agents[1]  # the one with public holidays and a vacation
    start = datetime(2026, 1, 5, 10, 30, tzinfo=BERLIN)
    calls = 200
    began = time.perf_counter()
    for n in range(calls):
        calendar.add(start + timedelta(hours=n), timedelta(hours=1000))
    added = time.perf_counter()
    for n in range(calls):
        calendar.between(start + timedelta(hours=n), start + timedelta(days=365))
    measured = time.perf_counter()
    team = WorkingCalendar.union(*Scenario().agents)
    for n in range(calls):
        team.between(start + timedelta(hours=n), start + timedelta(days=90))
    union = time.perf_counter()
    return {
        "add_1000_working_hours_us": round((added - began) / calls * 1e6, 1),
        "between_one_year_us": round((measured - added) / calls * 1e6, 1),
        "union_of_5_between_90_days_us": round((union - measured) / calls * 1e6, 1),
    }


def run() -> dict[str, object]:
    """Simulate the scenario for a few seeds; the model's errors next to the baselines'."""
    began = time.perf_counter()
    results = []
    seconds = []
    for seed in SEEDS:
        started = time.perf_counter()
        results.append(simulate(seed))
        seconds.append(time.perf_counter() - started)

    def pooled(errors: str) -> dict[str, float | int]:
        found = [error for result in results for error in getattr(result, errors)]
        return _summary(ErrorSummary.of(found))

    share_sweep = {f"{Scenario().start_share}": _summary(results[0].start)}
    for share in SHARES:
        scenario = dataclasses.replace(Scenario(), start_share=share)
        share_sweep[f"{share}"] = _summary(simulate(SEEDS[0], scenario).start)
    return {
        "scenario": "5 agents, Europe/Berlin, 30 days warm-up, 60 days measured, P1-P4 mixed",
        "seeds": list(SEEDS),
        "model_start_error": pooled("start_errors_h"),
        "naive_start_error": pooled("naive_errors_h"),
        "recent_wait_start_error": pooled("recent_errors_h"),
        "runs": [_figures(result) for result in results],
        "start_share_sweep_seed_1": share_sweep,
        "calendar_speed": _calendar_speed(),
        "seconds_per_simulation": round(statistics.fmean(seconds), 2),
        "seconds": round(time.perf_counter() - began, 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
