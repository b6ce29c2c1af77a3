"""How well the reply coach's checks agree with a careful reviewer, and how fast they are.

``evaluate`` runs ``deskwise.coach.checks.check`` on each labelled reply of
``coach_examples.EXAMPLES`` (with the built-in jargon list, so the figures do
not depend on what a desk's admins added) and reports, per check, precision
(of the notes it gave, how many the reviewer would give) and recall (of the
notes the reviewer would give, how many it gave), with the examples it got
wrong; and the share of well-written replies that got any note at all (the
false alarms an agent would learn to ignore; the target is under 10%).

``timing`` checks replies of 2,000 characters built from the examples (a
different mix each time, so the caches that hold syllable counts do not see
the same text twice in a row) and reports the 50th and 95th percentiles in
milliseconds; the target is under 20 ms at the 95th.

``run()`` returns both as one dict for ``deskwise bench``.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from collections.abc import Sequence
from typing import Any

from deskwise.bench.coach_examples import EXAMPLES, Example
from deskwise.coach.checks import CHECKS, TRUNCATED, Context, check

TIMING_CHARS = 2_000
TIMING_RUNS = 300


def _context(example: Example) -> Context:
    return Context(
        first_name=example.first_name,
        is_technical=example.is_technical,
        frustrated=example.frustrated,
        purpose=example.purpose,
    )


def found(example: Example) -> frozenset[str]:
    """The checks the coach fires on one example."""
    notes = check(example.text, context=_context(example))
    return frozenset(note.code for note in notes if note.code != TRUNCATED)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def evaluate(examples: Sequence[Example] = EXAMPLES) -> dict[str, Any]:
    counts = {code: {"tp": 0, "fp": 0, "fn": 0} for code in CHECKS}
    mistakes: list[dict[str, object]] = []
    good = good_flagged = 0
    for example in examples:
        got = found(example)
        for code in CHECKS:
            if code in got and code in example.expect:
                counts[code]["tp"] += 1
            elif code in got:
                counts[code]["fp"] += 1
            elif code in example.expect:
                counts[code]["fn"] += 1
        if got != example.expect:
            mistakes.append(
                {
                    "text": example.text[:90],
                    "expected": sorted(example.expect),
                    "extra": sorted(got - example.expect),
                    "missed": sorted(example.expect - got),
                }
            )
        if not example.expect:
            good += 1
            good_flagged += bool(got)
    per_check = {
        code: {
            "positives": c["tp"] + c["fn"],
            "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": _ratio(c["tp"], c["tp"] + c["fn"]),
            **c,
        }
        for code, c in counts.items()
    }
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    return {
        "examples": len(examples),
        "well_written": good,
        "per_check": per_check,
        "micro_precision": _ratio(tp, tp + fp),
        "micro_recall": _ratio(tp, tp + fn),
        "false_alarm_share": _ratio(good_flagged, good),
        "mistakes": mistakes,
    }


def _long_reply(rng: random.Random) -> tuple[str, Context]:
    example = rng.choice(EXAMPLES)
    parts = [example.text]
    while sum(len(p) for p in parts) < TIMING_CHARS:
        parts.append(rng.choice(EXAMPLES).text)
    return "\n\n".join(parts)[:TIMING_CHARS], _context(example)


def timing(runs: int = TIMING_RUNS, seed: int = 0) -> dict[str, float]:
    rng = random.Random(seed)
    replies = [_long_reply(rng) for _ in range(runs)]
    check(*replies[0][:1], context=replies[0][1])  # import-time work and first compiles
    elapsed: list[float] = []
    for text, context in replies:
        started = time.perf_counter()
        check(text, context=context)
        elapsed.append((time.perf_counter() - started) * 1000)
    elapsed.sort()
    return {
        "chars": TIMING_CHARS,
        "runs": runs,
        "p50_ms": round(statistics.median(elapsed), 2),
        "p95_ms": round(elapsed[int(0.95 * (len(elapsed) - 1))], 2),
        "max_ms": round(elapsed[-1], 2),
    }


def run() -> dict[str, Any]:
    report = evaluate()
    report["timing"] = timing()
    return report


def table(report: dict[str, Any]) -> str:
    """The report as a table to read: per check, then the false alarms and the timing."""
    lines = [
        f"{report['examples']} examples, {report['well_written']} well written",
        f"{'check':<18}{'positives':>10}{'precision':>11}{'recall':>8}",
    ]
    for code, row in report["per_check"].items():
        precision = "-" if row["precision"] is None else f"{row['precision']:.2f}"
        recall = "-" if row["recall"] is None else f"{row['recall']:.2f}"
        lines.append(f"{code:<18}{row['positives']:>10}{precision:>11}{recall:>8}")
    lines.append(f"well-written replies with any note: {report['false_alarm_share']}")
    if "timing" in report:
        lines.append(f"timing: {json.dumps(report['timing'])}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
